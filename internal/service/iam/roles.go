package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateRoleHandler                    = (*Service)(nil)
	_ api.GetRoleHandler                       = (*Service)(nil)
	_ api.UpdateRoleHandler                    = (*Service)(nil)
	_ api.UpdateRoleDescriptionHandler         = (*Service)(nil)
	_ api.UpdateAssumeRolePolicyHandler        = (*Service)(nil)
	_ api.DeleteRoleHandler                    = (*Service)(nil)
	_ api.ListRolesHandler                     = (*Service)(nil)
	_ api.PutRolePermissionsBoundaryHandler    = (*Service)(nil)
	_ api.DeleteRolePermissionsBoundaryHandler = (*Service)(nil)
	_ api.TagRoleHandler                       = (*Service)(nil)
	_ api.UntagRoleHandler                     = (*Service)(nil)
	_ api.ListRoleTagsHandler                  = (*Service)(nil)
)

// roleOut maps a domain role to the wire's Role; the trust policy is URL-encoded.
func roleOut(r domain.Role) *api.Role {
	out := &api.Role{
		Path:                     ptr.Of(r.Path),
		RoleName:                 ptr.Of(r.RoleName),
		RoleId:                   ptr.Of(r.RoleID),
		Arn:                      ptr.Of(r.ARN),
		CreateDate:               optTime(r.CreateDate),
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicyDocument),
		Description:              optString(r.Description),
		PermissionsBoundary:      boundaryOut(r.PermissionsBoundary),
		Tags:                     tagsOut(r.Tags),
	}
	if r.MaxSessionDuration > 0 {
		out.MaxSessionDuration = int32Of(r.MaxSessionDuration)
	}
	if r.RoleLastUsed != nil {
		out.RoleLastUsed = &api.RoleLastUsed{
			LastUsedDate: optTime(r.RoleLastUsed.LastUsedDate),
			Region:       optString(r.RoleLastUsed.Region),
		}
	}
	return out
}

// roleGetOut is a role as GetRole returns it: RoleLastUsed is always present, empty when the
// role was never used.
func roleGetOut(r domain.Role) *api.Role {
	out := roleOut(r)
	if out.RoleLastUsed == nil {
		out.RoleLastUsed = &api.RoleLastUsed{}
	}
	return out
}

// roleListOut is a role as ListRoles shows it: AWS leaves out tags, the boundary and
// RoleLastUsed.
func roleListOut(r domain.Role) api.Role {
	out := roleOut(r)
	out.Tags, out.PermissionsBoundary, out.RoleLastUsed = nil, nil, nil
	return *out
}

