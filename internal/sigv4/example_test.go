package sigv4_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// TestVerifyAWSDocumentationExample checks the worked example of the AWS General Reference
// ("Create a canonical request for Signature Version 4" and the pages after it): IAM
// ListUsers signed by AKIDEXAMPLE on 2015-08-30, an answer computed without the SDK.
func TestVerifyAWSDocumentationExample(t *testing.T) {
	store := sigv4.StaticStore{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}}
	r := httptest.NewRequest(http.MethodGet, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08", nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date, "+
		"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
	at := time.Date(2015, 8, 30, 12, 40, 0, 0, time.UTC)
	res, err := sigv4.NewVerifier(store, func() time.Time { return at }).Verify(context.Background(), r, nil)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Credential.SecretAccessKey != "" {
		t.Error("the result carries the secret")
	}
}

// ExampleVerifier shows the authenticate step of the pipeline: route by the scope, verify,
// check the scope against the route, and answer failures in the route's protocol.
func ExampleVerifier() {
	store := sigv4.StaticStore{"AKIDEXAMPLE": {AccessKeyID: "AKIDEXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Principal: "arn:aws:iam::123456789012:user/alice"}}
	v := sigv4.NewVerifier(store, time.Now)

	authenticate := func(r *http.Request, body []byte) (*sigv4.Result, error) {
		scope, _ := sigv4.ParseScope(r) // the router picks the service by scope.Service
		protocol := sigv4.ProtocolQuery // ... and knows its protocol family
		res, err := v.Verify(r.Context(), r, body)
		if err == nil {
			err = sigv4.CheckScope(res.Scope, scope.Service, func(region string) bool { return region == "us-east-1" })
		}
		if err != nil {
			return nil, sigv4.AWSError(err, protocol) // an *awserr.Error with AWS's code and status
		}
		return res, nil
	}
	_ = authenticate
}
