package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
)

// ErrInvalidJSON is returned (wrapped) by AppendScrubbed for input that is not one valid JSON
// value.
var ErrInvalidJSON = errors.New("audit: invalid JSON")

// maxScrubDepth bounds the nesting of arrays and objects AppendScrubbed accepts.
const maxScrubDepth = 512

// minSecretNameLen is the length of the shortest name IsSecretField knows.
const minSecretNameLen = 8

// maxSecretNameLen is the length of the longest name IsSecretField knows.
const maxSecretNameLen = 32

// IsSecretField reports whether an object member of this name holds a secret that must never be
// recorded. Names compare ASCII case-insensitively, so awsQuery ("Password") and restJson
// ("password") spellings both match. The list covers IAM and STS credentials and passwords,
// virtual MFA seeds and codes, KMS plaintext and shared secrets, and a few generic names.
func IsSecretField(name []byte) bool {
	if len(name) < minSecretNameLen || len(name) > maxSecretNameLen {
		return false
	}
	var buf [maxSecretNameLen]byte
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(name)]) {
	case "secretaccesskey", "sessiontoken", "password", "newpassword", "oldpassword",
		"servicepassword", "privatekey", "plaintext", "base32stringseed", "qrcodepng",
		"authenticationcode1", "authenticationcode2", "tokencode", "samlassertion",
		"webidentitytoken", "sharedsecret", "keymaterial", "secretstring", "secretbinary",
		"clientsecret", "secretkey", "servicecredentialsecret":
		return true
	}
	return false
}

// AppendScrubbed appends src, one JSON value, to dst with the value of every object member
// whose name IsSecretField replaced by "HIDDEN_DUE_TO_SECURITY_REASONS", at any depth and
// whatever the value's type. The output is compact (insignificant whitespace dropped); the rest
// is copied byte for byte. Secret values are skipped, never copied, so they do not linger in
// dst's spare capacity. On invalid JSON it returns dst unchanged and an error wrapping
// ErrInvalidJSON. It allocates only to grow dst (and, rarely, to decode a member name written
// with escapes).
func AppendScrubbed(dst, src []byte) ([]byte, error) {
	s := scrubber{src: src}
	mark := len(dst)
	s.skipSpace()
	out, err := s.value(dst, 0, true)
	if err == nil {
		s.skipSpace()
		if s.pos != len(s.src) {
			err = s.fail("unexpected data after the value")
		}
	}
	if err != nil {
		return dst[:mark], err
	}
	return out, nil
}

// scrubber walks one JSON document.
type scrubber struct {
	src []byte
	pos int
}

func (s *scrubber) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrInvalidJSON, what, s.pos)
}

func (s *scrubber) skipSpace() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value consumes one value at s.pos (no leading space), appending it to b when emit is set.
func (s *scrubber) value(b []byte, depth int, emit bool) ([]byte, error) {
	if s.pos >= len(s.src) {
		return b, s.fail("unexpected end")
	}
	switch c := s.src[s.pos]; {
	case c == '{':
		return s.object(b, depth+1, emit)
	case c == '[':
		return s.array(b, depth+1, emit)
	case c == '"':
		start := s.pos
		if _, err := s.stringEnd(); err != nil {
			return b, err
		}
		if emit {
			b = append(b, s.src[start:s.pos]...)
		}
		return b, nil
	case c == 't':
		return s.literal(b, "true", emit)
	case c == 'f':
		return s.literal(b, "false", emit)
	case c == 'n':
		return s.literal(b, "null", emit)
	case c == '-' || ('0' <= c && c <= '9'):
		return s.number(b, emit)
	}
	return b, s.fail("unexpected character")
}

func (s *scrubber) object(b []byte, depth int, emit bool) ([]byte, error) {
	if depth > maxScrubDepth {
		return b, s.fail("nesting too deep")
	}
	s.pos++ // '{'
	if emit {
		b = append(b, '{')
	}
	s.skipSpace()
	if s.pos < len(s.src) && s.src[s.pos] == '}' {
		s.pos++
		if emit {
			b = append(b, '}')
		}
		return b, nil
	}
	for {
		if s.pos >= len(s.src) || s.src[s.pos] != '"' {
			return b, s.fail("expected a member name")
		}
		start := s.pos
		escaped, err := s.stringEnd()
		if err != nil {
			return b, err
		}
		name := s.src[start:s.pos]
		secret, err := secretName(name, escaped)
		if err != nil {
			return b, s.fail("bad member name")
		}
		if emit {
			b = append(b, name...)
			b = append(b, ':')
		}
		s.skipSpace()
		if s.pos >= len(s.src) || s.src[s.pos] != ':' {
			return b, s.fail("expected ':'")
		}
		s.pos++
		s.skipSpace()
		if secret {
			if b, err = s.value(b, depth, false); err != nil {
				return b, err
			}
			if emit {
				b = append(b, `"`+HiddenValue+`"`...)
			}
		} else if b, err = s.value(b, depth, emit); err != nil {
			return b, err
		}
		s.skipSpace()
		if s.pos >= len(s.src) {
			return b, s.fail("unexpected end in object")
		}
		switch s.src[s.pos] {
		case ',':
			s.pos++
			if emit {
				b = append(b, ',')
			}
			s.skipSpace()
		case '}':
			s.pos++
			if emit {
				b = append(b, '}')
			}
			return b, nil
		default:
			return b, s.fail("expected ',' or '}'")
		}
	}
}

