package sigv4

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The canonical request, as the AWS documentation defines it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html) and as
// aws-sdk-go-v2's aws/signer/v4 builds it:
//
//	Method\nCanonicalURI\nCanonicalQuery\nCanonicalHeaders\n\nSignedHeaders\nPayloadHash

// queryPair is one query parameter, key and value in canonical (RFC 3986) encoding.
type queryPair struct{ k, v string }

// presignParams are the decoded X-Amz-* parameters of a query string. (They are kept apart
// from the pairs so that the pairs' stack array does not escape with them.)
type presignParams struct {
	presigned  bool // X-Amz-Algorithm is present
	hasExpires bool

	algorithm, credential, date, expires, signedHeaders, signature, token, contentSHA string
}

// parseQuery splits the raw query string into canonical pairs, sorted and appended to dst,
// less X-Amz-Signature when the request is presigned, and collects the X-Amz-* presigning
// parameters. A component that is not valid percent-encoding is an error, returned after
// everything else has been parsed so that Verify can still tell presigned from header signing.
func parseQuery(raw string, dst []queryPair) ([]queryPair, presignParams, *Error) {
	var q presignParams
	pairs := dst
	var bad, hasSig bool
	var sigPair queryPair
	for raw != "" {
		var part string
		if i := strings.IndexByte(raw, '&'); i >= 0 {
			part, raw = raw[:i], raw[i+1:]
		} else {
			part, raw = raw, ""
		}
		if part == "" {
			continue
		}
		rk, rv, _ := strings.Cut(part, "=")
		k, ok1 := canonicalComponent(rk)
		v, ok2 := canonicalComponent(rv)
		if !ok1 || !ok2 {
			bad = true
			continue
		}
		if len(k) > 6 && k[:6] == "X-Amz-" && q.setParam(k, rv) {
			// X-Amz-Signature is left out of a presigned request's canonical query.
			sigPair, hasSig = queryPair{k, v}, true
			continue
		}
		pairs = append(pairs, queryPair{k, v})
	}
	if !q.presigned {
		// In a header-signed request X-Amz-Signature is an ordinary parameter.
		if hasSig {
			pairs = append(pairs, sigPair)
		}
		q.signature = ""
	}
	slices.SortFunc(pairs, func(a, b queryPair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	if bad {
		return pairs, q, newError(KindSignatureDoesNotMatch, "The query string is not valid percent-encoding.")
	}
	return pairs, q, nil
}

// setParam records a presigning parameter (key in canonical form, value raw) and reports
// whether the pair must be left out of the canonical query.
func (q *presignParams) setParam(k, raw string) (omit bool) {
	val := func() string {
		v, err := url.QueryUnescape(raw)
		if err != nil {
			return ""
		}
		return v
	}
	switch k {
	case "X-Amz-Algorithm":
		q.presigned = true
		q.algorithm = val()
	case "X-Amz-Credential":
		q.credential = val()
	case "X-Amz-Date":
		q.date = val()
	case "X-Amz-Expires":
		q.hasExpires = true
		q.expires = val()
	case "X-Amz-SignedHeaders":
		q.signedHeaders = val()
	case "X-Amz-Security-Token":
		q.token = val()
	case "X-Amz-Content-Sha256":
		q.contentSHA = val()
	case "X-Amz-Signature":
		q.signature = val()
		return true
	}
	return false
}

// canonicalComponent returns the RFC 3986 encoding of a raw query component: the raw text
// itself when it is already canonical (as every SDK sends it), otherwise the decoded text
// ("+" is a space) encoded again. ok is false for invalid percent-encoding.
func canonicalComponent(raw string) (string, bool) {
	if isCanonicalEncoding(raw) {
		return raw, true
	}
	dec, err := url.QueryUnescape(raw)
	if err != nil {
		return "", false
	}
	return string(appendQueryEscaped(nil, dec)), true
}

// isCanonicalEncoding reports whether s contains only unreserved characters and upper-case
// percent escapes of reserved bytes.
func isCanonicalEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			continue
		}
		if c != '%' || i+2 >= len(s) || !isUpperHex(s[i+1]) || !isUpperHex(s[i+2]) {
			return false
		}
		if unreserved(unhex(s[i+1])<<4 | unhex(s[i+2])) {
			return false
		}
		i += 2
	}
	return true
}

func appendCanonicalQuery(dst []byte, pairs []queryPair) []byte {
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.k...)
		dst = append(dst, '=')
		dst = append(dst, p.v...)
	}
	return dst
}

