package sts

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/oidc"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// AssumeRoleWithWebIdentity is not signed: the web identity token in its input
// authenticates it (STS API Reference, AssumeRoleWithWebIdentity: "Calling
// AssumeRoleWithWebIdentity does not require the use of AWS security credentials"). The
// pipeline asks the Service (as server.Unauthenticated) to turn the token into the caller:
// Authenticate finds the IAM OIDC provider of the role's account whose URL is the token's
// issuer, verifies the token with internal/oidc, and returns a caller.WebIdentityUser
// carrying the provider's ARN and the token's condition keys. The authorizer then evaluates
// the role's trust policy with that caller as the Federated principal, and the handler
// below issues the role session.

// TokenVerifier verifies a web identity token for an IAM OIDC provider
// (internal/oidc.Verifier implements it).
type TokenVerifier interface {
	Verify(ctx context.Context, token string, provider oidc.Provider, now time.Time) (*oidc.Claims, error)
}

var _ TokenVerifier = (*oidc.Verifier)(nil)

// OIDCProviders finds an account's IAM OIDC provider for a token's issuer
// (internal/iam.Service implements it).
type OIDCProviders interface {
	OpenIDConnectProviderForIssuer(ctx context.Context, acct, issuer string) (iam.OpenIDConnectProvider, error)
}

var _ OIDCProviders = (*iam.Service)(nil)

// Option configures the Service.
type Option func(*Service)

// WithWebIdentity enables AssumeRoleWithWebIdentity: providers finds the IAM OIDC provider
// of a token and verifier checks the token against it. Without it the operation cannot be
// called unsigned, and a signed call is refused.
func WithWebIdentity(providers OIDCProviders, verifier TokenVerifier) Option {
	return func(s *Service) { s.providers, s.verifier = providers, verifier }
}

// Limits of AssumeRoleWithWebIdentity (API model sts-2011-06-15).
const (
	minWebIdentityToken = 4
	maxWebIdentityToken = 20000
	// claimSourceIdentity is the claim an IdP sets the source identity with (IAM User
	// Guide, "Monitor and control actions taken with assumed roles").
	claimSourceIdentity = "https://aws.amazon.com/source_identity"
)

// msgWebIdentityDenied is AWS's AccessDenied message for AssumeRoleWithWebIdentity; it
// names neither the caller nor the role.
const msgWebIdentityDenied = "Not authorized to perform sts:AssumeRoleWithWebIdentity"

// Unsigned implements server.Unauthenticated: the operations AWS serves without a
// signature, AssumeRoleWithWebIdentity (when web identity federation is enabled) and
// AssumeRoleWithSAML, which Bulwark does not build and which therefore answers
// NotImplemented to its unsigned callers too, rather than MissingAuthenticationToken.
func (s *Service) Unsigned(op *protocol.Operation) bool {
	if op.Service.SigningName != "sts" {
		return false
	}
	switch op.Name {
	case "AssumeRoleWithWebIdentity":
		return s.verifier != nil && s.providers != nil
	case "AssumeRoleWithSAML":
		return true
	}
	return false
}

// Authenticate implements server.Unauthenticated: it verifies the web identity token of an
// AssumeRoleWithWebIdentity input and returns the WebIdentityUser it authenticates, in the
// account of the role named by RoleArn. Model-constraint failures are ValidationError; a
// token whose issuer has no IAM OIDC provider in that account is InvalidIdentityToken, and
// the verifier's failures are its STS errors (InvalidIdentityToken, ExpiredTokenException,
// IDPCommunicationError, IDPRejectedClaim).
func (s *Service) Authenticate(ctx context.Context, req *caller.Request, op *protocol.Operation, input protocol.Input) (caller.Principal, error) {
	if op.Service.SigningName == "sts" && op.Name == "AssumeRoleWithSAML" {
		return caller.Principal{}, awserr.NotImplemented(op.Service.ID, op.Name)
	}
	in, ok := input.(*api.AssumeRoleWithWebIdentityInput)
	if !ok || !s.Unsigned(op) {
		return caller.Principal{}, errors.New("sts: unsigned call to an operation that needs a signature")
	}
	if err := checkWebIdentityInput(in); err != nil {
		return caller.Principal{}, err
	}
	parsed, typ, _, _, perr := arn.ParseIAM(ptr.Value(in.RoleArn))
	if perr != nil || typ != arn.TypeRole || parsed.AccountID == "" {
		return caller.Principal{}, awserr.Validation("%s", msgInvalidRoleARN)
	}
	token := ptr.Value(in.WebIdentityToken)
	iss, err := oidc.Issuer(token)
	if err != nil {
		// The provider is not known yet, so the parser's detail stays out of the answer.
		return caller.Principal{}, awserr.New(oidc.CodeInvalidIdentityToken, http.StatusBadRequest, "Couldn't parse the web identity token")
	}
	issURL := oidc.IssuerURL(iss)
	prov, err := s.providers.OpenIDConnectProviderForIssuer(ctx, parsed.AccountID, issURL)
	if err != nil {
		if isNoSuchEntity(err) {
			return caller.Principal{}, awserr.New(oidc.CodeInvalidIdentityToken, http.StatusBadRequest,
				"No OpenIDConnect provider found in your account for %s", issURL)
		}
		return caller.Principal{}, err
	}
	now := req.Time
	if now.IsZero() {
		now = s.now()
	}
	claims, err := s.verifier.Verify(ctx, token, oidc.Provider{URL: prov.URL, ClientIDs: prov.ClientIDs, Thumbprints: prov.Thumbprints}, now)
	if err != nil {
		var oe *oidc.Error
		if errors.As(err, &oe) {
			return caller.Principal{}, oe.AWS()
		}
		return caller.Principal{}, err
	}
	aud := claims.AuthorizedParty
	if aud == "" {
		for _, a := range claims.Audience {
			if slices.Contains(prov.ClientIDs, a) {
				aud = a
				break
			}
		}
	}
	w := &caller.WebIdentity{ProviderARN: prov.ARN, Issuer: claims.Issuer, Subject: claims.Subject, Audience: aud,
		ConditionKeys: claims.ConditionKeys(prov.URL)}
	if v, ok := claims.Raw[claimSourceIdentity]; ok {
		if w.SourceIdentity, ok = v.(string); !ok {
			return caller.Principal{}, awserr.New(oidc.CodeInvalidIdentityToken, http.StatusBadRequest,
				"The source identity claim of the web identity token is not a string")
		}
	}
	// CloudTrail's principalId of a WebIdentityUser federated by an IAM OIDC provider is
	// the provider's ARN, the audience and the subject; its userName is the subject.
	return caller.Principal{Kind: caller.WebIdentityUser, Account: parsed.AccountID,
		ID: prov.ARN + ":" + aud + ":" + claims.Subject, UserName: claims.Subject, WebIdentity: w}, nil
}

