package sigv4_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// FuzzVerify feeds arbitrary Authorization headers, query strings (presigning parameters
// included), paths and dates to the parsers. Verify must never panic, must answer every
// malformed request with a *sigv4.Error that maps to a 4xx, and must never accept a request
// it cannot have a valid signature for.
func FuzzVerify(f *testing.F) {
	seeds := []struct{ authz, query, path, date string }{
		{"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260314/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
			"0000000000000000000000000000000000000000000000000000000000000000", "", "/", "20260314T150926Z"},
		{"AWS4-HMAC-SHA256 Credential=a/b/c/d/e,SignedHeaders=host,Signature=zz", "a=1&b=%20", "/x%2Fy", "20260314T150926Z"},
		{"AWS4-HMAC-SHA256", "", "/", ""},
		{"Basic dXNlcjpwYXNz", "", "/", "20260314T150926Z"},
		{"AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;;, Signature==", "", "//./../", "2026031T150926Z"},
		{"", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260314%2Fus-east-1%2Fsts%2Faws4_request" +
			"&X-Amz-Date=20260314T150926Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "/", ""},
		{"", "X-Amz-Algorithm=&X-Amz-Expires=-1&X-Amz-Expires=99999999999999999999&%zz=1&+=+", "/", ""},
		{"", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261340T250000Z&X-Amz-Credential=a%2F20261340%2Fr%2Fs%2Faws4_request" +
			"&X-Amz-SignedHeaders=host&X-Amz-Signature=ab&X-Amz-Security-Token=t", "/", ""},
	}
	for _, s := range seeds {
		f.Add(s.authz, s.query, s.path, s.date)
	}
	v := sigv4.NewVerifier(testStore(), func() time.Time { return signTime })
	f.Fuzz(func(t *testing.T, authz, query, path, date string) {
		r := &http.Request{
			Method:     http.MethodPost,
			URL:        &url.URL{Path: path, RawQuery: query},
			Host:       "iam.amazonaws.com",
			Header:     http.Header{},
			RequestURI: path + "?" + query,
		}
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		r.Header.Set("X-Amz-Target", date)
		sigv4.ParseScope(r)
		res, err := v.Verify(context.Background(), r, []byte(query))
		if err == nil {
			t.Fatalf("accepted a request without a valid signature: %+v", res)
		}
		var se *sigv4.Error
		if !errors.As(err, &se) {
			t.Fatalf("Verify = %v, not a *sigv4.Error", err)
		}
		for _, p := range []sigv4.Protocol{sigv4.ProtocolQuery, sigv4.ProtocolJSON, sigv4.ProtocolRESTJSON} {
			if ae := sigv4.AWSError(err, p); ae.Status >= 500 || ae.Code == "" {
				t.Fatalf("%s: %+v", p, ae)
			}
		}
	})
}
