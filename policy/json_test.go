package policy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// conditionValue parses an identity policy whose one condition value is written as
// literal, and returns the value as the tree holds it.
func conditionValue(literal string) (policy.ConditionValue, error) {
	d, err := policy.Parse(doc(allow+`, "Condition": {"StringEquals": {"k:v": `+literal+`}}`), policy.KindIdentity)
	if err != nil {
		return policy.ConditionValue{}, err
	}
	return d.Statements[0].Conditions[0].Keys[0].Values[0], nil
}

func TestJSONValues(t *testing.T) {
	tests := []struct {
		literal string
		text    string
		typ     policy.ValueType
	}{
		{`"plain"`, "plain", policy.StringValue},
		{`"a\"b\\c\/d\b\f\n\r\t"`, "a\"b\\c/d\b\f\n\r\t", policy.StringValue},
		{`"caf\u00e9 \u00E9"`, "café é", policy.StringValue},
		{`"\ud83d\ude00"`, "\U0001F600", policy.StringValue},
		{`"\ud83d x"`, "\uFFFD x", policy.StringValue},
		{`"\ude00"`, "\uFFFD", policy.StringValue},
		{`"ünïcödé"`, "ünïcödé", policy.StringValue},
		{`0`, "0", policy.NumberValue},
		{`-0`, "-0", policy.NumberValue},
		{`12.50`, "12.50", policy.NumberValue},
		{`1e3`, "1e3", policy.NumberValue},
		{`-2.5E-2`, "-2.5E-2", policy.NumberValue},
		{`6E+1`, "6E+1", policy.NumberValue},
		{`true`, "true", policy.BoolValue},
		{`false`, "false", policy.BoolValue},
	}
	for _, tc := range tests {
		v, err := conditionValue(tc.literal)
		if err != nil {
			t.Errorf("%s: %v", tc.literal, err)
			continue
		}
		if v.Text != tc.text || v.Type != tc.typ {
			t.Errorf("%s: got %q (%v), want %q (%v)", tc.literal, v.Text, v.Type, tc.text, tc.typ)
		}
	}
}

func TestJSONRejects(t *testing.T) {
	for _, literal := range []string{
		`01`, `1.`, `.5`, `-`, `-a`, `1e`, `1e+`, `+1`, `0x10`, `NaN`, `Infinity`,
		`tru`, `nul`, `fals`, `'single'`, `"unterminated`, `"bad \x escape"`, `"\u12G4"`, `"\u12"`,
		`"tab` + "\t" + `inside"`, `["a",]`, `["a" "b"]`, `[`, `"\`,
	} {
		_, err := conditionValue(literal)
		var verr *policy.ValidationError
		if !errors.As(err, &verr) || verr.Message != syntaxErrors || !strings.HasPrefix(verr.Detail, "invalid JSON") {
			t.Errorf("%s: got %v, want a JSON syntax error", literal, err)
		}
	}
	for _, text := range []string{`{"Version": "2012-10-17", "Statement"`, `{"Version" "2012-10-17"}`, `{"Version": "2012-10-17",}`, `{"Version": "2012-10-17" "Statement": {}}`, `{1: 2}`, "   "} {
		if _, err := policy.Parse(text, policy.KindIdentity); !errors.Is(err, policy.ErrMalformed) {
			t.Errorf("%q: %v", text, err)
		}
	}
}

func TestJSONInvalidUTF8(t *testing.T) {
	// Organizations does not restrict characters, so the JSON reader sees the bytes.
	text := `{"Version": "2012-10-17", "Statement": {"Sid": "a` + "\xff" + `", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}}`
	_, err := policy.Parse(text, policy.KindSCP)
	var verr *policy.ValidationError
	if !errors.As(err, &verr) || verr.Detail != "invalid JSON: invalid UTF-8 in a string" {
		t.Errorf("got %v", err)
	}
	_, err = policy.Parse(text, policy.KindIdentity)
	if !errors.As(err, &verr) || verr.Code != policy.CodeValidationError {
		t.Errorf("IAM: got %v, want the character pattern error", err)
	}
}

func TestJSONRepeatedKeyInLargeObject(t *testing.T) {
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf(`"k:%d": "v"`, i))
	}
	ok := doc(allow + `, "Condition": {"StringEquals": {` + strings.Join(keys, ", ") + `}}`)
	d, err := policy.Parse(ok, policy.KindIdentity)
	if err != nil {
		t.Fatalf("40 distinct keys: %v", err)
	}
	if n := len(d.Statements[0].Conditions[0].Keys); n != 40 {
		t.Errorf("%d keys, want 40", n)
	}
	dup := doc(allow + `, "Condition": {"StringEquals": {` + strings.Join(keys, ", ") + `, "k:3": "w"}}`)
	_, err = policy.Parse(dup, policy.KindIdentity)
	var verr *policy.ValidationError
	if !errors.As(err, &verr) || verr.Detail != "element repeated in the same object" {
		t.Errorf("repeated key after 40: %v", err)
	}
	if want := posOf(dup, `"k:3": "w"`); verr == nil || verr.Line != want.Line || verr.Column != want.Column {
		t.Errorf("reported at %v, want %v", verr, want)
	}
}

func TestDocumentTooLong(t *testing.T) {
	text := doc(`"Sid": "` + strings.Repeat("a", 131072) + `", ` + allow)
	_, err := policy.Parse(text, policy.KindIdentity)
	var verr *policy.ValidationError
	if !errors.As(err, &verr) || verr.Code != policy.CodeValidationError || verr.Message != "Member must have length less than or equal to 131072" {
		t.Errorf("IAM: %v", err)
	}
	if _, err := policy.Parse(text, policy.KindSCP); err != nil {
		t.Errorf("an SCP may be longer; only its quota, a separate check, stops it: %v", err)
	}
	long := doc(`"Sid": "` + strings.Repeat("a", 1000000) + `", ` + allow)
	var serr *policy.SizeError
	if _, err := policy.Parse(long, policy.KindSCP); !errors.As(err, &serr) || serr.Message != "You have exceeded the maximum policy size." {
		t.Errorf("SCP: %v", err)
	}
}
