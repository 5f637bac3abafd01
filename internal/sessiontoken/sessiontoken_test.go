package sessiontoken_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

const (
	acct   = "123456789012"
	akid   = "ASIAEXAMPLE234567ABC"
	secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, sessiontoken.KeySize) }

func sealer(t testing.TB, b byte) *sessiontoken.Sealer {
	t.Helper()
	s, err := sessiontoken.NewSealer(key(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func claims() sessiontoken.Claims {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return sessiontoken.Claims{Secret: secret, Principal: caller.Principal{
		Kind: caller.AssumedRole, Account: acct, ARN: "arn:aws:sts::" + acct + ":assumed-role/app/s1",
		ID: "AROAEXAMPLEEXAMPLE123:s1", AccessKeyID: akid,
		Session: &caller.Session{RoleARN: "arn:aws:iam::" + acct + ":role/svc/app", RoleID: "AROAEXAMPLEEXAMPLE123",
			Name: "s1", Policies: []string{`{"Version":"2012-10-17","Statement":[]}`},
			PolicyARNs: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
			Tags:       map[string]string{"Project": "x", "team": "y"}, TransitiveTagKeys: []string{"Project"},
			SourceIdentity: "alice", MFA: true, MFATime: at, IssuedAt: at, Expires: at.Add(time.Hour), Chained: true},
	}}
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := sealer(t, 1)
	c := claims()
	tok, err := s.Seal(akid, c)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok, secret) || strings.Contains(tok, "alice") {
		t.Fatal("the token shows its contents")
	}
	got, err := s.Open(akid, tok)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("Open = %+v %+v, want %+v %+v", got.Principal, got.Principal.Session, c.Principal, c.Principal.Session)
	}
	// Two seals of the same claims differ (random nonce).
	tok2, _ := s.Seal(akid, c)
	if tok2 == tok {
		t.Fatal("two tokens are identical")
	}
}

func TestOpenRejects(t *testing.T) {
	s := sealer(t, 1)
	tok, err := s.Seal(akid, claims())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(tok)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return base64.StdEncoding.EncodeToString(b)
	}
	cases := []struct {
		name, akid, token string
		s                 *sessiontoken.Sealer
	}{
		{"empty", akid, "", s},
		{"not base64", akid, "!!!", s},
		{"short", akid, base64.StdEncoding.EncodeToString(raw[:4]), s},
		{"other access key ID", "ASIAOTHER234567ABCDE", tok, s},
		{"version byte", akid, flip(0), s},
		{"key ID", akid, flip(2), s},
		{"nonce", akid, flip(6), s},
		{"ciphertext", akid, flip(len(raw) / 2), s},
		{"tag", akid, flip(len(raw) - 1), s},
		{"truncated", akid, base64.StdEncoding.EncodeToString(raw[:len(raw)-1]), s},
		{"other key", akid, tok, sealer(t, 2)},
		{"huge", akid, strings.Repeat("A", 70000), s},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.s.Open(tc.akid, tc.token); !errors.Is(err, sessiontoken.ErrInvalid) {
				t.Fatalf("Open error = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestSealNeedsSession(t *testing.T) {
	c := claims()
	c.Principal.Session = nil
	if _, err := sealer(t, 1).Seal(akid, c); err == nil {
		t.Fatal("Seal without a session succeeded")
	}
}

func TestClaimsHideSecret(t *testing.T) {
	c := claims()
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", c)} {
		if strings.Contains(s, secret) {
			t.Fatalf("formatted claims show the secret: %s", s)
		}
	}
}

func TestNewSealerKeySize(t *testing.T) {
	if _, err := sessiontoken.NewSealer(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}

func TestAccessKeyIDCarriesAccount(t *testing.T) {
	for _, a := range []string{"000000000000", "123456789012", "999999999999", "100000000000"} {
		seen := map[string]bool{}
		for range 50 {
			id, err := sessiontoken.NewAccessKeyID(a)
			if err != nil {
				t.Fatal(err)
			}
			if len(id) != ids.AccessKeyIDLength || !strings.HasPrefix(id, "ASIA") || !ids.IsAccessKeyID(id) {
				t.Fatalf("NewAccessKeyID(%s) = %q", a, id)
			}
			if got, ok := sessiontoken.AccountOf(id); !ok || got != a {
				t.Fatalf("AccountOf(%s) = %s, %v, want %s", id, got, ok, a)
			}
			seen[id] = true
		}
		if len(seen) < 50 {
			t.Fatalf("NewAccessKeyID(%s) repeated IDs: %d distinct of 50", a, len(seen))
		}
	}
	// AWS's documented example key decodes as AWS's own key IDs do.
	if got, ok := sessiontoken.AccountOf("ASIAY34FZKBOKMUTVV7A"); !ok || got != "609629065308" {
		t.Fatalf("AccountOf(ASIAY34FZKBOKMUTVV7A) = %s, %v", got, ok)
	}
	for _, bad := range []string{"", "ASIA", "ASIAabc", "XXXXY34FZKBOKMUTVV7A", "ASIA1111111111111111"} {
		if _, ok := sessiontoken.AccountOf(bad); ok {
			t.Errorf("AccountOf(%q) succeeded", bad)
		}
	}
	if _, err := sessiontoken.NewAccessKeyID("12345"); err == nil {
		t.Fatal("NewAccessKeyID accepted a bad account")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	ctx := context.Background()
	b := memory.New()
	k1, err := sessiontoken.LoadOrCreateKey(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := sessiontoken.LoadOrCreateKey(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != sessiontoken.KeySize || !bytes.Equal(k1, k2) {
		t.Fatalf("keys differ or have the wrong size: %d, %d", len(k1), len(k2))
	}
	// A token sealed by one node opens on another that shares the store.
	s1, _ := sessiontoken.LoadSealer(ctx, b)
	s2, _ := sessiontoken.LoadSealer(ctx, b)
	tok, err := s1.Seal(akid, claims())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Open(akid, tok); err != nil {
		t.Fatalf("the second node cannot open the first node's token: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	s := sealer(f, 1)
	tok, _ := s.Seal(akid, claims())
	f.Add(akid, tok)
	f.Add(akid, "")
	f.Add("", "AQAAAAE=")
	f.Fuzz(func(t *testing.T, id, token string) {
		c, err := s.Open(id, token)
		if err == nil && (c.Principal.Session == nil || c.Principal.AccessKeyID != id) {
			t.Fatalf("Open accepted %q with claims %+v", token, c.Principal)
		}
	})
}
