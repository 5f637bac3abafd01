package iam

import (
	"context"
	"errors"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	awsarn "github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateUserHandler                    = (*Service)(nil)
	_ api.GetUserHandler                       = (*Service)(nil)
	_ api.UpdateUserHandler                    = (*Service)(nil)
	_ api.DeleteUserHandler                    = (*Service)(nil)
	_ api.ListUsersHandler                     = (*Service)(nil)
	_ api.TagUserHandler                       = (*Service)(nil)
	_ api.UntagUserHandler                     = (*Service)(nil)
	_ api.ListUserTagsHandler                  = (*Service)(nil)
	_ api.PutUserPermissionsBoundaryHandler    = (*Service)(nil)
	_ api.DeleteUserPermissionsBoundaryHandler = (*Service)(nil)
)

// target is the IAM user an operation acts on when its UserName member may be omitted.
type target struct {
	acct string
	// user is the user's name; "" when root is true.
	user string
	// root is set when the name was omitted and the caller is the account's root user.
	root bool
	req  *caller.Request
}

// resolveUser returns the user an operation with an optional UserName acts on: the named user,
// else the calling IAM user, else the root user. Other callers (roles, federated users) must
// name the user, as in AWS.
func resolveUser(ctx context.Context, name *string) (target, error) {
	req, err := who(ctx)
	if err != nil {
		return target{}, err
	}
	t := target{acct: req.Principal.Account, req: req}
	switch {
	case ptr.Value(name) != "":
		t.user = *name
	case req.Principal.Kind == caller.IAMUser && req.Principal.UserName != "":
		t.user = req.Principal.UserName
	case req.Principal.Kind == caller.Root:
		t.root = true
	default:
		return target{}, awserr.Validation("Must specify userName when calling with non-User credentials")
	}
	return t, nil
}

// userOut maps a domain user to the wire's User.
func userOut(u domain.User) *api.User {
	return &api.User{
		Path:                ptr.Of(u.Path),
		UserName:            ptr.Of(u.UserName),
		UserId:              ptr.Of(u.UserID),
		Arn:                 ptr.Of(u.ARN),
		CreateDate:          optTime(u.CreateDate),
		PasswordLastUsed:    optTimePtr(u.PasswordLastUsed),
		PermissionsBoundary: boundaryOut(u.PermissionsBoundary),
		Tags:                tagsOut(u.Tags),
	}
}

// userListOut is a user as List operations show it: AWS leaves out tags and the boundary.
func userListOut(u domain.User) api.User {
	out := userOut(u)
	out.Tags, out.PermissionsBoundary = nil, nil
	return *out
}

// boundaryOut maps a permissions boundary.
func boundaryOut(b *domain.AttachedPermissionsBoundary) *api.PermissionsBoundary {
	if b == nil {
		return nil
	}
	return &api.PermissionsBoundary{
		PermissionsBoundaryType: optString(b.PermissionsBoundaryType),
		PermissionsBoundaryArn:  optString(b.PermissionsBoundaryARN),
	}
}

