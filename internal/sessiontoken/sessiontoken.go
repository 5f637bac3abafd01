// Package sessiontoken seals and opens the session tokens of STS temporary credentials.
//
// A session token carries everything the session needs: the secret access key, the principal
// and the caller.Session facts (role, session name, session policies, tags, source identity,
// MFA, issue and expiry times). Nothing about a session is stored, so any Bulwark node that
// shares the store (and so the token key) can verify requests signed with it, and a session
// costs nothing until it is used.
//
// Format of a token, before standard base64 encoding:
//
//	byte 0      version (1)
//	bytes 1..4  key ID, big-endian uint32: which token key sealed it
//	bytes 5..   AES-256-GCM: 12-byte random nonce, ciphertext, 16-byte tag
//
// The plaintext is a compact JSON document (claims). The additional authenticated data is a
// fixed label, the five header bytes and the temporary access key ID, so a token opens only
// with the access key ID it was issued with, and any change to a byte of it (or to the key
// ID) makes it fail to open. A token that fails to open is indistinguishable from one that
// was never issued: the verifier answers both with InvalidClientTokenId.
//
// The 32-byte token key is random, generated on first start and kept in the store (which the
// barrier encrypts with the root key) at KeyStorageKey. Random 96-bit nonces bound one key to
// about 2^32 tokens; the key ID leaves room for rotation.
//
// Temporary access key IDs (ASIA…) carry the account ID in the bits AWS uses for it, so that
// GetAccessKeyInfo can answer for them without any state; see NewAccessKeyID.
package sessiontoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ids"
)

// ErrInvalid is returned by Open for a token that does not open: malformed, altered, sealed
// for another access key ID or by an unknown key.
var ErrInvalid = errors.New("sessiontoken: invalid session token")

// KeySize is the size of a token key in bytes (AES-256).
const KeySize = 32

const (
	version   byte = 1
	headerLen      = 5
	aadLabel       = "bulwark-sts-session-token\x00"
	// maxTokenLen bounds the text Open decodes; real tokens are far smaller.
	maxTokenLen = 64 << 10
)

// Claims is what a session token carries.
type Claims struct {
	// Secret is the secret access key of the temporary credentials.
	Secret string
	// Principal is the caller the credentials authenticate; its AccessKeyID is the
	// temporary access key ID and its Session is never nil.
	Principal caller.Principal
}

// String hides the secret.
func (c Claims) String() string { return "sessiontoken.Claims{" + c.Principal.ARN + "}" }

// GoString hides the secret.
func (c Claims) GoString() string { return c.String() }

// Sealer seals and opens session tokens. It is safe for concurrent use.
type Sealer struct {
	active uint32
	aeads  map[uint32]cipher.AEAD
}

// NewSealer returns a Sealer over one key (KeySize bytes) with ID 1.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sessiontoken: key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sessiontoken: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("sessiontoken: %w", err)
	}
	return &Sealer{active: 1, aeads: map[uint32]cipher.AEAD{1: aead}}, nil
}

// Seal returns the session token for the claims, bound to accessKeyID.
func (s *Sealer) Seal(accessKeyID string, c Claims) (string, error) {
	if c.Principal.Session == nil {
		return "", errors.New("sessiontoken: seal: the principal has no session")
	}
	pt, err := json.Marshal(toWire(c))
	if err != nil {
		return "", fmt.Errorf("sessiontoken: seal: %w", err)
	}
	aead := s.aeads[s.active]
	out := make([]byte, headerLen, headerLen+aead.Overhead()+len(pt))
	out[0] = version
	binary.BigEndian.PutUint32(out[1:headerLen], s.active)
	out = aead.Seal(out, nil, pt, aad(out[:headerLen], accessKeyID))
	return base64.StdEncoding.EncodeToString(out), nil
}

