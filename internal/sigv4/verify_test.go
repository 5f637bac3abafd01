package sigv4_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

const (
	longKeyID     = "AKIAIOSFODNN7EXAMPLE"
	longSecret    = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tempKeyID     = "ASIAIOSFODNN7EXAMPLE"
	tempSecret    = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
	sessionToken  = "IQoJb3JpZ2luX2VjEMv//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+/=="
	expiredKeyID  = "ASIAEXPIREDEXAMPLE00"
	unknownKeyID  = "AKIAUNKNOWNEXAMPLE00"
	wrongSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY00"
	principalName = "alice"
)

// signTime is when every test request is signed.
var signTime = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func testStore() sigv4.StaticStore {
	return sigv4.StaticStore{
		longKeyID: {AccessKeyID: longKeyID, SecretAccessKey: longSecret, Principal: principalName},
		tempKeyID: {AccessKeyID: tempKeyID, SecretAccessKey: tempSecret, SessionToken: sessionToken,
			Expiration: signTime.Add(time.Hour), Principal: principalName},
		expiredKeyID: {AccessKeyID: expiredKeyID, SecretAccessKey: tempSecret, SessionToken: sessionToken,
			Expiration: signTime.Add(-time.Minute), Principal: principalName},
	}
}

// spec is a request in one of the three protocol styles.
type spec struct {
	name     string
	protocol sigv4.Protocol
	method   string
	url      string
	body     string
	headers  map[string]string
	service  string
	region   string
}

var specs = []spec{
	{
		name: "iam form POST", protocol: sigv4.ProtocolQuery, method: http.MethodPost,
		url:     "https://iam.amazonaws.com/",
		body:    "Action=CreateUser&UserName=alice%2Bbob&Path=%2Fdivision%2F&Version=2010-05-08",
		headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
		service: "iam", region: "us-east-1",
	},
	{
		name: "kms json POST", protocol: sigv4.ProtocolJSON, method: http.MethodPost,
		url:  "https://kms.eu-west-1.amazonaws.com/",
		body: `{"KeyId":"alias/orders","Plaintext":"aGVsbG8="}`,
		headers: map[string]string{
			"Content-Type": "application/x-amz-json-1.1",
			"X-Amz-Target": "TrentService.Encrypt",
			"X-Custom":     "  spaced   out\tvalue  ",
		},
		service: "kms", region: "eu-west-1",
	},
	{
		name: "guardduty rest GET", protocol: sigv4.ProtocolRESTJSON, method: http.MethodGet,
		url: "https://guardduty.us-west-2.amazonaws.com/detector/12ab%20cd%2Fe%3Ff%25g~h.i_j-k%C3%A9%2A/" +
			"findings?maxResults=5&nextToken=a%2Bb%20c%2F&empty=&tag=z&tag=a&%C3%BC=%E2%82%AC&flag",
		headers: map[string]string{"Accept": "application/json"},
		service: "guardduty", region: "us-west-2",
	},
}

// signing is how a test request is signed.
type signing struct {
	presign bool
	temp    bool // with the session token
}

func (s signing) String() string {
	n := "header"
	if s.presign {
		n = "presign"
	}
	if s.temp {
		n += "+token"
	}
	return n
}

var signings = []signing{{false, false}, {false, true}, {true, false}, {true, true}}

