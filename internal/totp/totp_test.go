package totp_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/totp"
)

// rfcSecret is the SHA1 seed of RFC 6238 Appendix B: the ASCII string "12345678901234567890".
var rfcSecret = []byte("12345678901234567890")

func TestGenerateRFC6238Vectors(t *testing.T) {
	// RFC 6238 Appendix B, SHA1 rows; the 8-digit TOTPs truncated to their last 6 digits
	// (the 6-digit code is the same binary value mod 10^6).
	tests := []struct {
		unix int64
		step int64
		want string
	}{
		{59, 0x1, "287082"},                 // 94287082
		{1111111109, 0x23523EC, "081804"},   // 07081804
		{1111111111, 0x23523ED, "050471"},   // 14050471
		{1234567890, 0x273EF07, "005924"},   // 89005924
		{2000000000, 0x3F940AA, "279037"},   // 69279037
		{20000000000, 0x27BC86AA, "353130"}, // 65353130
	}
	for _, tc := range tests {
		at := time.Unix(tc.unix, 0).UTC()
		if got := totp.Step(at); got != tc.step {
			t.Errorf("Step(%d) = %#x, want %#x", tc.unix, got, tc.step)
		}
		if got := totp.Generate(rfcSecret, at); got != tc.want {
			t.Errorf("Generate(%d) = %s, want %s", tc.unix, got, tc.want)
		}
		step, ok := totp.Verify(rfcSecret, tc.want, at, 0)
		if !ok || step != tc.step {
			t.Errorf("Verify(%d) = %d, %v; want %d, true", tc.unix, step, ok, tc.step)
		}
	}
}

func TestVerifyWindow(t *testing.T) {
	at := time.Unix(1234567890, 0)
	prev := totp.Generate(rfcSecret, at.Add(-totp.Period))
	next2 := totp.Generate(rfcSecret, at.Add(2*totp.Period))
	tests := []struct {
		name   string
		code   string
		window int
		ok     bool
		step   int64
	}{
		{"current", totp.Generate(rfcSecret, at), 0, true, totp.Step(at)},
		{"previous step outside window 0", prev, 0, false, 0},
		{"previous step inside window 1", prev, 1, true, totp.Step(at) - 1},
		{"two ahead outside window 1", next2, 1, false, 0},
		{"two ahead inside window 2", next2, 2, true, totp.Step(at) + 2},
		{"too short", "12345", 5, false, 0},
		{"not digits", "12345a", 5, false, 0},
		{"empty", "", 5, false, 0},
		{"negative window", totp.Generate(rfcSecret, at), -1, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := totp.Verify(rfcSecret, tc.code, at, tc.window)
			if ok != tc.ok || (ok && step != tc.step) {
				t.Errorf("Verify = %d, %v; want %d, %v", step, ok, tc.step, tc.ok)
			}
		})
	}
}

func TestBase32(t *testing.T) {
	// RFC 4648 section 10 vectors (unpadded).
	tests := []struct{ in, want string }{
		{"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
		{"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
	}
	for _, tc := range tests {
		if got := totp.EncodeBase32([]byte(tc.in)); got != tc.want {
			t.Errorf("EncodeBase32(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, text := range []string{tc.want, strings.ToLower(tc.want), tc.want + strings.Repeat("=", (8-len(tc.want)%8)%8)} {
			got, err := totp.DecodeBase32(text)
			if err != nil || !bytes.Equal(got, []byte(tc.in)) {
				t.Errorf("DecodeBase32(%q) = %q, %v; want %q", text, got, err, tc.in)
			}
		}
	}
	if _, err := totp.DecodeBase32("MZXW1"); err == nil {
		t.Error("DecodeBase32 accepted a character outside the alphabet")
	}
	if n := len(totp.EncodeBase32(make([]byte, 20))); n != 32 {
		t.Errorf("a 160-bit secret encodes to %d characters, want 32", n)
	}
}

func TestKeyURI(t *testing.T) {
	got := totp.KeyURI("alice@123456789012", []byte("foobar"), "")
	if want := "otpauth://totp/alice@123456789012?secret=MZXW6YTBOI"; got != want {
		t.Errorf("KeyURI = %q, want %q", got, want)
	}
	got = totp.KeyURI("a b", []byte("f"), "Bulwark IAM")
	if want := "otpauth://totp/a%20b?secret=MY&issuer=Bulwark+IAM"; got != want {
		t.Errorf("KeyURI = %q, want %q", got, want)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("k"), "123456", int64(1), 1)
	f.Fuzz(func(t *testing.T, secret []byte, code string, step int64, window int) {
		if window > 10 || window < -1 || step < 0 || step > 1<<40 {
			return
		}
		s, ok := totp.VerifyStep(secret, code, step, window)
		if ok && totp.GenerateStep(secret, s) != code {
			t.Fatalf("VerifyStep accepted %q at step %d whose code is %s", code, s, totp.GenerateStep(secret, s))
		}
	})
}

func FuzzBase32RoundTrip(f *testing.F) {
	f.Add([]byte("12345678901234567890"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, secret []byte) {
		text := totp.EncodeBase32(secret)
		back, err := totp.DecodeBase32(text)
		if err != nil || !bytes.Equal(back, secret) {
			t.Fatalf("DecodeBase32(EncodeBase32(%x)) = %x, %v", secret, back, err)
		}
		_, _ = totp.DecodeBase32(string(secret)) // must not panic on arbitrary text
	})
}