// Open returns the claims of token, which must have been sealed for accessKeyID. It returns
// ErrInvalid for anything that does not open. It does not check the expiry: the caller
// compares Principal.Session.Expires with its clock.
func (s *Sealer) Open(accessKeyID, token string) (Claims, error) {
	if len(token) == 0 || len(token) > maxTokenLen {
		return Claims{}, ErrInvalid
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil || len(raw) < headerLen || raw[0] != version {
		return Claims{}, ErrInvalid
	}
	aead, ok := s.aeads[binary.BigEndian.Uint32(raw[1:headerLen])]
	if !ok {
		return Claims{}, ErrInvalid
	}
	pt, err := aead.Open(nil, nil, raw[headerLen:], aad(raw[:headerLen], accessKeyID))
	if err != nil {
		return Claims{}, ErrInvalid
	}
	var w wireClaims
	if err := json.Unmarshal(pt, &w); err != nil {
		// Authentic but unreadable: only a format change could do this.
		return Claims{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return w.claims(accessKeyID), nil
}

func aad(header []byte, accessKeyID string) []byte {
	b := make([]byte, 0, len(aadLabel)+len(header)+len(accessKeyID))
	return append(append(append(b, aadLabel...), header...), accessKeyID...)
}

// wireClaims is the sealed JSON form of Claims; short names keep tokens small. Times are
// Unix seconds (STS times have second precision).
type wireClaims struct {
	Secret    string            `json:"k"`
	Kind      caller.Kind       `json:"t"`
	Account   string            `json:"a"`
	ARN       string            `json:"n"`
	ID        string            `json:"i"`
	UserName  string            `json:"u,omitempty"`
	RoleARN   string            `json:"ra,omitempty"`
	RoleID    string            `json:"ri,omitempty"`
	Name      string            `json:"sn,omitempty"`
	UserARN   string            `json:"ua,omitempty"`
	UserID    string            `json:"ui,omitempty"`
	Policies  []string          `json:"p,omitempty"`
	PolicyARN []string          `json:"pa,omitempty"`
	Tags      map[string]string `json:"tg,omitempty"`
	TTKeys    []string          `json:"tt,omitempty"`
	SourceID  string            `json:"si,omitempty"`
	MFA       bool              `json:"m,omitempty"`
	MFATime   int64             `json:"mt,omitempty"`
	Issued    int64             `json:"ia"`
	Expires   int64             `json:"ex"`
	Chained   bool              `json:"ch,omitempty"`
}

func toWire(c Claims) wireClaims {
	p, s := c.Principal, c.Principal.Session
	w := wireClaims{Secret: c.Secret, Kind: p.Kind, Account: p.Account, ARN: p.ARN, ID: p.ID, UserName: p.UserName,
		RoleARN: s.RoleARN, RoleID: s.RoleID, Name: s.Name, UserARN: s.UserARN, UserID: s.UserID, Policies: s.Policies,
		PolicyARN: s.PolicyARNs, Tags: s.Tags, TTKeys: s.TransitiveTagKeys, SourceID: s.SourceIdentity,
		MFA: s.MFA, Issued: s.IssuedAt.Unix(), Expires: s.Expires.Unix(), Chained: s.Chained}
	if !s.MFATime.IsZero() {
		w.MFATime = s.MFATime.Unix()
	}
	return w
}

func (w wireClaims) claims(accessKeyID string) Claims {
	s := &caller.Session{RoleARN: w.RoleARN, RoleID: w.RoleID, Name: w.Name, UserARN: w.UserARN, UserID: w.UserID,
		Policies: w.Policies, PolicyARNs: w.PolicyARN, Tags: w.Tags, TransitiveTagKeys: w.TTKeys,
		SourceIdentity: w.SourceID, MFA: w.MFA, IssuedAt: time.Unix(w.Issued, 0).UTC(),
		Expires: time.Unix(w.Expires, 0).UTC(), Chained: w.Chained}
	if w.MFATime != 0 {
		s.MFATime = time.Unix(w.MFATime, 0).UTC()
	}
	return Claims{Secret: w.Secret, Principal: caller.Principal{Kind: w.Kind, Account: w.Account, ARN: w.ARN,
		ID: w.ID, UserName: w.UserName, AccessKeyID: accessKeyID, Session: s}}
}

// b32 is the RFC 4648 alphabet of AWS identifiers, without padding (10 bytes are 16
// characters exactly).
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewAccessKeyID returns a new temporary access key ID for the account: ASIA and 16 base32
// characters encoding 80 bits, of which bits 46..7 of the first six bytes hold the 12-digit
// account ID, as in AWS's own key IDs (so tools that read the account from a key ID work),
// and the other 40 bits are random. The ID is not secret and need not be unique: the token
// binds to it and carries the rest.
func NewAccessKeyID(account string) (string, error) {
	n, err := strconv.ParseUint(account, 10, 64)
	if err != nil || !ids.IsAccountID(account) {
		return "", fmt.Errorf("sessiontoken: %q is not an account ID", account)
	}
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	head := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(b[4])<<8 | uint64(b[5])
	head = head&^accountMask | n<<7&accountMask
	for i := 0; i < 6; i++ {
		b[i] = byte(head >> (40 - 8*i))
	}
	return ids.PrefixTemporaryKey + b32.EncodeToString(b[:]), nil
}

const accountMask = 0x7fffffffff80

// AccountOf returns the account ID encoded in an access key ID laid out as NewAccessKeyID
// lays it out, or false when akid is not an access key ID of that shape or encodes no valid
// account ID. It says nothing about whether the key was ever issued.
func AccountOf(akid string) (string, bool) {
	if !ids.IsAccessKeyID(akid) {
		return "", false
	}
	b, err := b32.DecodeString(akid[4:])
	if err != nil || len(b) != 10 {
		return "", false
	}
	var head uint64
	for i := 0; i < 6; i++ {
		head = head<<8 | uint64(b[i])
	}
	acct := fmt.Sprintf("%012d", (head&accountMask)>>7)
	if !ids.IsAccountID(acct) {
		return "", false
	}
	return acct, true
}
