package oidc

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary strings to the compact JWS parser: it must never panic, must
// accept only three-segment tokens with a supported algorithm, and whatever it accepts must
// survive signature checks against keys of every type.
func FuzzParse(f *testing.F) {
	enc := base64.RawURLEncoding.EncodeToString
	for _, seed := range []string{
		"", ".", "..", "a.b.c",
		enc([]byte(`{"alg":"RS256","kid":"k"}`)) + "." + enc([]byte(`{"iss":"https://x","exp":1}`)) + "." + enc([]byte("sig")),
		enc([]byte(`{"alg":"ES256"}`)) + "." + enc([]byte(`{}`)) + "." + enc(make([]byte, 64)),
		enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(`{}`)) + ".",
		enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{}`)) + "." + enc([]byte("x")),
		enc([]byte(`{"alg":"RS256","alg":"none"}`)) + "." + enc([]byte(`{}`)) + "." + enc([]byte("x")),
		enc([]byte(`{"alg":"PS256","crit":["b64"]}`)) + "." + enc([]byte(`[]`)) + "." + enc([]byte("x")),
	} {
		f.Add(seed)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := parse(raw, DefaultMaxTokenBytes)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("parse error %T is not *Error", err)
			}
			return
		}
		if strings.Count(raw, ".") != 2 {
			t.Fatalf("accepted %q without three segments", raw)
		}
		if _, ok := lookupAlg(tok.header.Alg); !ok {
			t.Fatalf("accepted unsupported alg %q", tok.header.Alg)
		}
		if tok.verify(&ec.PublicKey) {
			t.Fatalf("a fuzzed token verified against a fresh key: %q", raw)
		}
		_, _ = claimsOf(tok.payload)
	})
}

// FuzzParseJWKS feeds arbitrary key sets to the JWKS parser: no panics, and every key it keeps
// is a signing key of a supported type.
func FuzzParseJWKS(f *testing.F) {
	f.Add(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`)
	f.Add(`{"keys":[{"kty":"EC","crv":"P-256","x":"","y":""},{"kty":"oct","k":"c2VjcmV0"}]}`)
	f.Add(`{"keys":null}`)
	f.Fuzz(func(t *testing.T, raw string) {
		keys, err := parseJWKS([]byte(raw))
		if err != nil {
			return
		}
		for _, k := range keys {
			if k.kty != "RSA" && k.kty != "EC" || k.pub == nil {
				t.Fatalf("kept an unusable key %+v", k)
			}
		}
	})
}
