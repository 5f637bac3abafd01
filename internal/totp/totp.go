// Package totp implements time-based one-time passwords (RFC 6238) as virtual MFA devices and
// authenticator apps use them: HMAC-SHA1 over the 30-second time step (RFC 4226 dynamic
// truncation), six decimal digits, and the RFC 4648 base32 text form of the shared secret.
//
// It is a leaf package that never reads a clock: every function takes the time it is asked
// about, so callers inject their clock and tests are exact.
package totp

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 6238's default and what every authenticator app uses.
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Parameters of the codes this package makes: the defaults of RFC 6238 and of every
// authenticator app.
const (
	// Digits is the number of decimal digits of a code.
	Digits = 6
	// Period is the length of one time step.
	Period = 30 * time.Second
)

// ErrSecret is returned by DecodeBase32 for text that is not base32.
var ErrSecret = errors.New("totp: secret is not valid base32")

// Step returns the RFC 6238 time step T of t: the number of whole periods since the Unix epoch
// (T0 = 0). Times before the epoch are step 0.
func Step(t time.Time) int64 {
	s := t.Unix()
	if s < 0 {
		return 0
	}
	return s / int64(Period/time.Second)
}

// Generate returns the code of secret at time t.
func Generate(secret []byte, t time.Time) string {
	return GenerateStep(secret, Step(t))
}

// GenerateStep returns the code of secret for time step step (the HOTP value of RFC 4226 with
// the step as counter), zero-padded to Digits digits.
func GenerateStep(secret []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	code := bin % 1_000_000
	var out [Digits]byte
	for i := Digits - 1; i >= 0; i-- {
		out[i] = byte('0' + code%10)
		code /= 10
	}
	return string(out[:])
}

// Verify reports whether code is the code of secret at time t or at up to window steps before
// or after it (clock skew between the device and the server), and if so at which step. The
// step lets the caller refuse a code it already accepted. Codes compare in constant time.
func Verify(secret []byte, code string, t time.Time, window int) (step int64, ok bool) {
	return VerifyStep(secret, code, Step(t), window)
}

// VerifyStep is Verify around time step center. When code matches several steps (a
// collision), the earliest one is returned.
func VerifyStep(secret []byte, code string, center int64, window int) (step int64, ok bool) {
	if len(code) != Digits || window < 0 {
		return 0, false
	}
	for _, c := range []byte(code) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	found := false
	for s := center - int64(window); s <= center+int64(window); s++ {
		if s < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(GenerateStep(secret, s)), []byte(code)) == 1 && !found {
			step, found = s, true
		}
	}
	return step, found
}

// b32 is RFC 4648 base32 (the standard alphabet) without padding, as authenticator apps
// expect secrets in otpauth URIs.
func b32() *base32.Encoding { return base32.StdEncoding.WithPadding(base32.NoPadding) }

// EncodeBase32 returns secret in RFC 4648 base32 with no padding. A 20-byte (160-bit) secret
// is 32 characters.
func EncodeBase32(secret []byte) string { return b32().EncodeToString(secret) }

// DecodeBase32 decodes RFC 4648 base32 text, accepting lower case, spaces and padding as
// people type them.
func DecodeBase32(s string) ([]byte, error) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(s))
	s = strings.TrimRight(s, "=")
	b, err := b32().DecodeString(s)
	if err != nil {
		return nil, ErrSecret
	}
	return b, nil
}

// KeyURI returns the otpauth URI of a TOTP key ("Key Uri Format" of Google Authenticator):
// otpauth://totp/<label>?secret=<base32>, with issuer added when it is not "".
func KeyURI(label string, secret []byte, issuer string) string {
	q := "secret=" + EncodeBase32(secret)
	if issuer != "" {
		q += "&issuer=" + url.QueryEscape(issuer)
	}
	return "otpauth://totp/" + url.PathEscape(label) + "?" + q
}
