package iam

import (
	"context"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// LoginProfile is a user's console password, without the password (the IAM "LoginProfile").
type LoginProfile struct {
	UserName              string
	CreateDate            time.Time
	PasswordResetRequired bool
}

// loginRec is stored under the user's ID. Hash and History hold argon2id hashes only.
type loginRec struct {
	Created       time.Time
	Hash          string
	ResetRequired bool     `json:",omitempty"`
	History       []string `json:",omitempty"` // earlier hashes, newest first, for reuse prevention
	Changed       time.Time
}

func errNoLoginProfile(userName string) *awserr.Error {
	return noSuchEntity("Login Profile for User %s cannot be found.", userName)
}

func checkPassword(c *checks, field, password string) {
	c.str(field, password, true, 1, maxPassword, rePassword, patPassword)
}

// CreateLoginProfileInput is the input of CreateLoginProfile.
type CreateLoginProfileInput struct {
	UserName              string
	Password              string
	PasswordResetRequired bool
}

// CreateLoginProfile gives a user a console password, which must conform to the account
// password policy, or to AWS's default policy when none is set.
func (s *Service) CreateLoginProfile(ctx context.Context, acct string, in CreateLoginProfileInput) (LoginProfile, error) {
	var c checks
	c.name("userName", in.UserName, maxUserName)
	checkPassword(&c, "password", in.Password)
	if err := c.err(); err != nil {
		return LoginProfile{}, err
	}
	hash := hashPassword(s.hash, in.Password) // slow on purpose: keep it out of the retry loop
	now := s.clock()
	var out LoginProfile
	err := s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, in.UserName)
		if err != nil {
			return err
		}
		if u.HasLogin {
			return alreadyExists("Login Profile for user %s already exists.", u.Name)
		}
		pol, err := loadPasswordPolicy(t, acct)
		if err != nil {
			return err
		}
		if err := pol.conforms(in.Password); err != nil {
			return err
		}
		u.HasLogin = true
		t.mustAbsent(loginKey(acct, u.ID))
		if err := t.put(loginKey(acct, u.ID), loginRec{Created: now, Hash: hash, ResetRequired: in.PasswordResetRequired, Changed: now}); err != nil {
			return err
		}
		out = LoginProfile{UserName: u.Name, CreateDate: now, PasswordResetRequired: in.PasswordResetRequired}
		return t.put(userKey(acct, u.Name), u)
	})
	if err != nil {
		return LoginProfile{}, err
	}
	return out, nil
}

func (s *Service) loadLogin(t *tx, acct, userName string) (*userRec, *loginRec, error) {
	u, err := s.loadUser(t, acct, userName)
	if err != nil {
		return nil, nil, err
	}
	var l loginRec
	ok, err := t.get(loginKey(acct, u.ID), &l)
	if err != nil {
		return nil, nil, err
	}
	if !ok || !u.HasLogin {
		return nil, nil, errNoLoginProfile(u.Name)
	}
	return u, &l, nil
}

// GetLoginProfile returns a user's login profile (never the password).
func (s *Service) GetLoginProfile(ctx context.Context, acct, userName string) (LoginProfile, error) {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return LoginProfile{}, err
	}
	var out LoginProfile
	err := s.view(ctx, func(t *tx) error {
		u, l, err := s.loadLogin(t, acct, userName)
		if err != nil {
			return err
		}
		out = LoginProfile{UserName: u.Name, CreateDate: l.Created, PasswordResetRequired: l.ResetRequired}
		return nil
	})
	return out, err
}

// UpdateLoginProfileInput is the input of UpdateLoginProfile; nil members are unchanged.
type UpdateLoginProfileInput struct {
	UserName              string
	Password              *string
	PasswordResetRequired *bool
}

// setPassword replaces the password of l after the policy checks, keeping the reuse history.
// The caller hashed newPassword into hash outside the transaction.
func (s *Service) setPassword(l *loginRec, pol *PasswordPolicy, newPassword, hash string, now time.Time) error {
	if err := pol.conforms(newPassword); err != nil {
		return err
	}
	if depth := pol.reuseDepth(); depth > 0 {
		recent := append([]string{l.Hash}, l.History...)
		for i := 0; i < depth && i < len(recent); i++ {
			if ok, _ := verifyPassword(recent[i], newPassword); ok {
				return errPasswordPolicy()
			}
		}
	}
	l.History = append([]string{l.Hash}, l.History...)
	if len(l.History) > maxReusePrevention {
		l.History = l.History[:maxReusePrevention]
	}
	l.Hash, l.Changed = hash, now
	return nil
}

