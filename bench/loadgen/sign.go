package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// signer signs awsQuery POST requests with SigV4 cheaply: the signing key is derived once per
// day and the body hash once, so each request costs one SHA-256 and one HMAC. It signs exactly
// what the request writer sends: content-type, host, x-amz-content-sha256 and x-amz-date.
type signer struct {
	akid, secret, region, service, host string
	bodyHash                            string

	day string
	key []byte
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// sign returns the X-Amz-Date and Authorization header values for a request at t.
func (s *signer) sign(t time.Time) (amzDate, authorization string) {
	t = t.UTC()
	amzDate = t.Format("20060102T150405Z")
	day := amzDate[:8]
	if day != s.day {
		k := hmacSHA256([]byte("AWS4"+s.secret), day)
		k = hmacSHA256(k, s.region)
		k = hmacSHA256(k, s.service)
		s.key = hmacSHA256(k, "aws4_request")
		s.day = day
	}
	const signed = "content-type;host;x-amz-content-sha256;x-amz-date"
	canonical := "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:" + s.host +
		"\nx-amz-content-sha256:" + s.bodyHash + "\nx-amz-date:" + amzDate + "\n\n" + signed + "\n" + s.bodyHash
	sum := sha256.Sum256([]byte(canonical))
	scope := day + "/" + s.region + "/" + s.service + "/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	sig := hex.EncodeToString(hmacSHA256(s.key, toSign))
	return amzDate, "AWS4-HMAC-SHA256 Credential=" + s.akid + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + sig
}

// request returns the raw HTTP/1.1 request bytes for body, signed at t.
func (s *signer) request(body string, t time.Time) []byte {
	date, auth := s.sign(t)
	return []byte("POST / HTTP/1.1\r\nHost: " + s.host +
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Amz-Content-Sha256: " + s.bodyHash +
		"\r\nX-Amz-Date: " + date + "\r\nAuthorization: " + auth +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}
