// Package oidc verifies OpenID Connect ID tokens (JWTs) for STS AssumeRoleWithWebIdentity.
//
// A Verifier parses a compact JWS strictly, finds the issuer's signing keys through OpenID
// Connect discovery ({issuer}/.well-known/openid-configuration -> jwks_uri), caches them per
// issuer with a TTL, refetches (rate-limited) when a token names a key it does not know, checks
// the signature, the issuer, the audience against the IAM provider's client IDs and the
// exp/nbf/iat times against the clock it is given, and returns the claims. Failures are
// *Error values carrying the STS error code AWS returns (InvalidIdentityToken,
// ExpiredTokenException, IDPCommunicationError, IDPRejectedClaim).
//
// Keys are fetched with the *http.Client the caller provides (its timeouts and TLS roots),
// wrapped so that redirects stay on https and link-local (cloud metadata) addresses, and
// optionally private ones, are not dialled. When the client verified the server's certificate
// chain, the fetch is trusted, as AWS trusts IdPs whose certificates chain to its library of
// root CAs; when it did not (a client configured to accept a private CA's certificates
// without verification), the presented chain must verify, for the host, against the
// presented certificates that match one of the provider's thumbprints.
//
// Every IDPCommunicationError carries the same message (MsgIDPCommunication); what went wrong
// is in its Err, for the logs, never for the unauthenticated caller.
package oidc

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Provider is what the verifier needs of an IAM OIDC identity provider.
type Provider struct {
	// URL is the provider's URL as registered, "https://host/path"; it is the issuer.
	URL string
	// ClientIDs are the audiences the provider accepts.
	ClientIDs []string
	// Thumbprints are hex SHA-1 fingerprints of CA certificates of the IdP's servers' chains
	// (the top intermediate, or the server certificate itself); they are consulted only when
	// the TLS chain was not verified (see the package comment).
	Thumbprints []string
}

// Claims are the verified claims of an ID token.
type Claims struct {
	Issuer  string
	Subject string
	// Audience is the aud claim (a string or a list of strings in the token).
	Audience []string
	// AuthorizedParty is the azp claim, "" when absent.
	AuthorizedParty string
	// AMR is the amr claim (authentication methods references), nil when absent.
	AMR       []string
	ExpiresAt time.Time
	// IssuedAt and NotBefore are zero when the token has no iat or nbf.
	IssuedAt  time.Time
	NotBefore time.Time
	// Raw is the whole payload; numbers are json.Number.
	Raw map[string]any
}

// ProviderKey is the prefix of a provider's condition keys: its URL without "https://", as in
// "token.actions.githubusercontent.com:sub".
func ProviderKey(providerURL string) string { return strings.TrimPrefix(providerURL, "https://") }

// ConditionKeys returns the IAM condition keys that AssumeRoleWithWebIdentity sets from the
// token, named after the provider ("<host/path>:aud", ":sub", ":amr", ":oaud"): aud is the
// azp claim when there is one and the aud claim otherwise, in which case oaud carries the aud
// claim ("Available keys for AWS web identity federation", IAM User Guide).
func (c *Claims) ConditionKeys(providerURL string) map[string][]string {
	p := ProviderKey(providerURL)
	out := map[string][]string{p + ":sub": {c.Subject}}
	if c.AuthorizedParty != "" {
		out[p+":aud"] = []string{c.AuthorizedParty}
		out[p+":oaud"] = slices.Clone(c.Audience)
	} else {
		out[p+":aud"] = slices.Clone(c.Audience)
	}
	if c.AMR != nil {
		out[p+":amr"] = slices.Clone(c.AMR)
	}
	return out
}

