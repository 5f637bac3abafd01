package iam

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// The root user's console credentials: its email address (the sign-in name) and password.
//
// Storage keys (also in the table in keys.go):
//
//	iam/a/<acct>/rootlogin        the root user's password hash (argon2id) and when it was set
//	iam/g/email/<escaped email>   root email address (lower case) -> account
//
// The account password policy applies to IAM users only; the root password must meet AWS's
// root rules instead (8 to 128 characters, at least three of upper case, lower case, digits
// and symbols; not the email address).

// rootLoginRec is the stored root password.
type rootLoginRec struct {
	Hash     string
	Changed  time.Time
	LastUsed *time.Time `json:",omitempty"`
}

// emailRec is the global index entry of a root email address.
type emailRec struct {
	Account string
	Email   string // as given
}

const maxEmail = 256

func rootLoginKey(acct string) string { return acctPrefix(acct) + "rootlogin" }
func emailKey(email string) string    { return keyRoot + "g/email/" + url.PathEscape(lower(email)) }

// validEmail is a deliberately loose check: one '@' with something on each side, no spaces or
// control characters, at most 256 bytes.
func validEmail(email string) bool {
	if email == "" || len(email) > maxEmail {
		return false
	}
	at := strings.IndexByte(email, '@')
	if at <= 0 || at != strings.LastIndexByte(email, '@') || at == len(email)-1 {
		return false
	}
	for i := 0; i < len(email); i++ {
		if c := email[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// SetRootEmail sets the email address the root user signs in with, and indexes it so that
// console sign-in finds the account. Addresses compare case-insensitively and are unique across
// accounts: one held by another account is EntityAlreadyExists. The account record is created
// if missing. Setting the current address again is a no-op.
func (s *Service) SetRootEmail(ctx context.Context, acct, email string) error {
	if err := checkAccountID(acct); err != nil {
		return err
	}
	if !validEmail(email) {
		var c checks
		c.fail("email", "Member must be an email address")
		return c.err()
	}
	return s.update(ctx, func(t *tx) error {
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return err
		}
		var idx emailRec
		ok, err := t.get(emailKey(email), &idx)
		if err != nil {
			return err
		}
		if ok && idx.Account != acct {
			return alreadyExists("The email address %s is already in use by another account.", email)
		}
		if ok && a.Email == email {
			return nil
		}
		if a.Email != "" && !strings.EqualFold(a.Email, email) {
			var old emailRec
			had, err := t.get(emailKey(a.Email), &old)
			if err != nil {
				return err
			}
			if had && old.Account == acct {
				t.del(emailKey(a.Email))
			}
		}
		a.Email = email
		if err := t.put(emailKey(email), emailRec{Account: acct, Email: email}); err != nil {
			return err
		}
		return t.put(metaKey(acct), a)
	})
}

// errRootLookup is what a root email lookup that finds nothing returns.
var errRootLookup = errors.New("iam: no account with this root email")

// rootAccountByEmail returns the account whose root user has this email address.
func (s *Service) rootAccountByEmail(ctx context.Context, email string) (string, error) {
	if !validEmail(email) {
		return "", errRootLookup
	}
	kv, err := s.b.Get(ctx, emailKey(email))
	if errors.Is(err, storage.ErrNotFound) {
		return "", errRootLookup
	}
	if err != nil {
		return "", fmt.Errorf("lookup root email: %w", err)
	}
	var rec emailRec
	if err := decode(kv, &rec); err != nil {
		return "", err
	}
	return rec.Account, nil
}

// rootPasswordOK applies AWS's rules for a root user password: 8 to 128 characters, at least
// three of the four character kinds, and not the email address.
func rootPasswordOK(password, email string) bool {
	if length(password) > maxPassword || !rePassword.MatchString(password) {
		return false
	}
	if email != "" && strings.EqualFold(password, email) {
		return false
	}
	return defaultPolicyConforms(password)
}

// SetRootPassword sets the root user's console password (bootstrap and account recovery; it
// does not ask for the current one). The password must meet the root rules, else
// PasswordPolicyViolation.
func (s *Service) SetRootPassword(ctx context.Context, acct, password string) error {
	if err := checkAccountID(acct); err != nil {
		return err
	}
	hash := hashPassword(s.hash, password)
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return err
		}
		if !rootPasswordOK(password, a.Email) {
			return errPasswordPolicy()
		}
		if err := t.put(rootLoginKey(acct), rootLoginRec{Hash: hash, Changed: now}); err != nil {
			return err
		}
		return t.put(metaKey(acct), a)
	})
}

// ChangeRootPassword replaces the root user's password after checking the current one. A
// wrong current password is AccessDenied; a new one that breaks the root rules is
// PasswordPolicyViolation; a concurrent change is EntityTemporarilyUnmodifiable.
func (s *Service) ChangeRootPassword(ctx context.Context, acct, oldPassword, newPassword string) error {
	var cur rootLoginRec
	err := s.view(ctx, func(t *tx) error {
		ok, err := t.get(rootLoginKey(acct), &cur)
		if err == nil && !ok {
			return errWrongPassword()
		}
		return err
	})
	if err != nil {
		return err
	}
	if ok, err := verifyPassword(cur.Hash, oldPassword); err != nil || !ok {
		return errWrongPassword()
	}
	if newPassword == oldPassword {
		// The current password was just verified against the stored hash, which the
		// transaction below requires unchanged: a new password equal to it is a reuse.
		return errPasswordPolicy()
	}
	hash := hashPassword(s.hash, newPassword)
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return err
		}
		var l rootLoginRec
		ok, err := t.get(rootLoginKey(acct), &l)
		if err != nil {
			return err
		}
		if !ok || l.Hash != cur.Hash {
			return errTemporarilyUnmodifiable()
		}
		if !rootPasswordOK(newPassword, a.Email) {
			return errPasswordPolicy()
		}
		l.Hash, l.Changed = hash, now
		return t.put(rootLoginKey(acct), l)
	})
}

// RootHasPassword reports whether the root user has a console password (GetAccountSummary's
// AccountPasswordPresent; the bootstrap sets one only when there is none).
func (s *Service) RootHasPassword(ctx context.Context, acct string) (bool, error) {
	_, err := s.b.Get(ctx, rootLoginKey(acct))
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
