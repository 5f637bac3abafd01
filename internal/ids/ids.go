// Package ids generates the identifiers AWS hands out: IAM unique IDs (AIDA..., AROA...),
// access key IDs, secret access keys and account IDs. Every identifier comes from crypto/rand.
//
// Formats follow the IAM User Guide, "IAM identifiers" -> "Unique identifiers"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids):
// a four-letter prefix that names the resource type followed by random characters from the
// RFC 4648 base32 alphabet [A-Z2-7]. Unique IDs are 21 characters long (as in the documented
// example AIDACKCEVSQ6C2EXAMPLE); access key IDs are 20 (AKIAIOSFODNN7EXAMPLE).
package ids

import (
	"crypto/rand"
	"encoding/base64"
	"math/big"
	"strconv"
	"strings"
)

// Unique-ID prefixes, from the table in the IAM User Guide (link in the package comment).
const (
	PrefixUser              = "AIDA"
	PrefixGroup             = "AGPA"
	PrefixRole              = "AROA"
	PrefixManagedPolicy     = "ANPA"
	PrefixAWSManagedPolicy  = "ANVA"
	PrefixInstanceProfile   = "AIPA"
	PrefixServerCertificate = "ASCA"
	PrefixPublicKey         = "APKA"
	PrefixAccessKey         = "AKIA"
	PrefixTemporaryKey      = "ASIA"
	PrefixContextKey        = "ACCA"
)

// base32 is the RFC 4648 base32 alphabet that AWS identifiers use.
const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// UniqueIDLength is the length of an IAM unique ID such as a user or role ID.
const UniqueIDLength = 21

// AccessKeyIDLength is the length of an access key ID.
const AccessKeyIDLength = 20

// SecretAccessKeyLength is the length of a secret access key.
const SecretAccessKeyLength = 40

// Random returns n characters drawn uniformly from [A-Z2-7].
func Random(n int) string {
	buf := make([]byte, n)
	// crypto/rand.Read never returns an error; it crashes the program if the system source fails.
	_, _ = rand.Read(buf)
	var sb strings.Builder
	sb.Grow(n)
	for _, b := range buf {
		sb.WriteByte(base32[b&31]) // 256 is a multiple of 32, so this is uniform
	}
	return sb.String()
}

// New returns prefix followed by random base32 characters, UniqueIDLength in all.
func New(prefix string) string {
	return prefix + Random(UniqueIDLength-len(prefix))
}

// UserID returns a new IAM user ID (AIDA...).
func UserID() string { return New(PrefixUser) }

// GroupID returns a new IAM group ID (AGPA...).
func GroupID() string { return New(PrefixGroup) }

// RoleID returns a new IAM role ID (AROA...).
func RoleID() string { return New(PrefixRole) }

// PolicyID returns a new customer managed policy ID (ANPA...).
func PolicyID() string { return New(PrefixManagedPolicy) }

// InstanceProfileID returns a new instance profile ID (AIPA...).
func InstanceProfileID() string { return New(PrefixInstanceProfile) }

// AccessKeyID returns a new long-term access key ID: AKIA and 16 base32 characters.
func AccessKeyID() string { return PrefixAccessKey + Random(AccessKeyIDLength-len(PrefixAccessKey)) }

// TemporaryAccessKeyID returns a new temporary (STS) access key ID: ASIA and 16 base32 characters.
func TemporaryAccessKeyID() string {
	return PrefixTemporaryKey + Random(AccessKeyIDLength-len(PrefixTemporaryKey))
}

// SecretAccessKey returns a new 40-character secret access key from the base64 alphabet
// (A-Z, a-z, 0-9, + and /), the shape of AWS secret keys.
func SecretAccessKey() string {
	buf := make([]byte, SecretAccessKeyLength*3/4) // 30 bytes encode to exactly 40 characters
	_, _ = rand.Read(buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// AccountID returns a new random 12-digit account ID that does not start with 0.
func AccountID() string {
	// crypto/rand.Int only fails when the system source fails, which crashes first (see Random).
	n, _ := rand.Int(rand.Reader, big.NewInt(900_000_000_000))
	return strconv.FormatInt(n.Int64()+100_000_000_000, 10)
}

// IsAccountID reports whether s is 12 decimal digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsAccessKeyID reports whether s looks like an access key ID: a known four-letter prefix
// (AKIA or ASIA) followed by 16 characters of [A-Z2-7].
func IsAccessKeyID(s string) bool {
	if len(s) != AccessKeyIDLength {
		return false
	}
	if !strings.HasPrefix(s, PrefixAccessKey) && !strings.HasPrefix(s, PrefixTemporaryKey) {
		return false
	}
	return isBase32(s[4:])
}

// IsUniqueID reports whether s has the shape of an IAM unique ID with the given prefix.
func IsUniqueID(s, prefix string) bool {
	return len(s) == UniqueIDLength && strings.HasPrefix(s, prefix) && isBase32(s[len(prefix):])
}

func isBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}