// Options configure a Verifier. Zero fields take the defaults named.
type Options struct {
	// Client fetches discovery documents and key sets. Required: it carries the timeouts,
	// proxy and TLS roots the operator chose.
	Client *http.Client
	// FetchTimeout bounds the discovery plus key set fetch (default 10s).
	FetchTimeout time.Duration
	// CacheTTL is how long an issuer's keys are used before they are fetched again
	// (default 1h).
	CacheTTL time.Duration
	// MinRefetchInterval is the least time between two fetches for one issuer when a token
	// names an unknown key or a fetch failed (default 1m).
	MinRefetchInterval time.Duration
	// MaxResponseBytes caps a discovery document or key set (default 1 MiB).
	MaxResponseBytes int64
	// MaxTokenBytes caps a token (default DefaultMaxTokenBytes).
	MaxTokenBytes int
	// Leeway is the clock skew tolerated for exp, nbf and iat (default 1m).
	Leeway time.Duration
	// AllowHTTP accepts http:// issuers and key set URLs (and redirects to http). Only for
	// tests.
	AllowHTTP bool
	// RefusePrivateAddresses refuses to connect to loopback, private (RFC 1918, RFC 4193) and
	// shared (RFC 6598) addresses, on top of the link-local, unspecified and multicast ones
	// that are always refused. It is off by default: a self-hosted IAM commonly trusts an IdP
	// on its own network (a Keycloak or Dex next to it), and only administrators can register
	// a provider URL. Deployments whose IdPs are all public should turn it on. The check is
	// made on the address actually dialled (so DNS cannot rebind around it); through an HTTP
	// proxy it applies to the proxy's address, the proxy being in charge of the rest.
	RefusePrivateAddresses bool
}

// Verifier verifies ID tokens. It is safe for concurrent use; its only state is the key
// cache, which is rebuilt from the IdPs on demand (nothing needs sharing between nodes).
type Verifier struct {
	opts   Options
	client *http.Client // opts.Client wrapped by newFetchClient
	mu     sync.Mutex
	cache  map[string]*issuerCache
}

// NewVerifier returns a Verifier. It panics when opts.Client is nil (a wiring bug).
func NewVerifier(opts Options) *Verifier {
	if opts.Client == nil {
		panic("oidc: NewVerifier needs an http.Client")
	}
	if opts.FetchTimeout <= 0 {
		opts.FetchTimeout = 10 * time.Second
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = time.Hour
	}
	if opts.MinRefetchInterval <= 0 {
		opts.MinRefetchInterval = time.Minute
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = 1 << 20
	}
	if opts.MaxTokenBytes <= 0 {
		opts.MaxTokenBytes = DefaultMaxTokenBytes
	}
	if opts.Leeway <= 0 {
		opts.Leeway = time.Minute
	}
	v := &Verifier{opts: opts, cache: map[string]*issuerCache{}}
	v.client = newFetchClient(opts.Client, v)
	return v
}

// Verify checks token against provider at time now and returns its claims. Errors are
// *Error values; use errors.Is with ErrInvalidIdentityToken, ErrExpiredToken,
// ErrIDPCommunicationError or ErrIDPRejectedClaim, or (*Error).AWS for the wire error.
func (v *Verifier) Verify(ctx context.Context, token string, provider Provider, now time.Time) (*Claims, error) {
	t, err := parse(token, v.opts.MaxTokenBytes)
	if err != nil {
		return nil, err
	}
	if err := v.checkURL(provider.URL); err != nil {
		return nil, commError("the provider URL is not valid", err)
	}
	// The issuer is checked before any fetch, so that a token cannot make the verifier
	// contact a server other than the provider's.
	c, err := claimsOf(t.payload)
	if err != nil {
		return nil, err
	}
	if !sameIssuer(c.Issuer, provider.URL) {
		return nil, invalidToken("the token's issuer is not the provider's URL")
	}
	if err := v.checkSignature(ctx, t, provider, now); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(c.Audience, func(a string) bool { return slices.Contains(provider.ClientIDs, a) }) {
		return nil, invalidToken("Incorrect token audience")
	}
	if err := v.checkTimes(c, now); err != nil {
		return nil, err
	}
	return c, nil
}

// checkSignature finds the key that signed t and verifies with it, refetching the key set
// once when the token names a key the cached set lacks (key rotation).
func (v *Verifier) checkSignature(ctx context.Context, t *token, p Provider, now time.Time) error {
	set, err := v.keysFor(ctx, p.URL, now, false)
	if err != nil {
		return err
	}
	found := false
	for attempt := 0; attempt < 2; attempt++ {
		for _, s := range set.tls {
			if err := s.trusts(p.Thumbprints); err != nil {
				return commError("the identity provider's certificate is not trusted", err)
			}
		}
		candidates := set.candidates(t)
		if len(candidates) > 0 {
			found = true
			for _, k := range candidates {
				if t.verify(k.pub) {
					return nil
				}
			}
		}
		if found || attempt == 1 {
			break
		}
		refreshed, err := v.keysFor(ctx, p.URL, now, true)
		if err != nil {
			return err
		}
		if refreshed == set {
			break // rate-limited: nothing new to try
		}
		set = refreshed
	}
	if !found {
		return invalidToken("no key of the identity provider matches the token's key ID and algorithm")
	}
	return invalidToken("the token's signature is not valid")
}

