package oidc_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/oidc"
)

var (
	rsaKeys = sync.OnceValue(func() []*rsa.PrivateKey {
		var out []*rsa.PrivateKey
		for range 2 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			out = append(out, k)
		}
		return out
	})
	ecKeys = sync.OnceValue(func() map[string]*ecdsa.PrivateKey {
		p256, err1 := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		p384, err2 := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
		if err1 != nil || err2 != nil {
			panic("ecdsa key generation failed")
		}
		return map[string]*ecdsa.PrivateKey{"P-256": p256, "P-384": p384}
	})
)

// epoch is the verification time of every test.
var epoch = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

const clientID = "sts.amazonaws.com"

// signer is a test key with its kid.
type signer struct {
	kid string
	alg string
	key crypto.Signer
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func b64JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b64(b)
}

// sign makes a compact JWS of claims with the signer's algorithm.
func (s signer) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	return s.signHeader(t, map[string]any{"alg": s.alg, "kid": s.kid, "typ": "JWT"}, claims)
}

func (s signer) signHeader(t *testing.T, hdr map[string]any, claims map[string]any) string {
	t.Helper()
	input := b64JSON(hdr) + "." + b64JSON(claims)
	var h crypto.Hash
	switch s.alg[2:] {
	case "256":
		h = crypto.SHA256
	case "384":
		h = crypto.SHA384
	default:
		h = crypto.SHA512
	}
	d := h.New()
	d.Write([]byte(input))
	digest := d.Sum(nil)
	var sig []byte
	var err error
	switch k := s.key.(type) {
	case *rsa.PrivateKey:
		if strings.HasPrefix(s.alg, "PS") {
			sig, err = rsa.SignPSS(rand.Reader, k, h, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(rand.Reader, k, h, digest)
		}
	case *ecdsa.PrivateKey:
		var r, ss *big.Int
		r, ss, err = ecdsa.Sign(rand.Reader, k, digest)
		size := (k.Curve.Params().BitSize + 7) / 8
		sig = append(r.FillBytes(make([]byte, size)), ss.FillBytes(make([]byte, size))...)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + b64(sig)
}

// jwk renders the signer's public key as a JWK.
func (s signer) jwk() map[string]any {
	switch k := s.key.Public().(type) {
	case *rsa.PublicKey:
		return map[string]any{"kty": "RSA", "kid": s.kid, "use": "sig", "alg": s.alg, "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		return map[string]any{"kty": "EC", "kid": s.kid, "crv": k.Curve.Params().Name,
			"x": b64(k.X.FillBytes(make([]byte, size))), "y": b64(k.Y.FillBytes(make([]byte, size)))}
	}
	panic("unknown key")
}

// issuer is an OIDC IdP served by httptest: a discovery document and a key set that tests
// can rotate, counting key set fetches.
type issuer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	keys    []map[string]any
	fetches atomic.Int32
	// status, when not 0, is answered instead of the key set; bigJWKS pads it past 1 MiB.
	status  int
	bigJWKS bool
	// discIssuer overrides the discovery document's issuer; redirectTo, when set, makes
	// jwks_uri a redirect to it.
	discIssuer string
	redirectTo string
}

func newIssuer(t *testing.T, useTLS bool, signers ...signer) *issuer {
	t.Helper()
	return newIssuerTLS(t, useTLS, nil, signers...)
}

// newIssuerTLS is newIssuer with the server's TLS configuration (its certificate chain);
// nil takes httptest's.
func newIssuerTLS(t *testing.T, useTLS bool, cfg *tls.Config, signers ...signer) *issuer {
	t.Helper()
	is := &issuer{}
	for _, s := range signers {
		is.keys = append(is.keys, s.jwk())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/tenant/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		iss := is.discIssuer
		is.mu.Unlock()
		if iss == "" {
			iss = is.url()
		}
		jwks := is.srv.URL + "/keys"
		if is.redirectTo != "" {
			jwks = is.srv.URL + "/redirect"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "jwks_uri": jwks})
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, is.redirectTo, http.StatusFound)
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		is.fetches.Add(1)
		is.mu.Lock()
		defer is.mu.Unlock()
		if is.status != 0 {
			w.WriteHeader(is.status)
			return
		}
		set := map[string]any{"keys": is.keys}
		if is.bigJWKS {
			set["padding"] = strings.Repeat("x", 1<<20)
		}
		_ = json.NewEncoder(w).Encode(set)
	})
	is.srv = httptest.NewUnstartedServer(mux)
	is.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the tests make fail
	is.srv.TLS = cfg
	if useTLS {
		is.srv.StartTLS()
	} else {
		is.srv.Start()
	}
	t.Cleanup(is.srv.Close)
	return is
}

