// Package iam serves the AWS Identity and Access Management API. It is the thin layer between
// the generated wire shapes (internal/api/iam) and the IAM domain (internal/iam): each handler
// takes the caller's account from the context, turns the typed input into a domain call and the
// result into the typed output. The domain's *awserr.Error values pass through unchanged.
//
// Handlers never authorize, never write HTTP and never pick an error format (DESIGN.md §2).
// The one wire detail that lives here is that IAM returns policy documents URL-encoded
// (see encodeDocument).
package iam

import (
	"context"
	"errors"
	"time"

	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// Service implements the IAM operations Bulwark builds over the IAM domain layer. Operations
// it does not implement answer NotImplemented through the operation table.
type Service struct {
	d *domain.Service
}

// New returns the IAM service over the domain layer d.
func New(d *domain.Service) *Service { return &Service{d: d} }

// who returns the request of the call in ctx.
func who(ctx context.Context) (*caller.Request, error) {
	req := caller.FromContext(ctx)
	if req == nil || req.Principal.Account == "" {
		// A wiring bug: the pipeline always puts the authenticated caller in the context.
		return nil, errors.New("iam: no caller in context")
	}
	return req, nil
}

// account returns the account the call in ctx acts on: the caller's own.
func account(ctx context.Context) (string, error) {
	req, err := who(ctx)
	if err != nil {
		return "", err
	}
	return req.Principal.Account, nil
}

// pageIn maps the Marker/MaxItems pair of a List input to the domain's paging input. The
// domain reads MaxItems 0 as "not given"; an explicit 0 is out of AWS's range 1..1000, so it is
// passed on as -1, which the domain rejects with the same ValidationError.
func pageIn(marker *string, maxItems *int32) domain.PageInput {
	n := int(ptr.Value(maxItems))
	if maxItems != nil && n == 0 {
		n = -1
	}
	return domain.PageInput{Marker: ptr.Value(marker), MaxItems: n}
}

// pageOut maps a page's continuation to IsTruncated (always present, as AWS sends it) and
// Marker (only when truncated).
func pageOut(truncated bool, marker string) (*bool, *string) {
	if truncated {
		return ptr.Of(true), ptr.Of(marker)
	}
	return ptr.Of(false), nil
}

// optString returns nil for "" so that empty optional members are left out of the output.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optTime returns nil for the zero time.
func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// optTimePtr copies a domain time pointer.
func optTimePtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	v := *t
	return &v
}

// int32Of converts a domain count to the wire's int32.
func int32Of(n int) *int32 { return ptr.Of(int32(n)) }

// run serves an operation whose output is empty: it calls fn with the caller's account and
// returns an empty O, or fn's error unchanged.
func run[O any](ctx context.Context, fn func(acct string) error) (*O, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := fn(acct); err != nil {
		return nil, err
	}
	return new(O), nil
}
