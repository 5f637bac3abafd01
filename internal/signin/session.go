package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Console sessions are random 256-bit tokens; the server keeps the session under the SHA-256
// of the token, so the store (encrypted by the barrier anyway) never holds a usable token.
// Server-side state rather than a sealed token because a session must be revocable (sign-out,
// password change) and visible to every node that shares the store, with no extra key to
// distribute.
//
//	signin/session/<hex sha256(token)>   Session as JSON

const (
	sessionPrefix = "signin/session/"
	tokenBytes    = 32
	// DefaultSessionTTL is how long a console session lasts.
	DefaultSessionTTL = time.Hour
)

// Session is a signed-in console session.
type Session struct {
	// Root is set for the root user.
	Root bool `json:"root,omitempty"`
	// Account is the account ID.
	Account string `json:"accountId"`
	// ARN is the principal's ARN.
	ARN string `json:"principalArn"`
	// PrincipalID is the user's unique ID, or the account ID for root.
	PrincipalID string `json:"principalId"`
	// UserName is the IAM user's name; empty for root.
	UserName string `json:"userName,omitempty"`
	// MFA reports whether the sign-in used an MFA code.
	MFA bool `json:"mfaAuthenticated"`
	// PasswordChangeRequired is set until the password is changed; such a session may only
	// change the password or sign out.
	PasswordChangeRequired bool `json:"passwordChangeRequired"`
	// Issued and Expires bound the session.
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expiration"`
	// PasswordSet is when this session changed its own password; the session survives
	// that change, and only that one.
	PasswordSet time.Time `json:"passwordSet,omitempty"`
	// SourceIP is the address that signed in.
	SourceIP string `json:"sourceIp,omitempty"`
}

// ErrNoSession is returned for an unknown, expired or malformed session token.
var ErrNoSession = errors.New("signin: no such session")

// Sessions keeps console sessions in a storage.Backend.
type Sessions struct {
	b   storage.Backend
	now func() time.Time
	ttl time.Duration
}

// NewSessions returns a session store over b; ttl <= 0 means DefaultSessionTTL.
func NewSessions(b storage.Backend, now func() time.Time, ttl time.Duration) *Sessions {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	return &Sessions{b: b, now: now, ttl: ttl}
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return sessionPrefix + hex.EncodeToString(sum[:])
}

// validToken is a cheap shape check before any storage read.
func validToken(token string) bool {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil
}

// Create stores a new session for s (its Issued and Expires are set here) and returns the
// token that names it.
func (ss *Sessions) Create(ctx context.Context, s *Session) (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("signin: session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := ss.now().UTC()
	s.Issued, s.Expires = now, now.Add(ss.ttl)
	v, err := json.Marshal(s)
	if err != nil {
		return "", fmt.Errorf("signin: encode session: %w", err)
	}
	if _, err := storage.Create(ctx, ss.b, sessionKey(token), v); err != nil {
		return "", fmt.Errorf("signin: store session: %w", err)
	}
	return token, nil
}

// Get returns the live session named by token, or ErrNoSession. An expired session is deleted.
func (ss *Sessions) Get(ctx context.Context, token string) (Session, error) {
	if !validToken(token) {
		return Session{}, ErrNoSession
	}
	key := sessionKey(token)
	kv, err := ss.b.Get(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("signin: read session: %w", err)
	}
	var s Session
	if err := json.Unmarshal(kv.Value, &s); err != nil {
		return Session{}, fmt.Errorf("signin: decode session: %w", err)
	}
	if !ss.now().Before(s.Expires) {
		_ = storage.Delete(ctx, ss.b, key)
		return Session{}, ErrNoSession
	}
	return s, nil
}

// Update rewrites the live session named by token with fn's changes (never its lifetime).
func (ss *Sessions) Update(ctx context.Context, token string, fn func(*Session)) error {
	if !validToken(token) {
		return ErrNoSession
	}
	key := sessionKey(token)
	kv, err := ss.b.Get(ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrNoSession
	}
	if err != nil {
		return fmt.Errorf("signin: read session: %w", err)
	}
	var s Session
	if err := json.Unmarshal(kv.Value, &s); err != nil {
		return fmt.Errorf("signin: decode session: %w", err)
	}
	issued, expires := s.Issued, s.Expires
	fn(&s)
	s.Issued, s.Expires = issued, expires
	v, err := json.Marshal(&s)
	if err != nil {
		return fmt.Errorf("signin: encode session: %w", err)
	}
	if _, err := storage.CompareAndSwap(ctx, ss.b, key, v, kv.ModRevision); err != nil {
		return fmt.Errorf("signin: update session: %w", err)
	}
	return nil
}

// Delete ends the session named by token; an unknown token is not an error.
func (ss *Sessions) Delete(ctx context.Context, token string) error {
	if !validToken(token) {
		return nil
	}
	return storage.Delete(ctx, ss.b, sessionKey(token))
}

// Sweep deletes every expired session and returns how many it deleted.
func (ss *Sessions) Sweep(ctx context.Context) (int, error) {
	now := ss.now()
	n, after := 0, ""
	for {
		p, err := ss.b.Range(ctx, sessionPrefix, after, 500)
		if err != nil {
			return n, fmt.Errorf("signin: sweep sessions: %w", err)
		}
		for _, kv := range p.KVs {
			var s Session
			if json.Unmarshal(kv.Value, &s) == nil && now.Before(s.Expires) {
				continue
			}
			if _, err := ss.b.Txn(ctx, []storage.Cond{{Key: kv.Key, Revision: kv.ModRevision}},
				[]storage.Op{{Key: kv.Key, Delete: true}}); err == nil {
				n++
			}
		}
		if !p.More || len(p.KVs) == 0 {
			return n, nil
		}
		after = p.KVs[len(p.KVs)-1].Key
	}
}
