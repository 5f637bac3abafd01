package iam

import "github.com/bulwarkhq/bulwark/internal/ptr"

// encodeDocument URL-encodes a policy document the way IAM returns it in every output
// (PolicyDocument, Document, AssumeRolePolicyDocument): RFC 3986 percent-encoding of every
// byte except the unreserved characters A-Z a-z 0-9 - _ . ~. The aws CLI decodes it again and
// SDK users call url.QueryUnescape. An empty document is left out (nil).
func encodeDocument(doc string) *string {
	if doc == "" {
		return nil
	}
	return ptr.Of(urlEncode(doc))
}

// urlEncode percent-encodes every byte of s outside RFC 3986's unreserved set, with upper-case
// hex digits.
func urlEncode(s string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&0x0f])
	}
	return string(b)
}

func unreserved(c byte) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		return true
	case c == '-', c == '_', c == '.', c == '~':
		return true
	}
	return false
}
