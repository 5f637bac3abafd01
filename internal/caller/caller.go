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
)

// Principal is an authenticated caller.
type Principal struct {
	Kind Kind
	// Account is the principal's 12-digit account ID.
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
}

// Session is what temporary credentials from STS carry: the role or user behind them and
// the limits and facts of the session, as policy evaluation needs them.
type Session struct {
	// RoleARN and RoleID name the role of an assumed-role session
	// (arn:aws:iam::ACCT:role/path/name and AROA…); empty otherwise.
	RoleARN, RoleID string
	// Name is the role session name, or the federated user's name.
	Name string
	// UserARN is the IAM user behind a GetSessionToken or GetFederationToken session.
	UserARN string
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