// CreateUser creates an IAM user.
func (s *Service) CreateUser(ctx context.Context, in *api.CreateUserInput) (*api.CreateUserOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.d.CreateUser(ctx, acct, domain.CreateUserInput{
		UserName:            ptr.Value(in.UserName),
		Path:                ptr.Value(in.Path),
		PermissionsBoundary: ptr.Value(in.PermissionsBoundary),
		Tags:                tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &api.CreateUserOutput{User: userOut(u)}, nil
}

// GetUser returns the named user, or the caller when UserName is omitted. For the root user
// it returns what AWS does: the account ID as UserId and the root ARN, without a name or path.
func (s *Service) GetUser(ctx context.Context, in *api.GetUserInput) (*api.GetUserOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if t.root {
		u, err := s.rootUser(ctx, t)
		if err != nil {
			return nil, err
		}
		return &api.GetUserOutput{User: u}, nil
	}
	u, err := s.d.GetUser(ctx, t.acct, t.user)
	if err != nil {
		return nil, err
	}
	return &api.GetUserOutput{User: userOut(u)}, nil
}

// rootUser is the User element AWS returns for the root user: the account ID as UserId, the
// root ARN and the account's creation date (left out when the account has no record).
func (s *Service) rootUser(ctx context.Context, t target) (*api.User, error) {
	arn := t.req.Principal.ARN
	if arn == "" {
		arn = awsarn.Root(s.d.Partition(), t.acct)
	}
	u := &api.User{UserId: ptr.Of(t.acct), Arn: ptr.Of(arn)}
	a, err := s.d.GetAccount(ctx, t.acct)
	var ae *awserr.Error
	switch {
	case err == nil:
		u.CreateDate = optTime(a.CreateDate)
	case errors.As(err, &ae) && ae.Code == domain.CodeNoSuchEntity:
	default:
		return nil, err
	}
	return u, nil
}

// UpdateUser renames a user and/or changes its path.
func (s *Service) UpdateUser(ctx context.Context, in *api.UpdateUserInput) (*api.UpdateUserOutput, error) {
	return run[api.UpdateUserOutput](ctx, func(acct string) error {
		return s.d.UpdateUser(ctx, acct, domain.UpdateUserInput{
			UserName:    ptr.Value(in.UserName),
			NewUserName: ptr.Value(in.NewUserName),
			NewPath:     ptr.Value(in.NewPath),
		})
	})
}

// DeleteUser deletes a user that has nothing attached.
func (s *Service) DeleteUser(ctx context.Context, in *api.DeleteUserInput) (*api.DeleteUserOutput, error) {
	return run[api.DeleteUserOutput](ctx, func(acct string) error {
		return s.d.DeleteUser(ctx, acct, ptr.Value(in.UserName))
	})
}

// ListUsers lists the account's users under a path prefix.
func (s *Service) ListUsers(ctx context.Context, in *api.ListUsersInput) (*api.ListUsersOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListUsers(ctx, acct, ptr.Value(in.PathPrefix), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListUsersOutput{Users: make([]api.User, 0, len(p.Items))}
	for _, u := range p.Items {
		out.Users = append(out.Users, userListOut(u))
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// TagUser adds tags to a user.
func (s *Service) TagUser(ctx context.Context, in *api.TagUserInput) (*api.TagUserOutput, error) {
	return run[api.TagUserOutput](ctx, func(acct string) error {
		return s.d.TagUser(ctx, acct, ptr.Value(in.UserName), tagsIn(in.Tags))
	})
}

// UntagUser removes tags from a user.
func (s *Service) UntagUser(ctx context.Context, in *api.UntagUserInput) (*api.UntagUserOutput, error) {
	return run[api.UntagUserOutput](ctx, func(acct string) error {
		return s.d.UntagUser(ctx, acct, ptr.Value(in.UserName), in.TagKeys)
	})
}

// ListUserTags lists a user's tags.
func (s *Service) ListUserTags(ctx context.Context, in *api.ListUserTagsInput) (*api.ListUserTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListUserTags(ctx, acct, ptr.Value(in.UserName), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListUserTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}

// PutUserPermissionsBoundary sets a user's permissions boundary.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, in *api.PutUserPermissionsBoundaryInput) (*api.PutUserPermissionsBoundaryOutput, error) {
	return run[api.PutUserPermissionsBoundaryOutput](ctx, func(acct string) error {
		return s.d.PutUserPermissionsBoundary(ctx, acct, ptr.Value(in.UserName), ptr.Value(in.PermissionsBoundary))
	})
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary.
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, in *api.DeleteUserPermissionsBoundaryInput) (*api.DeleteUserPermissionsBoundaryOutput, error) {
	return run[api.DeleteUserPermissionsBoundaryOutput](ctx, func(acct string) error {
		return s.d.DeleteUserPermissionsBoundary(ctx, acct, ptr.Value(in.UserName))
	})
}
