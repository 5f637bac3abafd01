package awsjson_test

import (
	"encoding/json"
	"testing"

	kmsapi "github.com/bulwarkhq/bulwark/internal/api/kms"
	wafapi "github.com/bulwarkhq/bulwark/internal/api/wafv2"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsjson"
	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
)

func TestDecodeTypesAndErrors(t *testing.T) {
	tests := []struct {
		body    string
		wantErr bool
	}{
		{`{"KeyId":"k","Plaintext":"aGVsbG8=","EncryptionContext":{"a":"b"},"GrantTokens":["t"]}`, false},
		{`{"KeyId":1}`, true},
		{`{"Plaintext":"not base64!"}`, true},
		{`{"EncryptionContext":[]}`, true},
		{`{"KeyId":null}`, false},
		{`[]`, true},
	}
	for _, tt := range tests {
		v, err := jsonv.Parse([]byte(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		var in kmsapi.EncryptInput
		err = in.DecodeJSON(v, "")
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v, wantErr %v", tt.body, err, tt.wantErr)
		}
		if in.Plaintext != nil && string(in.Plaintext) != "hello" {
			t.Errorf("Plaintext = %q, want the base64-decoded bytes", in.Plaintext)
		}
	}
}

func TestAuditEncodingRedactsSensitiveMembers(t *testing.T) {
	in := &kmsapi.EncryptInput{KeyId: ptr("alias/x"), Plaintext: []byte("top secret")}
	e := jsonv.NewEncoder(nil)
	e.Audit = true
	in.EncodeJSON(e)
	if got := string(e.Bytes()); got != `{"keyId":"alias/x","plaintext":"HIDDEN_DUE_TO_SECURITY_REASONS"}` {
		t.Errorf("audit JSON = %s", got)
	}
	e = jsonv.NewEncoder(nil)
	in.EncodeJSON(e)
	if got := string(e.Bytes()); got != `{"KeyId":"alias/x","Plaintext":"dG9wIHNlY3JldA=="}` {
		t.Errorf("wire JSON = %s", got)
	}
}

func ptr(s string) *string { return &s }

// FuzzJSONDecode feeds arbitrary bodies to generated JSON decoders, including WAFv2's deeply
// recursive rule statements: they must never panic, and what they accept re-encodes as valid
// JSON.
func FuzzJSONDecode(f *testing.F) {
	f.Add(`{"KeyId":"k","Plaintext":"aGk=","EncryptionContext":{"a":"b"}}`)
	f.Add(`{"Name":"acl","Scope":"REGIONAL","DefaultAction":{"Allow":{}},"Rules":[{"Name":"r","Priority":1,"Statement":{"AndStatement":{"Statements":[{"ByteMatchStatement":{"SearchString":"YQ==","FieldToMatch":{"UriPath":{}},"TextTransformations":[{"Priority":0,"Type":"NONE"}],"PositionalConstraint":"CONTAINS"}}]}},"VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":false,"MetricName":"m"}}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		v, err := jsonv.Parse([]byte(body))
		if err != nil {
			return
		}
		inputs := []interface {
			protocol.Input
			awsjson.Decodable
		}{new(kmsapi.EncryptInput), new(kmsapi.CreateKeyInput), new(wafapi.CreateWebACLInput)}
		for _, in := range inputs {
			if err := in.DecodeJSON(v, ""); err != nil {
				continue
			}
			_ = in.Validate()
			for _, audit := range []bool{false, true} {
				e := jsonv.NewEncoder(nil)
				e.Audit = audit
				in.EncodeJSON(e)
				if !json.Valid(e.Bytes()) {
					t.Fatalf("invalid JSON %s", e.Bytes())
				}
			}
		}
	})
}
