// Package sts serves the AWS Security Token Service API: GetCallerIdentity, the temporary
// credentials of AssumeRole, AssumeRoleWithWebIdentity, GetSessionToken and
// GetFederationToken, and GetAccessKeyInfo.
//
// Temporary credentials are an ASIA… access key ID, a random secret and a session token
// sealed by internal/sessiontoken: the token carries the secret, the principal and every
// caller.Session fact, so STS stores nothing per session and any node can verify a request
// signed with them (internal/app's credential store opens the token for the SigV4 verifier,
// which answers an expired one with ExpiredToken and one that does not open with
// InvalidClientTokenId).
//
// Like every handler, these never authorize: the authorizer decides sts:AssumeRole (with
// the role's trust policy as the resource policy, and ExternalId as sts:ExternalId) before
// the handler runs. The handlers enforce only what AWS rules out whatever the policies say:
// root cannot assume roles, session credentials cannot call GetSessionToken or
// GetFederationToken, role chaining is capped at one hour, a chained session keeps its
// source identity and transitive tags, and MFA codes are checked (once) with IAM.
package sts

import (
	"context"
	"errors"
	"fmt"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
)

// Identities is what STS needs from the IAM domain (internal/iam.Service implements it).
type Identities interface {
	GetRole(ctx context.Context, acct, roleName string) (iam.Role, error)
	GetMFADevice(ctx context.Context, acct, userName, serial string) (iam.MFADevice, error)
	VerifyMFA(ctx context.Context, acct, serial, code string, now time.Time) error
	RecordRoleUse(ctx context.Context, acct, roleName, region string, at time.Time) error
	LookupAccessKey(ctx context.Context, accessKeyID string) (iam.AccessKeyCredential, error)
}

var _ Identities = (*iam.Service)(nil)

// Service implements the STS operations Bulwark builds.
type Service struct {
	iam    Identities
	tokens *sessiontoken.Sealer
	now    func() time.Time
	// providers and verifier serve AssumeRoleWithWebIdentity (WithWebIdentity); nil
	// leaves it off.
	providers OIDCProviders
	verifier  TokenVerifier
}

// New returns the STS service. identities and tokens may be nil, in which case only
// GetCallerIdentity works (the others answer InternalFailure); now nil means time.Now.
func New(identities Identities, tokens *sessiontoken.Sealer, now func() time.Time, opts ...Option) *Service {
	if now == nil {
		now = time.Now
	}
	s := &Service{iam: identities, tokens: tokens, now: now}
	for _, o := range opts {
		o(s)
	}
	return s
}

var (
	_ api.GetCallerIdentityHandler  = (*Service)(nil)
	_ api.AssumeRoleHandler         = (*Service)(nil)
	_ api.GetSessionTokenHandler    = (*Service)(nil)
	_ api.GetFederationTokenHandler = (*Service)(nil)
	_ api.GetAccessKeyInfoHandler   = (*Service)(nil)

	_ api.AssumeRoleWithWebIdentityHandler = (*Service)(nil)
)

// who returns the request of the call in ctx.
func who(ctx context.Context) (*caller.Request, error) {
	req := caller.FromContext(ctx)
	if req == nil || req.Principal.Account == "" {
		return nil, errors.New("sts: no caller in context")
	}
	return req, nil
}

