package iam

import (
	"context"
	"math"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateAccountAliasHandler          = (*Service)(nil)
	_ api.DeleteAccountAliasHandler          = (*Service)(nil)
	_ api.ListAccountAliasesHandler          = (*Service)(nil)
	_ api.UpdateAccountPasswordPolicyHandler = (*Service)(nil)
	_ api.GetAccountPasswordPolicyHandler    = (*Service)(nil)
	_ api.DeleteAccountPasswordPolicyHandler = (*Service)(nil)
	_ api.GetAccountSummaryHandler           = (*Service)(nil)
)

// CreateAccountAlias sets the account's alias.
func (s *Service) CreateAccountAlias(ctx context.Context, in *api.CreateAccountAliasInput) (*api.CreateAccountAliasOutput, error) {
	return run[api.CreateAccountAliasOutput](ctx, func(acct string) error {
		return s.d.CreateAccountAlias(ctx, acct, ptr.Value(in.AccountAlias))
	})
}

// DeleteAccountAlias deletes the account's alias.
func (s *Service) DeleteAccountAlias(ctx context.Context, in *api.DeleteAccountAliasInput) (*api.DeleteAccountAliasOutput, error) {
	return run[api.DeleteAccountAliasOutput](ctx, func(acct string) error {
		return s.d.DeleteAccountAlias(ctx, acct, ptr.Value(in.AccountAlias))
	})
}

// ListAccountAliases lists the account's alias (zero or one).
func (s *Service) ListAccountAliases(ctx context.Context, in *api.ListAccountAliasesInput) (*api.ListAccountAliasesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListAccountAliases(ctx, acct, pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListAccountAliasesOutput{AccountAliases: stringList(p.Items)}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// intOf converts an optional wire int32 to the domain's *int.
func intOf(p *int32) *int {
	if p == nil {
		return nil
	}
	return ptr.Of(int(*p))
}

// optInt32 converts an optional domain int to the wire's *int32.
func optInt32(p *int) *int32 {
	if p == nil {
		return nil
	}
	return int32Of(*p)
}

// UpdateAccountPasswordPolicy sets the account password policy; omitted members take their
// defaults, as in AWS.
func (s *Service) UpdateAccountPasswordPolicy(ctx context.Context, in *api.UpdateAccountPasswordPolicyInput) (*api.UpdateAccountPasswordPolicyOutput, error) {
	return run[api.UpdateAccountPasswordPolicyOutput](ctx, func(acct string) error {
		return s.d.UpdateAccountPasswordPolicy(ctx, acct, domain.UpdatePasswordPolicyInput{
			MinimumPasswordLength:      intOf(in.MinimumPasswordLength),
			RequireSymbols:             in.RequireSymbols,
			RequireNumbers:             in.RequireNumbers,
			RequireUppercaseCharacters: in.RequireUppercaseCharacters,
			RequireLowercaseCharacters: in.RequireLowercaseCharacters,
			AllowUsersToChangePassword: in.AllowUsersToChangePassword,
			MaxPasswordAge:             intOf(in.MaxPasswordAge),
			PasswordReusePrevention:    intOf(in.PasswordReusePrevention),
			HardExpiry:                 in.HardExpiry,
		})
	})
}

// GetAccountPasswordPolicy returns the account password policy.
func (s *Service) GetAccountPasswordPolicy(ctx context.Context, _ *api.GetAccountPasswordPolicyInput) (*api.GetAccountPasswordPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.GetAccountPasswordPolicy(ctx, acct)
	if err != nil {
		return nil, err
	}
	return &api.GetAccountPasswordPolicyOutput{PasswordPolicy: &api.PasswordPolicy{
		MinimumPasswordLength:      int32Of(p.MinimumPasswordLength),
		RequireSymbols:             ptr.Of(p.RequireSymbols),
		RequireNumbers:             ptr.Of(p.RequireNumbers),
		RequireUppercaseCharacters: ptr.Of(p.RequireUppercaseCharacters),
		RequireLowercaseCharacters: ptr.Of(p.RequireLowercaseCharacters),
		AllowUsersToChangePassword: ptr.Of(p.AllowUsersToChangePassword),
		ExpirePasswords:            ptr.Of(p.ExpirePasswords),
		MaxPasswordAge:             optInt32(p.MaxPasswordAge),
		PasswordReusePrevention:    optInt32(p.PasswordReusePrevention),
		HardExpiry:                 p.HardExpiry,
	}}, nil
}

// DeleteAccountPasswordPolicy removes the account password policy.
func (s *Service) DeleteAccountPasswordPolicy(ctx context.Context, _ *api.DeleteAccountPasswordPolicyInput) (*api.DeleteAccountPasswordPolicyOutput, error) {
	return run[api.DeleteAccountPasswordPolicyOutput](ctx, func(acct string) error {
		return s.d.DeleteAccountPasswordPolicy(ctx, acct)
	})
}

// GetAccountSummary returns the account's IAM entity usage and quotas.
func (s *Service) GetAccountSummary(ctx context.Context, _ *api.GetAccountSummaryInput) (*api.GetAccountSummaryOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.d.GetAccountSummary(ctx, acct)
	if err != nil {
		return nil, err
	}
	out := &api.GetAccountSummaryOutput{SummaryMap: make(map[string]int32, len(m))}
	for k, v := range m {
		out.SummaryMap[k] = int32(min(v, math.MaxInt32))
	}
	return out, nil
}
