package sigv4

import (
	"encoding/hex"
	"strconv"
	"testing"
)

func TestKeyCacheIsBounded(t *testing.T) {
	var c keyCache
	c.init(8)
	first := c.get("secret", "20260314", "us-east-1", "iam")
	if again := c.get("secret", "20260314", "us-east-1", "iam"); again != first {
		t.Error("a second lookup derived the key again")
	}
	for i := range 100 {
		c.get("secret"+strconv.Itoa(i), "20260314", "us-east-1", "iam")
		if len(c.m) > 8 {
			t.Fatalf("cache holds %d keys", len(c.m))
		}
	}
	// Another secret for the same scope never shares a key.
	if a, b := c.get("s1", "20260314", "us-east-1", "iam"), c.get("s2", "20260314", "us-east-1", "iam"); a.ipad == b.ipad {
		t.Error("two secrets, one key")
	}
}

// The signing key of the AWS General Reference example ("Derive a signing key for Signature
// Version 4"): its HMAC pads must be the documented key XOR 0x36 / 0x5c.
func TestDeriveSigningKey(t *testing.T) {
	k := deriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")
	want, _ := hex.DecodeString("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
	for i, b := range want {
		if k.ipad[i]^0x36 != b || k.opad[i]^0x5c != b {
			t.Fatalf("signing key byte %d differs", i)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	for in, want := range map[string]string{
		"/":             "/",
		"//":            "/",
		"/a/./b/../c":   "/a/c",
		"/a//b/":        "/a/b/",
		"/../a":         "/a",
		"/a/b/c/..":     "/a/b",
		"/a/%2E%2E/b":   "/a/%2E%2E/b",
		"/./":           "/",
		"/a/b/../../..": "/",
	} {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCanonicalComponent(t *testing.T) {
	for in, want := range map[string]string{
		"abc-_.~":    "abc-_.~",
		"a%20b":      "a%20b",
		"a+b":        "a%20b",
		"a%2fb":      "a%2Fb",
		"%41":        "A",
		"a b":        "a%20b",
		"%E2%82%AC":  "%E2%82%AC",
		"!*'();:@&=": "%21%2A%27%28%29%3B%3A%40%26%3D",
	} {
		got, ok := canonicalComponent(in)
		if !ok || got != want {
			t.Errorf("canonicalComponent(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := canonicalComponent("%zz"); ok {
		t.Error("accepted an invalid escape")
	}
}
