package policy

import (
	"fmt"
	"strings"
)

// actionFormat returns AWS's message for an Action or NotAction value that is not "*" or
// "service:action", or "" when the value is fine. IAM checks the form only: a service or
// action it does not know passes (moto test_iam_policies.py accepts
// "aaaaaadsfdsafsadfsadfaaaaa:ListBucket" and "iam: asdf safdsf af ").
func actionFormat(a string) string {
	if a == "*" {
		return ""
	}
	vendor, _, ok := strings.Cut(a, ":")
	switch {
	case !ok || vendor == "":
		return msgActionVendor
	case strings.Count(a, ":") > 1:
		return msgActionColons
	case !validVendor(vendor):
		return fmt.Sprintf(fmtActionVendorInvalid, vendor)
	}
	return ""
}

// validVendor reports whether a service prefix uses only letters, digits, '-', '.' and
// the wildcards '*' and '?'.
func validVendor(v string) bool {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-', c == '.', c == '*', c == '?':
		default:
			return false
		}
	}
	return true
}
