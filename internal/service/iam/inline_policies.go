package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.PutUserPolicyHandler     = (*Service)(nil)
	_ api.GetUserPolicyHandler     = (*Service)(nil)
	_ api.DeleteUserPolicyHandler  = (*Service)(nil)
	_ api.ListUserPoliciesHandler  = (*Service)(nil)
	_ api.PutGroupPolicyHandler    = (*Service)(nil)
	_ api.GetGroupPolicyHandler    = (*Service)(nil)
	_ api.DeleteGroupPolicyHandler = (*Service)(nil)
	_ api.ListGroupPoliciesHandler = (*Service)(nil)
	_ api.PutRolePolicyHandler     = (*Service)(nil)
	_ api.GetRolePolicyHandler     = (*Service)(nil)
	_ api.DeleteRolePolicyHandler  = (*Service)(nil)
	_ api.ListRolePoliciesHandler  = (*Service)(nil)
)

// stringList returns a copy of names that is never nil, for required list members.
func stringList(names []string) []string {
	return append(make([]string, 0, len(names)), names...)
}

// PutUserPolicy adds or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, in *api.PutUserPolicyInput) (*api.PutUserPolicyOutput, error) {
	return run[api.PutUserPolicyOutput](ctx, func(acct string) error {
		return s.d.PutUserPolicy(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PolicyName), ptr.Value(in.PolicyDocument))
	})
}

// GetUserPolicy returns an inline policy of a user with its URL-encoded document.
func (s *Service) GetUserPolicy(ctx context.Context, in *api.GetUserPolicyInput) (*api.GetUserPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetUserPolicy(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &api.GetUserPolicyOutput{
		UserName:       ptr.Of(p.EntityName),
		PolicyName:     ptr.Of(p.PolicyName),
		PolicyDocument: encodeDocument(p.PolicyDocument),
	}, nil
}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, in *api.DeleteUserPolicyInput) (*api.DeleteUserPolicyOutput, error) {
	return run[api.DeleteUserPolicyOutput](ctx, func(acct string) error {
		return s.d.DeleteUserPolicy(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PolicyName))
	})
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, in *api.ListUserPoliciesInput) (*api.ListUserPoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListUserPolicies(ctx, acct, ptr.Value(in.UserName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListUserPoliciesOutput{PolicyNames: stringList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// PutGroupPolicy adds or replaces an inline policy of a group.
func (s *Service) PutGroupPolicy(ctx context.Context, in *api.PutGroupPolicyInput) (*api.PutGroupPolicyOutput, error) {
	return run[api.PutGroupPolicyOutput](ctx, func(acct string) error {
		return s.d.PutGroupPolicy(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PolicyName), ptr.Value(in.PolicyDocument))
	})
}

// GetGroupPolicy returns an inline policy of a group with its URL-encoded document.
func (s *Service) GetGroupPolicy(ctx context.Context, in *api.GetGroupPolicyInput) (*api.GetGroupPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetGroupPolicy(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &api.GetGroupPolicyOutput{
		GroupName:      ptr.Of(p.EntityName),
		PolicyName:     ptr.Of(p.PolicyName),
		PolicyDocument: encodeDocument(p.PolicyDocument),
	}, nil
}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, in *api.DeleteGroupPolicyInput) (*api.DeleteGroupPolicyOutput, error) {
	return run[api.DeleteGroupPolicyOutput](ctx, func(acct string) error {
		return s.d.DeleteGroupPolicy(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.PolicyName))
	})
}

// ListGroupPolicies lists the names of a group's inline policies.
func (s *Service) ListGroupPolicies(ctx context.Context, in *api.ListGroupPoliciesInput) (*api.ListGroupPoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListGroupPolicies(ctx, acct, ptr.Value(in.GroupName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListGroupPoliciesOutput{PolicyNames: stringList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// PutRolePolicy adds or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, in *api.PutRolePolicyInput) (*api.PutRolePolicyOutput, error) {
	return run[api.PutRolePolicyOutput](ctx, func(acct string) error {
		return s.d.PutRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyName), ptr.Value(in.PolicyDocument))
	})
}

// GetRolePolicy returns an inline policy of a role with its URL-encoded document.
func (s *Service) GetRolePolicy(ctx context.Context, in *api.GetRolePolicyInput) (*api.GetRolePolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyName))
	if err != nil {
		return nil, err
	}
	return &api.GetRolePolicyOutput{
		RoleName:       ptr.Of(p.EntityName),
		PolicyName:     ptr.Of(p.PolicyName),
		PolicyDocument: encodeDocument(p.PolicyDocument),
	}, nil
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, in *api.DeleteRolePolicyInput) (*api.DeleteRolePolicyOutput, error) {
	return run[api.DeleteRolePolicyOutput](ctx, func(acct string) error {
		return s.d.DeleteRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyName))
	})
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, in *api.ListRolePoliciesInput) (*api.ListRolePoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListRolePolicies(ctx, acct, ptr.Value(in.RoleName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListRolePoliciesOutput{PolicyNames: stringList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}
