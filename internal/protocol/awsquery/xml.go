package awsquery

import (
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"
)

// XMLWriter appends XML elements to a buffer. The generated shapes call it.
type XMLWriter struct {
	buf []byte
}

// NewXMLWriter returns a writer appending to buf.
func NewXMLWriter(buf []byte) *XMLWriter { return &XMLWriter{buf: buf[:0]} }

// Bytes returns what was written.
func (w *XMLWriter) Bytes() []byte { return w.buf }

// Start opens an element.
func (w *XMLWriter) Start(name string) {
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '>')
}

// StartNS opens an element with an xmlns attribute.
func (w *XMLWriter) StartNS(name, ns string) {
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, ` xmlns="`...)
	w.buf = appendEscaped(w.buf, ns)
	w.buf = append(w.buf, `">`...)
}

// End closes an element.
func (w *XMLWriter) End(name string) {
	w.buf = append(w.buf, '<', '/')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '>')
}

// String writes <name>s</name>.
func (w *XMLWriter) String(name, s string) {
	w.Start(name)
	w.buf = appendEscaped(w.buf, s)
	w.End(name)
}

// Int writes an integer element.
func (w *XMLWriter) Int(name string, i int64) {
	w.Start(name)
	w.buf = strconv.AppendInt(w.buf, i, 10)
	w.End(name)
}

// Float writes a floating-point element.
func (w *XMLWriter) Float(name string, f float64) {
	w.Start(name)
	w.buf = strconv.AppendFloat(w.buf, f, 'f', -1, 64)
	w.End(name)
}

// Bool writes a boolean element.
func (w *XMLWriter) Bool(name string, b bool) {
	w.Start(name)
	w.buf = strconv.AppendBool(w.buf, b)
	w.End(name)
}

// Time writes an ISO 8601 timestamp element in UTC, as IAM and STS do.
func (w *XMLWriter) Time(name string, t time.Time) {
	w.Start(name)
	w.buf = t.UTC().AppendFormat(w.buf, time.RFC3339)
	w.End(name)
}

// Blob writes a base64 element.
func (w *XMLWriter) Blob(name string, b []byte) {
	w.Start(name)
	w.buf = base64.StdEncoding.AppendEncode(w.buf, b)
	w.End(name)
}

// appendEscaped appends s with XML's special characters escaped and invalid characters
// replaced.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '<':
				dst = append(dst, "&lt;"...)
			case '>':
				dst = append(dst, "&gt;"...)
			case '&':
				dst = append(dst, "&amp;"...)
			case '"':
				dst = append(dst, "&quot;"...)
			case '\'':
				dst = append(dst, "&apos;"...)
			case '\n':
				dst = append(dst, "&#xA;"...)
			case '\r':
				dst = append(dst, "&#xD;"...)
			case '\t':
				dst = append(dst, '\t')
			default:
				if c < 0x20 {
					dst = append(dst, "\uFFFD"...)
				} else {
					dst = append(dst, c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}
