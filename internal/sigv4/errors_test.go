package sigv4_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

func TestAWSErrorTable(t *testing.T) {
	const (
		mismatch = "The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
		invalid    = "The security token included in the request is invalid."
		expiredTok = "The security token included in the request is expired"
		incomplete = "The request signature does not conform to AWS standards."
	)
	type row struct {
		code   string
		status int
		msg    string // the message sent for an *Error without a detail
	}
	want := map[sigv4.Protocol]map[sigv4.Kind]row{
		sigv4.ProtocolQuery: {
			sigv4.KindMissingAuthenticationToken: {"MissingAuthenticationToken", 403, "Request is missing Authentication Token"},
			sigv4.KindIncompleteSignature:        {"IncompleteSignature", 400, incomplete},
			sigv4.KindInvalidClientTokenId:       {"InvalidClientTokenId", 403, invalid},
			sigv4.KindExpiredToken:               {"ExpiredToken", 403, expiredTok},
			sigv4.KindSignatureDoesNotMatch:      {"SignatureDoesNotMatch", 403, mismatch},
			sigv4.KindSignatureExpired:           {"SignatureDoesNotMatch", 403, mismatch},
			sigv4.KindRequestExpired:             {"RequestExpired", 400, "Request has expired."},
		},
		sigv4.ProtocolJSON: {
			sigv4.KindMissingAuthenticationToken: {"MissingAuthenticationTokenException", 400, "Missing Authentication Token"},
			sigv4.KindIncompleteSignature:        {"IncompleteSignatureException", 400, incomplete},
			sigv4.KindInvalidClientTokenId:       {"UnrecognizedClientException", 400, invalid},
			sigv4.KindExpiredToken:               {"ExpiredTokenException", 400, expiredTok},
			sigv4.KindSignatureDoesNotMatch:      {"InvalidSignatureException", 400, mismatch},
			sigv4.KindSignatureExpired:           {"InvalidSignatureException", 400, mismatch},
			sigv4.KindRequestExpired:             {"InvalidSignatureException", 400, "Request has expired."},
		},
		sigv4.ProtocolRESTJSON: {
			sigv4.KindMissingAuthenticationToken: {"MissingAuthenticationTokenException", 403, "Missing Authentication Token"},
			sigv4.KindIncompleteSignature:        {"IncompleteSignatureException", 403, incomplete},
			sigv4.KindInvalidClientTokenId:       {"UnrecognizedClientException", 403, invalid},
			sigv4.KindExpiredToken:               {"ExpiredTokenException", 403, expiredTok},
			sigv4.KindSignatureDoesNotMatch:      {"InvalidSignatureException", 403, mismatch},
			sigv4.KindSignatureExpired:           {"InvalidSignatureException", 403, mismatch},
			sigv4.KindRequestExpired:             {"InvalidSignatureException", 403, "Request has expired."},
		},
	}
	for p, rows := range want {
		for k, w := range rows {
			t.Run(fmt.Sprintf("%s/%v", p, k), func(t *testing.T) {
				e := &sigv4.Error{Kind: k}
				got := sigv4.AWSError(e, p)
				if got.Code != w.code || got.Status != w.status || got.Message != w.msg {
					t.Errorf("got %s %d %q, want %s %d %q", got.Code, got.Status, got.Message, w.code, w.status, w.msg)
				}
				var back *sigv4.Error
				if !errors.As(got, &back) || back != e {
					t.Error("the *awserr.Error does not unwrap to the *sigv4.Error")
				}
				// A detail replaces the standard message, except where AWS sends a fixed text.
				d := sigv4.AWSError(fmt.Errorf("wrapped: %w", &sigv4.Error{Kind: k, Message: "detail"}), p)
				fixed := k == sigv4.KindMissingAuthenticationToken || k == sigv4.KindInvalidClientTokenId ||
					k == sigv4.KindExpiredToken || (k == sigv4.KindRequestExpired && p == sigv4.ProtocolQuery)
				if wantMsg := map[bool]string{true: w.msg, false: "detail"}[fixed]; d.Message != wantMsg {
					t.Errorf("with detail: message %q, want %q", d.Message, wantMsg)
				}
			})
		}
	}
	// An unknown protocol answers like awsJson.
	if got := sigv4.AWSError(&sigv4.Error{Kind: sigv4.KindInvalidClientTokenId}, "ec2"); got.Code != "UnrecognizedClientException" {
		t.Errorf("unknown protocol: %s", got.Code)
	}
}

func TestAWSErrorOfOtherErrors(t *testing.T) {
	got := sigv4.AWSError(errors.New("disk on fire"), sigv4.ProtocolQuery)
	if got.Code != "InternalFailure" || got.Status != 500 || strings.Contains(got.Message, "fire") {
		t.Errorf("got %+v", got)
	}
	// awserr.From on a bare *sigv4.Error still answers with a 4xx (the query mapping).
	if got := awserr.From(&sigv4.Error{Kind: sigv4.KindSignatureDoesNotMatch}); got.Code != "SignatureDoesNotMatch" || got.Status != 403 {
		t.Errorf("awserr.From = %+v", got)
	}
}

