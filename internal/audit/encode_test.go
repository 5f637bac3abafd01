package audit_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
)

func fullEvent() *audit.Event {
	return &audit.Event{
		UserIdentity: audit.UserIdentity{
			Type:        audit.IdentityAssumedRole,
			PrincipalID: "AROAEXAMPLE:deploy",
			ARN:         "arn:aws:sts::111111111111:assumed-role/Deployer/deploy",
			AccountID:   "111111111111",
			AccessKeyID: "ASIAEXAMPLE",
			SessionContext: &audit.SessionContext{
				SessionIssuer: &audit.SessionIssuer{
					Type: "Role", PrincipalID: "AROAEXAMPLE",
					ARN:       "arn:aws:iam::111111111111:role/Deployer",
					AccountID: "111111111111", UserName: "Deployer",
				},
				CreationDate:     time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC),
				MFAAuthenticated: true,
			},
		},
		EventTime:          time.Date(2026, 3, 1, 12, 0, 0, 987654321, time.FixedZone("X", 3600)),
		EventSource:        "iam.amazonaws.com",
		EventName:          "CreateUser",
		AWSRegion:          "us-east-1",
		SourceIPAddress:    "192.0.2.1",
		UserAgent:          "aws-cli/2.15.0",
		ErrorCode:          "EntityAlreadyExists",
		ErrorMessage:       "User with name bob already exists.",
		RequestParameters:  []byte(`{ "userName" : "bob" }`),
		RequestID:          "req-1",
		EventID:            "11111111-2222-4333-8444-555555555555",
		Resources:          []audit.Resource{{ARN: "arn:aws:iam::111111111111:user/bob", AccountID: "111111111111", Type: "AWS::IAM::User", Name: "bob"}},
		APIVersion:         "2010-05-08",
		RecipientAccountID: "111111111111",
		TLSDetails: &audit.TLSDetails{TLSVersion: "TLSv1.3", CipherSuite: "TLS_AES_128_GCM_SHA256",
			ClientProvidedHostHeader: "localhost:4566"},
		SessionCredentialFromConsole: true,
	}
}

func TestAppendJSONGolden(t *testing.T) {
	got, err := fullEvent().AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"eventVersion":"1.11","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:deploy",` +
		`"arn":"arn:aws:sts::111111111111:assumed-role/Deployer/deploy","accountId":"111111111111",` +
		`"accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",` +
		`"arn":"arn:aws:iam::111111111111:role/Deployer","accountId":"111111111111","userName":"Deployer"},` +
		`"attributes":{"creationDate":"2026-03-01T11:00:00Z","mfaAuthenticated":"true"}}},` +
		`"eventTime":"2026-03-01T11:00:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser",` +
		`"awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"aws-cli/2.15.0",` +
		`"errorCode":"EntityAlreadyExists","errorMessage":"User with name bob already exists.",` +
		`"requestParameters":{"userName":"bob"},"responseElements":null,"requestID":"req-1",` +
		`"eventID":"11111111-2222-4333-8444-555555555555","readOnly":false,` +
		`"resources":[{"ARN":"arn:aws:iam::111111111111:user/bob","accountId":"111111111111","type":"AWS::IAM::User"}],` +
		`"eventType":"AwsApiCall","apiVersion":"2010-05-08","managementEvent":true,"recipientAccountId":"111111111111",` +
		`"eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256",` +
		`"clientProvidedHostHeader":"localhost:4566"},"sessionCredentialFromConsole":"true"}`
	if string(got) != want {
		t.Errorf("AppendJSON:\n got %s\nwant %s", got, want)
	}
}