// CreateRole creates a role with its trust policy.
func (s *Service) CreateRole(ctx context.Context, in *api.CreateRoleInput) (*api.CreateRoleOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.CreateRole(ctx, acct, domain.CreateRoleInput{
		RoleName:                 ptr.Value(in.RoleName),
		Path:                     ptr.Value(in.Path),
		AssumeRolePolicyDocument: ptr.Value(in.AssumeRolePolicyDocument),
		Description:              ptr.Value(in.Description),
		MaxSessionDuration:       int(ptr.Value(in.MaxSessionDuration)),
		PermissionsBoundary:      ptr.Value(in.PermissionsBoundary),
		Tags:                     tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := roleOut(r)
	// AWS's CreateRole response carries neither RoleLastUsed nor MaxSessionDuration.
	out.RoleLastUsed, out.MaxSessionDuration = nil, nil
	return &api.CreateRoleOutput{Role: out}, nil
}

// GetRole returns a role.
func (s *Service) GetRole(ctx context.Context, in *api.GetRoleInput) (*api.GetRoleOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.GetRole(ctx, acct, ptr.Value(in.RoleName))
	if err != nil {
		return nil, err
	}
	return &api.GetRoleOutput{Role: roleGetOut(r)}, nil
}

// UpdateRole changes a role's description and/or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, in *api.UpdateRoleInput) (*api.UpdateRoleOutput, error) {
	return run[api.UpdateRoleOutput](ctx, func(acct string) error {
		u := domain.UpdateRoleInput{RoleName: ptr.Value(in.RoleName), Description: in.Description}
		if in.MaxSessionDuration != nil {
			u.MaxSessionDuration = ptr.Of(int(*in.MaxSessionDuration))
		}
		return s.d.UpdateRole(ctx, acct, u)
	})
}

// UpdateRoleDescription sets a role's description and returns the role.
func (s *Service) UpdateRoleDescription(ctx context.Context, in *api.UpdateRoleDescriptionInput) (*api.UpdateRoleDescriptionOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.UpdateRoleDescription(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.Description))
	if err != nil {
		return nil, err
	}
	// AWS's UpdateRoleDescription response carries neither RoleLastUsed nor
	// MaxSessionDuration.
	out := roleOut(r)
	out.RoleLastUsed, out.MaxSessionDuration = nil, nil
	return &api.UpdateRoleDescriptionOutput{Role: out}, nil
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, in *api.UpdateAssumeRolePolicyInput) (*api.UpdateAssumeRolePolicyOutput, error) {
	return run[api.UpdateAssumeRolePolicyOutput](ctx, func(acct string) error {
		return s.d.UpdateAssumeRolePolicy(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PolicyDocument))
	})
}

// DeleteRole deletes a role that has no policies and is in no instance profile.
func (s *Service) DeleteRole(ctx context.Context, in *api.DeleteRoleInput) (*api.DeleteRoleOutput, error) {
	return run[api.DeleteRoleOutput](ctx, func(acct string) error {
		return s.d.DeleteRole(ctx, acct, ptr.Value(in.RoleName))
	})
}

// ListRoles lists the account's roles under a path prefix.
func (s *Service) ListRoles(ctx context.Context, in *api.ListRolesInput) (*api.ListRolesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListRoles(ctx, acct, ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListRolesOutput{Roles: make([]api.Role, 0, len(p.Items))}
	for _, r := range p.Items {
		out.Roles = append(out.Roles, roleListOut(r))
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// PutRolePermissionsBoundary sets a role's permissions boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, in *api.PutRolePermissionsBoundaryInput) (*api.PutRolePermissionsBoundaryOutput, error) {
	return run[api.PutRolePermissionsBoundaryOutput](ctx, func(acct string) error {
		return s.d.PutRolePermissionsBoundary(ctx, acct, ptr.Value(in.RoleName), ptr.Value(in.PermissionsBoundary))
	})
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary.
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, in *api.DeleteRolePermissionsBoundaryInput) (*api.DeleteRolePermissionsBoundaryOutput, error) {
	return run[api.DeleteRolePermissionsBoundaryOutput](ctx, func(acct string) error {
		return s.d.DeleteRolePermissionsBoundary(ctx, acct, ptr.Value(in.RoleName))
	})
}

// TagRole adds tags to a role.
func (s *Service) TagRole(ctx context.Context, in *api.TagRoleInput) (*api.TagRoleOutput, error) {
	return run[api.TagRoleOutput](ctx, func(acct string) error {
		return s.d.TagRole(ctx, acct, ptr.Value(in.RoleName), tagsIn(in.Tags))
	})
}

// UntagRole removes tags from a role.
func (s *Service) UntagRole(ctx context.Context, in *api.UntagRoleInput) (*api.UntagRoleOutput, error) {
	return run[api.UntagRoleOutput](ctx, func(acct string) error {
		return s.d.UntagRole(ctx, acct, ptr.Value(in.RoleName), in.TagKeys)
	})
}

// ListRoleTags lists a role's tags.
func (s *Service) ListRoleTags(ctx context.Context, in *api.ListRoleTagsInput) (*api.ListRoleTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListRoleTags(ctx, acct, ptr.Value(in.RoleName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListRoleTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}
