package signin_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bulwarkhq/bulwark/internal/signin"
)

func TestParseRequest(t *testing.T) {
	tests := []struct {
		name string
		body string
		ok   bool
		root bool
	}{
		{"root", `{"email":"a@example.com","password":"pw"}`, true, true},
		{"root with MFA", `{"email":"a@example.com","password":"pw","mfaCode":"012345"}`, true, true},
		{"user by ID", `{"account":"123456789012","userName":"u","password":"pw"}`, true, false},
		{"user by alias with device", `{"account":"my-corp","userName":"u","password":"pw","mfaCode":"123456","mfaSerialNumber":"arn:aws:iam::123456789012:mfa/u"}`, true, false},
		{"password with tab and latin-1", "{\"email\":\"a@b\",\"password\":\"p\\tw\u00e9\"}", true, true},
		{"password beyond latin-1", `{"email":"a@b","password":"p€"}`, false, false},
		{"password too long", `{"email":"a@b","password":"` + strings.Repeat("a", 129) + `"}`, false, false},
		{"empty password", `{"email":"a@b","password":""}`, false, false},
		{"email without @", `{"email":"ab","password":"pw"}`, false, false},
		{"account without user", `{"account":"123456789012","password":"pw"}`, false, false},
		{"user without account", `{"userName":"u","password":"pw"}`, false, false},
		{"short account", `{"account":"ab","userName":"u","password":"pw"}`, false, false},
		{"control character in name", `{"account":"123456789012","userName":"u\n","password":"pw"}`, false, false},
		{"short MFA code", `{"email":"a@b","password":"pw","mfaCode":"12345"}`, false, false},
		{"number for a string", `{"email":"a@b","password":123}`, false, false},
		{"array", `[]`, false, false},
		{"null", `null`, false, false},
		{"two objects", `{"email":"a@b","password":"pw"}{"email":"a@b","password":"pw"}`, false, false},
		{"unknown member", `{"email":"a@b","password":"pw","x":1}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := signin.ParseRequest(strings.NewReader(tt.body))
			if (err == nil) != tt.ok {
				t.Fatalf("ParseRequest = %+v, %v; want ok %v", r, err, tt.ok)
			}
			if err == nil && r.Root() != tt.root {
				t.Fatalf("Root() = %v", r.Root())
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Fatalf("error repeats the request: %v", err)
			}
		})
	}
}

// FuzzParseRequest checks that the parser never panics, that what it accepts satisfies the
// request's invariants, that an accepted request survives a round trip, and that its errors
// never echo the password.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"email":"a@example.com","password":"pw"}`,
		`{"account":"123456789012","userName":"u","password":"pw","mfaCode":"123456"}`,
		`{"account":"alias","userName":"u","password":"p\u00ff","mfaSerialNumber":"arn:aws:iam::123456789012:mfa/u"}`,
		`{"email":"a@b","account":"x","password":"pw"}`,
		`{"password":"SECRETPW"}`,
		`{"email":"a@b","password":"SECRETPW","mfaCode":"SECRET"}`,
		`{}`, `[]`, `null`, `"x"`, ``, `{"email":1}`, `{"email":"a@b","password":"pw"} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := signin.ParseRequest(bytes.NewReader(data))
		if err != nil {
			if strings.Contains(err.Error(), "SECRETPW") {
				t.Fatalf("error echoes the password: %v", err)
			}
			return
		}
		if r.Password == "" || utf8.RuneCountInString(r.Password) > 128 {
			t.Fatalf("accepted password of %d characters", utf8.RuneCountInString(r.Password))
		}
		if r.Root() == (r.Account != "" || r.UserName != "") {
			t.Fatalf("accepted an ambiguous request: %+v", r)
		}
		if !r.Root() && (r.Account == "" || r.UserName == "") {
			t.Fatalf("accepted an incomplete user request: %+v", r)
		}
		if r.MFACode != "" && (len(r.MFACode) != 6 || strings.Trim(r.MFACode, "0123456789") != "") {
			t.Fatalf("accepted MFA code %q", r.MFACode)
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := signin.ParseRequest(bytes.NewReader(again))
		if err != nil || r2 != r {
			t.Fatalf("round trip: %+v -> %s -> %+v, %v", r, again, r2, err)
		}
	})
}