func (is *issuer) url() string { return is.srv.URL + "/tenant" }

func (is *issuer) rotate(signers ...signer) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = nil
	for _, s := range signers {
		is.keys = append(is.keys, s.jwk())
	}
}

func (is *issuer) provider() oidc.Provider {
	return oidc.Provider{URL: is.url(), ClientIDs: []string{"other", clientID}}
}

func (is *issuer) claims() map[string]any {
	return map[string]any{
		"iss": is.url(), "sub": "repo:org/app:ref:refs/heads/main", "aud": clientID,
		"exp": epoch.Add(time.Hour).Unix(), "iat": epoch.Add(-time.Minute).Unix(), "nbf": epoch.Add(-time.Minute).Unix(),
		"amr": []string{"pwd", "mfa"}, "custom": "x",
	}
}

func newVerifier(is *issuer, opts oidc.Options) *oidc.Verifier {
	if opts.Client == nil {
		opts.Client = is.srv.Client()
	}
	return oidc.NewVerifier(opts)
}

func rsaSigner(i int, kid, alg string) signer { return signer{kid: kid, alg: alg, key: rsaKeys()[i]} }

func TestVerifyAlgorithms(t *testing.T) {
	signers := []signer{
		rsaSigner(0, "rs256", "RS256"), rsaSigner(0, "rs384", "RS384"), rsaSigner(0, "rs512", "RS512"),
		rsaSigner(1, "ps256", "PS256"), rsaSigner(1, "ps512", "PS512"),
		{kid: "es256", alg: "ES256", key: ecKeys()["P-256"]}, {kid: "es384", alg: "ES384", key: ecKeys()["P-384"]},
	}
	is := newIssuer(t, true, signers...)
	v := newVerifier(is, oidc.Options{})
	for _, s := range signers {
		t.Run(s.alg, func(t *testing.T) {
			c, err := v.Verify(context.Background(), s.sign(t, is.claims()), is.provider(), epoch)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if c.Subject != "repo:org/app:ref:refs/heads/main" || c.Issuer != is.url() || len(c.Audience) != 1 ||
				!c.ExpiresAt.Equal(epoch.Add(time.Hour)) || len(c.AMR) != 2 || c.Raw["custom"] != "x" {
				t.Fatalf("claims = %+v", c)
			}
		})
	}
	if n := is.fetches.Load(); n != 1 {
		t.Fatalf("key set fetched %d times, want 1 (cached)", n)
	}
}

func TestConditionKeys(t *testing.T) {
	c := &oidc.Claims{Subject: "s", Audience: []string{"a1", "a2"}, AMR: []string{"mfa"}}
	keys := c.ConditionKeys("https://idp.example.com/t")
	if keys["idp.example.com/t:sub"][0] != "s" || len(keys["idp.example.com/t:aud"]) != 2 || keys["idp.example.com/t:amr"][0] != "mfa" {
		t.Fatalf("keys = %v", keys)
	}
	c.AuthorizedParty = "client"
	keys = c.ConditionKeys("https://accounts.google.com")
	if keys["accounts.google.com:aud"][0] != "client" || len(keys["accounts.google.com:oaud"]) != 2 {
		t.Fatalf("keys with azp = %v", keys)
	}
}

