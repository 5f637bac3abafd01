package oidc

import (
	"context"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// minRSABits is the smallest RSA modulus accepted for a signing key (RFC 7518 §3.3 requires
// 2048 bits or more).
const minRSABits = 2048

// jwk is one key of a JSON Web Key Set (RFC 7517), as served.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// key is a usable signing key.
type key struct {
	kid string
	alg string // "" when the JWK does not pin one
	kty string // "RSA" or "EC"
	crv string
	pub crypto.PublicKey
}

// suits reports whether k may verify a token with this algorithm.
func (k key) suits(alg string, spec algSpec) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	return k.kty == spec.kty && (spec.kty != "EC" || k.crv == spec.crv)
}

// parseJWKS decodes a key set, keeping the signing keys it can use and skipping the rest
// (encryption keys, unknown key types, weak RSA keys, invalid points).
func parseJWKS(b []byte) ([]key, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("decode key set: %w", err)
	}
	var out []key
	for _, raw := range set.Keys {
		var j jwk
		if json.Unmarshal(raw, &j) != nil {
			continue
		}
		if j.Use != "" && j.Use != "sig" {
			continue
		}
		k, err := j.key()
		if err != nil {
			continue
		}
		out = append(out, k)
	}
	return out, nil
}

func (j jwk) key() (key, error) {
	switch j.Kty {
	case "RSA":
		n, err1 := b64.DecodeString(j.N)
		e, err2 := b64.DecodeString(j.E)
		if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
			return key{}, errors.New("bad RSA key")
		}
		pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if pub.N.BitLen() < minRSABits || pub.E < 3 || pub.E%2 == 0 {
			return key{}, errors.New("weak RSA key")
		}
		return key{kid: j.Kid, alg: j.Alg, kty: "RSA", pub: pub}, nil
	case "EC":
		var curve elliptic.Curve
		var size int
		switch j.Crv {
		case "P-256":
			curve, size = elliptic.P256(), 32
		case "P-384":
			curve, size = elliptic.P384(), 48
		default:
			return key{}, errors.New("unsupported curve")
		}
		x, err1 := b64.DecodeString(j.X)
		y, err2 := b64.DecodeString(j.Y)
		if err1 != nil || err2 != nil || len(x) != size || len(y) != size {
			return key{}, errors.New("bad EC key")
		}
		// crypto/ecdh validates that the point is on the curve.
		uncompressed := append(append([]byte{4}, x...), y...)
		var err error
		if j.Crv == "P-256" {
			_, err = ecdh.P256().NewPublicKey(uncompressed)
		} else {
			_, err = ecdh.P384().NewPublicKey(uncompressed)
		}
		if err != nil {
			return key{}, errors.New("EC point not on curve")
		}
		pub := &ecdsa.PublicKey{Curve: curve, X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
		return key{kid: j.Kid, alg: j.Alg, kty: "EC", crv: j.Crv, pub: pub}, nil
	}
	return key{}, errors.New("unsupported key type")
}

// tlsSeen is what one fetch learned about the server's certificates.
type tlsSeen struct {
	verified bool                // the client verified the chain against its roots (or there was no TLS)
	host     string              // the host the answer came from (after redirects)
	certs    []*x509.Certificate // the chain the server presented, leaf first
	at       time.Time           // when (wall clock): the time the chain is verified at
}

