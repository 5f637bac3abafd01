package audit_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/audit"
)

const hidden = `"HIDDEN_DUE_TO_SECURITY_REASONS"`

func TestAppendScrubbed(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"no secrets", `{"userName":"bob","path":"/"}`, `{"userName":"bob","path":"/"}`},
		{"whitespace dropped", " {\n \"a\" : [ 1 , 2.5e-3 , true , null ] }\t", `{"a":[1,2.5e-3,true,null]}`},
		{"scalars", `"x"`, `"x"`},
		{"password", `{"userName":"bob","password":"hunter2"}`, `{"userName":"bob","password":` + hidden + `}`},
		{"awsQuery case", `{"Password":"hunter2","NewPassword":"x","OldPassword":"y"}`,
			`{"Password":` + hidden + `,"NewPassword":` + hidden + `,"OldPassword":` + hidden + `}`},
		{"nested credentials", `{"credentials":{"accessKeyId":"ASIA1","secretAccessKey":"s3cr3t","sessionToken":"tok","expiration":"2026"}}`,
			`{"credentials":{"accessKeyId":"ASIA1","secretAccessKey":` + hidden + `,"sessionToken":` + hidden + `,"expiration":"2026"}}`},
		{"inside array", `{"keys":[{"SecretAccessKey":"a"},{"SecretAccessKey":"b"}]}`,
			`{"keys":[{"SecretAccessKey":` + hidden + `},{"SecretAccessKey":` + hidden + `}]}`},
		{"non-string secret", `{"plaintext":{"deep":[1,{"x":"y"}]},"privateKey":123,"base32StringSeed":null}`,
			`{"plaintext":` + hidden + `,"privateKey":` + hidden + `,"base32StringSeed":` + hidden + `}`},
		{"virtual mfa", `{"virtualMFADevice":{"serialNumber":"arn","base32StringSeed":"QUJD","qRCodePNG":"iVBOR"}}`,
			`{"virtualMFADevice":{"serialNumber":"arn","base32StringSeed":` + hidden + `,"qRCodePNG":` + hidden + `}}`},
		{"escaped name", `{"Pass\u0077ord":"hunter2"}`, `{"Pass\u0077ord":` + hidden + `}`},
		{"secret-looking value kept", `{"note":"password"}`, `{"note":"password"}`},
		{"longer name kept", `{"passwordPolicy":{"minimumPasswordLength":8}}`, `{"passwordPolicy":{"minimumPasswordLength":8}}`},
		{"empty containers", `{"a":{},"b":[]}`, `{"a":{},"b":[]}`},
		{"string escapes kept", `{"a":"x\"y\\z\u00e9\n"}`, `{"a":"x\"y\\z\u00e9\n"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := audit.AppendScrubbed([]byte("pre:"), []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "pre:"+tt.want {
				t.Errorf("got  %s\nwant pre:%s", got, tt.want)
			}
		})
	}
}

func TestAppendScrubbedInvalid(t *testing.T) {
	for _, in := range []string{
		``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{a:1}`, `"abc`,
		`"a\x"`, `"\u12"`, "\"a\x01\"", `01`, `1.`, `1e`, `-`, `+1`, `tru`, `nul`, `{} {}`,
		`{"password":"unterminated}`, `{"password":[1,}`, strings.Repeat("[", 600) + strings.Repeat("]", 600),
	} {
		out, err := audit.AppendScrubbed([]byte("keep"), []byte(in))
		if !errors.Is(err, audit.ErrInvalidJSON) {
			t.Errorf("%.40q: err = %v, want ErrInvalidJSON", in, err)
		}
		if string(out) != "keep" {
			t.Errorf("%.40q: dst = %q, want unchanged", in, out)
		}
	}
}

func TestIsSecretField(t *testing.T) {
	for name, want := range map[string]bool{
		"SecretAccessKey": true, "secretaccesskey": true, "SESSIONTOKEN": true, "Plaintext": true,
		"QRCodePNG": true, "AccessKeyId": false, "UserName": false, "": false,
		strings.Repeat("a", 100): false,
	} {
		if got := audit.IsSecretField([]byte(name)); got != want {
			t.Errorf("IsSecretField(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzAppendScrubbed checks that the scrubber never panics, accepts exactly valid JSON (within
// its depth limit), emits valid JSON, leaves no secret member unhidden, and is idempotent.
func FuzzAppendScrubbed(f *testing.F) {
	for _, s := range []string{
		`{"password":"x"}`, `{"a":[{"SecretAccessKey":"k"}],"b":1.5e3}`, `[]`, `"s"`, `{"Pass\u0077ord":1}`,
		`{"a":{"b":{"sessionToken":{"c":[1,2]}}}}`, `{"x":"\ud800"}`, "{\"a\":\"\xff\"}", `{`, `nul`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, err := audit.AppendScrubbed(nil, src)
		valid := json.Valid(src)
		if err != nil {
			if !errors.Is(err, audit.ErrInvalidJSON) {
				t.Fatalf("error does not wrap ErrInvalidJSON: %v", err)
			}
			if valid && bytes.Count(src, []byte("["))+bytes.Count(src, []byte("{")) <= 512 {
				t.Fatalf("rejected valid JSON %q: %v", src, err)
			}
			return
		}
		if !valid {
			t.Fatalf("accepted invalid JSON %q", src)
		}
		if !json.Valid(out) {
			t.Fatalf("output is not JSON: %q -> %q", src, out)
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber() // numbers beyond float64 are valid JSON
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		checkNoSecrets(t, v)
		again, err := audit.AppendScrubbed(nil, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q -> %q (%v)", out, again, err)
		}
	})
}

func checkNoSecrets(t *testing.T, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if audit.IsSecretField([]byte(k)) {
				if x != audit.HiddenValue {
					t.Fatalf("secret member %q kept value %v", k, x)
				}
				continue
			}
			checkNoSecrets(t, x)
		}
	case []any:
		for _, x := range v {
			checkNoSecrets(t, x)
		}
	}
}