func TestVerifyRejections(t *testing.T) {
	good := rsaSigner(0, "k1", "RS256")
	other := rsaSigner(1, "k1", "RS256") // same kid, another key: a forgery
	es := signer{kid: "e1", alg: "ES256", key: ecKeys()["P-256"]}
	is := newIssuer(t, true, good, es)
	v := newVerifier(is, oidc.Options{})
	with := func(mod func(m map[string]any)) map[string]any {
		m := is.claims()
		mod(m)
		return m
	}
	valid := good.sign(t, is.claims())
	parts := strings.Split(valid, ".")
	hdr := func(h map[string]any) string { return b64JSON(h) + "." + parts[1] + "." + parts[2] }
	hs256 := func() string {
		pub := good.jwk()["n"].(string)
		input := b64JSON(map[string]any{"alg": "HS256", "kid": "k1"}) + "." + parts[1]
		m := hmac.New(sha256.New, []byte(pub))
		m.Write([]byte(input))
		return input + "." + b64(m.Sum(nil))
	}
	derES := func() string {
		input := b64JSON(map[string]any{"alg": "ES256", "kid": "e1"}) + "." + parts[1]
		d := sha256.Sum256([]byte(input))
		sig, err := ecdsa.SignASN1(rand.Reader, ecKeys()["P-256"], d[:])
		if err != nil {
			t.Fatal(err)
		}
		return input + "." + b64(sig)
	}
	flipped := func() string {
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		sig[10] ^= 1
		return parts[0] + "." + parts[1] + "." + b64(sig)
	}
	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"bad signature", flipped(), oidc.ErrInvalidIdentityToken},
		{"signed by another key", other.sign(t, is.claims()), oidc.ErrInvalidIdentityToken},
		{"payload swapped", parts[0] + "." + b64JSON(with(func(m map[string]any) { m["sub"] = "admin" })) + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"wrong aud", good.sign(t, with(func(m map[string]any) { m["aud"] = "someone-else" })), oidc.ErrInvalidIdentityToken},
		{"aud list without ours", good.sign(t, with(func(m map[string]any) { m["aud"] = []string{"x", "y"} })), oidc.ErrInvalidIdentityToken},
		{"aud not a string", good.sign(t, with(func(m map[string]any) { m["aud"] = 7 })), oidc.ErrInvalidIdentityToken},
		{"wrong iss", good.sign(t, with(func(m map[string]any) { m["iss"] = "https://evil.example.com" })), oidc.ErrInvalidIdentityToken},
		{"no iss", good.sign(t, with(func(m map[string]any) { delete(m, "iss") })), oidc.ErrInvalidIdentityToken},
		{"expired", good.sign(t, with(func(m map[string]any) { m["exp"] = epoch.Add(-2 * time.Minute).Unix() })), oidc.ErrExpiredToken},
		{"no exp", good.sign(t, with(func(m map[string]any) { delete(m, "exp") })), oidc.ErrInvalidIdentityToken},
		{"exp a string", good.sign(t, with(func(m map[string]any) { m["exp"] = "tomorrow" })), oidc.ErrInvalidIdentityToken},
		{"not yet valid", good.sign(t, with(func(m map[string]any) { m["nbf"] = epoch.Add(10 * time.Minute).Unix() })), oidc.ErrIDPRejectedClaim},
		{"issued in the future", good.sign(t, with(func(m map[string]any) { m["iat"] = epoch.Add(10 * time.Minute).Unix() })), oidc.ErrIDPRejectedClaim},
		{"no sub", good.sign(t, with(func(m map[string]any) { delete(m, "sub") })), oidc.ErrIDPRejectedClaim},
		{"alg none", hdr(map[string]any{"alg": "none"}), oidc.ErrInvalidIdentityToken},
		{"alg none unsigned", parts[0][:0] + b64JSON(map[string]any{"alg": "none"}) + "." + parts[1] + ".", oidc.ErrInvalidIdentityToken},
		{"alg HS256", hs256(), oidc.ErrInvalidIdentityToken},
		{"alg unknown", hdr(map[string]any{"alg": "RS1", "kid": "k1"}), oidc.ErrInvalidIdentityToken},
		{"alg missing", hdr(map[string]any{"kid": "k1"}), oidc.ErrInvalidIdentityToken},
		{"alg not a string", hdr(map[string]any{"alg": 256, "kid": "k1"}), oidc.ErrInvalidIdentityToken},
		{"alg mismatches key", hdr(map[string]any{"alg": "RS384", "kid": "k1"}), oidc.ErrInvalidIdentityToken},
		{"RSA token against EC key", hdr(map[string]any{"alg": "RS256", "kid": "e1"}), oidc.ErrInvalidIdentityToken},
		{"crit header", hdr(map[string]any{"alg": "RS256", "kid": "k1", "crit": []string{"exp"}}), oidc.ErrInvalidIdentityToken},
		{"ES256 DER signature", derES(), oidc.ErrInvalidIdentityToken},
		{"two segments", parts[0] + "." + parts[1], oidc.ErrInvalidIdentityToken},
		{"four segments", valid + ".x", oidc.ErrInvalidIdentityToken},
		{"empty", "", oidc.ErrInvalidIdentityToken},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"std base64 chars", parts[0] + "." + parts[1] + "." + strings.NewReplacer("-", "+", "_", "/").Replace(parts[2]) + "+/", oidc.ErrInvalidIdentityToken},
		{"header not JSON", b64([]byte("{alg")) + "." + parts[1] + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"header an array", b64([]byte(`["RS256"]`)) + "." + parts[1] + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"header duplicate alg", b64([]byte(`{"alg":"none","alg":"RS256","kid":"k1"}`)) + "." + parts[1] + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"payload not an object", parts[0] + "." + b64([]byte(`"x"`)) + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"payload trailing data", parts[0] + "." + b64([]byte(`{"sub":"a"} {}`)) + "." + parts[2], oidc.ErrInvalidIdentityToken},
		{"too long", valid + strings.Repeat("A", oidc.DefaultMaxTokenBytes), oidc.ErrInvalidIdentityToken},
		{"unknown kid", rsaSigner(1, "k9", "RS256").sign(t, is.claims()), oidc.ErrInvalidIdentityToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tc.token, is.provider(), epoch)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			t.Log(err)
			var e *oidc.Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("error %v is not a *oidc.Error with a message", err)
			}
		})
	}
	// Within the leeway, a just-expired token still passes.
	if _, err := v.Verify(context.Background(), good.sign(t, with(func(m map[string]any) { m["exp"] = epoch.Add(-30 * time.Second).Unix() })), is.provider(), epoch); err != nil {
		t.Fatalf("token expired 30s ago, within the leeway: %v", err)
	}
	// A provider without client IDs accepts no token.
	p := is.provider()
	p.ClientIDs = nil
	if _, err := v.Verify(context.Background(), valid, p, epoch); !errors.Is(err, oidc.ErrInvalidIdentityToken) {
		t.Fatalf("no client IDs: %v", err)
	}
}

