package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreatePolicyHandler            = (*Service)(nil)
	_ api.GetPolicyHandler               = (*Service)(nil)
	_ api.DeletePolicyHandler            = (*Service)(nil)
	_ api.ListPoliciesHandler            = (*Service)(nil)
	_ api.CreatePolicyVersionHandler     = (*Service)(nil)
	_ api.GetPolicyVersionHandler        = (*Service)(nil)
	_ api.ListPolicyVersionsHandler      = (*Service)(nil)
	_ api.DeletePolicyVersionHandler     = (*Service)(nil)
	_ api.SetDefaultPolicyVersionHandler = (*Service)(nil)
	_ api.TagPolicyHandler               = (*Service)(nil)
	_ api.UntagPolicyHandler             = (*Service)(nil)
	_ api.ListPolicyTagsHandler          = (*Service)(nil)
)

// policyOut maps a managed policy as CreatePolicy and GetPolicy return it.
func policyOut(p domain.Policy) *api.Policy {
	return &api.Policy{
		PolicyName:                    ptr.Of(p.PolicyName),
		PolicyId:                      ptr.Of(p.PolicyID),
		Arn:                           ptr.Of(p.ARN),
		Path:                          ptr.Of(p.Path),
		DefaultVersionId:              optString(p.DefaultVersionID),
		AttachmentCount:               int32Of(p.AttachmentCount),
		PermissionsBoundaryUsageCount: int32Of(p.PermissionsBoundaryUsageCount),
		IsAttachable:                  ptr.Of(p.IsAttachable),
		Description:                   optString(p.Description),
		CreateDate:                    optTime(p.CreateDate),
		UpdateDate:                    optTime(p.UpdateDate),
		Tags:                          tagsOut(p.Tags),
	}
}

// policyListOut is a policy as ListPolicies shows it: AWS leaves out the description and tags.
func policyListOut(p domain.Policy) api.Policy {
	out := policyOut(p)
	out.Description, out.Tags = nil, nil
	return *out
}

// versionOut maps a policy version; its document, when present, is URL-encoded.
func versionOut(v domain.PolicyVersion) *api.PolicyVersion {
	return &api.PolicyVersion{
		Document:         encodeDocument(v.Document),
		VersionId:        ptr.Of(v.VersionID),
		IsDefaultVersion: ptr.Of(v.IsDefaultVersion),
		CreateDate:       optTime(v.CreateDate),
	}
}

