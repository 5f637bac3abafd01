// Package sigv4 verifies AWS Signature Version 4 on incoming requests, server side: the
// Authorization header form and the presigned query-string form, with or without a session
// token, exactly as the AWS SDKs sign them.
//
// The package asks a CredentialStore for the secret behind an access key ID and never logs or
// returns a secret. It returns *Error values that carry a Kind; AWSError turns one into the
// *awserr.Error (code, status, message) AWS sends for the caller's protocol family, because
// IAM and STS (awsQuery) name the same failure differently from KMS (awsJson) or GuardDuty
// (restJson). ParseScope reads the credential scope before verification so that the router
// can route by service name first.
//
// Verification runs on every request, so the hot path does not use fmt, keeps derived signing
// keys in a small bounded cache, reuses buffers and hashes with sha256.Sum256; a typical
// request costs one allocation (the *Result).
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Algorithm is the only signing algorithm Bulwark accepts.
const Algorithm = "AWS4-HMAC-SHA256"

// UnsignedPayload is the X-Amz-Content-Sha256 value of a request whose body is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// MaxClockSkew is how far a request's X-Amz-Date may lie from the server clock, either way
// (AWS: "Signature expired: ... (... - 15 min.)").
const MaxClockSkew = 15 * time.Minute

// MaxPresignExpires is the largest X-Amz-Expires a presigned request may carry: seven days,
// in seconds.
const MaxPresignExpires = 604800

// ErrUnknownAccessKey is what a CredentialStore returns (or wraps) for an access key ID that
// does not exist or is not active. Verify answers it with KindInvalidClientTokenId.
var ErrUnknownAccessKey = errors.New("sigv4: unknown access key")

// Credential is an access key as the CredentialStore knows it.
type Credential struct {
	// AccessKeyID is the key's ID, such as "AKIAIOSFODNN7EXAMPLE".
	AccessKeyID string
	// SecretAccessKey is the secret the signature is made with. It never leaves the package.
	SecretAccessKey string
	// SessionToken is the token of temporary credentials; "" for long-term keys. A request
	// must carry X-Amz-Security-Token exactly when this is set, and it must match.
	SessionToken string
	// Expiration is when temporary credentials stop working; the zero time never expires.
	Expiration time.Time
	// Principal is opaque to this package and handed back in Result.
	Principal any
}

// String implements fmt.Stringer without the secret or the session token, so that a
// Credential printed by mistake leaks nothing.
func (c Credential) String() string {
	return "sigv4.Credential{AccessKeyID:" + c.AccessKeyID + "}"
}

// GoString implements fmt.GoStringer like String, so that %#v hides the secret too.
func (c Credential) GoString() string { return c.String() }

// CredentialStore finds the credential behind an access key ID. It returns an error that
// wraps ErrUnknownAccessKey for a key that does not exist or is inactive; any other error is
// treated as an internal failure. It is called on every request, so implementations cache.
type CredentialStore interface {
	LookupAccessKey(ctx context.Context, accessKeyID string) (Credential, error)
}

// SessionCredentialStore is a CredentialStore that also resolves temporary credentials from
// their session token, for stores that keep no per-session state (the token itself carries
// the secret, sealed). When the store implements it, Verify calls LookupSessionCredential
// instead of LookupAccessKey for every request that carries a session token. The returned
// Credential must have SessionToken equal to sessionToken, and Expiration set; Verify
// answers an expired one with KindExpiredToken. A token that does not belong to the key,
// or does not open, is ErrUnknownAccessKey (KindInvalidClientTokenId).
type SessionCredentialStore interface {
	CredentialStore
	LookupSessionCredential(ctx context.Context, accessKeyID, sessionToken string) (Credential, error)
}

// StaticStore is a CredentialStore over a fixed map from access key ID to credential, for
// tests and single-user setups.
type StaticStore map[string]Credential

// LookupAccessKey implements CredentialStore.
func (s StaticStore) LookupAccessKey(_ context.Context, accessKeyID string) (Credential, error) {
	c, ok := s[accessKeyID]
	if !ok {
		return Credential{}, ErrUnknownAccessKey
	}
	return c, nil
}

var _ CredentialStore = StaticStore(nil)

// Scope is a SigV4 credential scope: AKID/YYYYMMDD/region/service/aws4_request.
type Scope struct {
	// AccessKeyID is the access key the request claims.
	AccessKeyID string
	// Date is the scope's date, YYYYMMDD.
	Date string
	// Region is the signing region, such as "us-east-1".
	Region string
	// Service is the signing name of the service, such as "iam" or "kms".
	Service string
}

// Result describes a request whose signature verified.
type Result struct {
	// Credential is the credential the request was signed with, its Principal included and
	// its SecretAccessKey cleared.
	Credential Credential
	// Scope is the request's credential scope.
	Scope Scope
	// SignedHeaders is the semicolon-separated list of signed header names, as sent.
	SignedHeaders string
	// Time is the signing time (X-Amz-Date, or the Date header).
	Time time.Time
	// Presigned is true for a presigned (query-string) request.
	Presigned bool
	// Expires is when a presigned request stops being valid; zero for header signing.
	Expires time.Time
}

// Verifier checks SigV4 signatures. It is safe for concurrent use.
type Verifier struct {
	store    CredentialStore
	sessions SessionCredentialStore // store, when it resolves session tokens itself
	now      func() time.Time
	keys     keyCache
	bufs     sync.Pool // *[]byte scratch buffers for the canonical request and string to sign
}

