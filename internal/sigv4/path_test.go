package sigv4_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// TestVerifyPaths covers the canonical URI: the path as aws-sdk-go-v2 signs it (as sent,
// escaped once more), and the normalized form the JavaScript SDK and botocore sign.
func TestVerifyPaths(t *testing.T) {
	cases := []struct {
		name     string
		signed   string // the URL the signature is computed over
		sent     string // the request-target on the wire; "" means the signed URL's
		verifies bool
	}{
		{name: "plain", signed: "/detector/abc/findings", verifies: true},
		{name: "escaped characters", signed: "/a%20b/c%2Fd/%C3%A9%2A%21/~x.y_z-", verifies: true},
		{name: "dot segments signed as sent (Go SDK)", signed: "/a/./b/../c", verifies: true},
		{name: "empty segments signed as sent (Go SDK)", signed: "/a//b/", verifies: true},
		{name: "dot segments signed normalized (JS SDK, botocore)", signed: "/a/c", sent: "/a/./b/../c", verifies: true},
		{name: "empty segments signed normalized", signed: "/a/b/", sent: "//a//b//", verifies: true},
		{name: "trailing dot-dot normalizes without the slash", signed: "/a/b", sent: "/a/b/c/..", verifies: true},
		{name: "trailing dot-dot keeps no slash", signed: "/a/b/", sent: "/a/b/c/..", verifies: false},
		{name: "other path", signed: "/a/b", sent: "/a/c", verifies: false},
		{name: "case matters", signed: "/a/b", sent: "/A/b", verifies: false},
		{name: "encoding matters", signed: "/a%2Fb", sent: "/a/b", verifies: false},
	}
	sp := spec{name: "rest", protocol: sigv4.ProtocolRESTJSON, method: http.MethodGet,
		service: "guardduty", region: "us-east-1"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sp.url = "https://guardduty.us-east-1.amazonaws.com" + c.signed
			sr, body := onWire(t, sign(t, sp, signing{}, signOpts{}))
			if c.sent != "" {
				sr.RequestURI = c.sent
			}
			_, err := newVerifier(testStore(), signTime).Verify(context.Background(), sr, body)
			if (err == nil) != c.verifies {
				t.Errorf("Verify(signed %q, sent %q) = %v, want success %v", c.signed, sr.RequestURI, err, c.verifies)
			}
		})
	}
}

// TestVerifyDateHeader signs by hand a request that carries its time in the Date header only,
// which the signature then uses in ISO 8601 basic format.
func TestVerifyDateHeader(t *testing.T) {
	date := signTime.Format(http.TimeFormat)
	scope := "20260314/us-east-1/sts/aws4_request"
	canonical := "GET\n/\nAction=GetCallerIdentity&Version=2011-06-15\n" +
		"date:" + date + "\nhost:sts.amazonaws.com\n\ndate;host\n" + payloadHash("")
	crHash := sha256.Sum256([]byte(canonical))
	sts := "AWS4-HMAC-SHA256\n20260314T150926Z\n" + scope + "\n" + hex.EncodeToString(crHash[:])
	mac := func(key []byte, s string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(s))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+longSecret), "20260314")
	for _, s := range []string{"us-east-1", "sts", "aws4_request"} {
		k = mac(k, s)
	}
	sig := hex.EncodeToString(mac(k, sts))

	r := httptest.NewRequest(http.MethodGet, "http://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	r.Header.Set("Date", date)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+longKeyID+"/"+scope+
		", SignedHeaders=date;host, Signature="+sig)
	res, err := newVerifier(testStore(), signTime.Add(time.Minute)).Verify(context.Background(), r, nil)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !res.Time.Equal(signTime) {
		t.Errorf("time = %v", res.Time)
	}

	// The same request with its parameters separated by commas only, as some clients send.
	r.Header.Set("Authorization", strings.ReplaceAll(r.Header.Get("Authorization"), ", ", ","))
	if _, err := newVerifier(testStore(), signTime).Verify(context.Background(), r, nil); err != nil {
		t.Errorf("comma-separated: %v", err)
	}
}
