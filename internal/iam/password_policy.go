package iam

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// PasswordPolicy is the account password policy (the IAM "PasswordPolicy" data type). The
// optional members are nil when AWS leaves them out of GetAccountPasswordPolicy: MaxPasswordAge
// and PasswordReusePrevention when not set, HardExpiry when never given.
type PasswordPolicy struct {
	MinimumPasswordLength      int
	RequireSymbols             bool
	RequireNumbers             bool
	RequireUppercaseCharacters bool
	RequireLowercaseCharacters bool
	AllowUsersToChangePassword bool
	// ExpirePasswords is true when MaxPasswordAge is set.
	ExpirePasswords         bool
	MaxPasswordAge          *int
	PasswordReusePrevention *int
	HardExpiry              *bool
}

// UpdatePasswordPolicyInput is the input of UpdateAccountPasswordPolicy. The operation does
// not do partial updates: every nil member reverts to its default (MinimumPasswordLength 6,
// booleans false, no expiry, no reuse prevention).
type UpdatePasswordPolicyInput struct {
	MinimumPasswordLength      *int
	RequireSymbols             *bool
	RequireNumbers             *bool
	RequireUppercaseCharacters *bool
	RequireLowercaseCharacters *bool
	AllowUsersToChangePassword *bool
	MaxPasswordAge             *int
	PasswordReusePrevention    *int
	HardExpiry                 *bool
}

// Password policy ranges and defaults (UpdateAccountPasswordPolicy in the IAM API Reference;
// defaults recorded from AWS: MinimumPasswordLength 6, booleans false).
const (
	defaultMinPasswordLength = 6
	minPasswordLength        = 6
	maxMinPasswordLength     = 128
	maxPasswordAgeDays       = 1095
	maxReusePrevention       = 24
)

// passwordSymbols are the characters that count as symbols ("Setting an account password
// policy for IAM users", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html).
const passwordSymbols = "!@#$%^&*()_+-=[]{}|'"

func boolOf(p *bool) bool {
	return p != nil && *p
}

// UpdateAccountPasswordPolicy sets the account password policy.
func (s *Service) UpdateAccountPasswordPolicy(ctx context.Context, acct string, in UpdatePasswordPolicyInput) error {
	var c checks // AWS reports the violations in this order (recorded).
	if in.MinimumPasswordLength != nil {
		c.intRange("minimumPasswordLength", *in.MinimumPasswordLength, minPasswordLength, maxMinPasswordLength)
	}
	if in.PasswordReusePrevention != nil {
		c.intRange("passwordReusePrevention", *in.PasswordReusePrevention, 1, maxReusePrevention)
	}
	if in.MaxPasswordAge != nil {
		c.intRange("maxPasswordAge", *in.MaxPasswordAge, 1, maxPasswordAgeDays)
	}
	if err := c.err(); err != nil {
		return err
	}
	p := PasswordPolicy{
		MinimumPasswordLength:      defaultMinPasswordLength,
		RequireSymbols:             boolOf(in.RequireSymbols),
		RequireNumbers:             boolOf(in.RequireNumbers),
		RequireUppercaseCharacters: boolOf(in.RequireUppercaseCharacters),
		RequireLowercaseCharacters: boolOf(in.RequireLowercaseCharacters),
		AllowUsersToChangePassword: boolOf(in.AllowUsersToChangePassword),
		MaxPasswordAge:             in.MaxPasswordAge,
		PasswordReusePrevention:    in.PasswordReusePrevention,
		HardExpiry:                 in.HardExpiry,
	}
	if in.MinimumPasswordLength != nil {
		p.MinimumPasswordLength = *in.MinimumPasswordLength
	}
	p.ExpirePasswords = p.MaxPasswordAge != nil
	return s.update(ctx, func(t *tx) error { return t.put(pwPolicyKey(acct), p) })
}

func errNoPasswordPolicy(acct string) *awserr.Error {
	return noSuchEntity("The Password Policy with domain name %s cannot be found.", acct)
}

