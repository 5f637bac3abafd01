package sigv4

import (
	"crypto/sha256"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// request is what the Authorization header, or the presigned query parameters, say about a
// request, before anything is checked against the store.
type request struct {
	scope         Scope
	scopeString   string // "YYYYMMDD/region/service/aws4_request" as sent
	terminator    string // last element of the credential scope
	signedHeaders string
	signature     string
	amzDate       string    // the signing time in ISO 8601 basic format, as signed
	time          time.Time // amzDate parsed
	presigned     bool
	expires       int64 // X-Amz-Expires in seconds; 0 when absent
}

// fromHeader parses the Authorization header and the request date of header signing.
func fromHeader(r *http.Request, authz string) (request, *Error) {
	req := request{}
	algorithm, params := cutAlgorithm(authz)

	var credential string
	var haveCred, haveSigned, haveSig bool
	rest := params
	for rest != "" {
		var tok string
		tok, rest = nextToken(rest)
		if tok == "" {
			continue
		}
		eq := strings.IndexByte(tok, '=')
		if eq < 0 {
			return req, newError(KindIncompleteSignature, "'"+tok+
				"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+authz+"'.")
		}
		k, val := tok[:eq], tok[eq+1:]
		switch k {
		case "Credential":
			credential, haveCred = val, val != ""
		case "SignedHeaders":
			req.signedHeaders, haveSigned = val, val != ""
		case "Signature":
			req.signature, haveSig = val, val != ""
		}
	}

	amzDate := headerValue(r.Header, "X-Amz-Date")
	httpDate := ""
	if amzDate == "" {
		httpDate = headerValue(r.Header, "Date")
	}
	if !haveCred || !haveSig || !haveSigned || (amzDate == "" && httpDate == "") {
		var b strings.Builder
		if !haveCred {
			b.WriteString("Authorization header requires 'Credential' parameter. ")
		}
		if !haveSig {
			b.WriteString("Authorization header requires 'Signature' parameter. ")
		}
		if !haveSigned {
			b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
		}
		if amzDate == "" && httpDate == "" {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		b.WriteString("Authorization=")
		b.WriteString(authz)
		return req, newError(KindIncompleteSignature, b.String())
	}
	if algorithm != Algorithm {
		return req, newError(KindIncompleteSignature, "Unsupported AWS 'algorithm': '"+algorithm+"'.")
	}
	if e := req.setCredential(credential); e != nil {
		return req, e
	}
	if amzDate != "" {
		t, ok := parseAmzDate(amzDate)
		if !ok {
			return req, badDate(amzDate)
		}
		req.amzDate, req.time = amzDate, t
	} else {
		t, err := http.ParseTime(httpDate)
		if err != nil {
			return req, badDate(httpDate)
		}
		req.time = t.UTC()
		req.amzDate = req.time.Format(amzDateLayout)
	}
	return req, nil
}

// fromQuery reads the presigned query parameters that parseQuery collected.
func fromQuery(q *presignParams) (request, *Error) {
	req := request{presigned: true, signedHeaders: q.signedHeaders, signature: q.signature}
	if q.algorithm == "" || q.credential == "" || q.signature == "" || q.signedHeaders == "" || q.date == "" {
		var b strings.Builder
		for _, p := range [...]struct {
			v, name string
		}{
			{q.algorithm, "X-Amz-Algorithm"},
			{q.credential, "X-Amz-Credential"},
			{q.signature, "X-Amz-Signature"},
			{q.signedHeaders, "X-Amz-SignedHeaders"},
			{q.date, "X-Amz-Date"},
		} {
			if p.v == "" {
				b.WriteString("AWS query-string parameters must include '" + p.name + "'. ")
			}
		}
		b.WriteString("Re-examine the query-string parameters.")
		return req, newError(KindIncompleteSignature, b.String())
	}
	if q.algorithm != Algorithm {
		return req, newError(KindIncompleteSignature, "Unsupported AWS 'algorithm': '"+q.algorithm+"'.")
	}
	if e := req.setCredential(q.credential); e != nil {
		return req, e
	}
	t, ok := parseAmzDate(q.date)
	if !ok {
		return req, badDate(q.date)
	}
	req.amzDate, req.time = q.date, t
	if q.hasExpires {
		n, err := strconv.ParseInt(q.expires, 10, 64)
		switch {
		case strings.HasPrefix(q.expires, "-"):
			return req, newError(KindIncompleteSignature, "X-Amz-Expires must be non-negative")
		case !isDigits(q.expires):
			return req, newError(KindIncompleteSignature, "X-Amz-Expires should be a number")
		case err != nil || n > MaxPresignExpires:
			return req, newError(KindIncompleteSignature,
				"X-Amz-Expires must be less than a week (in seconds) that is 604800")
		case n < 1:
			return req, newError(KindIncompleteSignature, "X-Amz-Expires must be at least 1 second")
		}
		req.expires = n
	}
	return req, nil
}

func badDate(got string) *Error {
	return newError(KindIncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '"+got+
		"'. See http://en.wikipedia.org/wiki/ISO_8601")
}

// setCredential splits AKID/YYYYMMDD/region/service/aws4_request.
func (req *request) setCredential(c string) *Error {
	var parts [5]string
	n := 0
	rest := c
	for {
		i := strings.IndexByte(rest, '/')
		if i < 0 || n == 4 {
			parts[n] = rest
			n++
			break
		}
		parts[n] = rest[:i]
		rest = rest[i+1:]
		n++
	}
	if n != 5 || strings.IndexByte(parts[4], '/') >= 0 {
		return newError(KindIncompleteSignature,
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+c+"'")
	}
	req.scope = Scope{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	req.terminator = parts[4]
	req.scopeString = c[len(parts[0])+1:]
	return nil
}

// checkSignedHeaders makes sure the headers that decide what a request means are signed:
// host, as AWS requires, and X-Amz-Target when the request has one (a Bulwark hardening: the
// target is the operation of a JSON service, and every SDK signs it).
func (req *request) checkSignedHeaders(r *http.Request) *Error {
	if !listHas(req.signedHeaders, "host") {
		return newError(KindIncompleteSignature,
			"'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if headerValue(r.Header, "X-Amz-Target") != "" && !listHas(req.signedHeaders, "x-amz-target") {
		return newError(KindIncompleteSignature,
			"'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}

// checkScope checks what can be checked of the scope without knowing the route: the
// terminator and that the date is the request's day. The region and service are the
// router's to check (CheckScope).
func (req *request) checkScope() *Error {
	var msg string
	if req.terminator != "aws4_request" {
		msg = "Credential should be scoped with a valid terminator: 'aws4_request', not '" + req.terminator + "'."
	}
	if req.scope.Date != req.amzDate[:8] {
		if msg != "" {
			msg += " "
		}
		msg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			req.scope.Date + "' != '" + req.amzDate[:8] + "', from '" + req.amzDate + "'."
	}
	if msg != "" {
		return newError(KindSignatureDoesNotMatch, msg)
	}
	return nil
}

// checkTime applies the 15-minute window to the signing time and, for a presigned request
// with X-Amz-Expires, the expiry.
func (req *request) checkTime(now time.Time) *Error {
	now = now.UTC()
	if req.time.After(now.Add(MaxClockSkew)) {
		return newError(KindSignatureExpired, "Signature not yet current: "+req.amzDate+" is still later than "+
			now.Add(MaxClockSkew).Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" + 15 min.)")
	}
	if req.presigned && req.expires > 0 {
		expiry := req.time.Add(time.Duration(req.expires) * time.Second)
		if now.After(expiry) {
			return newError(KindRequestExpired, "Signature expired: "+expiry.Format(amzDateLayout)+
				" is now earlier than "+now.Format(amzDateLayout)+" ("+req.amzDate+" + "+
				strconv.FormatInt(req.expires, 10)+" sec.)")
		}
		return nil
	}
	if req.time.Before(now.Add(-MaxClockSkew)) {
		return newError(KindSignatureExpired, "Signature expired: "+req.amzDate+" is now earlier than "+
			now.Add(-MaxClockSkew).Format(amzDateLayout)+" ("+now.Format(amzDateLayout)+" - 15 min.)")
	}
	return nil
}

// payloadHash returns the payload hash the canonical request ends with: the declared
// X-Amz-Content-Sha256 (the presigned query's, else the header; it must be
// UNSIGNED-PAYLOAD or the body's hash), else the hex
// SHA-256 of the body, written into sum. Exactly one of the two results is set.
func (req *request) payloadHash(r *http.Request, declared string, body []byte, sum *[64]byte) (string, []byte, *Error) {
	if declared == "" {
		declared = headerValue(r.Header, "X-Amz-Content-Sha256")
	}
	if declared == UnsignedPayload {
		return declared, nil, nil
	}
	digest := sha256.Sum256(body)
	appendHex(sum[:0], digest[:])
	if declared == "" {
		return "", sum[:], nil
	}
	if declared != string(sum[:]) {
		return "", nil, newError(KindSignatureDoesNotMatch,
			"The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return declared, nil, nil
}

// cutAlgorithm splits the Authorization header into the algorithm and the parameters.
func cutAlgorithm(h string) (algorithm, params string) {
	h = strings.TrimLeft(h, " ")
	return nextToken(h)
}

// nextToken returns the text up to the next comma or space, and what follows.
func nextToken(s string) (tok, rest string) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' || s[i] == ' ' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// listHas reports whether the semicolon-separated list contains name.
func listHas(list, name string) bool {
	for list != "" {
		var item string
		if i := strings.IndexByte(list, ';'); i >= 0 {
			item, list = list[:i], list[i+1:]
		} else {
			item, list = list, ""
		}
		if item == name {
			return true
		}
	}
	return false
}

// headerValue returns the first value of the header with the canonical key, or "".
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

const amzDateLayout = "20060102T150405Z"

// parseAmzDate parses ISO 8601 basic format, YYYYMMDD'T'HHMMSS'Z', without allocating.
func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	year, ok1 := atoi(s[0:4])
	month, ok2 := atoi(s[4:6])
	day, ok3 := atoi(s[6:8])
	hour, ok4 := atoi(s[9:11])
	minute, ok5 := atoi(s[11:13])
	sec, ok6 := atoi(s[13:15])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // February 30th and the like
		return time.Time{}, false
	}
	return t, true
}

// atoi parses a short run of decimal digits.
func atoi(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseScope returns the credential scope a request claims, from its Authorization header or
// its X-Amz-Credential query parameter, without verifying anything, so that the router can
// pick the service by the scope's signing name before authentication. ok is false when the
// request carries no well-formed credential scope.
func ParseScope(r *http.Request) (s Scope, ok bool) {
	var credential string
	if authz := headerValue(r.Header, "Authorization"); authz != "" {
		_, params := cutAlgorithm(authz)
		for params != "" {
			var tok string
			tok, params = nextToken(params)
			if v, found := strings.CutPrefix(tok, "Credential="); found {
				credential = v
				break
			}
		}
	} else {
		raw := r.URL.RawQuery
		for raw != "" {
			var pair string
			pair, raw, _ = strings.Cut(raw, "&")
			k, v, _ := strings.Cut(pair, "=")
			if k == "X-Amz-Credential" {
				dec, err := url.QueryUnescape(v)
				if err != nil {
					return Scope{}, false
				}
				credential = dec
				break
			}
		}
	}
	if credential == "" {
		return Scope{}, false
	}
	var req request
	if req.setCredential(credential) != nil {
		return Scope{}, false
	}
	return req.scope, true
}

// lookupHeader finds a header by its lowercase signed name: under its canonical key first
// (built on the stack), then by a case-insensitive scan for keys stored in another form.
func lookupHeader(h http.Header, lowerName string) []string {
	var buf [64]byte
	if len(lowerName) <= len(buf) {
		b := buf[:len(lowerName)]
		upper := true
		for i := 0; i < len(lowerName); i++ {
			c := lowerName[i]
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			} else if !upper && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
			upper = c == '-'
		}
		if v, ok := h[string(b)]; ok {
			return v
		}
	} else if v, ok := h[textproto.CanonicalMIMEHeaderKey(lowerName)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, lowerName) {
			return v
		}
	}
	return nil
}