// candidates returns the keys that may have signed t: those with its kid (when it names one)
// that suit its algorithm.
func (s *keySet) candidates(t *token) []key {
	var out []key
	for _, k := range s.keys {
		if t.header.Kid != "" && k.kid != t.header.Kid {
			continue
		}
		if k.suits(t.header.Alg, t.alg) {
			out = append(out, k)
		}
	}
	return out
}

// sameIssuer compares an iss claim with the provider URL; an iss without a scheme (as some
// IdPs issue, "accounts.google.com") names the https URL.
func sameIssuer(iss, providerURL string) bool {
	return iss != "" && IssuerURL(iss) == providerURL
}

// IssuerURL returns the URL an iss claim names: the claim itself, or, for a bare host
// without a scheme (as some IdPs issue, "accounts.google.com"), its https URL.
func IssuerURL(iss string) string {
	if !strings.Contains(iss, "://") {
		return "https://" + iss
	}
	return iss
}

// checkTimes applies exp, nbf and iat with the leeway.
func (v *Verifier) checkTimes(c *Claims, now time.Time) error {
	l := v.opts.Leeway
	if !now.Before(c.ExpiresAt.Add(l)) {
		return &Error{Code: CodeExpiredToken, Message: fmt.Sprintf("Token expired: current date/time %s must be before the expiration date/time %s",
			now.UTC().Format(time.RFC3339), c.ExpiresAt.UTC().Format(time.RFC3339))}
	}
	if !c.NotBefore.IsZero() && now.Add(l).Before(c.NotBefore) {
		return rejected("the token is not valid yet (nbf is in the future)")
	}
	if !c.IssuedAt.IsZero() && now.Add(l).Before(c.IssuedAt) {
		return rejected("the token was issued in the future (iat)")
	}
	return nil
}

// claimsOf reads the registered claims from a payload, checking their types.
func claimsOf(m map[string]any) (*Claims, error) {
	c := &Claims{Raw: m}
	var ok bool
	if c.Issuer, ok = m["iss"].(string); !ok {
		return nil, invalidToken("the token has no iss claim")
	}
	if v, present := m["sub"]; present {
		if c.Subject, ok = v.(string); !ok {
			return nil, invalidToken("the token's sub claim is not a string")
		}
	}
	if c.Subject == "" {
		return nil, rejected("the token has no sub claim")
	}
	switch aud := m["aud"].(type) {
	case string:
		c.Audience = []string{aud}
	case []any:
		for _, a := range aud {
			s, ok := a.(string)
			if !ok {
				return nil, invalidToken("the token's aud claim is not a list of strings")
			}
			c.Audience = append(c.Audience, s)
		}
	default:
		return nil, invalidToken("the token's aud claim is missing or not a string or a list of strings")
	}
	if v, present := m["azp"]; present {
		if c.AuthorizedParty, ok = v.(string); !ok {
			return nil, invalidToken("the token's azp claim is not a string")
		}
	}
	switch amr := m["amr"].(type) {
	case nil:
	case string:
		c.AMR = []string{amr}
	case []any:
		c.AMR = []string{}
		for _, a := range amr {
			s, ok := a.(string)
			if !ok {
				return nil, invalidToken("the token's amr claim is not a list of strings")
			}
			c.AMR = append(c.AMR, s)
		}
	default:
		return nil, invalidToken("the token's amr claim is not a list of strings")
	}
	var err error
	if c.ExpiresAt, err = numericDate(m, "exp", true); err != nil {
		return nil, err
	}
	if c.NotBefore, err = numericDate(m, "nbf", false); err != nil {
		return nil, err
	}
	if c.IssuedAt, err = numericDate(m, "iat", false); err != nil {
		return nil, err
	}
	return c, nil
}

// numericDate reads a NumericDate claim (seconds since the epoch, RFC 7519 §2).
func numericDate(m map[string]any, name string, required bool) (time.Time, error) {
	v, present := m[name]
	if !present {
		if required {
			return time.Time{}, invalidToken("the token has no " + name + " claim")
		}
		return time.Time{}, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, invalidToken("the token's " + name + " claim is not a number")
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e11 {
		return time.Time{}, invalidToken("the token's " + name + " claim is not a valid date")
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}
