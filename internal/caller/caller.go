// Package caller carries who made a request, and where it was made, from the pipeline to the
// handlers through the context.
package caller

import (
	"context"
	"time"
)

// Kind is the kind of principal, as CloudTrail's userIdentity.type names it.
type Kind string

// The principal kinds.
const (
	Root          Kind = "Root"
	IAMUser       Kind = "IAMUser"
	AssumedRole   Kind = "AssumedRole"
	FederatedUser Kind = "FederatedUser"
	// WebIdentityUser is the caller of AssumeRoleWithWebIdentity: a user of an OpenID
	// Connect identity provider, authenticated by the provider's token instead of a
	// signature. It can call nothing else.
	WebIdentityUser Kind = "WebIdentityUser"
)

// Principal is an authenticated caller.
type Principal struct {
	Kind Kind
	// Account is the principal's 12-digit account ID. For a WebIdentityUser it is the
	// account of the role being assumed (and of the IAM OIDC provider that vouched for the
	// token), under which the call is audited.
	Account string
	// ARN is the principal's ARN (arn:aws:iam::123456789012:root for the root user).
	ARN string
	// ID is the unique ID (AIDA… for users, the account ID for root).
	ID string
	// UserName is the user's name; empty for root.
	UserName string
	// AccessKeyID is the key that signed the request.
	AccessKeyID string
	// Session describes the temporary credentials that signed the request; nil for
	// long-term access keys.
	Session *Session
	// WebIdentity is what the verified web identity token of a WebIdentityUser says; nil
	// for every other kind.
	WebIdentity *WebIdentity
}

// WebIdentity is a verified OpenID Connect ID token as authorization and STS need it.
type WebIdentity struct {
	// ProviderARN is the IAM OIDC provider that matched the token's issuer
	// (arn:aws:iam::ACCT:oidc-provider/host/path): the Federated principal of a trust policy.
	ProviderARN string
	// Issuer is the token's iss claim, Subject its sub claim, and Audience the client ID the
	// token was issued for (the azp claim, else the aud value the provider accepts).
	Issuer, Subject, Audience string
	// SourceIdentity is the token's https://aws.amazon.com/source_identity claim, "" without
	// one.
	SourceIdentity string
	// ConditionKeys are the keys the token sets for the trust policy: "<host/path>:sub",
	// ":aud", ":oaud" and ":amr" (IAM User Guide, "Available keys for OIDC federation").
	ConditionKeys map[string][]string
}

// Session is what temporary credentials from STS carry: the role or user behind them and
// the limits and facts of the session, as policy evaluation needs them.
type Session struct {
	// RoleARN and RoleID name the role of an assumed-role session
	// (arn:aws:iam::ACCT:role/path/name and AROA…); empty otherwise.
	RoleARN, RoleID string
	// Name is the role session name, or the federated user's name.
	Name string
	// UserARN and UserID name the IAM user behind a GetSessionToken or
	// GetFederationToken session (UserID is its AIDA… unique ID, so that a user deleted
	// and recreated with the same name is not the session's user).
	UserARN, UserID string
	// Policies are the inline session policy documents, and PolicyARNs the managed
	// policies passed as session policies.
	Policies   []string
	PolicyARNs []string
	// Tags are the session tags (keys as given) and TransitiveTagKeys those that pass on
	// to a chained role session.
	Tags              map[string]string
	TransitiveTagKeys []string
	// SourceIdentity is the source identity set when the role was first assumed.
	SourceIdentity string
	// MFA reports whether the session was created with a valid MFA code, and MFATime when.
	MFA     bool
	MFATime time.Time
	// IssuedAt and Expires bound the session.
	IssuedAt, Expires time.Time
	// Chained reports a role session created with another role session's credentials;
	// AWS caps its duration at one hour.
	Chained bool
}

// Request is what a handler may know about the request it serves.
type Request struct {
	Principal Principal
	// Region is the Region the request was signed for; global services see "us-east-1".
	Region string
	// RequestID is the request's ID, echoed in the response.
	RequestID string
	// Time is when the request arrived.
	Time time.Time
	// SourceIP is the caller's address.
	SourceIP string
	// UserAgent is the caller's User-Agent.
	UserAgent string
	// Secure reports whether the request arrived over TLS (aws:SecureTransport).
	Secure bool
}

type key struct{}

// NewContext returns ctx carrying r.
func NewContext(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, key{}, r)
}

// FromContext returns the request carried by ctx, or nil.
func FromContext(ctx context.Context) *Request {
	r, _ := ctx.Value(key{}).(*Request)
	return r
}