// GetAccountPasswordPolicy returns the account password policy, or NoSuchEntity if none is set.
func (s *Service) GetAccountPasswordPolicy(ctx context.Context, acct string) (PasswordPolicy, error) {
	var p PasswordPolicy
	err := s.view(ctx, func(t *tx) error {
		ok, err := t.get(pwPolicyKey(acct), &p)
		if err == nil && !ok {
			return errNoPasswordPolicy(acct)
		}
		return err
	})
	return p, err
}

// DeleteAccountPasswordPolicy removes the account password policy.
func (s *Service) DeleteAccountPasswordPolicy(ctx context.Context, acct string) error {
	return s.update(ctx, func(t *tx) error {
		exists, err := t.exists(pwPolicyKey(acct))
		if err != nil {
			return err
		}
		if !exists {
			return noSuchEntity("The account policy with name PasswordPolicy cannot be found.")
		}
		t.del(pwPolicyKey(acct))
		return nil
	})
}

// loadPasswordPolicy returns the policy in force, or nil.
func loadPasswordPolicy(t *tx, acct string) (*PasswordPolicy, error) {
	var p PasswordPolicy
	ok, err := t.get(pwPolicyKey(acct), &p)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

func errPasswordPolicy() *awserr.Error {
	return awserr.New(CodePasswordPolicyViolation, http.StatusBadRequest,
		"Password does not conform to the account password policy.")
}

// charKinds reports which of the policy's character kinds a password holds: upper case A-Z,
// lower case a-z, digits 0-9 and AWS's symbols (passwordSymbols). Other characters count as
// none of them.
func charKinds(password string) (upper, lowerCase, digit, symbol bool) {
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lowerCase = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	return
}

// Default password rules for an account without a custom policy ("Set an account password
// policy for IAM users": without one, passwords must have at least 8 characters and at least
// three of upper case, lower case, numbers and symbols).
const (
	defaultPolicyMinLength = 8
	defaultPolicyMinKinds  = 3
)

// defaultPolicyConforms applies AWS's default password policy.
func defaultPolicyConforms(password string) bool {
	if length(password) < defaultPolicyMinLength {
		return false
	}
	n := 0
	u, l, d, s := charKinds(password)
	for _, ok := range []bool{u, l, d, s} {
		if ok {
			n++
		}
	}
	return n >= defaultPolicyMinKinds
}

// conforms checks a password against the policy's composition rules; a nil policy means AWS's
// default policy.
func (p *PasswordPolicy) conforms(password string) error {
	if p == nil {
		if !defaultPolicyConforms(password) {
			return errPasswordPolicy()
		}
		return nil
	}
	if length(password) < p.MinimumPasswordLength {
		return errPasswordPolicy()
	}
	upper, lowerCase, digit, symbol := charKinds(password)
	if (p.RequireUppercaseCharacters && !upper) || (p.RequireLowercaseCharacters && !lowerCase) ||
		(p.RequireNumbers && !digit) || (p.RequireSymbols && !symbol) {
		return errPasswordPolicy()
	}
	return nil
}

// expired reports whether a password set at changed has outlived MaxPasswordAge at now.
func (p *PasswordPolicy) expired(changed, now time.Time) bool {
	if p == nil || p.MaxPasswordAge == nil || *p.MaxPasswordAge <= 0 || changed.IsZero() {
		return false
	}
	return !now.Before(changed.Add(time.Duration(*p.MaxPasswordAge) * 24 * time.Hour))
}

// hardExpiry reports whether an expired password locks the user out of the console until an
// administrator resets it.
func (p *PasswordPolicy) hardExpiry() bool {
	return p != nil && boolOf(p.HardExpiry)
}

// ConformsToPasswordPolicy checks a candidate password against the account's password policy
// (or AWS's default policy when none is set), so a console can tell the user before it submits
// a change. It returns nil or PasswordPolicyViolation.
func (s *Service) ConformsToPasswordPolicy(ctx context.Context, acct, password string) error {
	return s.view(ctx, func(t *tx) error {
		pol, err := loadPasswordPolicy(t, acct)
		if err != nil {
			return err
		}
		return pol.conforms(password)
	})
}

// reuseDepth is how many earlier passwords may not be reused.
func (p *PasswordPolicy) reuseDepth() int {
	if p == nil || p.PasswordReusePrevention == nil {
		return 0
	}
	return *p.PasswordReusePrevention
}
