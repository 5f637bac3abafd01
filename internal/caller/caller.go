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
