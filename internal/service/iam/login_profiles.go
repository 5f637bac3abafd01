package iam

import (
	"context"
	"net/http"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateLoginProfileHandler = (*Service)(nil)
	_ api.GetLoginProfileHandler    = (*Service)(nil)
	_ api.UpdateLoginProfileHandler = (*Service)(nil)
	_ api.DeleteLoginProfileHandler = (*Service)(nil)
	_ api.ChangePasswordHandler     = (*Service)(nil)
)

// The login profile operations take an optional UserName: omitted, an IAM user caller means
// itself; for the root user the domain answers (root has no login profile here).

// loginProfileOut maps a login profile.
func loginProfileOut(l domain.LoginProfile) *api.LoginProfile {
	return &api.LoginProfile{
		UserName:              ptr.Of(l.UserName),
		CreateDate:            optTime(l.CreateDate),
		PasswordResetRequired: ptr.Of(l.PasswordResetRequired),
	}
}

// CreateLoginProfile gives a user a console password.
func (s *Service) CreateLoginProfile(ctx context.Context, in *api.CreateLoginProfileInput) (*api.CreateLoginProfileOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	l, err := s.d.CreateLoginProfile(ctx, t.acct, domain.CreateLoginProfileInput{
		UserName:              t.user,
		Password:              ptr.Value(in.Password),
		PasswordResetRequired: ptr.Value(in.PasswordResetRequired),
	})
	if err != nil {
		return nil, err
	}
	return &api.CreateLoginProfileOutput{LoginProfile: loginProfileOut(l)}, nil
}

// GetLoginProfile returns a user's login profile, never the password.
func (s *Service) GetLoginProfile(ctx context.Context, in *api.GetLoginProfileInput) (*api.GetLoginProfileOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	l, err := s.d.GetLoginProfile(ctx, t.acct, t.user)
	if err != nil {
		return nil, err
	}
	return &api.GetLoginProfileOutput{LoginProfile: loginProfileOut(l)}, nil
}

// UpdateLoginProfile changes a user's password and/or its reset-required flag.
func (s *Service) UpdateLoginProfile(ctx context.Context, in *api.UpdateLoginProfileInput) (*api.UpdateLoginProfileOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	err = s.d.UpdateLoginProfile(ctx, t.acct, domain.UpdateLoginProfileInput{
		UserName:              t.user,
		Password:              in.Password,
		PasswordResetRequired: in.PasswordResetRequired,
	})
	if err != nil {
		return nil, err
	}
	return &api.UpdateLoginProfileOutput{}, nil
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, in *api.DeleteLoginProfileInput) (*api.DeleteLoginProfileOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.DeleteLoginProfile(ctx, t.acct, t.user); err != nil {
		return nil, err
	}
	return &api.DeleteLoginProfileOutput{}, nil
}

// ChangePassword changes the calling IAM user's own password. Only IAM users have one to
// change; any other caller gets InvalidUserType, as in AWS.
func (s *Service) ChangePassword(ctx context.Context, in *api.ChangePasswordInput) (*api.ChangePasswordOutput, error) {
	req, err := who(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Principal
	if p.Kind != caller.IAMUser || p.UserName == "" {
		return nil, awserr.New("InvalidUserType", http.StatusBadRequest,
			"The request was rejected because the type of user for the transaction was incorrect.")
	}
	if err := s.d.ChangePassword(ctx, p.Account, p.UserName, ptr.Value(in.OldPassword), ptr.Value(in.NewPassword)); err != nil {
		return nil, err
	}
	return &api.ChangePasswordOutput{}, nil
}