func TestKeyRotation(t *testing.T) {
	old, rotated := rsaSigner(0, "old", "RS256"), rsaSigner(1, "new", "RS256")
	is := newIssuer(t, true, old)
	v := newVerifier(is, oidc.Options{MinRefetchInterval: time.Minute, CacheTTL: time.Hour})
	ctx := context.Background()
	if _, err := v.Verify(ctx, old.sign(t, is.claims()), is.provider(), epoch); err != nil {
		t.Fatal(err)
	}
	// The IdP rotates; a token with the new kid makes the verifier refetch, once the minimum
	// interval since the last fetch has passed.
	is.rotate(rotated)
	if _, err := v.Verify(ctx, rotated.sign(t, is.claims()), is.provider(), epoch.Add(10*time.Second)); !errors.Is(err, oidc.ErrInvalidIdentityToken) {
		t.Fatalf("unknown kid within the refetch interval: %v", err)
	}
	if n := is.fetches.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1 (refetch rate-limited)", n)
	}
	now := epoch.Add(2 * time.Minute)
	if _, err := v.Verify(ctx, rotated.sign(t, is.claims()), is.provider(), now); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if n := is.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
	// The old key is gone from the new set.
	if _, err := v.Verify(ctx, old.sign(t, is.claims()), is.provider(), now); !errors.Is(err, oidc.ErrInvalidIdentityToken) {
		t.Fatalf("old key after rotation: %v", err)
	}
	// Unknown kids do not hammer the IdP.
	for i := range 5 {
		_, _ = v.Verify(ctx, rsaSigner(0, "bogus", "RS256").sign(t, is.claims()), is.provider(), now.Add(time.Duration(i)*time.Second))
	}
	if n := is.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d after unknown kids, want 2", n)
	}
	// After the TTL the set is fetched again.
	later := is.claims()
	later["exp"] = epoch.Add(5 * time.Hour).Unix()
	if _, err := v.Verify(ctx, rotated.sign(t, later), is.provider(), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := is.fetches.Load(); n != 3 {
		t.Fatalf("fetches = %d after the TTL, want 3", n)
	}
}

