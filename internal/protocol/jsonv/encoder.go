// Package jsonv is the small JSON writer and reader the generated shapes use: an append-style
// encoder (no reflection) and typed accessors over a decoded JSON value with AWS's
// SerializationException errors.
package jsonv

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Redacted replaces a sensitive value in the audit trail, as CloudTrail does.
const Redacted = "HIDDEN_DUE_TO_SECURITY_REASONS"

// Encoder appends JSON to a buffer. It does not validate nesting; the generated code writes
// well-formed documents.
type Encoder struct {
	buf []byte
	// Audit makes members take the audit trail's names and sensitive values encode as
	// Redacted.
	Audit bool
	// needComma tracks whether the next value in the current container needs a comma.
	needComma []bool
}

// NewEncoder returns an encoder that appends to buf.
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf[:0]} }

// Bytes returns the encoded bytes.
func (e *Encoder) Bytes() []byte { return e.buf }

// Reset empties the encoder for reuse.
func (e *Encoder) Reset() { e.buf = e.buf[:0]; e.needComma = e.needComma[:0]; e.Audit = false }

func (e *Encoder) sep() {
	if n := len(e.needComma); n > 0 {
		if e.needComma[n-1] {
			e.buf = append(e.buf, ',')
		}
		e.needComma[n-1] = true
	}
}

// BeginObject starts an object value.
func (e *Encoder) BeginObject() {
	e.sep()
	e.buf = append(e.buf, '{')
	e.needComma = append(e.needComma, false)
}

// EndObject ends an object.
func (e *Encoder) EndObject() {
	e.needComma = e.needComma[:len(e.needComma)-1]
	e.buf = append(e.buf, '}')
}

// BeginArray starts an array value.
func (e *Encoder) BeginArray() {
	e.sep()
	e.buf = append(e.buf, '[')
	e.needComma = append(e.needComma, false)
}

// EndArray ends an array.
func (e *Encoder) EndArray() {
	e.needComma = e.needComma[:len(e.needComma)-1]
	e.buf = append(e.buf, ']')
}

// Key writes an object key; the value follows.
func (e *Encoder) Key(k string) {
	e.sep()
	e.buf = appendString(e.buf, k)
	e.buf = append(e.buf, ':')
	// The value that follows must not write a comma.
	e.needComma[len(e.needComma)-1] = false
}

// Field writes a member's key: wire in the protocol, audit in the audit trail.
func (e *Encoder) Field(wire, audit string) {
	if e.Audit {
		e.Key(audit)
		return
	}
	e.Key(wire)
}

// String writes a string value.
func (e *Encoder) String(s string) { e.sep(); e.buf = appendString(e.buf, s) }

// Sensitive writes a sensitive string: Redacted when the encoder redacts.
func (e *Encoder) Sensitive(s string) {
	if e.Audit {
		s = Redacted
	}
	e.String(s)
}

// Bool writes a boolean.
func (e *Encoder) Bool(b bool) {
	e.sep()
	e.buf = strconv.AppendBool(e.buf, b)
}

// Int writes an integer.
func (e *Encoder) Int(i int64) { e.sep(); e.buf = strconv.AppendInt(e.buf, i, 10) }

// Float writes a floating-point number; NaN and infinities are written as strings, as the
// AWS JSON protocols do.
func (e *Encoder) Float(f float64) {
	e.sep()
	switch {
	case math.IsNaN(f):
		e.buf = append(e.buf, `"NaN"`...)
	case math.IsInf(f, 1):
		e.buf = append(e.buf, `"Infinity"`...)
	case math.IsInf(f, -1):
		e.buf = append(e.buf, `"-Infinity"`...)
	default:
		e.buf = strconv.AppendFloat(e.buf, f, 'f', -1, 64)
	}
}

// Blob writes bytes as base64.
func (e *Encoder) Blob(b []byte) {
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, b)
	e.buf = append(e.buf, '"')
}

// SensitiveBlob writes sensitive bytes: Redacted when the encoder redacts.
func (e *Encoder) SensitiveBlob(b []byte) {
	if e.Audit {
		e.String(Redacted)
		return
	}
	e.Blob(b)
}

// EpochSeconds writes a timestamp as seconds since the epoch, with milliseconds when present.
func (e *Encoder) EpochSeconds(t time.Time) {
	e.sep()
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		e.buf = strconv.AppendInt(e.buf, ms/1000, 10)
		return
	}
	e.buf = strconv.AppendFloat(e.buf, float64(ms)/1000, 'f', 3, 64)
}

// ISO8601 writes a timestamp as an RFC 3339 string in UTC.
func (e *Encoder) ISO8601(t time.Time) {
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = t.UTC().AppendFormat(e.buf, time.RFC3339)
	e.buf = append(e.buf, '"')
}

// Null writes null.
func (e *Encoder) Null() { e.sep(); e.buf = append(e.buf, "null"...) }

// Raw writes pre-encoded JSON.
func (e *Encoder) Raw(b []byte) { e.sep(); e.buf = append(e.buf, b...) }

const hex = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does for HTML-unsafe runes.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendString appends s as a JSON string literal.
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }

// SortedKeys returns the keys of m in order, so maps encode deterministically.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