// GetCallerIdentity returns the account, ARN and unique ID of the caller: for an assumed
// role, arn:aws:sts::ACCT:assumed-role/NAME/SESSION and AROA…:SESSION; for a federated user,
// its federated-user ARN and ACCT:NAME. Like AWS, it needs no permission.
func (s *Service) GetCallerIdentity(ctx context.Context, _ *api.GetCallerIdentityInput) (*api.GetCallerIdentityOutput, error) {
	req, err := who(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Principal
	return &api.GetCallerIdentityOutput{UserId: ptr.Of(p.ID), Account: ptr.Of(p.Account), Arn: ptr.Of(p.ARN)}, nil
}

// issue mints temporary credentials for the principal (its Session filled in by the caller,
// IssuedAt and Expires included).
func (s *Service) issue(p caller.Principal) (*api.Credentials, error) {
	if s.tokens == nil {
		return nil, errors.New("sts: no session token sealer")
	}
	akid, err := sessiontoken.NewAccessKeyID(p.Account)
	if err != nil {
		return nil, err
	}
	secret := ids.SecretAccessKey()
	p.AccessKeyID = akid
	token, err := s.tokens.Seal(akid, sessiontoken.Claims{Secret: secret, Principal: p})
	if err != nil {
		return nil, err
	}
	exp := p.Session.Expires
	return &api.Credentials{AccessKeyId: ptr.Of(akid), SecretAccessKey: ptr.Of(secret), SessionToken: ptr.Of(token),
		Expiration: &exp}, nil
}

// clock returns the issue time, truncated to the second as STS reports times.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Second) }

// duration returns the session length: the requested seconds or def.
func duration(d *int32, def int) time.Duration {
	if d == nil {
		return time.Duration(def) * time.Second
	}
	return time.Duration(*d) * time.Second
}

// Messages AWS sends, word for word (quoted in public reports: "Roles may not be assumed by
// root accounts." in aws/copilot-cli#1690 and kubeflow/testing#961; "Cannot call
// GetSessionToken with session credentials" in aws/aws-sdk-net#1704 and aws/aws-sdk-php#1876;
// "Cannot call GetFederationToken with session credentials" in hashicorp/vault#4108; the MFA
// failures as the aws CLI prints them).
const (
	msgRootAssumeRole      = "Roles may not be assumed by root accounts."
	msgSessionGetSession   = "Cannot call GetSessionToken with session credentials"
	msgSessionFederation   = "Cannot call GetFederationToken with session credentials"
	msgMFAInvalidCode      = "MultiFactorAuthentication failed with invalid MFA one time pass code."
	msgMFAUnknownSerial    = "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user."
	msgExceedsMaxSession   = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	msgExceedsChainedLimit = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	msgInvalidRoleARN      = "Request ARN is invalid"
)

// notAuthorized is AWS's AccessDenied wording for an action on a resource.
func notAuthorized(p caller.Principal, action, resource string) *awserr.Error {
	return awserr.AccessDenied("User: %s is not authorized to perform: %s on resource: %s", p.ARN, action, resource)
}

// checkMFA verifies SerialNumber and TokenCode for the caller p (an IAM user, the root user,
// or a session of one), which must own the device. The code is accepted once.
func (s *Service) checkMFA(ctx context.Context, p caller.Principal, serial, code *string) error {
	if serial == nil && code == nil {
		return nil
	}
	if serial == nil || code == nil {
		return awserr.AccessDenied("%s", msgMFAUnknownSerial)
	}
	userName := p.UserName
	switch p.Kind {
	case caller.IAMUser:
	case caller.Root:
		userName = ""
	default:
		// Roles and federated users have no MFA devices.
		return awserr.AccessDenied("%s", msgMFAUnknownSerial)
	}
	if _, err := s.iam.GetMFADevice(ctx, p.Account, userName, *serial); err != nil {
		return mfaError(err)
	}
	if err := s.iam.VerifyMFA(ctx, p.Account, *serial, *code, s.now()); err != nil {
		return mfaError(err)
	}
	return nil
}

func mfaError(err error) error {
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Status >= 500 {
		return err
	}
	if ae.Code == iam.CodeInvalidAuthenticationCode {
		return awserr.AccessDenied("%s", msgMFAInvalidCode)
	}
	return awserr.AccessDenied("%s", msgMFAUnknownSerial)
}

func stsARN(partition, account, resource string) string {
	return fmt.Sprintf("arn:%s:sts::%s:%s", partition, account, resource)
}

// isNoSuchEntity reports whether err is IAM's NoSuchEntity error.
func isNoSuchEntity(err error) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == iam.CodeNoSuchEntity
}
