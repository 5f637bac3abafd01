// Package restjson is the restJson1 protocol (GuardDuty, Inspector2, Artifact): operations
// bound to a method and URI template, members in the path, query string, headers and a JSON
// body, and errors named by the X-Amzn-ErrorType header.
package restjson

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Request is a rest-json request as the generated DecodeREST reads it.
type Request struct {
	// Labels are the URI template's labels, decoded.
	Labels map[string]string
	Query  url.Values
	Header http.Header
	// Body is the decoded JSON body (jsonv.Parse).
	Body any
}

// PathValue returns the URI label name.
func (r *Request) PathValue(name string) (string, bool) {
	v, ok := r.Labels[name]
	return v, ok
}

// QueryValue returns the first value of the query parameter name.
func (r *Request) QueryValue(name string) (string, bool) {
	v, ok := r.Query[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// QueryValues returns every value of the query parameter name.
func (r *Request) QueryValues(name string) ([]string, bool) {
	v, ok := r.Query[name]
	return v, ok
}

// HeaderValue returns the header name.
func (r *Request) HeaderValue(name string) (string, bool) {
	v := r.Header.Values(name)
	if len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// Response collects what a generated EncodeREST sets besides the body.
type Response struct {
	Header http.Header
}

func bad(name, want, got string) error {
	return awserr.New("SerializationException", http.StatusBadRequest, "Invalid value %q for %s: expected %s", got, name, want)
}

// ParseInt32 converts a bound value to a 32-bit integer.
func ParseInt32(s, name string) (int32, error) {
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, bad(name, "an integer", s)
	}
	return int32(i), nil
}

// ParseInt64 converts a bound value to a 64-bit integer.
func ParseInt64(s, name string) (int64, error) {
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, bad(name, "an integer", s)
	}
	return i, nil
}

// ParseFloat converts a bound value to a float.
func ParseFloat(s, name string) (float64, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, bad(name, "a number", s)
	}
	return f, nil
}

// ParseBool converts a bound value to a boolean.
func ParseBool(s, name string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, bad(name, "true or false", s)
}

// ParseISO8601 converts a bound value to a time.
func ParseISO8601(s, name string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, bad(name, "an ISO 8601 timestamp", s)
	}
	return t.UTC(), nil
}

// ParseHTTPDate converts a header value in HTTP date format to a time.
func ParseHTTPDate(s, name string) (time.Time, error) {
	t, err := http.ParseTime(s)
	if err != nil {
		return time.Time{}, bad(name, "an HTTP date", s)
	}
	return t.UTC(), nil
}

// ParseBase64 converts a base64 bound value to bytes.
func ParseBase64(s, name string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, bad(name, "base64", s)
	}
	return b, nil
}
