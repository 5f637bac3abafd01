package iam

import (
	"context"
	"errors"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateAccessKeyHandler      = (*Service)(nil)
	_ api.UpdateAccessKeyHandler      = (*Service)(nil)
	_ api.DeleteAccessKeyHandler      = (*Service)(nil)
	_ api.ListAccessKeysHandler       = (*Service)(nil)
	_ api.GetAccessKeyLastUsedHandler = (*Service)(nil)
)

// The access key operations act on the named user, else on the caller: an IAM user means
// itself and the root user means the root user's keys (the domain's userName "").

// CreateAccessKey creates an access key and returns its secret, the only time it is shown.
func (s *Service) CreateAccessKey(ctx context.Context, in *api.CreateAccessKeyInput) (*api.CreateAccessKeyOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	k, err := s.d.CreateAccessKey(ctx, t.acct, t.user)
	if err != nil {
		return nil, err
	}
	return &api.CreateAccessKeyOutput{AccessKey: &api.AccessKey{
		UserName:        optString(k.UserName),
		AccessKeyId:     ptr.Of(k.AccessKeyID),
		Status:          ptr.Of(k.Status),
		SecretAccessKey: ptr.Of(k.SecretAccessKey),
		CreateDate:      optTime(k.CreateDate),
	}}, nil
}

// UpdateAccessKey activates or deactivates an access key.
func (s *Service) UpdateAccessKey(ctx context.Context, in *api.UpdateAccessKeyInput) (*api.UpdateAccessKeyOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.UpdateAccessKey(ctx, t.acct, t.user, ptr.Value(in.AccessKeyId), ptr.Value(in.Status)); err != nil {
		return nil, err
	}
	return &api.UpdateAccessKeyOutput{}, nil
}

// DeleteAccessKey deletes an access key.
func (s *Service) DeleteAccessKey(ctx context.Context, in *api.DeleteAccessKeyInput) (*api.DeleteAccessKeyOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.DeleteAccessKey(ctx, t.acct, t.user, ptr.Value(in.AccessKeyId)); err != nil {
		return nil, err
	}
	return &api.DeleteAccessKeyOutput{}, nil
}

// ListAccessKeys lists an owner's access keys without their secrets.
func (s *Service) ListAccessKeys(ctx context.Context, in *api.ListAccessKeysInput) (*api.ListAccessKeysOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListAccessKeys(ctx, t.acct, t.user, pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListAccessKeysOutput{AccessKeyMetadata: make([]api.AccessKeyMetadataItem, 0, len(p.Items))}
	for _, k := range p.Items {
		out.AccessKeyMetadata = append(out.AccessKeyMetadata, api.AccessKeyMetadataItem{
			UserName:    optString(k.UserName),
			AccessKeyId: ptr.Of(k.AccessKeyID),
			Status:      ptr.Of(k.Status),
			CreateDate:  optTime(k.CreateDate),
		})
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// GetAccessKeyLastUsed reports when and where an access key was last used. Like AWS, a key
// that is not the caller account's is AccessDenied rather than NoSuchEntity.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, in *api.GetAccessKeyLastUsedInput) (*api.GetAccessKeyLastUsedOutput, error) {
	req, err := who(ctx)
	if err != nil {
		return nil, err
	}
	akid := ptr.Value(in.AccessKeyId)
	u, err := s.d.GetAccessKeyLastUsed(ctx, req.Principal.Account, akid)
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) && ae.Code == domain.CodeNoSuchEntity {
			return nil, domain.AccessKeyLastUsedDenied(req.Principal.ARN, akid)
		}
		return nil, err
	}
	return &api.GetAccessKeyLastUsedOutput{
		UserName: optString(u.UserName),
		AccessKeyLastUsed: &api.AccessKeyLastUsed{
			LastUsedDate: optTimePtr(u.LastUsedDate),
			ServiceName:  ptr.Of(u.ServiceName),
			Region:       ptr.Of(u.Region),
		},
	}, nil
}