type failingStore struct{ err error }

func (f failingStore) LookupAccessKey(context.Context, string) (sigv4.Credential, error) {
	return sigv4.Credential{}, f.err
}

func TestVerifyStoreErrors(t *testing.T) {
	sp := specs[1]
	cause := errors.New("backend unavailable")
	for _, c := range []struct {
		name     string
		err      error
		wantCode string
	}{
		{"unknown key, wrapped", fmt.Errorf("no such key %q: %w", longKeyID, sigv4.ErrUnknownAccessKey), "UnrecognizedClientException"},
		{"backend failure", cause, "InternalFailure"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sr, body := onWire(t, sign(t, sp, signing{}, signOpts{}))
			_, err := newVerifier(failingStore{c.err}, signTime).Verify(context.Background(), sr, body)
			if !errors.Is(err, c.err) {
				t.Errorf("Verify = %v, does not wrap %v", err, c.err)
			}
			if got := sigv4.AWSError(err, sp.protocol); got.Code != c.wantCode {
				t.Errorf("code = %s, want %s", got.Code, c.wantCode)
			}
		})
	}
}

func TestCheckScope(t *testing.T) {
	regions := func(r string) bool { return r == "us-east-1" || r == "eu-west-1" }
	s := sigv4.Scope{AccessKeyID: longKeyID, Date: "20260314", Region: "eu-west-1", Service: "kms"}
	if err := sigv4.CheckScope(s, "kms", regions); err != nil {
		t.Errorf("good scope: %v", err)
	}
	if err := sigv4.CheckScope(s, "kms", nil); err != nil {
		t.Errorf("any region: %v", err)
	}
	for _, c := range []struct {
		region, service, want string
	}{
		{"mars-1", "kms", "Credential should be scoped to a valid region, not 'mars-1'."},
		{"eu-west-1", "sts", "Credential should be scoped to correct service: 'kms'."},
		{"", "sts", "Credential should be scoped to a valid region, not ''. Credential should be scoped to correct service: 'kms'."},
	} {
		s.Region, s.Service = c.region, c.service
		err := sigv4.CheckScope(s, "kms", regions)
		var se *sigv4.Error
		if !errors.As(err, &se) || se.Kind != sigv4.KindSignatureDoesNotMatch || se.Message != c.want {
			t.Errorf("CheckScope(%q, %q) = %v, want %q", c.region, c.service, err, c.want)
		}
		if got := sigv4.AWSError(err, sigv4.ProtocolJSON); got.Code != "InvalidSignatureException" || got.Message != c.want {
			t.Errorf("wire error %+v", got)
		}
	}
}

func TestParseScope(t *testing.T) {
	for _, c := range []struct {
		name, authz, query string
		want               sigv4.Scope
		ok                 bool
	}{
		{name: "header", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00",
			want: sigv4.Scope{AccessKeyID: "AKID", Date: "20260101", Region: "us-east-1", Service: "iam"}, ok: true},
		{name: "header, commas only", authz: "AWS4-HMAC-SHA256 SignedHeaders=host,Credential=AKID/20260101/eu-west-1/kms/aws4_request",
			want: sigv4.Scope{AccessKeyID: "AKID", Date: "20260101", Region: "eu-west-1", Service: "kms"}, ok: true},
		{name: "query", query: "Action=GetCallerIdentity&X-Amz-Credential=AKID%2F20260101%2Fus-east-1%2Fsts%2Faws4_request",
			want: sigv4.Scope{AccessKeyID: "AKID", Date: "20260101", Region: "us-east-1", Service: "sts"}, ok: true},
		{name: "short credential", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam"},
		{name: "long credential", authz: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request/x"},
		{name: "bad escape", query: "X-Amz-Credential=AKID%ZZ"},
		{name: "nothing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://example.com/?"+c.query, nil)
			if c.authz != "" {
				r.Header.Set("Authorization", c.authz)
			}
			got, ok := sigv4.ParseScope(r)
			if ok != c.ok || got != c.want {
				t.Errorf("ParseScope = %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestCredentialPrintsNoSecret(t *testing.T) {
	c := sigv4.Credential{AccessKeyID: longKeyID, SecretAccessKey: longSecret, SessionToken: sessionToken}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, c); strings.Contains(s, longSecret) || strings.Contains(s, sessionToken) {
			t.Errorf("%s shows a secret: %s", f, s)
		}
	}
}

func TestKindString(t *testing.T) {
	if s := sigv4.KindRequestExpired.String(); s != "RequestExpired" {
		t.Errorf("String = %q", s)
	}
	if s := sigv4.Kind(42).String(); s != "Kind(42)" {
		t.Errorf("String = %q", s)
	}
}
