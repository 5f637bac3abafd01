package app

import (
	"net/http"
	"time"
)

// Option adjusts how Start builds the server.
type Option func(*options)

type options struct {
	now func() time.Time
	// oidcClient fetches OIDC discovery documents and key sets; nil means the default.
	oidcClient *http.Client
}

// WithClock makes the server read the time from now instead of time.Now: SigV4 signing
// times and session expiry, STS issue times, IAM timestamps and MFA codes all follow it.
// Tests use it to expire temporary credentials without waiting.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}

// WithOIDCClient makes the web identity token verifier (AssumeRoleWithWebIdentity) fetch
// identity providers' discovery documents and key sets with c instead of the default client
// (system roots, 10s timeout). Tests use it to trust an identity provider served by
// httptest.
func WithOIDCClient(c *http.Client) Option {
	return func(o *options) {
		if c != nil {
			o.oidcClient = c
		}
	}
}