// CreatePolicy creates a customer managed policy.
func (s *Service) CreatePolicy(ctx context.Context, in *api.CreatePolicyInput) (*api.CreatePolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.CreatePolicy(ctx, acct, domain.CreatePolicyInput{
		PolicyName:     ptr.Value(in.PolicyName),
		Path:           ptr.Value(in.Path),
		PolicyDocument: ptr.Value(in.PolicyDocument),
		Description:    ptr.Value(in.Description),
		Tags:           tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &api.CreatePolicyOutput{Policy: policyOut(p)}, nil
}

// GetPolicy returns a managed policy (customer or AWS managed).
func (s *Service) GetPolicy(ctx context.Context, in *api.GetPolicyInput) (*api.GetPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetPolicy(ctx, acct, ptr.Value(in.PolicyArn))
	if err != nil {
		return nil, err
	}
	out := policyOut(p)
	if out.Tags == nil {
		out.Tags = []api.Tag{} // AWS always sends the Tags element here, empty or not
	}
	return &api.GetPolicyOutput{Policy: out}, nil
}

// DeletePolicy deletes a customer managed policy that is not in use.
func (s *Service) DeletePolicy(ctx context.Context, in *api.DeletePolicyInput) (*api.DeletePolicyOutput, error) {
	return run[api.DeletePolicyOutput](ctx, func(acct string) error {
		return s.d.DeletePolicy(ctx, acct, ptr.Value(in.PolicyArn))
	})
}

// ListPolicies lists managed policies.
func (s *Service) ListPolicies(ctx context.Context, in *api.ListPoliciesInput) (*api.ListPoliciesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListPolicies(ctx, acct, domain.ListPoliciesInput{
		Scope:             ptr.Value(in.Scope),
		OnlyAttached:      ptr.Value(in.OnlyAttached),
		PathPrefix:        ptr.Value(in.PathPrefix),
		PolicyUsageFilter: ptr.Value(in.PolicyUsageFilter),
		Page:              pageIn(in.Marker, in.MaxItems),
	})
	if err != nil {
		return nil, err
	}
	out := &api.ListPoliciesOutput{Policies: make([]api.Policy, 0, len(p.Items))}
	for _, x := range p.Items {
		out.Policies = append(out.Policies, policyListOut(x))
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// CreatePolicyVersion adds a version to a customer managed policy. Like AWS, the output
// carries the version's ID, default flag and date, not its document.
func (s *Service) CreatePolicyVersion(ctx context.Context, in *api.CreatePolicyVersionInput) (*api.CreatePolicyVersionOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.d.CreatePolicyVersion(ctx, acct, ptr.Value(in.PolicyArn), ptr.Value(in.PolicyDocument), ptr.Value(in.SetAsDefault))
	if err != nil {
		return nil, err
	}
	v.Document = ""
	return &api.CreatePolicyVersionOutput{PolicyVersion: versionOut(v)}, nil
}

// GetPolicyVersion returns one version of a managed policy with its URL-encoded document.
func (s *Service) GetPolicyVersion(ctx context.Context, in *api.GetPolicyVersionInput) (*api.GetPolicyVersionOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.d.GetPolicyVersion(ctx, acct, ptr.Value(in.PolicyArn), ptr.Value(in.VersionId))
	if err != nil {
		return nil, err
	}
	return &api.GetPolicyVersionOutput{PolicyVersion: versionOut(v)}, nil
}

// ListPolicyVersions lists a managed policy's versions, newest first.
func (s *Service) ListPolicyVersions(ctx context.Context, in *api.ListPolicyVersionsInput) (*api.ListPolicyVersionsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListPolicyVersions(ctx, acct, ptr.Value(in.PolicyArn), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListPolicyVersionsOutput{Versions: make([]api.PolicyVersion, 0, len(p.Items))}
	for _, v := range p.Items {
		out.Versions = append(out.Versions, *versionOut(v))
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// DeletePolicyVersion deletes a non-default version of a customer managed policy.
func (s *Service) DeletePolicyVersion(ctx context.Context, in *api.DeletePolicyVersionInput) (*api.DeletePolicyVersionOutput, error) {
	return run[api.DeletePolicyVersionOutput](ctx, func(acct string) error {
		return s.d.DeletePolicyVersion(ctx, acct, ptr.Value(in.PolicyArn), ptr.Value(in.VersionId))
	})
}

// SetDefaultPolicyVersion makes a version the policy's default.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, in *api.SetDefaultPolicyVersionInput) (*api.SetDefaultPolicyVersionOutput, error) {
	return run[api.SetDefaultPolicyVersionOutput](ctx, func(acct string) error {
		return s.d.SetDefaultPolicyVersion(ctx, acct, ptr.Value(in.PolicyArn), ptr.Value(in.VersionId))
	})
}

// TagPolicy adds tags to a customer managed policy.
func (s *Service) TagPolicy(ctx context.Context, in *api.TagPolicyInput) (*api.TagPolicyOutput, error) {
	return run[api.TagPolicyOutput](ctx, func(acct string) error {
		return s.d.TagPolicy(ctx, acct, ptr.Value(in.PolicyArn), tagsIn(in.Tags))
	})
}

// UntagPolicy removes tags from a customer managed policy.
func (s *Service) UntagPolicy(ctx context.Context, in *api.UntagPolicyInput) (*api.UntagPolicyOutput, error) {
	return run[api.UntagPolicyOutput](ctx, func(acct string) error {
		return s.d.UntagPolicy(ctx, acct, ptr.Value(in.PolicyArn), in.TagKeys)
	})
}

// ListPolicyTags lists a customer managed policy's tags.
func (s *Service) ListPolicyTags(ctx context.Context, in *api.ListPolicyTagsInput) (*api.ListPolicyTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListPolicyTags(ctx, acct, ptr.Value(in.PolicyArn), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListPolicyTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}