// appendCanonicalHeaders writes "name:value\n" for each signed header, in the order of the
// SignedHeaders list. Values are trimmed, runs of spaces collapse to one, and the values of a
// repeated header are joined with commas. Host comes from r.Host, because Go's server moves
// the Host header there; Content-Length and Transfer-Encoding likewise have their own fields.
func appendCanonicalHeaders(dst []byte, r *http.Request, signed string) []byte {
	for signed != "" {
		var name string
		if i := strings.IndexByte(signed, ';'); i >= 0 {
			name, signed = signed[:i], signed[i+1:]
		} else {
			name, signed = signed, ""
		}
		dst = append(dst, name...)
		dst = append(dst, ':')
		switch {
		case strings.EqualFold(name, "host"):
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			dst = appendTrimmedValue(dst, host)
		case strings.EqualFold(name, "content-length") && len(r.Header["Content-Length"]) == 0 &&
			lookupHeader(r.Header, name) == nil:
			if r.ContentLength >= 0 {
				dst = strconv.AppendInt(dst, r.ContentLength, 10)
			}
		case strings.EqualFold(name, "transfer-encoding") && len(r.TransferEncoding) > 0:
			for i, v := range r.TransferEncoding {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendTrimmedValue(dst, v)
			}
		default:
			for i, v := range lookupHeader(r.Header, name) {
				if i > 0 {
					dst = append(dst, ',')
				}
				dst = appendTrimmedValue(dst, v)
			}
		}
		dst = append(dst, '\n')
	}
	return dst
}

// appendTrimmedValue appends v without leading and trailing white space and with each run of
// spaces inside collapsed to one space, as aws-sdk-go-v2 does (StripExcessSpaces, then
// TrimSpace).
func appendTrimmedValue(dst []byte, v string) []byte {
	for len(v) > 0 && isSpace(v[0]) {
		v = v[1:]
	}
	for len(v) > 0 && isSpace(v[len(v)-1]) {
		v = v[:len(v)-1]
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' && i > 0 && v[i-1] == ' ' {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

// rawPath returns the request path exactly as the client sent it (still percent-encoded):
// the path part of the request-target when Go's server recorded it, otherwise the URL's
// escaped path, as the SDK signer reads it.
func rawPath(r *http.Request) string {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	if op := r.URL.Opaque; op != "" {
		// "//host/path", as the SDK's pre-escaping documentation asks for.
		if i := strings.IndexByte(op, '?'); i >= 0 {
			op = op[:i]
		}
		op = strings.TrimPrefix(op, "//")
		if i := strings.IndexByte(op, '/'); i >= 0 {
			return op[i:]
		}
		return "/"
	}
	if p := r.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// appendEscapedPath appends the canonical URI of an already-escaped path: every byte but the
// unreserved characters and "/" is percent-encoded once more, so "%20" becomes "%2520". This
// is what aws-sdk-go-v2 does for every service but S3 (httpbinding.EscapePath(path, false)
// with DisableURIPathEscaping unset), and the JavaScript SDK and botocore do the same.
func appendEscapedPath(dst []byte, path string) []byte {
	if path == "" {
		return append(dst, '/')
	}
	for i := 0; i < len(path); i++ {
		c := path[i]
		if unreserved(c) || c == '/' {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// appendQueryEscaped appends the RFC 3986 encoding of s: unreserved characters as they are,
// everything else as %XX with upper-case hex (a space is %20, never "+").
func appendQueryEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}

// needsNormalizing reports whether the path has empty, "." or ".." segments.
func needsNormalizing(p string) bool {
	return strings.Contains(p, "//") || strings.Contains(p, "/./") || strings.Contains(p, "/../") ||
		strings.HasSuffix(p, "/.") || strings.HasSuffix(p, "/..")
}

// normalizePath removes empty and "." segments and resolves ".." segments, keeping a leading
// slash and, when anything is left, a trailing one. The AWS SDK for JavaScript v3 and
// botocore sign the path in this form for every service but S3; aws-sdk-go-v2 signs it as it
// is. A signature over either form is accepted.
func normalizePath(p string) string {
	segs := make([]string, 0, strings.Count(p, "/")+1)
	for _, s := range strings.Split(p, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	var b strings.Builder
	if strings.HasPrefix(p, "/") {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(segs, "/"))
	if len(segs) > 0 && strings.HasSuffix(p, "/") {
		b.WriteByte('/')
	}
	return b.String()
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

const upperHex = "0123456789ABCDEF"
const lowerHex = "0123456789abcdef"

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

// appendHex appends the lower-case hex encoding of b.
func appendHex(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, lowerHex[c>>4], lowerHex[c&15])
	}
	return dst
}

// decodeSignature decodes the 64 lower-case hex digits of a signature.
func decodeSignature(s string, out *[sha256.Size]byte) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < sha256.Size; i++ {
		hi, lo := s[2*i], s[2*i+1]
		if !isLowerHex(hi) || !isLowerHex(lo) {
			return false
		}
		out[i] = unhex(hi)<<4 | unhex(lo)
	}
	return true
}

func isLowerHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

// constantTimeEqual compares two strings in time that depends only on their lengths, like
// subtle.ConstantTimeCompare, without copying them into byte slices.
func constantTimeEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}
