package iam

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Constraints of the IAM API shapes (IAM API Reference, "Data Types" and each action's request
// parameters; e.g. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html).
// Go's \w is ASCII [0-9A-Za-z_], matching the Java regex the service uses.
const (
	patName          = `[\w+=,.@-]+`
	patPath          = `(\u002F)|(\u002F[\u0021-\u007F]+\u002F)`
	patPathPrefix    = `\u002F[\u0021-\u007F]*`
	patPolicyDoc     = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patRoleDesc      = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`
	patVersionID     = `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`
	patAccessKeyID   = `[\w]+`
	patPassword      = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patTagKey        = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patTagValue      = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	patAccountAlias  = `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`
	maxUserName      = 64
	maxGroupName     = 128
	maxRoleName      = 64
	maxPolicyName    = 128
	maxProfileName   = 128
	maxPath          = 512
	maxPolicyDoc     = 131072
	maxDescription   = 1000
	maxTagKey        = 128
	maxTagValue      = 256
	maxPassword      = 128
	maxMarker        = 320
	maxMaxItems      = 1000
	defaultMaxItems  = 100
	minSessionLength = 3600
	maxSessionLength = 43200
	minARN           = 20
	maxARN           = 2048
	minAccessKeyID   = 16
	maxAccessKeyID   = 128
)

// Full-match compiled patterns. A compiled *regexp.Regexp is immutable and safe for concurrent
// use, so these are constants in all but syntax, not mutable package state.
var (
	reName       = mustFull(patName)
	rePath       = mustFull(patPath)
	rePathPrefix = mustFull(patPathPrefix)
	rePolicyDoc  = mustFull(patPolicyDoc)
	reRoleDesc   = mustFull(patRoleDesc)
	reVersionID  = mustFull(patVersionID)
	reAccessKey  = mustFull(patAccessKeyID)
	rePassword   = mustFull(patPassword)
	reTagKey     = mustFull(patTagKey)
	reTagValue   = mustFull(patTagValue)
)

// mustFull compiles an AWS (Java) pattern as a full-match Go regexp, rewriting the \uXXXX
// escapes that Go's syntax lacks as \x{XXXX}.
func mustFull(javaPattern string) *regexp.Regexp {
	var sb strings.Builder
	for i := 0; i < len(javaPattern); i++ {
		if javaPattern[i] == '\\' && i+5 < len(javaPattern) && javaPattern[i+1] == 'u' {
			sb.WriteString(`\x{` + javaPattern[i+2:i+6] + `}`)
			i += 5
			continue
		}
		sb.WriteByte(javaPattern[i])
	}
	return regexp.MustCompile(`^(?:` + sb.String() + `)$`)
}

// checks accumulates constraint violations in AWS's wording and order:
// "2 validation errors detected: Value at 'userName' failed to satisfy constraint: ...; ...".
type checks []string

func (c *checks) fail(field, constraint string) {
	*c = append(*c, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", field, constraint))
}

func (c checks) err() error {
	if len(c) == 0 {
		return nil
	}
	return awserr.Constraints(CodeValidationError, c)
}

func length(s string) int { return utf8.RuneCountInString(s) }

// str checks a string's length and pattern. required means it must be present (non-empty).
func (c *checks) str(field, v string, required bool, minLen, maxLen int, re *regexp.Regexp, pattern string) {
	if v == "" {
		// The API takes "" as "absent": a required member is null, an optional one is unset.
		if required {
			c.fail(field, "Member must not be null")
		}
		return
	}
	n := length(v)
	switch {
	case n < minLen:
		c.fail(field, fmt.Sprintf("Member must have length greater than or equal to %d", minLen))
	case maxLen > 0 && n > maxLen:
		c.fail(field, fmt.Sprintf("Member must have length less than or equal to %d", maxLen))
	case re != nil && !re.MatchString(v):
		c.fail(field, "Member must satisfy regular expression pattern: "+pattern)
	}
}

func (c *checks) name(field, v string, maxLen int) {
	c.str(field, v, true, 1, maxLen, reName, patName)
}

func (c *checks) optName(field, v string, maxLen int) {
	c.str(field, v, false, 1, maxLen, reName, patName)
}

func (c *checks) intRange(field string, v, lo, hi int) {
	switch {
	case v < lo:
		c.fail(field, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	case v > hi:
		c.fail(field, fmt.Sprintf("Member must have value less than or equal to %d", hi))
	}
}

func (c *checks) document(field, v string) {
	c.str(field, v, true, 1, maxPolicyDoc, rePolicyDoc, patPolicyDoc)
}

func (c *checks) arnField(field, v string) {
	c.str(field, v, true, minARN, maxARN, nil, "")
}

// errBadPath is AWS's message for a path that fails the pattern (recorded from AWS).
func errBadPath() error {
	return validationError("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
}

// checkPath validates an entity path and returns it defaulted to "/". A pattern failure is a
// whole-request ValidationError with AWS's own message; a length failure joins c.
func checkPath(c *checks, field, p string) (string, error) {
	if p == "" {
		return "/", nil
	}
	if length(p) > maxPath {
		c.fail(field, fmt.Sprintf("Member must have length less than or equal to %d", maxPath))
		return p, nil
	}
	if !rePath.MatchString(p) {
		return "", errBadPath()
	}
	return p, nil
}

func (c *checks) pathPrefix(field, p string) {
	c.str(field, p, false, 1, maxPath, rePathPrefix, patPathPrefix)
}

func (c *checks) versionID(field, v string) {
	c.str(field, v, true, 0, 0, reVersionID, patVersionID)
}

// validAlias implements ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$ (Go's regexp has no
// lookahead): 3 to 63 characters of [a-z0-9-], no leading, trailing or doubled hyphen.
func validAlias(a string) bool {
	if len(a) < 3 || len(a) > 63 {
		return false
	}
	for i := 0; i < len(a); i++ {
		ch := a[i]
		switch {
		case ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9':
		case ch == '-':
			if i == 0 || i == len(a)-1 || a[i+1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// policyRef is a parsed managed policy ARN.
type policyRef struct {
	arn       string
	partition string
	account   string // the account, or "aws" for AWS managed policies
	path      string
	name      string
}

func (p policyRef) isAWS() bool { return p.account == arn.AWSAccount }

// parsePolicyARN parses a managed policy ARN; a malformed one yields ok=false.
func parsePolicyARN(s string) (policyRef, bool) {
	a, typ, path, name, err := arn.ParseIAM(s)
	if err != nil || typ != arn.TypePolicy || a.Region != "" || a.AccountID == "" {
		return policyRef{}, false
	}
	if !reName.MatchString(name) || !rePath.MatchString(path) {
		return policyRef{}, false
	}
	return policyRef{arn: s, partition: a.Partition, account: a.AccountID, path: path, name: name}, true
}

// errInvalidARN is the answer to a policy ARN that does not parse (recorded from AWS: a
// ValidationError for Attach*Policy, an InvalidInput for permissions boundaries).
func errInvalidARN(v string) error { return validationError("ARN %s is not valid.", v) }

func errInvalidBoundaryARN(v string) error { return invalidInput("ARN %s is not valid.", v) }

// policySize counts a policy document the way IAM does for its size quotas: characters, not
// counting white space ("IAM doesn't count white space when calculating the size of a policy",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		switch r {
		case ' ', '\t', '\n', '\r':
		default:
			n++
		}
	}
	return n
}
