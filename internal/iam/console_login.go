package iam

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Console sign-in checks (internal/signin serves the endpoint). They never say which part of
// a sign-in was wrong: an unknown account, user or email, a user without a console password
// and a wrong password all return ErrConsoleAuthFailed, after the same argon2id work.

// CodeEntityTemporarilyUnmodifiable is the error code of a change to an entity that changed
// (or was deleted and recreated) while the request ran.
const CodeEntityTemporarilyUnmodifiable = "EntityTemporarilyUnmodifiable"

func errTemporarilyUnmodifiable() *awserr.Error {
	return awserr.New(CodeEntityTemporarilyUnmodifiable, http.StatusConflict,
		"The request was rejected because it referenced an entity that is temporarily unmodifiable. Try again after waiting several minutes.")
}

var (
	// ErrConsoleAuthFailed is the one answer to wrong console credentials, whatever was wrong.
	ErrConsoleAuthFailed = errors.New("iam: console authentication failed")
	// ErrPasswordExpired is returned, after the right password, when it has expired under a
	// policy with HardExpiry: only an administrator can reset it.
	ErrPasswordExpired = errors.New("iam: password expired; an administrator must reset it")
)

// ConsoleIdentity is who passed the password step of a console sign-in.
type ConsoleIdentity struct {
	// Root is set for the root user.
	Root bool
	// Account is the 12-digit account ID.
	Account string
	// ARN is the principal's ARN.
	ARN string
	// PrincipalID is the user's unique ID, or the account ID for root.
	PrincipalID string
	// UserName is the IAM user's name; empty for root.
	UserName string
	// MFASerials are the principal's enabled MFA devices; when there are any, the sign-in
	// needs a code from one of them.
	MFASerials []string
	// PasswordChangeRequired is set when the password must be changed before the console may
	// be used: PasswordResetRequired, or an expired password without HardExpiry.
	PasswordChangeRequired bool
	// PasswordExpired is set when the password outlived the policy's MaxPasswordAge.
	PasswordExpired bool
}

// burnHash does the argon2id work of one password check for a sign-in that already failed, so
// that failing early takes as long as a wrong password.
func (s *Service) burnHash(password string) {
	_ = hashPassword(s.hash, password)
}

// VerifyRootConsolePassword checks the root user's email address and password. It returns
// ErrConsoleAuthFailed for any mismatch, or another error when storage fails. With a known
// email and a wrong password the identity is returned along with ErrConsoleAuthFailed, for the
// audit trail only: the caller must not tell the client anything it does not tell for an
// unknown email.
func (s *Service) VerifyRootConsolePassword(ctx context.Context, email, password string) (ConsoleIdentity, error) {
	acct, err := s.rootAccountByEmail(ctx, email)
	if err != nil {
		s.burnHash(password)
		if errors.Is(err, errRootLookup) {
			return ConsoleIdentity{}, ErrConsoleAuthFailed
		}
		return ConsoleIdentity{}, internal(err)
	}
	var (
		l       rootLoginRec
		found   bool
		serials []string
	)
	err = s.view(ctx, func(t *tx) error {
		var err error
		if found, err = t.get(rootLoginKey(acct), &l); err != nil || !found {
			return err
		}
		var r rootMFARec
		if _, err := t.get(rootMFAKey(acct), &r); err != nil {
			return err
		}
		serials = r.Serials
		return nil
	})
	if err != nil || !found {
		s.burnHash(password)
		if err != nil {
			return ConsoleIdentity{}, err
		}
		return ConsoleIdentity{}, ErrConsoleAuthFailed
	}
	id := ConsoleIdentity{Root: true, Account: acct, ARN: arn.Root(s.partition, acct), PrincipalID: acct,
		MFASerials: slices.Clone(serials)}
	if ok, err := verifyPassword(l.Hash, password); err != nil || !ok {
		id.MFASerials = nil
		return id, ErrConsoleAuthFailed
	}
	return id, nil
}

