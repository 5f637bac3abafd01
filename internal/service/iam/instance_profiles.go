package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateInstanceProfileHandler         = (*Service)(nil)
	_ api.GetInstanceProfileHandler            = (*Service)(nil)
	_ api.DeleteInstanceProfileHandler         = (*Service)(nil)
	_ api.ListInstanceProfilesHandler          = (*Service)(nil)
	_ api.AddRoleToInstanceProfileHandler      = (*Service)(nil)
	_ api.RemoveRoleFromInstanceProfileHandler = (*Service)(nil)
	_ api.ListInstanceProfilesForRoleHandler   = (*Service)(nil)
	_ api.TagInstanceProfileHandler            = (*Service)(nil)
	_ api.UntagInstanceProfileHandler          = (*Service)(nil)
	_ api.ListInstanceProfileTagsHandler       = (*Service)(nil)
)

// profileOut maps an instance profile; its roles are shown as ListRoles shows them.
func profileOut(p domain.InstanceProfile) api.InstanceProfile {
	out := api.InstanceProfile{
		Path:                ptr.Of(p.Path),
		InstanceProfileName: ptr.Of(p.InstanceProfileName),
		InstanceProfileId:   ptr.Of(p.InstanceProfileID),
		Arn:                 ptr.Of(p.ARN),
		CreateDate:          optTime(p.CreateDate),
		Roles:               make([]api.Role, 0, len(p.Roles)),
		Tags:                tagsOut(p.Tags),
	}
	for _, r := range p.Roles {
		out.Roles = append(out.Roles, profileRoleOut(r))
	}
	return out
}

// profileRoleOut is a role as instance profiles embed it: AWS shows only its path, name, ID,
// ARN, creation date and trust policy.
func profileRoleOut(r domain.Role) api.Role {
	full := roleOut(r)
	return api.Role{Path: full.Path, RoleName: full.RoleName, RoleId: full.RoleId, Arn: full.Arn,
		CreateDate: full.CreateDate, AssumeRolePolicyDocument: full.AssumeRolePolicyDocument}
}

// profileList maps instance profiles as the List operations show them, without tags.
func profileList(in []domain.InstanceProfile) []api.InstanceProfile {
	out := make([]api.InstanceProfile, 0, len(in))
	for _, p := range in {
		x := profileOut(p)
		x.Tags = nil
		out = append(out, x)
	}
	return out
}

// CreateInstanceProfile creates an instance profile.
func (s *Service) CreateInstanceProfile(ctx context.Context, in *api.CreateInstanceProfileInput) (*api.CreateInstanceProfileOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.CreateInstanceProfile(ctx, acct, domain.CreateInstanceProfileInput{
		InstanceProfileName: ptr.Value(in.InstanceProfileName),
		Path:                ptr.Value(in.Path),
		Tags:                tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	out := profileOut(p)
	return &api.CreateInstanceProfileOutput{InstanceProfile: &out}, nil
}

// GetInstanceProfile returns an instance profile with its roles.
func (s *Service) GetInstanceProfile(ctx context.Context, in *api.GetInstanceProfileInput) (*api.GetInstanceProfileOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName))
	if err != nil {
		return nil, err
	}
	out := profileOut(p)
	if out.Tags == nil {
		out.Tags = []api.Tag{} // AWS always sends the Tags element here, empty or not
	}
	return &api.GetInstanceProfileOutput{InstanceProfile: &out}, nil
}

// DeleteInstanceProfile deletes an instance profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, in *api.DeleteInstanceProfileInput) (*api.DeleteInstanceProfileOutput, error) {
	return run[api.DeleteInstanceProfileOutput](ctx, func(acct string) error {
		return s.d.DeleteInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName))
	})
}

// ListInstanceProfiles lists the account's instance profiles under a path prefix.
func (s *Service) ListInstanceProfiles(ctx context.Context, in *api.ListInstanceProfilesInput) (*api.ListInstanceProfilesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListInstanceProfiles(ctx, acct, ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListInstanceProfilesOutput{InstanceProfiles: profileList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// AddRoleToInstanceProfile puts a role in an instance profile.
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, in *api.AddRoleToInstanceProfileInput) (*api.AddRoleToInstanceProfileOutput, error) {
	return run[api.AddRoleToInstanceProfileOutput](ctx, func(acct string) error {
		return s.d.AddRoleToInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName), ptr.Value(in.RoleName))
	})
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, in *api.RemoveRoleFromInstanceProfileInput) (*api.RemoveRoleFromInstanceProfileOutput, error) {
	return run[api.RemoveRoleFromInstanceProfileOutput](ctx, func(acct string) error {
		return s.d.RemoveRoleFromInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName), ptr.Value(in.RoleName))
	})
}

// ListInstanceProfilesForRole lists the instance profiles that hold a role.
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, in *api.ListInstanceProfilesForRoleInput) (*api.ListInstanceProfilesForRoleOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListInstanceProfilesForRole(ctx, acct, ptr.Value(in.RoleName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListInstanceProfilesForRoleOutput{InstanceProfiles: profileList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// TagInstanceProfile adds tags to an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, in *api.TagInstanceProfileInput) (*api.TagInstanceProfileOutput, error) {
	return run[api.TagInstanceProfileOutput](ctx, func(acct string) error {
		return s.d.TagInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName), tagsIn(in.Tags))
	})
}

// UntagInstanceProfile removes tags from an instance profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, in *api.UntagInstanceProfileInput) (*api.UntagInstanceProfileOutput, error) {
	return run[api.UntagInstanceProfileOutput](ctx, func(acct string) error {
		return s.d.UntagInstanceProfile(ctx, acct, ptr.Value(in.InstanceProfileName), in.TagKeys)
	})
}

// ListInstanceProfileTags lists an instance profile's tags.
func (s *Service) ListInstanceProfileTags(ctx context.Context, in *api.ListInstanceProfileTagsInput) (*api.ListInstanceProfileTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListInstanceProfileTags(ctx, acct, ptr.Value(in.InstanceProfileName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListInstanceProfileTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}