// UpdateLoginProfile changes a user's password and/or its reset-required flag.
func (s *Service) UpdateLoginProfile(ctx context.Context, acct string, in UpdateLoginProfileInput) error {
	var c checks
	c.name("userName", in.UserName, maxUserName)
	if in.Password != nil {
		checkPassword(&c, "password", *in.Password)
	}
	if err := c.err(); err != nil {
		return err
	}
	hash := ""
	if in.Password != nil {
		hash = hashPassword(s.hash, *in.Password)
	}
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		u, l, err := s.loadLogin(t, acct, in.UserName)
		if err != nil {
			return err
		}
		if in.Password != nil {
			pol, err := loadPasswordPolicy(t, acct)
			if err != nil {
				return err
			}
			if err := s.setPassword(l, pol, *in.Password, hash, now); err != nil {
				return err
			}
		}
		if in.PasswordResetRequired != nil {
			l.ResetRequired = *in.PasswordResetRequired
		}
		return t.put(loginKey(acct, u.ID), l)
	})
}

// DeleteLoginProfile removes a user's console password.
func (s *Service) DeleteLoginProfile(ctx context.Context, acct, userName string) error {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, _, err := s.loadLogin(t, acct, userName)
		if err != nil {
			return err
		}
		u.HasLogin = false
		t.del(loginKey(acct, u.ID))
		return t.put(userKey(acct, u.Name), u)
	})
}

// errWrongPassword is the answer to a wrong current password. AWS's wording for ChangePassword
// is not documented; console sign-in shows a generic failure, never which part was wrong.
func errWrongPassword() *awserr.Error {
	return accessDenied("The user name or password is incorrect.")
}

// CheckPassword verifies a user's console password (sign-in) and records PasswordLastUsed. It
// returns the login profile so the caller can force a reset when PasswordResetRequired.
func (s *Service) CheckPassword(ctx context.Context, acct, userName, password string) (LoginProfile, error) {
	var (
		u *userRec
		l *loginRec
	)
	err := s.view(ctx, func(t *tx) error {
		var err error
		u, l, err = s.loadLogin(t, acct, userName)
		return err
	})
	if err != nil {
		s.burnHash(password) // as long as a wrong password: no user enumeration by timing
		return LoginProfile{}, errWrongPassword()
	}
	ok, err := verifyPassword(l.Hash, password)
	if err != nil {
		return LoginProfile{}, internal(err)
	}
	if !ok {
		return LoginProfile{}, errWrongPassword()
	}
	now := s.clock()
	err = s.update(ctx, func(t *tx) error {
		cur, err := s.loadUser(t, acct, u.Name)
		if err != nil {
			return err
		}
		cur.PasswordLastUsed = &now
		return t.put(userKey(acct, cur.Name), cur)
	})
	if err != nil {
		return LoginProfile{}, err
	}
	return LoginProfile{UserName: u.Name, CreateDate: l.Created, PasswordResetRequired: l.ResetRequired}, nil
}

// ChangePassword lets a user replace their own password (the handler passes the caller's
// name). The new password must satisfy the policy (or AWS's default policy when none is set)
// and, under PasswordReusePrevention, differ from the last N passwords; the reset-required
// flag is cleared and the password's age restarts. It works on an expired password, even under
// HardExpiry (which only locks the console). A wrong old password is AccessDenied; a password
// changed or a user recreated while the call ran is EntityTemporarilyUnmodifiable.
func (s *Service) ChangePassword(ctx context.Context, acct, userName, oldPassword, newPassword string) error {
	var c checks
	checkPassword(&c, "oldPassword", oldPassword)
	checkPassword(&c, "newPassword", newPassword)
	if err := c.err(); err != nil {
		return err
	}
	var verified, userID string
	err := s.view(ctx, func(t *tx) error {
		u, l, err := s.loadLogin(t, acct, userName)
		if err != nil {
			return err
		}
		verified, userID = l.Hash, u.ID
		return nil
	})
	if err != nil {
		return err
	}
	if ok, err := verifyPassword(verified, oldPassword); err != nil || !ok {
		return errWrongPassword()
	}
	hash := hashPassword(s.hash, newPassword)
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		u, l, err := s.loadLogin(t, acct, userName)
		if err != nil {
			return err
		}
		if l.Hash != verified || u.ID != userID { // changed, or user recreated, since the check
			return errTemporarilyUnmodifiable()
		}
		pol, err := loadPasswordPolicy(t, acct)
		if err != nil {
			return err
		}
		if err := s.setPassword(l, pol, newPassword, hash, now); err != nil {
			return err
		}
		l.ResetRequired = false
		return t.put(loginKey(acct, u.ID), l)
	})
}
