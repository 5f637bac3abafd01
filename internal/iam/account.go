package iam

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Account is an account's root identity as IAM knows it.
type Account struct {
	ID         string
	Email      string
	CreateDate time.Time
	// RootARN is arn:<partition>:iam::<account>:root.
	RootARN string
}

// accountRec is the stored account: its root user's attributes.
type accountRec struct {
	ID       string
	Email    string `json:",omitempty"`
	Created  time.Time
	RootKeys []string `json:",omitempty"` // root access key IDs
}

func (s *Service) accountOut(a *accountRec) Account {
	return Account{ID: a.ID, Email: a.Email, CreateDate: a.Created, RootARN: arn.Root(s.partition, a.ID)}
}

// loadOrNewAccount returns the account record, or a fresh one (not yet stored) if the account
// was never created explicitly: IAM operations work in any account the caller is signed into.
func (s *Service) loadOrNewAccount(t *tx, acct string) (*accountRec, error) {
	var a accountRec
	ok, err := t.get(metaKey(acct), &a)
	if err != nil {
		return nil, err
	}
	if !ok {
		a = accountRec{ID: acct, Created: s.clock()}
	}
	return &a, nil
}

func checkAccountID(acct string) error {
	if !ids.IsAccountID(acct) {
		var c checks
		c.fail("accountId", "Member must satisfy regular expression pattern: ^\\d{12}$")
		return c.err()
	}
	return nil
}

// CreateAccount registers an account and its root user (Organizations and the --dev bootstrap
// call it). EntityAlreadyExists if it exists.
func (s *Service) CreateAccount(ctx context.Context, accountID, email string) (Account, error) {
	if err := checkAccountID(accountID); err != nil {
		return Account{}, err
	}
	a := &accountRec{ID: accountID, Email: email, Created: s.clock()}
	err := s.update(ctx, func(t *tx) error {
		exists, err := t.exists(metaKey(accountID))
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("Account %s already exists.", accountID)
		}
		return t.put(metaKey(accountID), a)
	})
	if err != nil {
		return Account{}, err
	}
	return s.accountOut(a), nil
}

// GetAccount returns an account created with CreateAccount (or implicitly by a root key).
func (s *Service) GetAccount(ctx context.Context, accountID string) (Account, error) {
	kv, err := s.b.Get(ctx, metaKey(accountID))
	if errors.Is(err, storage.ErrNotFound) {
		return Account{}, noSuchEntity("The account %s cannot be found.", accountID)
	}
	if err != nil {
		return Account{}, internal(fmt.Errorf("get account: %w", err))
	}
	var a accountRec
	if err := decode(kv, &a); err != nil {
		return Account{}, internal(err)
	}
	return s.accountOut(&a), nil
}

// SeedRootAccessKey installs a root user access key with a chosen ID and secret (the --dev
// mode seeds "test"/"test" for 000000000000). It is idempotent: seeding the same key again is a
// no-op; an ID already in use with another secret or owner is EntityAlreadyExists. The account
// record is created if missing. The ID need not look like an AWS key ID, but must be a word.
func (s *Service) SeedRootAccessKey(ctx context.Context, acct, accessKeyID, secret string) error {
	if err := checkAccountID(acct); err != nil {
		return err
	}
	var c checks
	c.str("accessKeyId", accessKeyID, true, 1, maxAccessKeyID, reAccessKey, patAccessKeyID)
	c.str("secretAccessKey", secret, true, 1, 0, nil, "")
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		var k accessKeyRec
		ok, err := t.get(accessKeyKey(accessKeyID), &k)
		if err != nil {
			return err
		}
		if ok {
			if k.Root && k.Account == acct && k.Secret == secret {
				return nil
			}
			return alreadyExists("The Access Key with id %s already exists.", accessKeyID)
		}
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return err
		}
		a.RootKeys = append(a.RootKeys, accessKeyID)
		k = accessKeyRec{ID: accessKeyID, Secret: secret, Status: StatusActive, Account: acct,
			UserARN: arn.Root(s.partition, acct), Root: true, Created: s.clock()}
		if err := t.put(accessKeyKey(accessKeyID), k); err != nil {
			return err
		}
		return t.put(metaKey(acct), a)
	})
}

// ---- account alias ----------------------------------------------------------------------------

type aliasRec struct {
	Alias   string
	Account string
}

func checkAlias(alias string) error {
	var c checks
	c.str("accountAlias", alias, true, 3, 63, nil, "")
	if err := c.err(); err != nil {
		return err
	}
	if !validAlias(alias) {
		c.fail("accountAlias", "Member must satisfy regular expression pattern: "+patAccountAlias)
		return c.err()
	}
	return nil
}

// CreateAccountAlias sets the account's alias. An account has at most one; creating another
// replaces it (observed on AWS, floci-io/floci#2103). Aliases are unique across all accounts:
// one held by any account, this one included, is EntityAlreadyExists, worded as in the AWS
// response quoted in awslabs/aws-deployment-framework#465.
func (s *Service) CreateAccountAlias(ctx context.Context, acct, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		exists, err := t.exists(globalAliasKey(alias))
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("The account alias %s already exists.", alias)
		}
		var old aliasRec
		ok, err := t.get(aliasKey(acct), &old)
		if err != nil {
			return err
		}
		if ok {
			t.del(globalAliasKey(old.Alias))
		}
		rec := aliasRec{Alias: alias, Account: acct}
		if err := t.put(globalAliasKey(alias), rec); err != nil {
			return err
		}
		return t.put(aliasKey(acct), rec)
	})
}

// DeleteAccountAlias deletes the account's alias; the name must match it.
func (s *Service) DeleteAccountAlias(ctx context.Context, acct, alias string) error {
	if err := checkAlias(alias); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		var cur aliasRec
		ok, err := t.get(aliasKey(acct), &cur)
		if err != nil {
			return err
		}
		if !ok || cur.Alias != alias {
			return noSuchEntity("The account alias %s cannot be found.", alias)
		}
		t.del(aliasKey(acct))
		t.del(globalAliasKey(alias))
		return nil
	})
}

// ListAccountAliases lists the account's alias (zero or one).
func (s *Service) ListAccountAliases(ctx context.Context, acct string, page PageInput) (Page[string], error) {
	var out []string
	err := s.view(ctx, func(t *tx) error {
		var cur aliasRec
		ok, err := t.get(aliasKey(acct), &cur)
		if ok {
			out = append(out, cur.Alias)
		}
		return err
	})
	if err != nil {
		return Page[string]{}, err
	}
	return pageSlice(out, func(a string) string { return a }, page)
}

// LookupAccountAlias returns the account an alias belongs to (console sign-in by alias).
func (s *Service) LookupAccountAlias(ctx context.Context, alias string) (string, error) {
	kv, err := s.b.Get(ctx, globalAliasKey(alias))
	if errors.Is(err, storage.ErrNotFound) {
		return "", noSuchEntity("The account alias %s cannot be found.", alias)
	}
	if err != nil {
		return "", internal(fmt.Errorf("lookup alias: %w", err))
	}
	var rec aliasRec
	if err := decode(kv, &rec); err != nil {
		return "", internal(err)
	}
	return rec.Account, nil
}
