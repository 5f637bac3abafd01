package app

import "time"

// Option adjusts how Start builds the server.
type Option func(*options)

type options struct {
	now func() time.Time
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