func (s *scrubber) array(b []byte, depth int, emit bool) ([]byte, error) {
	if depth > maxScrubDepth {
		return b, s.fail("nesting too deep")
	}
	s.pos++ // '['
	if emit {
		b = append(b, '[')
	}
	s.skipSpace()
	if s.pos < len(s.src) && s.src[s.pos] == ']' {
		s.pos++
		if emit {
			b = append(b, ']')
		}
		return b, nil
	}
	for {
		var err error
		if b, err = s.value(b, depth, emit); err != nil {
			return b, err
		}
		s.skipSpace()
		if s.pos >= len(s.src) {
			return b, s.fail("unexpected end in array")
		}
		switch s.src[s.pos] {
		case ',':
			s.pos++
			if emit {
				b = append(b, ',')
			}
			s.skipSpace()
		case ']':
			s.pos++
			if emit {
				b = append(b, ']')
			}
			return b, nil
		default:
			return b, s.fail("expected ',' or ']'")
		}
	}
}

// stringEnd consumes a string starting at its opening quote, leaving s.pos after the closing
// quote, and reports whether it contained escapes.
func (s *scrubber) stringEnd() (escaped bool, err error) {
	s.pos++ // opening quote
	for s.pos < len(s.src) {
		if s.pos+8 <= len(s.src) {
			m := jsonSpecial(load64b(s.src, s.pos))
			if m == 0 {
				s.pos += 8
				continue
			}
			s.pos += bits.TrailingZeros64(m) >> 3
		}
		c := s.src[s.pos]
		switch {
		case c == '"':
			s.pos++
			return escaped, nil
		case c == '\\':
			escaped = true
			if s.pos+1 >= len(s.src) {
				return escaped, s.fail("unexpected end in string")
			}
			switch s.src[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.src) {
					return escaped, s.fail("short \\u escape")
				}
				for _, h := range s.src[s.pos+2 : s.pos+6] {
					if !isHex(h) {
						return escaped, s.fail("bad \\u escape")
					}
				}
				s.pos += 6
			default:
				return escaped, s.fail("bad escape")
			}
		case c < 0x20:
			return escaped, s.fail("control character in string")
		default:
			s.pos++
		}
	}
	return escaped, s.fail("unterminated string")
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func (s *scrubber) literal(b []byte, lit string, emit bool) ([]byte, error) {
	if len(s.src)-s.pos < len(lit) || string(s.src[s.pos:s.pos+len(lit)]) != lit {
		return b, s.fail("bad literal")
	}
	s.pos += len(lit)
	if emit {
		b = append(b, lit...)
	}
	return b, nil
}

// number consumes -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scrubber) number(b []byte, emit bool) ([]byte, error) {
	start := s.pos
	if s.src[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos < len(s.src) && s.src[s.pos] == '0':
		s.pos++
	case s.pos < len(s.src) && '1' <= s.src[s.pos] && s.src[s.pos] <= '9':
		s.digits()
	default:
		return b, s.fail("bad number")
	}
	if s.pos < len(s.src) && s.src[s.pos] == '.' {
		s.pos++
		if s.digits() == 0 {
			return b, s.fail("bad fraction")
		}
	}
	if s.pos < len(s.src) && (s.src[s.pos] == 'e' || s.src[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.src) && (s.src[s.pos] == '+' || s.src[s.pos] == '-') {
			s.pos++
		}
		if s.digits() == 0 {
			return b, s.fail("bad exponent")
		}
	}
	if emit {
		b = append(b, s.src[start:s.pos]...)
	}
	return b, nil
}

func (s *scrubber) digits() int {
	n := 0
	for s.pos < len(s.src) && '0' <= s.src[s.pos] && s.src[s.pos] <= '9' {
		s.pos++
		n++
	}
	return n
}

// secretName reports whether the quoted member name names a secret. A name written with
// escapes is decoded first, so "Pass\u0077ord" is caught too.
func secretName(quoted []byte, escaped bool) (bool, error) {
	if !escaped {
		return IsSecretField(quoted[1 : len(quoted)-1]), nil
	}
	var name string
	if err := json.Unmarshal(quoted, &name); err != nil {
		return false, err
	}
	return IsSecretField([]byte(name)), nil
}
