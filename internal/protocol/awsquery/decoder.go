// Package awsquery is the awsQuery protocol (IAM, STS): form-encoded requests with
// "Prefix.member.N" lists and "entry.N.key" maps, XML responses in an OperationResponse
// envelope, and the XML ErrorResponse.
package awsquery

import (
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Decoder reads the parameters of a form-encoded request.
type Decoder struct {
	values url.Values
	keys   []string // sorted, for prefix tests
}

// NewDecoder returns a decoder over the form values.
func NewDecoder(values url.Values) *Decoder {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return &Decoder{values: values, keys: keys}
}

// Join returns the parameter name of member under prefix.
func Join(prefix, member string) string {
	if prefix == "" {
		return member
	}
	return prefix + "." + member
}

// Index returns the parameter name of the i-th (1-based) item under prefix.
func Index(prefix string, i int) string { return prefix + "." + strconv.Itoa(i) }

// Lookup returns the value of name and whether it is present.
func (d *Decoder) Lookup(name string) (string, bool) {
	v, ok := d.values[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

// Has reports whether name or any parameter under it ("name.") is present.
func (d *Decoder) Has(name string) bool {
	if _, ok := d.values[name]; ok {
		return true
	}
	p := name + "."
	i := sort.SearchStrings(d.keys, p)
	return i < len(d.keys) && strings.HasPrefix(d.keys[i], p)
}

func malformed(name, want, got string) error {
	return awserr.New("MalformedInput", 400, "Invalid value %q for parameter %s: expected %s", got, name, want)
}

// Int64 parses the integer parameter name.
func (d *Decoder) Int64(name string) (int64, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return 0, false, nil
	}
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, true, malformed(name, "an integer", s)
	}
	return i, true, nil
}

// Int32 parses the 32-bit integer parameter name.
func (d *Decoder) Int32(name string) (int32, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return 0, false, nil
	}
	i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, true, malformed(name, "an integer", s)
	}
	return int32(i), true, nil
}

// Float parses the floating-point parameter name.
func (d *Decoder) Float(name string) (float64, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, true, malformed(name, "a number", s)
	}
	return f, true, nil
}

// Bool parses the boolean parameter name.
func (d *Decoder) Bool(name string) (bool, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return false, false, nil
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, malformed(name, "true or false", s)
}

// Time parses the ISO 8601 timestamp parameter name.
func (d *Decoder) Time(name string) (time.Time, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, true, malformed(name, "an ISO 8601 timestamp", s)
	}
	return t.UTC(), true, nil
}

// Blob parses the base64 parameter name.
func (d *Decoder) Blob(name string) ([]byte, bool, error) {
	s, ok := d.Lookup(name)
	if !ok {
		return nil, false, nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, true, malformed(name, "base64", s)
	}
	return b, true, nil
}
