package iam

import (
	"context"
	"strings"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateOpenIDConnectProviderHandler             = (*Service)(nil)
	_ api.GetOpenIDConnectProviderHandler                = (*Service)(nil)
	_ api.ListOpenIDConnectProvidersHandler              = (*Service)(nil)
	_ api.DeleteOpenIDConnectProviderHandler             = (*Service)(nil)
	_ api.UpdateOpenIDConnectProviderThumbprintHandler   = (*Service)(nil)
	_ api.AddClientIDToOpenIDConnectProviderHandler      = (*Service)(nil)
	_ api.RemoveClientIDFromOpenIDConnectProviderHandler = (*Service)(nil)
	_ api.TagOpenIDConnectProviderHandler                = (*Service)(nil)
	_ api.UntagOpenIDConnectProviderHandler              = (*Service)(nil)
	_ api.ListOpenIDConnectProviderTagsHandler           = (*Service)(nil)
)

// CreateOpenIDConnectProvider registers an OpenID Connect identity provider.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, in *api.CreateOpenIDConnectProviderInput) (*api.CreateOpenIDConnectProviderOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.CreateOpenIDConnectProvider(ctx, acct, domain.CreateOpenIDConnectProviderInput{
		URL: ptr.Value(in.Url), ClientIDs: in.ClientIDList, Thumbprints: in.ThumbprintList, Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &api.CreateOpenIDConnectProviderOutput{OpenIDConnectProviderArn: ptr.Of(p.ARN), Tags: tagsOut(p.Tags)}, nil
}

// GetOpenIDConnectProvider returns a provider. Its Url is given without the https:// scheme,
// as AWS returns it.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, in *api.GetOpenIDConnectProviderInput) (*api.GetOpenIDConnectProviderOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn))
	if err != nil {
		return nil, err
	}
	return &api.GetOpenIDConnectProviderOutput{
		Url:            ptr.Of(strings.TrimPrefix(p.URL, "https://")),
		ClientIDList:   p.ClientIDs,
		ThumbprintList: p.Thumbprints,
		CreateDate:     optTime(p.CreateDate),
		Tags:           tagsOut(p.Tags),
	}, nil
}

// ListOpenIDConnectProviders lists the ARNs of the account's providers.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context, _ *api.ListOpenIDConnectProvidersInput) (*api.ListOpenIDConnectProvidersOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	arns, err := s.d.ListOpenIDConnectProviders(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := &api.ListOpenIDConnectProvidersOutput{OpenIDConnectProviderList: make([]api.OpenIDConnectProvider, 0, len(arns))}
	for _, a := range arns {
		out.OpenIDConnectProviderList = append(out.OpenIDConnectProviderList, api.OpenIDConnectProvider{Arn: ptr.Of(a)})
	}
	return out, nil
}

// DeleteOpenIDConnectProvider deletes a provider; deleting one that does not exist succeeds.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, in *api.DeleteOpenIDConnectProviderInput) (*api.DeleteOpenIDConnectProviderOutput, error) {
	return run[api.DeleteOpenIDConnectProviderOutput](ctx, func(acct string) error {
		return s.d.DeleteOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn))
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces a provider's thumbprints.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, in *api.UpdateOpenIDConnectProviderThumbprintInput) (*api.UpdateOpenIDConnectProviderThumbprintOutput, error) {
	return run[api.UpdateOpenIDConnectProviderThumbprintOutput](ctx, func(acct string) error {
		return s.d.UpdateOpenIDConnectProviderThumbprint(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), in.ThumbprintList)
	})
}

// AddClientIDToOpenIDConnectProvider adds a client ID (audience) to a provider.
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, in *api.AddClientIDToOpenIDConnectProviderInput) (*api.AddClientIDToOpenIDConnectProviderOutput, error) {
	return run[api.AddClientIDToOpenIDConnectProviderOutput](ctx, func(acct string) error {
		return s.d.AddClientIDToOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), ptr.Value(in.ClientID))
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client ID from a provider.
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, in *api.RemoveClientIDFromOpenIDConnectProviderInput) (*api.RemoveClientIDFromOpenIDConnectProviderOutput, error) {
	return run[api.RemoveClientIDFromOpenIDConnectProviderOutput](ctx, func(acct string) error {
		return s.d.RemoveClientIDFromOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), ptr.Value(in.ClientID))
	})
}

// TagOpenIDConnectProvider adds tags to a provider.
func (s *Service) TagOpenIDConnectProvider(ctx context.Context, in *api.TagOpenIDConnectProviderInput) (*api.TagOpenIDConnectProviderOutput, error) {
	return run[api.TagOpenIDConnectProviderOutput](ctx, func(acct string) error {
		return s.d.TagOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), tagsIn(in.Tags))
	})
}

// UntagOpenIDConnectProvider removes tags from a provider.
func (s *Service) UntagOpenIDConnectProvider(ctx context.Context, in *api.UntagOpenIDConnectProviderInput) (*api.UntagOpenIDConnectProviderOutput, error) {
	return run[api.UntagOpenIDConnectProviderOutput](ctx, func(acct string) error {
		return s.d.UntagOpenIDConnectProvider(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), in.TagKeys)
	})
}

// ListOpenIDConnectProviderTags lists a provider's tags.
func (s *Service) ListOpenIDConnectProviderTags(ctx context.Context, in *api.ListOpenIDConnectProviderTagsInput) (*api.ListOpenIDConnectProviderTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListOpenIDConnectProviderTags(ctx, acct, ptr.Value(in.OpenIDConnectProviderArn), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListOpenIDConnectProviderTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}