func TestIDPCommunication(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	ctx := context.Background()

	t.Run("server error", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.status = http.StatusInternalServerError
		v := newVerifier(is, oidc.Options{})
		_, err := v.Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
		// The failure is remembered for the refetch interval.
		is.status = 0
		if _, err := v.Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch.Add(time.Second)); !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("retry within the interval = %v", err)
		}
		if _, err := v.Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch.Add(2*time.Minute)); err != nil {
			t.Fatalf("retry after the interval = %v", err)
		}
	})
	t.Run("key set too large", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.bigJWKS = true
		_, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
	})
	t.Run("discovery names another issuer", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.discIssuer = "https://evil.example.com"
		_, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
	})
	t.Run("redirect to http", func(t *testing.T) {
		plain := newIssuer(t, false, s)
		is := newIssuer(t, true, s)
		is.redirectTo = plain.srv.URL + "/keys"
		_, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
		// The redirect is refused before it is followed: nothing is sent in the clear.
		if n := plain.fetches.Load(); n != 0 {
			t.Fatalf("the http target was fetched %d times", n)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		is := newIssuer(t, true, s)
		_, err := oidc.NewVerifier(oidc.Options{Client: &http.Client{Timeout: 5 * time.Second}}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
	})
	t.Run("http issuer refused", func(t *testing.T) {
		is := newIssuer(t, false, s)
		_, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("Verify = %v", err)
		}
		if is.fetches.Load() != 0 {
			t.Fatal("an http issuer was contacted")
		}
	})
	t.Run("http issuer allowed for tests", func(t *testing.T) {
		is := newIssuer(t, false, s)
		if _, err := newVerifier(is, oidc.Options{AllowHTTP: true}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch); err != nil {
			t.Fatalf("Verify = %v", err)
		}
	})
}

func TestThumbprints(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	is := newIssuer(t, true, s)
	// A client that does not verify chains (a private CA): the thumbprint decides.
	insecure := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	sum := sha1.Sum(is.srv.Certificate().Raw)
	tp := hex.EncodeToString(sum[:])
	ctx := context.Background()
	p := is.provider()
	if _, err := oidc.NewVerifier(oidc.Options{Client: insecure}).Verify(ctx, s.sign(t, is.claims()), p, epoch); !errors.Is(err, oidc.ErrIDPCommunicationError) {
		t.Fatalf("no thumbprints, unverified chain: %v", err)
	}
	p.Thumbprints = []string{strings.Repeat("0", 40)}
	if _, err := oidc.NewVerifier(oidc.Options{Client: insecure}).Verify(ctx, s.sign(t, is.claims()), p, epoch); !errors.Is(err, oidc.ErrIDPCommunicationError) {
		t.Fatalf("wrong thumbprint: %v", err)
	}
	p.Thumbprints = []string{strings.Repeat("0", 40), strings.ToUpper(tp)}
	if _, err := oidc.NewVerifier(oidc.Options{Client: insecure}).Verify(ctx, s.sign(t, is.claims()), p, epoch); err != nil {
		t.Fatalf("matching thumbprint: %v", err)
	}
}

func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		err    *oidc.Error
		status int
	}{
		{&oidc.Error{Code: oidc.CodeInvalidIdentityToken, Message: "m"}, 400},
		{&oidc.Error{Code: oidc.CodeExpiredToken, Message: "m"}, 400},
		{&oidc.Error{Code: oidc.CodeIDPCommunicationError, Message: "m", Err: errors.New("dial")}, 400},
		{&oidc.Error{Code: oidc.CodeIDPRejectedClaim, Message: "m"}, 403},
	} {
		ae := tc.err.AWS()
		if ae.Code != tc.err.Code || ae.Status != tc.status || ae.Message != "m" {
			t.Errorf("AWS() = %+v", ae)
		}
		if errors.Is(tc.err, oidc.ErrInvalidIdentityToken) != (tc.err.Code == oidc.CodeInvalidIdentityToken) {
			t.Errorf("errors.Is mismatch for %s", tc.err.Code)
		}
	}
}

func TestConcurrentVerify(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	is := newIssuer(t, true, s)
	v := newVerifier(is, oidc.Options{})
	tok := s.sign(t, is.claims())
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(context.Background(), tok, is.provider(), epoch); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := is.fetches.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1", n)
	}
}