func TestAppendJSONMinimal(t *testing.T) {
	e := &audit.Event{EventTime: t0, EventSource: "kms.amazonaws.com", EventName: "ListKeys", ReadOnly: true}
	got, err := e.AppendJSON([]byte("prefix:"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "prefix:") {
		t.Fatalf("dst prefix lost: %s", got)
	}
	var m map[string]any
	if err := json.Unmarshal(got[len("prefix:"):], &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	checks := map[string]any{
		"eventVersion": "1.11", "eventType": "AwsApiCall", "managementEvent": true,
		"eventCategory": "Management", "readOnly": true, "requestParameters": nil,
		"responseElements": nil, "eventTime": "2026-03-01T12:00:00Z",
		"userIdentity": map[string]any{"type": "Unknown"},
	}
	for k, want := range checks {
		if got, ok := m[k]; !ok || !jsonEqual(got, want) {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, want)
		}
	}
	for _, absent := range []string{"errorCode", "errorMessage", "resources", "tlsDetails", "additionalEventData", "apiVersion"} {
		if _, ok := m[absent]; ok {
			t.Errorf("%s present in minimal event", absent)
		}
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestAppendJSONStrings(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "aws-cli/2", "aws-cli/2"},
		{"quote and backslash", `a"b\c`, `a"b\c`},
		{"controls", "a\nb\tc\x01\x1f", "a\nb\tc\x01\x1f"},
		{"html kept", "<a&b>", "<a&b>"},
		{"unicode", "naïve ☃ 𝄞", "naïve ☃ 𝄞"},
		{"line separators", "a\u2028b\u2029c", "a\u2028b\u2029c"},
		{"invalid utf8", "a\xffb\xc3", "a\ufffdb\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &audit.Event{EventTime: t0, UserAgent: tt.in}
			b, err := e.AppendJSON(nil)
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				UserAgent string `json:"userAgent"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("not JSON: %v\n%q", err, b)
			}
			if m.UserAgent != tt.want {
				t.Errorf("userAgent = %q, want %q", m.UserAgent, tt.want)
			}
			if strings.ContainsAny(string(b), "\u2028\u2029\n") {
				t.Errorf("raw separator or newline in output %q", b)
			}
		})
	}
}

func TestAppendJSONInvalidRaw(t *testing.T) {
	for _, field := range []string{"requestParameters", "responseElements", "additionalEventData"} {
		t.Run(field, func(t *testing.T) {
			e := &audit.Event{EventTime: t0}
			bad := []byte(`{"a":`)
			switch field {
			case "requestParameters":
				e.RequestParameters = bad
			case "responseElements":
				e.ResponseElements = bad
			default:
				e.AdditionalEventData = bad
			}
			dst := []byte("keep")
			out, err := e.AppendJSON(dst)
			if !errors.Is(err, audit.ErrInvalidJSON) || !strings.Contains(err.Error(), field) {
				t.Fatalf("err = %v, want ErrInvalidJSON naming %s", err, field)
			}
			if string(out) != "keep" {
				t.Errorf("dst = %q, want it unchanged", out)
			}
		})
	}
}

func TestLookupUsername(t *testing.T) {
	tests := []struct {
		name string
		id   audit.UserIdentity
		want string
	}{
		{"root", audit.UserIdentity{Type: audit.IdentityRoot, ARN: "arn:aws:iam::1:root", UserName: "my-alias"}, "root"},
		{"iam user", iamUser("1", "alice", "AKIA1"), "alice"},
		{"assumed role", audit.UserIdentity{Type: audit.IdentityAssumedRole, ARN: "arn:aws:sts::1:assumed-role/R/sess"}, "sess"},
		{"federated", audit.UserIdentity{Type: audit.IdentityFederatedUser, ARN: "arn:aws:sts::1:federated-user/fed"}, "fed"},
		{"service", audit.UserIdentity{Type: audit.IdentityAWSService, InvokedBy: "kms.amazonaws.com"}, "kms.amazonaws.com"},
		{"unknown", audit.UserIdentity{Type: audit.IdentityUnknown}, ""},
	}
	for _, tt := range tests {
		e := audit.Event{UserIdentity: tt.id}
		if got := e.LookupUsername(); got != tt.want {
			t.Errorf("%s: LookupUsername = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// FuzzAppendJSONString checks that any string field encodes to valid JSON that decodes to what
// encoding/json would round-trip.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c\n", "\x00\x1f\x7f", "\xff\xfe", "é\u2028☃𝄞", "12345678\"12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := &audit.Event{EventTime: t0, UserAgent: s, EventName: s}
		b, err := e.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			UserAgent string `json:"userAgent"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("invalid JSON for %q: %v\n%s", s, err, b)
		}
		ref, _ := json.Marshal(s)
		var want string
		_ = json.Unmarshal(ref, &want)
		if m.UserAgent != want {
			t.Fatalf("round trip of %q = %q, want %q", s, m.UserAgent, want)
		}
	})
}