func payloadHash(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// clientRequest builds the client-side request of a spec.
func clientRequest(t testing.TB, sp spec) *http.Request {
	t.Helper()
	var body io.Reader
	if sp.body != "" {
		body = strings.NewReader(sp.body)
	}
	r, err := http.NewRequest(sp.method, sp.url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range sp.headers {
		r.Header.Set(k, v)
	}
	return r
}

type signOpts struct {
	keyID, secret, token string
	at                   time.Time
	expires              string // X-Amz-Expires for presigning; "" for none
	payloadHash          string // "" for the body's hash
	region, service      string // override the spec's scope
	declareHash          bool   // send the payload hash as X-Amz-Content-Sha256
}

// sign signs a spec with aws-sdk-go-v2's signer and returns the client request.
func sign(t testing.TB, sp spec, how signing, o signOpts) *http.Request {
	t.Helper()
	if o.keyID == "" {
		o.keyID, o.secret = longKeyID, longSecret
		if how.temp {
			o.keyID, o.secret, o.token = tempKeyID, tempSecret, sessionToken
		}
	}
	if o.at.IsZero() {
		o.at = signTime
	}
	if o.payloadHash == "" {
		o.payloadHash = payloadHash(sp.body)
	}
	region, service := sp.region, sp.service
	if o.region != "" {
		region = o.region
	}
	if o.service != "" {
		service = o.service
	}
	creds := aws.Credentials{AccessKeyID: o.keyID, SecretAccessKey: o.secret, SessionToken: o.token}
	signer := v4.NewSigner()
	r := clientRequest(t, sp)
	if o.declareHash {
		r.Header.Set("X-Amz-Content-Sha256", o.payloadHash)
	}
	if !how.presign {
		if err := signer.SignHTTP(context.Background(), creds, r, o.payloadHash, service, region, o.at); err != nil {
			t.Fatal(err)
		}
		return r
	}
	if o.expires != "" {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", o.expires)
		r.URL.RawQuery = q.Encode()
	}
	signed, hdr, err := signer.PresignHTTP(context.Background(), creds, r, o.payloadHash, service, region, o.at)
	if err != nil {
		t.Fatal(err)
	}
	// The presigned request carries the signed URL, the body and the signed headers only:
	// the signer moved the X-Amz-* headers into the query string.
	var body io.Reader
	if sp.body != "" {
		body = strings.NewReader(sp.body)
	}
	pr, err := http.NewRequest(sp.method, signed, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if !strings.EqualFold(k, "host") {
			pr.Header[k] = v
		}
	}
	return pr
}

// onWire sends a client request through Go's HTTP/1.1 writer and server-side reader, so that
// Verify sees exactly what a Go server would hand it.
func onWire(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(sr.Body)
	if err != nil {
		t.Fatal(err)
	}
	return sr, body
}

func newVerifier(store sigv4.CredentialStore, at time.Time) *sigv4.Verifier {
	return sigv4.NewVerifier(store, func() time.Time { return at })
}

func TestVerifyAcceptsSDKSignatures(t *testing.T) {
	for _, sp := range specs {
		for _, how := range signings {
			t.Run(sp.name+"/"+how.String(), func(t *testing.T) {
				sr, body := onWire(t, sign(t, sp, how, signOpts{expires: "300"}))
				v := newVerifier(testStore(), signTime.Add(2*time.Minute))
				res, err := v.Verify(context.Background(), sr, body)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				wantKey := longKeyID
				if how.temp {
					wantKey = tempKeyID
				}
				if res.Credential.AccessKeyID != wantKey || res.Credential.Principal != principalName {
					t.Errorf("credential = %v, principal %v", res.Credential, res.Credential.Principal)
				}
				want := sigv4.Scope{AccessKeyID: wantKey, Date: "20260314", Region: sp.region, Service: sp.service}
				if res.Scope != want {
					t.Errorf("scope = %+v, want %+v", res.Scope, want)
				}
				if !res.Time.Equal(signTime) || res.Presigned != how.presign {
					t.Errorf("time %v presigned %v", res.Time, res.Presigned)
				}
				if how.presign && !res.Expires.Equal(signTime.Add(300*time.Second)) {
					t.Errorf("expires = %v", res.Expires)
				}
				if !strings.Contains(res.SignedHeaders, "host") {
					t.Errorf("signed headers %q", res.SignedHeaders)
				}
				// The scope the router reads before verification agrees.
				if s, ok := sigv4.ParseScope(sr); !ok || s != want {
					t.Errorf("ParseScope = %+v, %v", s, ok)
				}
			})
		}
	}
}

// wantCodes is the wire code each kind must produce, per protocol family.
var wantCodes = map[sigv4.Protocol]map[sigv4.Kind]string{
	sigv4.ProtocolQuery: {
		sigv4.KindMissingAuthenticationToken: "MissingAuthenticationToken",
		sigv4.KindIncompleteSignature:        "IncompleteSignature",
		sigv4.KindInvalidClientTokenId:       "InvalidClientTokenId",
		sigv4.KindExpiredToken:               "ExpiredToken",
		sigv4.KindSignatureDoesNotMatch:      "SignatureDoesNotMatch",
		sigv4.KindSignatureExpired:           "SignatureDoesNotMatch",
		sigv4.KindRequestExpired:             "RequestExpired",
	},
	sigv4.ProtocolJSON: {
		sigv4.KindMissingAuthenticationToken: "MissingAuthenticationTokenException",
		sigv4.KindIncompleteSignature:        "IncompleteSignatureException",
		sigv4.KindInvalidClientTokenId:       "UnrecognizedClientException",
		sigv4.KindExpiredToken:               "ExpiredTokenException",
		sigv4.KindSignatureDoesNotMatch:      "InvalidSignatureException",
		sigv4.KindSignatureExpired:           "InvalidSignatureException",
		sigv4.KindRequestExpired:             "InvalidSignatureException",
	},
	sigv4.ProtocolRESTJSON: {
		sigv4.KindMissingAuthenticationToken: "MissingAuthenticationTokenException",
		sigv4.KindIncompleteSignature:        "IncompleteSignatureException",
		sigv4.KindInvalidClientTokenId:       "UnrecognizedClientException",
		sigv4.KindExpiredToken:               "ExpiredTokenException",
		sigv4.KindSignatureDoesNotMatch:      "InvalidSignatureException",
		sigv4.KindSignatureExpired:           "InvalidSignatureException",
		sigv4.KindRequestExpired:             "InvalidSignatureException",
	},
}

func setAuthParam(r *http.Request, key, val string) {
	parts := strings.SplitN(r.Header.Get("Authorization"), " ", 2)
	params := strings.Split(parts[1], ", ")
	for i, p := range params {
		if strings.HasPrefix(p, key+"=") {
			params[i] = key + "=" + val
		}
	}
	r.Header.Set("Authorization", parts[0]+" "+strings.Join(params, ", "))
}

func dropAuthParam(r *http.Request, key string) {
	parts := strings.SplitN(r.Header.Get("Authorization"), " ", 2)
	var keep []string
	for _, p := range strings.Split(parts[1], ", ") {
		if !strings.HasPrefix(p, key+"=") {
			keep = append(keep, p)
		}
	}
	r.Header.Set("Authorization", parts[0]+" "+strings.Join(keep, ", "))
}

// setQuery replaces (or with val "" removes) a query parameter, keeping the rest as sent.
func setQuery(r *http.Request, key, val string) {
	var out []string
	found := false
	for _, p := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(p, "=")
		if k == key {
			found = true
			if val != "" {
				out = append(out, key+"="+url.QueryEscape(val))
			}
			continue
		}
		out = append(out, p)
	}
	if !found && val != "" {
		out = append(out, key+"="+url.QueryEscape(val))
	}
	r.URL.RawQuery = strings.Join(out, "&")
	r.RequestURI = r.URL.RequestURI()
}

// scopeEdit rewrites one element of the credential scope in either signing form.
func scopeEdit(idx int, val string) func(*http.Request, *[]byte) {
	return func(r *http.Request, _ *[]byte) {
		var cred string
		if a := r.Header.Get("Authorization"); a != "" {
			i := strings.Index(a, "Credential=") + len("Credential=")
			j := strings.Index(a[i:], ",")
			cred = a[i : i+j]
			parts := strings.Split(cred, "/")
			parts[idx] = val
			r.Header.Set("Authorization", a[:i]+strings.Join(parts, "/")+a[i+j:])
			return
		}
		cred = r.URL.Query().Get("X-Amz-Credential")
		parts := strings.Split(cred, "/")
		parts[idx] = val
		setQuery(r, "X-Amz-Credential", strings.Join(parts, "/"))
	}
}

func TestVerifyRejects(t *testing.T) {
	type tc struct {
		name string
		only string // "header" or "presign": the signing form the case applies to; "" both
		temp bool   // sign with the session token
		opts signOpts
		// now is the server clock relative to signTime; zero means one minute later.
		now    time.Duration
		edit   func(r *http.Request, body *[]byte)
		store  sigv4.CredentialStore
		want   sigv4.Kind
		detail string // a substring of the *Error's message, when it has one
	}
	cases := []tc{
		{name: "changed signed header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Date", signTime.Add(time.Second).Format("20060102T150405Z"))
			if r.Header.Get("Authorization") == "" {
				setQuery(r, "X-Amz-Date", signTime.Add(time.Second).Format("20060102T150405Z"))
			}
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "changed host", edit: func(r *http.Request, _ *[]byte) { r.Host = "evil.example.com" },
			want: sigv4.KindSignatureDoesNotMatch},
		{name: "changed extra signed header", only: "header", edit: func(r *http.Request, _ *[]byte) {
			a := r.Header.Get("Authorization")
			i := strings.Index(a, "SignedHeaders=") + len("SignedHeaders=")
			for _, h := range strings.Split(a[i:i+strings.Index(a[i:], ",")], ";") {
				switch h {
				case "host", "x-amz-date", "x-amz-security-token", "content-length":
				default:
					r.Header.Set(h, r.Header.Get(h)+"x")
					return
				}
			}
			panic("no extra signed header in " + a)
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "changed body", edit: func(_ *http.Request, b *[]byte) {
			*b = append([]byte{}, *b...)
			*b = append(*b, ' ')
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "changed path", edit: func(r *http.Request, _ *[]byte) {
			r.RequestURI = "/other" + r.RequestURI
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "changed query", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "Extra", "1")
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "invalid percent-encoding in the query", edit: func(r *http.Request, _ *[]byte) {
			r.URL.RawQuery += "&bad=%zz"
			r.RequestURI = r.URL.Path + "?" + r.URL.RawQuery
		}, want: sigv4.KindSignatureDoesNotMatch, detail: "not valid percent-encoding"},
		{name: "date changed within skew", only: "header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Date", signTime.Add(5*time.Minute).Format("20060102T150405Z"))
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "date changed within skew", only: "presign", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-Date", signTime.Add(5*time.Minute).Format("20060102T150405Z"))
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "signed 16 minutes ago", only: "header", now: 16 * time.Minute,
			want: sigv4.KindSignatureExpired, detail: "Signature expired: 20260314T150926Z is now earlier than 20260314T151026Z (20260314T152526Z - 15 min.)"},
		{name: "signed 16 minutes ahead", now: -16 * time.Minute,
			want: sigv4.KindSignatureExpired, detail: "Signature not yet current: 20260314T150926Z is still later than"},
		{name: "presigned without X-Amz-Expires, 16 minutes on", only: "presign", now: 16 * time.Minute,
			want: sigv4.KindSignatureExpired, detail: "Signature expired"},
		{name: "presign expired", only: "presign", opts: signOpts{expires: "60"}, now: 61 * time.Second,
			want: sigv4.KindRequestExpired},
		{name: "presign long-lived, still good after a day", only: "presign", opts: signOpts{expires: "604800"},
			now: 24 * time.Hour, want: 0},
		{name: "X-Amz-Expires too large", only: "presign", opts: signOpts{expires: "604801"},
			want: sigv4.KindIncompleteSignature, detail: "less than a week"},
		{name: "X-Amz-Expires zero", only: "presign", opts: signOpts{expires: "0"},
			want: sigv4.KindIncompleteSignature},
		{name: "X-Amz-Expires not a number", only: "presign", opts: signOpts{expires: "soon"},
			want: sigv4.KindIncompleteSignature},
		{name: "scope region changed", edit: scopeEdit(2, "us-east-2"), want: sigv4.KindSignatureDoesNotMatch},
		{name: "scope service changed", edit: scopeEdit(3, "sts"), want: sigv4.KindSignatureDoesNotMatch},
		{name: "scope date changed", edit: scopeEdit(1, "20260313"), want: sigv4.KindSignatureDoesNotMatch,
			detail: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260313' != '20260314', from '20260314T150926Z'."},
		{name: "scope terminator changed", edit: scopeEdit(4, "aws5_request"), want: sigv4.KindSignatureDoesNotMatch,
			detail: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."},
		{name: "signed for another region", opts: signOpts{region: "ap-south-1"}, want: 0}, // CheckScope's job
		{name: "wrong secret", opts: signOpts{keyID: longKeyID, secret: wrongSecret},
			want: sigv4.KindSignatureDoesNotMatch},
		{name: "unknown key", opts: signOpts{keyID: unknownKeyID, secret: longSecret},
			want: sigv4.KindInvalidClientTokenId},
		{name: "expired temporary credentials", opts: signOpts{keyID: expiredKeyID, secret: tempSecret, token: sessionToken},
			want: sigv4.KindExpiredToken},
		{name: "bad session token", opts: signOpts{keyID: tempKeyID, secret: tempSecret, token: sessionToken + "x"},
			want: sigv4.KindInvalidClientTokenId},
		{name: "session token missing", opts: signOpts{keyID: tempKeyID, secret: tempSecret},
			want: sigv4.KindInvalidClientTokenId},
		{name: "session token with a long-term key", opts: signOpts{keyID: longKeyID, secret: longSecret, token: sessionToken},
			want: sigv4.KindInvalidClientTokenId},
		{name: "session token removed after signing", only: "header", temp: true, edit: func(r *http.Request, _ *[]byte) {
			r.Header.Del("X-Amz-Security-Token")
		}, want: sigv4.KindInvalidClientTokenId},
		{name: "missing Signature", only: "header", edit: func(r *http.Request, _ *[]byte) { dropAuthParam(r, "Signature") },
			want: sigv4.KindIncompleteSignature, detail: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential="},
		{name: "missing Credential", only: "header", edit: func(r *http.Request, _ *[]byte) { dropAuthParam(r, "Credential") },
			want: sigv4.KindIncompleteSignature, detail: "Authorization header requires 'Credential' parameter."},
		{name: "missing SignedHeaders", only: "header", edit: func(r *http.Request, _ *[]byte) { dropAuthParam(r, "SignedHeaders") },
			want: sigv4.KindIncompleteSignature, detail: "Authorization header requires 'SignedHeaders' parameter."},
		{name: "missing date", only: "header", edit: func(r *http.Request, _ *[]byte) { r.Header.Del("X-Amz-Date") },
			want: sigv4.KindIncompleteSignature, detail: "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{name: "malformed date", only: "header", edit: func(r *http.Request, _ *[]byte) { r.Header.Set("X-Amz-Date", "2026-03-14T15:09:26Z") },
			want: sigv4.KindIncompleteSignature, detail: "Date must be in ISO-8601 'basic format'. Got '2026-03-14T15:09:26Z'."},
		{name: "pair without equal sign", only: "header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential=", "Credential", 1))
		}, want: sigv4.KindIncompleteSignature, detail: "not a valid key=value pair (missing equal-sign) in Authorization header"},
		{name: "credential with four elements", only: "header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/aws4_request", "", 1))
		}, want: sigv4.KindIncompleteSignature, detail: "Credential must have exactly 5 slash-delimited elements"},
		{name: "unsupported algorithm", only: "header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512", 1))
		}, want: sigv4.KindIncompleteSignature, detail: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."},
		{name: "host not signed", only: "header", edit: func(r *http.Request, _ *[]byte) {
			setAuthParam(r, "SignedHeaders", "x-amz-date")
		}, want: sigv4.KindIncompleteSignature, detail: "'Host' or ':authority' must be a 'SignedHeader'"},
		{name: "host not signed", only: "presign", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-SignedHeaders", "x-amz-date")
		}, want: sigv4.KindIncompleteSignature},
		{name: "signature not hex", only: "header", edit: func(r *http.Request, _ *[]byte) {
			setAuthParam(r, "Signature", strings.Repeat("Z", 64))
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "signature truncated", only: "presign", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-Signature", r.URL.Query().Get("X-Amz-Signature")[:63])
		}, want: sigv4.KindSignatureDoesNotMatch},
		{name: "missing X-Amz-Credential", only: "presign", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-Credential", "")
		}, want: sigv4.KindIncompleteSignature,
			detail: "AWS query-string parameters must include 'X-Amz-Credential'. Re-examine the query-string parameters."},
		{name: "missing X-Amz-Signature", only: "presign", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-Signature", "")
		}, want: sigv4.KindIncompleteSignature, detail: "must include 'X-Amz-Signature'"},
		{name: "no authentication at all", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Del("Authorization")
			for _, k := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Expires"} {
				setQuery(r, k, "")
			}
		}, want: sigv4.KindMissingAuthenticationToken},
		{name: "both header and query", only: "header", edit: func(r *http.Request, _ *[]byte) {
			setQuery(r, "X-Amz-Algorithm", "AWS4-HMAC-SHA256")
		}, want: sigv4.KindSignatureDoesNotMatch, detail: "Found both 'X-Amz-Algorithm'"},
		{name: "wrong declared payload hash", only: "header", edit: func(r *http.Request, _ *[]byte) {
			r.Header.Set("X-Amz-Content-Sha256", payloadHash("something else"))
		}, want: sigv4.KindSignatureDoesNotMatch, detail: "x-amz-content-sha256"},
		{name: "unsigned payload", opts: signOpts{payloadHash: sigv4.UnsignedPayload, declareHash: true},
			want: 0},
		{name: "unsigned payload, body changed", opts: signOpts{payloadHash: sigv4.UnsignedPayload, declareHash: true},
			edit: func(_ *http.Request, b *[]byte) { *b = []byte("anything") }, want: 0}, // as AWS: the body is not signed
		{name: "declared payload hash", opts: signOpts{declareHash: true}, want: 0},
		{name: "declared payload hash, body changed", opts: signOpts{declareHash: true},
			edit: func(_ *http.Request, b *[]byte) { *b = []byte("anything") },
			want: sigv4.KindSignatureDoesNotMatch, detail: "x-amz-content-sha256"},
		{name: "unsigned payload declared after signing", only: "presign", opts: signOpts{payloadHash: sigv4.UnsignedPayload},
			edit: func(r *http.Request, _ *[]byte) { setQuery(r, "X-Amz-Content-Sha256", sigv4.UnsignedPayload) },
			want: sigv4.KindSignatureDoesNotMatch},
		{name: "unsigned payload not declared", opts: signOpts{payloadHash: sigv4.UnsignedPayload},
			want: sigv4.KindSignatureDoesNotMatch},
	}

	for _, sp := range specs {
		for _, c := range cases {
			for _, presign := range []bool{false, true} {
				form := "header"
				if presign {
					form = "presign"
				}
				if c.only != "" && c.only != form {
					continue
				}
				t.Run(sp.name+"/"+form+"/"+c.name, func(t *testing.T) {
					cr := sign(t, sp, signing{presign: presign, temp: c.temp}, c.opts)
					sr, body := onWire(t, cr)
					if c.edit != nil {
						c.edit(sr, &body)
					}
					store := c.store
					if store == nil {
						store = testStore()
					}
					now := c.now
					if now == 0 {
						now = time.Minute
					}
					_, err := newVerifier(store, signTime.Add(now)).Verify(context.Background(), sr, body)
					if c.want == 0 {
						if err != nil {
							t.Fatalf("Verify: %v", err)
						}
						return
					}
					var se *sigv4.Error
					if !errors.As(err, &se) {
						t.Fatalf("Verify = %v, want a *sigv4.Error of kind %v", err, c.want)
					}
					if se.Kind != c.want {
						t.Fatalf("kind = %v (%v), want %v", se.Kind, err, c.want)
					}
					if c.detail != "" && !strings.Contains(se.Message, c.detail) {
						t.Errorf("message %q does not contain %q", se.Message, c.detail)
					}
					ae := sigv4.AWSError(err, sp.protocol)
					if want := wantCodes[sp.protocol][c.want]; ae.Code != want {
						t.Errorf("code = %q, want %q", ae.Code, want)
					}
					if ae.Status != 400 && ae.Status != 403 {
						t.Errorf("status = %d", ae.Status)
					}
					for _, secret := range []string{longSecret, tempSecret, wrongSecret, sessionToken} {
						if strings.Contains(ae.Message, secret) || strings.Contains(err.Error(), secret) {
							t.Errorf("error shows a secret: %v", err)
						}
					}
				})
			}
		}
	}
}

// TestVerifyRequiresSignedTarget: an X-Amz-Target header must be signed, since it names the
// operation of a JSON service.
func TestVerifyRequiresSignedTarget(t *testing.T) {
	for _, sp := range specs {
		t.Run(sp.name, func(t *testing.T) {
			sr, body := onWire(t, sign(t, sp, signing{}, signOpts{}))
			signed := sr.Header.Get("X-Amz-Target") != ""
			sr.Header.Set("X-Amz-Target", "TrentService.Decrypt")
			_, err := newVerifier(testStore(), signTime).Verify(context.Background(), sr, body)
			want := sigv4.KindIncompleteSignature
			if signed {
				want = sigv4.KindSignatureDoesNotMatch
			}
			var se *sigv4.Error
			if !errors.As(err, &se) || se.Kind != want {
				t.Errorf("Verify = %v, want kind %v", err, want)
			}
		})
	}
}
