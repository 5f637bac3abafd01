package oidc

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Supported JWS algorithms (RFC 7518 §3). "none", the HMAC algorithms (HS*, which would make
// a public key a shared secret) and anything else are refused.
const (
	RS256 = "RS256"
	RS384 = "RS384"
	RS512 = "RS512"
	PS256 = "PS256"
	PS384 = "PS384"
	PS512 = "PS512"
	ES256 = "ES256"
	ES384 = "ES384"
)

// DefaultMaxTokenBytes is the longest token accepted: AWS's limit on WebIdentityToken
// (AssumeRoleWithWebIdentity: length 4 to 20000).
const DefaultMaxTokenBytes = 20000

// algSpec says how an algorithm verifies.
type algSpec struct {
	hash  crypto.Hash
	kty   string // "RSA" or "EC"
	crv   string // for EC
	pss   bool
	ecLen int // bytes of r and of s in an ES signature
}

func lookupAlg(alg string) (algSpec, bool) {
	switch alg {
	case RS256:
		return algSpec{hash: crypto.SHA256, kty: "RSA"}, true
	case RS384:
		return algSpec{hash: crypto.SHA384, kty: "RSA"}, true
	case RS512:
		return algSpec{hash: crypto.SHA512, kty: "RSA"}, true
	case PS256:
		return algSpec{hash: crypto.SHA256, kty: "RSA", pss: true}, true
	case PS384:
		return algSpec{hash: crypto.SHA384, kty: "RSA", pss: true}, true
	case PS512:
		return algSpec{hash: crypto.SHA512, kty: "RSA", pss: true}, true
	case ES256:
		return algSpec{hash: crypto.SHA256, kty: "EC", crv: "P-256", ecLen: 32}, true
	case ES384:
		return algSpec{hash: crypto.SHA384, kty: "EC", crv: "P-384", ecLen: 48}, true
	}
	return algSpec{}, false
}

// header is the protected header of a JWS.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
}

// token is a parsed, not yet verified, compact JWS.
type token struct {
	header    header
	alg       algSpec
	payload   map[string]any // numbers are json.Number
	signed    []byte         // "<header>.<payload>", the signing input
	signature []byte
}

var b64 = base64.RawURLEncoding.Strict()

// parse splits and decodes a compact JWS strictly: exactly three base64url segments without
// padding, a header that is a JSON object naming a supported alg and no critical extensions,
// a payload that is a JSON object, and no duplicate member names at the top of either.
func parse(raw string, maxLen int) (*token, error) {
	if len(raw) > maxLen {
		return nil, invalidToken("the token is too long")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, invalidToken("the token is not a compact JWS of three segments")
	}
	for _, p := range parts {
		if p == "" {
			return nil, invalidToken("the token has an empty segment")
		}
	}
	hdrJSON, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, invalidToken("the token header is not base64url")
	}
	payJSON, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, invalidToken("the token payload is not base64url")
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, invalidToken("the token signature is not base64url")
	}
	hdrMap, err := decodeObject(hdrJSON)
	if err != nil {
		return nil, invalidToken("the token header is not a JSON object")
	}
	if _, ok := hdrMap["crit"]; ok {
		return nil, invalidToken("the token header has critical extensions")
	}
	var h header
	for name, dst := range map[string]*string{"alg": &h.Alg, "kid": &h.Kid, "typ": &h.Typ} {
		v, ok := hdrMap[name]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return nil, invalidToken("the token header member " + name + " is not a string")
		}
		*dst = s
	}
	spec, ok := lookupAlg(h.Alg)
	if !ok {
		return nil, invalidToken(fmt.Sprintf("the token's signing algorithm %q is not supported", h.Alg))
	}
	payload, err := decodeObject(payJSON)
	if err != nil {
		return nil, invalidToken("the token payload is not a JSON object")
	}
	return &token{
		header: h, alg: spec, payload: payload,
		signed: []byte(raw[:len(parts[0])+1+len(parts[1])]), signature: sig,
	}, nil
}

// Issuer returns the iss claim of a compact JWS, to find the provider to verify it with. It
// parses the token as strictly as the verifier does (up to DefaultMaxTokenBytes) but checks
// no signature: the issuer it returns is not trusted. A malformed token, or one whose iss is
// not a non-empty string, is an InvalidIdentityToken *Error.
func Issuer(raw string) (string, error) {
	t, err := parse(raw, DefaultMaxTokenBytes)
	if err != nil {
		return "", err
	}
	iss, ok := t.payload["iss"].(string)
	if !ok || iss == "" {
		return "", invalidToken("the token has no iss claim")
	}
	return iss, nil
}

// decodeObject decodes a JSON object, keeping numbers as json.Number, and fails on anything
// else, on trailing data, and on a member name that appears twice at the top level.
func decodeObject(b []byte) (map[string]any, error) {
	if err := checkTopLevelKeys(b); err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	if _, err := d.Token(); err == nil {
		return nil, errors.New("trailing data")
	}
	return m, nil
}

// checkTopLevelKeys fails when b is not an object or repeats a top-level member name
// (encoding/json would silently keep the last one).
func checkTopLevelKeys(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	t, err := d.Token()
	if err != nil {
		return err
	}
	if t != json.Delim('{') {
		return errors.New("not an object")
	}
	seen := map[string]bool{}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return err
		}
		k, ok := t.(string)
		if !ok {
			return errors.New("bad member name")
		}
		if seen[k] {
			return fmt.Errorf("duplicate member %q", k)
		}
		seen[k] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return err
		}
	}
	_, err = d.Token()
	return err
}

// verify checks the token's signature with key, which must suit the token's algorithm.
func (t *token) verify(key crypto.PublicKey) bool {
	digest := hashOf(t.alg.hash, t.signed)
	switch k := key.(type) {
	case *rsa.PublicKey:
		if t.alg.kty != "RSA" {
			return false
		}
		if t.alg.pss {
			return rsa.VerifyPSS(k, t.alg.hash, digest, t.signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}) == nil
		}
		return rsa.VerifyPKCS1v15(k, t.alg.hash, digest, t.signature) == nil
	case *ecdsa.PublicKey:
		if t.alg.kty != "EC" || k.Curve.Params().Name != curveName(t.alg.crv) || len(t.signature) != 2*t.alg.ecLen {
			return false
		}
		r := new(big.Int).SetBytes(t.signature[:t.alg.ecLen])
		s := new(big.Int).SetBytes(t.signature[t.alg.ecLen:])
		return ecdsa.Verify(k, digest, r, s)
	}
	return false
}

func hashOf(h crypto.Hash, b []byte) []byte {
	switch h {
	case crypto.SHA384:
		d := sha512.Sum384(b)
		return d[:]
	case crypto.SHA512:
		d := sha512.Sum512(b)
		return d[:]
	}
	d := sha256.Sum256(b)
	return d[:]
}

// curveName maps a JWK crv to the Go curve's name.
func curveName(crv string) string {
	switch crv {
	case "P-256":
		return "P-256"
	case "P-384":
		return "P-384"
	}
	return ""
}
