package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateGroupHandler         = (*Service)(nil)
	_ api.GetGroupHandler            = (*Service)(nil)
	_ api.UpdateGroupHandler         = (*Service)(nil)
	_ api.DeleteGroupHandler         = (*Service)(nil)
	_ api.ListGroupsHandler          = (*Service)(nil)
	_ api.AddUserToGroupHandler      = (*Service)(nil)
	_ api.RemoveUserFromGroupHandler = (*Service)(nil)
	_ api.ListGroupsForUserHandler   = (*Service)(nil)
)

// groupOut maps a domain group to the wire's Group.
func groupOut(g domain.Group) api.Group {
	return api.Group{
		Path:       ptr.Of(g.Path),
		GroupName:  ptr.Of(g.GroupName),
		GroupId:    ptr.Of(g.GroupID),
		Arn:        ptr.Of(g.ARN),
		CreateDate: optTime(g.CreateDate),
	}
}

// groupList maps a page of groups to a list that is never nil.
func groupList(in []domain.Group) []api.Group {
	out := make([]api.Group, 0, len(in))
	for _, g := range in {
		out = append(out, groupOut(g))
	}
	return out
}

// CreateGroup creates a group.
func (s *Service) CreateGroup(ctx context.Context, in *api.CreateGroupInput) (*api.CreateGroupOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.d.CreateGroup(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.Path))
	if err != nil {
		return nil, err
	}
	out := groupOut(g)
	return &api.CreateGroupOutput{Group: &out}, nil
}

// GetGroup returns a group and a page of its users.
func (s *Service) GetGroup(ctx context.Context, in *api.GetGroupInput) (*api.GetGroupOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.GetGroup(ctx, acct, ptr.Value(in.GroupName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	g := groupOut(r.Group)
	out := &api.GetGroupOutput{Group: &g, Users: make([]api.User, 0, len(r.Users))}
	for _, u := range r.Users {
		out.Users = append(out.Users, userListOut(u))
	}
	out.IsTruncated, out.Marker = pageOut(r.IsTruncated, r.Marker)
	return out, nil
}

// UpdateGroup renames a group and/or changes its path.
func (s *Service) UpdateGroup(ctx context.Context, in *api.UpdateGroupInput) (*api.UpdateGroupOutput, error) {
	return run[api.UpdateGroupOutput](ctx, func(acct string) error {
		return s.d.UpdateGroup(ctx, acct, domain.UpdateGroupInput{
			GroupName:    ptr.Value(in.GroupName),
			NewGroupName: ptr.Value(in.NewGroupName),
			NewPath:      ptr.Value(in.NewPath),
		})
	})
}

// DeleteGroup deletes an empty group with no policies.
func (s *Service) DeleteGroup(ctx context.Context, in *api.DeleteGroupInput) (*api.DeleteGroupOutput, error) {
	return run[api.DeleteGroupOutput](ctx, func(acct string) error {
		return s.d.DeleteGroup(ctx, acct, ptr.Value(in.GroupName))
	})
}

// ListGroups lists the account's groups under a path prefix.
func (s *Service) ListGroups(ctx context.Context, in *api.ListGroupsInput) (*api.ListGroupsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListGroups(ctx, acct, ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListGroupsOutput{Groups: groupList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// AddUserToGroup makes a user a member of a group.
func (s *Service) AddUserToGroup(ctx context.Context, in *api.AddUserToGroupInput) (*api.AddUserToGroupOutput, error) {
	return run[api.AddUserToGroupOutput](ctx, func(acct string) error {
		return s.d.AddUserToGroup(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.UserName))
	})
}

// RemoveUserFromGroup removes a user from a group.
func (s *Service) RemoveUserFromGroup(ctx context.Context, in *api.RemoveUserFromGroupInput) (*api.RemoveUserFromGroupOutput, error) {
	return run[api.RemoveUserFromGroupOutput](ctx, func(acct string) error {
		return s.d.RemoveUserFromGroup(ctx, acct, ptr.Value(in.GroupName), ptr.Value(in.UserName))
	})
}

// ListGroupsForUser lists the groups a user belongs to.
func (s *Service) ListGroupsForUser(ctx context.Context, in *api.ListGroupsForUserInput) (*api.ListGroupsForUserOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListGroupsForUser(ctx, acct, ptr.Value(in.UserName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListGroupsForUserOutput{Groups: groupList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}
