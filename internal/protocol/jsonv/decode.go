package jsonv

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Parse decodes a JSON document into a generic value with json.Number for numbers. An empty
// body is an empty object, as the AWS JSON protocols allow.
func Parse(body []byte) (any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, awserr.Serialization("the request body is not valid JSON: %s", describe(err))
	}
	if d.More() {
		return nil, awserr.Serialization("the request body has data after the JSON value")
	}
	return v, nil
}

func describe(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	}
	return "unexpected end of input or type mismatch"
}

func typeErr(path, want string, v any) error {
	return awserr.Serialization("Unexpected value at '%s': expected %s but got %s", path, want, kind(v))
}

func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "an unknown value"
}

// Object returns v as an object.
func Object(v any, path string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, typeErr(path, "an object", v)
	}
	return m, nil
}

// Array returns v as an array.
func Array(v any, path string) ([]any, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, typeErr(path, "an array", v)
	}
	return a, nil
}

// String returns v as a string.
func String(v any, path string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", typeErr(path, "a string", v)
	}
	return s, nil
}

// Bool returns v as a boolean.
func Bool(v any, path string) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, typeErr(path, "a boolean", v)
	}
	return b, nil
}

// Int64 returns v as a 64-bit integer.
func Int64(v any, path string) (int64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, typeErr(path, "an integer", v)
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return 0, awserr.Serialization("Unexpected value at '%s': %s is not a 64-bit integer", path, n)
	}
	return i, nil
}

// Int32 returns v as a 32-bit integer.
func Int32(v any, path string) (int32, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, typeErr(path, "an integer", v)
	}
	i, err := strconv.ParseInt(string(n), 10, 32)
	if err != nil {
		return 0, awserr.Serialization("Unexpected value at '%s': %s is not a 32-bit integer", path, n)
	}
	return int32(i), nil
}

// Float returns v as a float; the strings NaN, Infinity and -Infinity are accepted.
func Float(v any, path string) (float64, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return 0, awserr.Serialization("Unexpected value at '%s': %s is not a number", path, x)
		}
		return f, nil
	case string:
		switch x {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, typeErr(path, "a number", v)
}

// Blob returns v, a base64 string, as bytes.
func Blob(v any, path string) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeErr(path, "a base64-encoded string", v)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, awserr.Serialization("Unexpected value at '%s': not valid base64", path)
	}
	return b, nil
}

// EpochSeconds returns v, seconds since the epoch (a number, possibly fractional), as a time.
// An ISO 8601 string is accepted too.
func EpochSeconds(v any, path string) (time.Time, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return time.Time{}, awserr.Serialization("Unexpected value at '%s': %s is not a timestamp", path, x)
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC(), nil
	case string:
		return ISO8601(v, path)
	}
	return time.Time{}, typeErr(path, "a timestamp", v)
}

// ISO8601 returns v, an ISO 8601 string, as a time.
func ISO8601(v any, path string) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, typeErr(path, "an ISO 8601 timestamp", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, awserr.Serialization("Unexpected value at '%s': %q is not an ISO 8601 timestamp", path, s)
	}
	return t.UTC(), nil
}