// checkWebIdentityInput applies the model's constraints to the input.
func checkWebIdentityInput(in *api.AssumeRoleWithWebIdentityInput) error {
	var c checks
	if in.RoleArn != nil {
		c.length("roleArn", *in.RoleArn, minARNLen, maxRoleARNLen)
	}
	c.name("roleSessionName", in.RoleSessionName, 2, maxSessionNameLen)
	if in.WebIdentityToken != nil {
		// The token is not echoed: it is a credential.
		if n := len(*in.WebIdentityToken); n < minWebIdentityToken || n > maxWebIdentityToken {
			c = append(c, "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000")
		}
	}
	if in.ProviderId != nil {
		c.length("providerId", *in.ProviderId, 4, 2048)
	}
	c.duration(in.DurationSeconds, maxRoleDuration)
	c.sessionPolicy(in.Policy, in.PolicyArns, nil)
	return c.err()
}

// AssumeRoleWithWebIdentity returns temporary credentials for a role to a user of an
// OpenID Connect identity provider (STS API Reference, AssumeRoleWithWebIdentity).
//
// By the time it runs, the pipeline has verified the token (Authenticate) and the
// authorizer has found that the role's trust policy allows the provider with the token's
// claims. The session is an assumed-role session like AssumeRole's: DurationSeconds runs
// from 900 to the role's MaxSessionDuration (default 3600), the session policies limit it,
// and the token's https://aws.amazon.com/source_identity claim, when present, becomes its
// source identity.
func (s *Service) AssumeRoleWithWebIdentity(ctx context.Context, in *api.AssumeRoleWithWebIdentityInput) (*api.AssumeRoleWithWebIdentityOutput, error) {
	req, err := who(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Principal
	w := p.WebIdentity
	if p.Kind != caller.WebIdentityUser || w == nil {
		// A signed call: the token, not a signature, must authenticate this operation.
		return nil, awserr.AccessDenied("%s", msgWebIdentityDenied)
	}
	// Authenticate has checked the input against the model and took the caller's account
	// from RoleArn, so the role must be in that account.
	parsed, role, err := s.roleToAssume(ctx, ptr.Value(in.RoleArn), p.Account, in.DurationSeconds,
		func() error { return awserr.AccessDenied("%s", msgWebIdentityDenied) })
	if err != nil {
		return nil, err
	}
	d := duration(in.DurationSeconds, defaultRoleDuration)

	sourceIdentity, err := tokenSourceIdentity(w)
	if err != nil {
		return nil, err
	}
	policies, policyARNs, policyChars, err := sessionPolicies(in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	packed, err := packedSize(policyChars, 0)
	if err != nil {
		return nil, err
	}

	now := s.clock()
	sess := &caller.Session{Name: ptr.Value(in.RoleSessionName), Policies: policies, PolicyARNs: policyARNs,
		SourceIdentity: sourceIdentity, IssuedAt: now, Expires: now.Add(d)}
	creds, user, err := s.issueRoleSession(ctx, req.Region, parsed, role, sess)
	if err != nil {
		return nil, err
	}
	return &api.AssumeRoleWithWebIdentityOutput{Credentials: creds,
		SubjectFromWebIdentityToken: ptr.Of(w.Subject),
		AssumedRoleUser:             user,
		Provider:                    ptr.Of(w.Issuer),
		Audience:                    ptr.Of(w.Audience),
		PackedPolicySize:            packedPolicySize(packed, in.Policy != nil || len(in.PolicyArns) > 0),
		SourceIdentity:              nonEmpty(sourceIdentity)}, nil
}

// tokenSourceIdentity validates the source identity the token's
// https://aws.amazon.com/source_identity claim sets, "" without one.
func tokenSourceIdentity(w *caller.WebIdentity) (string, error) {
	si := w.SourceIdentity
	if si == "" {
		return "", nil
	}
	var c checks
	c.name("sourceIdentity", &si, 2, maxSourceIdentityLen)
	if err := c.err(); err != nil {
		return "", err
	}
	if err := checkSourceIdentityPrefix(si); err != nil {
		return "", err
	}
	return si, nil
}