// NewVerifier returns a Verifier that looks secrets up in store and reads the time from now
// (time.Now when nil).
func NewVerifier(store CredentialStore, now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	v := &Verifier{store: store, now: now}
	v.sessions, _ = store.(SessionCredentialStore)
	v.keys.init(defaultKeyCacheSize)
	v.bufs.New = func() any {
		b := make([]byte, 0, 2048)
		return &b
	}
	return v
}

// maxPooledBuffer is the largest scratch buffer returned to the pool; larger ones (requests
// with huge query strings or headers) are left to the garbage collector.
const maxPooledBuffer = 64 << 10

// Verify checks the SigV4 signature of r, whose body the caller has already read into body
// (r.Body is not touched). It returns the verified credential and scope, or an error: a
// *Error for anything the caller did wrong (turn it into the wire error with AWSError), or an
// internal error, wrapping the store's, when the CredentialStore fails.
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Result, error) {
	var pairStack [16]queryPair
	pairs, q, qerr := parseQuery(r.URL.RawQuery, pairStack[:0])

	authz := headerValue(r.Header, "Authorization")
	switch {
	case authz != "" && q.presigned:
		return nil, newError(KindSignatureDoesNotMatch,
			"Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
	case authz == "" && !q.presigned:
		return nil, newError(KindMissingAuthenticationToken, "")
	}

	var req request
	var err *Error
	if q.presigned {
		req, err = fromQuery(&q)
	} else {
		req, err = fromHeader(r, authz)
	}
	if err != nil {
		return nil, err
	}
	if qerr != nil {
		// A query string that cannot be decoded cannot be canonicalized either.
		return nil, qerr
	}
	if err := req.checkSignedHeaders(r); err != nil {
		return nil, err
	}
	if err := req.checkScope(); err != nil {
		return nil, err
	}
	now := v.now()
	if err := req.checkTime(now); err != nil {
		return nil, err
	}

	token := q.token
	if !q.presigned || token == "" {
		token = headerValue(r.Header, "X-Amz-Security-Token")
	}
	var cred Credential
	var lerr error
	if v.sessions != nil && token != "" {
		cred, lerr = v.sessions.LookupSessionCredential(ctx, req.scope.AccessKeyID, token)
	} else {
		cred, lerr = v.store.LookupAccessKey(ctx, req.scope.AccessKeyID)
	}
	if lerr != nil {
		if errors.Is(lerr, ErrUnknownAccessKey) {
			return nil, &Error{Kind: KindInvalidClientTokenId, Cause: lerr}
		}
		return nil, fmt.Errorf("sigv4: look up access key: %w", lerr)
	}
	if !cred.Expiration.IsZero() && !now.Before(cred.Expiration) {
		return nil, newError(KindExpiredToken, "")
	}
	if !constantTimeEqual(token, cred.SessionToken) {
		return nil, newError(KindInvalidClientTokenId, "")
	}

	var sumHex [64]byte
	declared := ""
	if q.presigned {
		declared = q.contentSHA
	}
	hashText, hashHex, perr := req.payloadHash(r, declared, body, &sumHex)
	if perr != nil {
		return nil, perr
	}

	if !v.signatureMatches(r, &req, pairs, hashText, hashHex, cred.SecretAccessKey) {
		return nil, newError(KindSignatureDoesNotMatch, "")
	}

	cred.SecretAccessKey = "" // the caller has no use for it
	res := &Result{
		Credential:    cred,
		Scope:         req.scope,
		SignedHeaders: req.signedHeaders,
		Time:          req.time,
		Presigned:     q.presigned,
	}
	if q.presigned && req.expires > 0 {
		res.Expires = req.time.Add(time.Duration(req.expires) * time.Second)
	}
	return res, nil
}

// signatureMatches computes the signature of r and compares it with the one the request
// carries, in constant time. For a path that is not in normal form it also accepts the
// signature of the normalized path, which is what the JavaScript SDK and botocore sign.
func (v *Verifier) signatureMatches(r *http.Request, req *request, pairs []queryPair, hashText string, hashHex []byte, secret string) bool {
	var want [sha256.Size]byte
	if !decodeSignature(req.signature, &want) {
		return false
	}
	key := v.keys.get(secret, req.scope.Date, req.scope.Region, req.scope.Service)

	bp := v.bufs.Get().(*[]byte)
	buf := (*bp)[:0]
	defer func() {
		if cap(buf) <= maxPooledBuffer {
			*bp = buf[:0]
			v.bufs.Put(bp)
		}
	}()

	// The part of the canonical request after the URI is the same for every candidate path.
	buf = append(buf, '\n')
	buf = appendCanonicalQuery(buf, pairs)
	buf = append(buf, '\n')
	buf = appendCanonicalHeaders(buf, r, req.signedHeaders)
	buf = append(buf, '\n')
	buf = append(buf, req.signedHeaders...)
	buf = append(buf, '\n')
	buf = append(buf, hashText...)
	buf = append(buf, hashHex...)
	tail := len(buf)

	path := rawPath(r)
	ok := false
	for i := 0; i < 2 && !ok; i++ {
		if i == 1 {
			if !needsNormalizing(path) {
				break
			}
			path = normalizePath(path)
		}
		buf = buf[:tail]
		start := len(buf)
		buf = append(buf, r.Method...)
		buf = append(buf, '\n')
		buf = appendEscapedPath(buf, path)
		buf = append(buf, buf[:tail]...)
		crHash := sha256.Sum256(buf[start:])

		buf = buf[:tail]
		got := key.sign(buf, req.amzDate, req.scopeString, &crHash)
		ok = hmac.Equal(got[:], want[:])
	}
	return ok
}