// trusts returns nil when a fetch is acceptable for a provider: the client verified the
// chain, or else the presented chain verifies, for the host, against the presented
// certificates whose SHA-1 thumbprint is one of the provider's as roots.
//
// AWS's thumbprint is that of the top intermediate CA of the IdP's certificate chain (or of
// the server certificate itself): trusting it means trusting "any certificate issued by that
// CA with the same DNS name as the one registered" (IAM User Guide, "Obtain the thumbprint
// for an OpenID Connect identity provider"). A thumbprint merely appearing somewhere in the
// presented list is not enough: anyone can present the IdP's public CA certificate after a
// leaf of their own.
func (t tlsSeen) trusts(thumbprints []string) error {
	if t.verified {
		return nil
	}
	if len(t.certs) == 0 {
		return errors.New("the server presented no certificate")
	}
	roots, intermediates := x509.NewCertPool(), x509.NewCertPool()
	matched := false
	for i, c := range t.certs {
		sum := sha1.Sum(c.Raw)
		fp := hex.EncodeToString(sum[:])
		switch {
		case slices.ContainsFunc(thumbprints, func(tp string) bool { return strings.EqualFold(tp, fp) }):
			roots.AddCert(c)
			matched = true
		case i > 0:
			intermediates.AddCert(c)
		}
	}
	if !matched {
		return errors.New("no certificate the server presented matches a thumbprint of the provider")
	}
	_, err := t.certs[0].Verify(x509.VerifyOptions{
		DNSName:       t.host,
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   t.at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return fmt.Errorf("the server's certificate does not chain to a thumbprinted certificate for %q: %w", t.host, err)
	}
	return nil
}

// keySet is the cached keys of one issuer.
type keySet struct {
	keys      []key
	fetched   time.Time // when keys were fetched
	attempted time.Time // when a fetch was last attempted, successful or not
	tls       []tlsSeen // of the discovery and key set fetches
}

// issuerCache holds one issuer's key set; mu serialises its fetches so that concurrent
// verifications do not stampede the IdP.
type issuerCache struct {
	mu  sync.Mutex
	set *keySet
	// lastErr is the failure of the last fetch while there was no key set, at failedAt; it
	// is answered again, without a fetch, until the minimum refetch interval has passed.
	lastErr  error
	failedAt time.Time
}

// fetch discovers and downloads an issuer's keys.
func (v *Verifier) fetch(ctx context.Context, issuer string) (*keySet, error) {
	ctx, cancel := context.WithTimeout(ctx, v.opts.FetchTimeout)
	defer cancel()
	discoveryURL := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	body, seen1, err := v.get(ctx, discoveryURL)
	if err != nil {
		return nil, err
	}
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(body, &disc); err != nil {
		return nil, commError("the OpenID Connect discovery document is not valid JSON", err)
	}
	if strings.TrimSuffix(disc.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return nil, commError("the OpenID Connect discovery document names another issuer", nil)
	}
	if err := v.checkURL(disc.JWKSURI); err != nil {
		return nil, commError("the OpenID Connect discovery document's jwks_uri is not valid", err)
	}
	body, seen2, err := v.get(ctx, disc.JWKSURI)
	if err != nil {
		return nil, err
	}
	keys, err := parseJWKS(body)
	if err != nil {
		return nil, commError("the identity provider's key set is not valid", err)
	}
	return &keySet{keys: keys, tls: []tlsSeen{seen1, seen2}}, nil
}

// checkURL accepts https URLs, and http ones only when the verifier allows them (tests).
func (v *Verifier) checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Host == "" || u.User != nil {
		return errors.New("no host, or user information")
	}
	if u.Scheme == "https" || u.Scheme == "http" && v.opts.AllowHTTP {
		return nil
	}
	return fmt.Errorf("scheme %q is not allowed", u.Scheme)
}

// get fetches a URL with the verifier's client (the caller's, wrapped by newFetchClient),
// refusing answers that are not 200, that came without TLS (redirects to http are refused
// before they are followed; this is a second line), or that exceed the size limit.
func (v *Verifier) get(ctx context.Context, raw string) ([]byte, tlsSeen, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, tlsSeen{}, commError("could not build a request to the identity provider", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, tlsSeen{}, commError("could not reach the identity provider", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, tlsSeen{}, commError(fmt.Sprintf("%s answered HTTP %d", resp.Request.URL.Redacted(), resp.StatusCode), nil)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, v.opts.MaxResponseBytes+1))
	if err != nil {
		return nil, tlsSeen{}, commError("could not read the identity provider's answer", err)
	}
	if int64(len(body)) > v.opts.MaxResponseBytes {
		return nil, tlsSeen{}, commError("the identity provider's answer is too large", nil)
	}
	// A redirect may have left TLS behind; only tests may fetch in the clear.
	if resp.TLS == nil && !v.opts.AllowHTTP {
		return nil, tlsSeen{}, commError("the identity provider answered without TLS", nil)
	}
	seen := tlsSeen{verified: resp.TLS == nil, host: resp.Request.URL.Hostname(), at: time.Now()}
	if resp.TLS != nil {
		seen.verified = len(resp.TLS.VerifiedChains) > 0
		seen.certs = resp.TLS.PeerCertificates
	}
	return body, seen, nil
}

// keysFor returns the issuer's cached keys, fetching them when there are none or they are
// older than the TTL, or, when refresh is set (a token named a key the set lacks), when the
// last attempt is older than the minimum refetch interval.
func (v *Verifier) keysFor(ctx context.Context, issuer string, now time.Time, refresh bool) (*keySet, error) {
	v.mu.Lock()
	c := v.cache[issuer]
	if c == nil {
		c = &issuerCache{}
		v.cache[issuer] = c
	}
	v.mu.Unlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	set := c.set
	stale := set == nil || now.Sub(set.fetched) >= v.opts.CacheTTL || now.Before(set.fetched)
	if set != nil && !stale && !refresh {
		return set, nil
	}
	if set != nil && now.Sub(set.attempted) < v.opts.MinRefetchInterval && !now.Before(set.attempted) {
		// Rate-limited: serve what we have (even stale) rather than hammer the IdP.
		return set, nil
	}
	if set == nil && c.lastErr != nil && now.Sub(c.failedAt) < v.opts.MinRefetchInterval && !now.Before(c.failedAt) {
		return nil, c.lastErr
	}
	fresh, err := v.fetch(ctx, issuer)
	if err != nil {
		if set == nil {
			c.lastErr, c.failedAt = err, now
		} else {
			set.attempted = now
			if !stale {
				return set, nil
			}
		}
		return nil, err
	}
	fresh.fetched, fresh.attempted = now, now
	c.set, c.lastErr = fresh, nil
	return fresh, nil
}
