package oidc_test

import (
	"errors"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/oidc"
)

func TestIssuer(t *testing.T) {
	hdr := b64JSON(map[string]any{"alg": "RS256", "kid": "k1"})
	sig := b64([]byte("not checked"))
	tok := func(payload map[string]any) string { return hdr + "." + b64JSON(payload) + "." + sig }
	iss, err := oidc.Issuer(tok(map[string]any{"iss": "https://idp.example", "sub": "alice"}))
	if err != nil || iss != "https://idp.example" {
		t.Fatalf("Issuer = %q, %v", iss, err)
	}
	for _, tc := range []struct{ name, token string }{
		{"not a JWS", "not-a-jwt"},
		{"no iss", tok(map[string]any{"sub": "alice"})},
		{"empty iss", tok(map[string]any{"iss": ""})},
		{"iss not a string", tok(map[string]any{"iss": 7})},
		{"alg none", b64JSON(map[string]any{"alg": "none"}) + "." + b64JSON(map[string]any{"iss": "https://idp.example"}) + "." + sig},
		{"duplicate iss", hdr + "." + b64([]byte(`{"iss":"https://a.example","iss":"https://b.example"}`)) + "." + sig},
	} {
		if _, err := oidc.Issuer(tc.token); !errors.Is(err, oidc.ErrInvalidIdentityToken) {
			t.Errorf("%s: err = %v, want InvalidIdentityToken", tc.name, err)
		}
	}
}

func TestIssuerURL(t *testing.T) {
	for in, want := range map[string]string{
		"accounts.google.com":         "https://accounts.google.com",
		"https://idp.example/tenant":  "https://idp.example/tenant",
		"http://localhost:8080/realm": "http://localhost:8080/realm",
	} {
		if got := oidc.IssuerURL(in); got != want {
			t.Errorf("IssuerURL(%q) = %q, want %q", in, got, want)
		}
	}
}
