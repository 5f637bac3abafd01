package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.AttachUserPolicyHandler          = (*Service)(nil)
	_ api.DetachUserPolicyHandler          = (*Service)(nil)
	_ api.ListAttachedUserPoliciesHandler  = (*Service)(nil)
	_ api.AttachGroupPolicyHandler         = (*Service)(nil)
	_ api.DetachGroupPolicyHandler         = (*Service)(nil)
	_ api.ListAttachedGroupPoliciesHandler = (*Service)(nil)
	_ api.AttachRolePolicyHandler          = (*Service)(nil)
	_ api.DetachRolePolicyHandler          = (*Service)(nil)
	_ api.ListAttachedRolePoliciesHandler  = (*Service)(nil)
	_ api.ListEntitiesForPolicyHandler     = (*Service)(nil)
)

// attachedOut maps attached policies to a list that is never nil.
func attachedOut(in []domain.AttachedPolicy) []api.AttachedManagedPolicy {
	out := make([]api.AttachedManagedPolicy, 0, len(in))
	for _, a := range in {
		out = append(out, api.AttachedManagedPolicy{PolicyName: ptr.Of(a.PolicyName), PolicyArn: ptr.Of(a.PolicyARN)})
	}
	return out
}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, in *api.AttachUserPolicyInput) (*api.AttachUserPolicyOutput, error) {
	return run[api.AttachUserPolicyOutput](ctx, func(acct string) error {
		return s.d.AttachUserPolicy(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PolicyArn))
	})
}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, in *api.DetachUserPolicyInput) (*api.DetachUserPolicyOutput, error) {
	return run[api.DetachUserPolicyOutput](ctx, func(acct string) error {
		return s.d.DetachUserPolicy(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PolicyArn))
	})
}

// ListAttachedUserPolicies lists the managed policies attached to a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, in *api.ListAttachedUserPoliciesInput) (*api.ListAttachedUserPoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListAttachedUserPolicies(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListAttachedUserPoliciesOutput{AttachedPolicies: attachedOut(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, in *api.AttachGroupPolicyInput) (*api.AttachGroupPolicyOutput, error) {
	return run[api.AttachGroupPolicyOutput](ctx, func(acct string) error {
		return s.d.AttachGroupPolicy(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PolicyArn))
	})
}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, in *api.DetachGroupPolicyInput) (*api.DetachGroupPolicyOutput, error) {
	return run[api.DetachGroupPolicyOutput](ctx, func(acct string) error {
		return s.d.DetachGroupPolicy(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PolicyArn))
	})
}

// ListAttachedGroupPolicies lists the managed policies attached to a group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, in *api.ListAttachedGroupPoliciesInput) (*api.ListAttachedGroupPoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListAttachedGroupPolicies(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListAttachedGroupPoliciesOutput{AttachedPolicies: attachedOut(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, in *api.AttachRolePolicyInput) (*api.AttachRolePolicyOutput, error) {
	return run[api.AttachRolePolicyOutput](ctx, func(acct string) error {
		return s.d.AttachRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyArn))
	})
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, in *api.DetachRolePolicyInput) (*api.DetachRolePolicyOutput, error) {
	return run[api.DetachRolePolicyOutput](ctx, func(acct string) error {
		return s.d.DetachRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyArn))
	})
}

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, in *api.ListAttachedRolePoliciesInput) (*api.ListAttachedRolePoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListAttachedRolePolicies(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListAttachedRolePoliciesOutput{AttachedPolicies: attachedOut(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// ListEntitiesForPolicy lists the users, groups and roles that use a managed policy.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, in *api.ListEntitiesForPolicyInput) (*api.ListEntitiesForPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.ListEntitiesForPolicy(ctx, acct, domain.ListEntitiesForPolicyInput{
		PolicyARN:         ptr.Value(in.PolicyArn),
		EntityFilter:      ptr.Value(in.EntityFilter),
		PathPrefix:        ptr.Value(in.PathPrefix),
		PolicyUsageFilter: ptr.Value(in.PolicyUsageFilter),
		Page:              pageIn(in.Marker, in.MaxItems),
	})
	if err != nil {
		return nil, err
	}
	out := &api.ListEntitiesForPolicyOutput{
		PolicyGroups: make([]api.PolicyGroup, 0, len(r.PolicyGroups)),
		PolicyUsers:  make([]api.PolicyUser, 0, len(r.PolicyUsers)),
		PolicyRoles:  make([]api.PolicyRole, 0, len(r.PolicyRoles)),
	}
	for _, e := range r.PolicyGroups {
		out.PolicyGroups = append(out.PolicyGroups, api.PolicyGroup{GroupName: ptr.Of(e.Name), GroupId: ptr.Of(e.ID)})
	}
	for _, e := range r.PolicyUsers {
		out.PolicyUsers = append(out.PolicyUsers, api.PolicyUser{UserName: ptr.Of(e.Name), UserId: ptr.Of(e.ID)})
	}
	for _, e := range r.PolicyRoles {
		out.PolicyRoles = append(out.PolicyRoles, api.PolicyRole{RoleName: ptr.Of(e.Name), RoleId: ptr.Of(e.ID)})
	}
	out.IsTruncated, out.Marker = pageOut(r.IsTruncated, r.Marker)
	return out, nil
}