// VerifyUserConsolePassword checks an IAM user's console password at now and reports what the
// sign-in must do next. It returns ErrConsoleAuthFailed for an unknown user, a user without a
// login profile or a wrong password, and ErrPasswordExpired (only after the right password)
// when the password expired under a HardExpiry policy. Along with ErrConsoleAuthFailed it
// returns, for the audit trail only, what it knows: the user's identity after a wrong password,
// just the Account when the account exists but the user does not (or has no password), and
// nothing for an unknown account. The caller must answer the client the same in every case.
func (s *Service) VerifyUserConsolePassword(ctx context.Context, acct, userName, password string, now time.Time) (ConsoleIdentity, error) {
	var (
		u       *userRec
		l       *loginRec
		pol     *PasswordPolicy
		partial ConsoleIdentity
	)
	err := s.view(ctx, func(t *tx) error {
		if checkAccountID(acct) != nil {
			return ErrConsoleAuthFailed
		}
		known, err := t.exists(metaKey(acct))
		if err != nil {
			return err
		}
		if known {
			partial.Account = acct
		}
		if checkEntityName("userName", userName, maxUserName) != nil {
			return ErrConsoleAuthFailed
		}
		if u, l, err = s.loadLogin(t, acct, userName); err != nil {
			if hasCode(err, CodeNoSuchEntity) {
				return ErrConsoleAuthFailed
			}
			return err
		}
		pol, err = loadPasswordPolicy(t, acct)
		return err
	})
	if err != nil {
		s.burnHash(password)
		if errors.Is(err, ErrConsoleAuthFailed) {
			return partial, ErrConsoleAuthFailed
		}
		return ConsoleIdentity{}, err
	}
	id := ConsoleIdentity{Account: acct, ARN: s.userARN(acct, u.Path, u.Name), PrincipalID: u.ID,
		UserName: u.Name, MFASerials: slices.Clone(u.MFA)}
	if ok, err := verifyPassword(l.Hash, password); err != nil || !ok {
		id.MFASerials = nil
		return id, ErrConsoleAuthFailed
	}
	if pol.expired(l.Changed, now) {
		if pol.hardExpiry() {
			id.MFASerials, id.PasswordExpired = nil, true
			return id, ErrPasswordExpired
		}
		id.PasswordExpired = true
		id.PasswordChangeRequired = true
	}
	if l.ResetRequired {
		id.PasswordChangeRequired = true
	}
	return id, nil
}

// VerifyConsoleMFA checks a code against the principal's enabled MFA devices: serial, when
// given, must be one of them; otherwise each device is tried. A code is accepted at most once
// (VerifyMFA). It returns InvalidAuthenticationCode when no device accepts the code.
func (s *Service) VerifyConsoleMFA(ctx context.Context, id ConsoleIdentity, serial, code string, now time.Time) error {
	serials := id.MFASerials
	if serial != "" {
		if !slices.Contains(serials, serial) {
			return errInvalidAuthCode()
		}
		serials = []string{serial}
	}
	var locked error // an InvalidAuthenticationCode whose Cause is ErrMFALocked, for logs
	for _, sn := range serials {
		err := s.VerifyMFA(ctx, id.Account, sn, code, now)
		if err == nil {
			return nil
		}
		if !hasCode(err, CodeInvalidAuthenticationCode) && !hasCode(err, CodeNoSuchEntity) {
			return err
		}
		if errors.Is(err, ErrMFALocked) {
			locked = err
		}
	}
	if locked != nil {
		return locked
	}
	return errInvalidAuthCode()
}

// RecordConsoleSignIn records a completed console sign-in: the user's PasswordLastUsed, or the
// root password's last use.
func (s *Service) RecordConsoleSignIn(ctx context.Context, id ConsoleIdentity, now time.Time) error {
	now = now.UTC()
	if id.Root {
		return s.update(ctx, func(t *tx) error {
			var l rootLoginRec
			ok, err := t.get(rootLoginKey(id.Account), &l)
			if err != nil || !ok {
				return err
			}
			l.LastUsed = &now
			return t.put(rootLoginKey(id.Account), l)
		})
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, id.Account, id.UserName)
		if err != nil {
			return err
		}
		if u.ID != id.PrincipalID { // deleted and recreated since the password check
			return errTemporarilyUnmodifiable()
		}
		u.PasswordLastUsed = &now
		return t.put(userKey(id.Account, u.Name), u)
	})
}

// UsersMayChangePassword reports whether the account password policy lets every IAM user
// change their own password (AllowUsersToChangePassword), which grants iam:ChangePassword on
// the user itself without a policy.
func (s *Service) UsersMayChangePassword(ctx context.Context, acct string) (bool, error) {
	var ok bool
	err := s.view(ctx, func(t *tx) error {
		pol, err := loadPasswordPolicy(t, acct)
		ok = pol != nil && pol.AllowUsersToChangePassword
		return err
	})
	return ok, err
}

// ConsoleSessionValid reports whether a console session issued at issued (or whose own
// password change happened at passwordSet, if later) still belongs to its principal: the
// user exists with the same unique ID and still has a login profile, and no one has set
// its password since; for root, the root password was not changed since. A session for a
// deleted user, a removed login profile or a reset password ends on its next use.
func (s *Service) ConsoleSessionValid(ctx context.Context, acct, userName, principalID string, root bool, issued, passwordSet time.Time) (bool, error) {
	since := issued
	if passwordSet.After(since) {
		since = passwordSet
	}
	valid := false
	err := s.view(ctx, func(t *tx) error {
		if root {
			var l rootLoginRec
			ok, err := t.get(rootLoginKey(acct), &l)
			if err != nil || !ok {
				return err
			}
			valid = !l.Changed.After(since)
			return nil
		}
		u, l, err := s.loadLogin(t, acct, userName)
		if isNoSuchEntity(err) {
			return nil
		}
		if err != nil {
			return err
		}
		valid = u.ID == principalID && !l.Changed.After(since)
		return nil
	})
	return valid, err
}
