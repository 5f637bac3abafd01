package iam

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Access key statuses.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// AccessKey is a newly created access key: the only time its secret is returned.
type AccessKey struct {
	// UserName is empty for a root user access key.
	UserName        string
	AccessKeyID     string
	Status          string
	SecretAccessKey string
	CreateDate      time.Time
}

// AccessKeyMetadata describes an access key without its secret.
type AccessKeyMetadata struct {
	UserName    string
	AccessKeyID string
	Status      string
	CreateDate  time.Time
}

// AccessKeyLastUsed is the output of GetAccessKeyLastUsed. An access key never used has no
// LastUsedDate and "N/A" as ServiceName and Region, as AWS answers.
type AccessKeyLastUsed struct {
	UserName     string
	LastUsedDate *time.Time
	ServiceName  string
	Region       string
}

// AccessKeyCredential is what the SigV4 verifier needs to check a request signed with a
// long-term access key, and who the request comes from.
type AccessKeyCredential struct {
	AccessKeyID string
	Secret      string
	Status      string
	Account     string
	// UserName, UserID and UserARN name the owning IAM user; for a root key they are empty,
	// the account ID and arn:<partition>:iam::<account>:root.
	UserName string
	UserID   string
	UserARN  string
	IsRoot   bool
}

// accessKeyRec is stored globally under the key ID so that SigV4 lookups take one read. It
// caches the owner's name and ARN, which UpdateUser rewrites.
type accessKeyRec struct {
	ID       string
	Secret   string
	Status   string
	Account  string
	UserID   string `json:",omitempty"`
	UserName string `json:",omitempty"`
	UserARN  string
	Root     bool `json:",omitempty"`
	Created  time.Time
}

type accessKeyUsedRec struct {
	At      time.Time
	Service string
	Region  string
}

func errAccessKeyNotFound(akid string) *awserr.Error {
	return noSuchEntity("The Access Key with id %s cannot be found.", akid)
}

func checkAccessKeyID(c *checks, akid string) {
	c.str("accessKeyId", akid, true, minAccessKeyID, maxAccessKeyID, reAccessKey, patAccessKeyID)
}

// keyOwner is the owner of access keys being changed: an IAM user or the account's root user.
type keyOwner struct {
	user *userRec
	acct *accountRec
	keys *[]string
	save func(t *tx) error
}

func (s *Service) loadKeyOwner(t *tx, acct, userName string) (*keyOwner, error) {
	if userName == "" {
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return nil, err
		}
		return &keyOwner{acct: a, keys: &a.RootKeys, save: func(t *tx) error { return t.put(metaKey(acct), a) }}, nil
	}
	u, err := s.loadUser(t, acct, userName)
	if err != nil {
		return nil, err
	}
	return &keyOwner{user: u, keys: &u.AccessKeys, save: func(t *tx) error { return t.put(userKey(acct, u.Name), u) }}, nil
}

func (o *keyOwner) userName() string {
	if o.user != nil {
		return o.user.Name
	}
	return ""
}

// loadOwnedKey loads an access key and checks that it belongs to the owner.
func loadOwnedKey(t *tx, acct string, o *keyOwner, akid string) (*accessKeyRec, error) {
	var k accessKeyRec
	ok, err := t.get(accessKeyKey(akid), &k)
	if err != nil {
		return nil, err
	}
	owned := ok && k.Account == acct && slices.Contains(*o.keys, akid) &&
		((o.user == nil && k.Root) || (o.user != nil && !k.Root && k.UserID == o.user.ID))
	if !owned {
		return nil, errAccessKeyNotFound(akid)
	}
	return &k, nil
}

// CreateAccessKey creates an access key for a user, or for the account's root user when
// userName is "" (the handler passes "" only for a root caller that named no user; an IAM
// user caller that names no user means itself). At most AccessKeysPerUser keys per owner.
func (s *Service) CreateAccessKey(ctx context.Context, acct, userName string) (AccessKey, error) {
	var c checks
	c.optName("userName", userName, maxUserName)
	if err := c.err(); err != nil {
		return AccessKey{}, err
	}
	rec := accessKeyRec{ID: ids.AccessKeyID(), Secret: ids.SecretAccessKey(), Status: StatusActive,
		Account: acct, Created: s.clock()}
	err := s.update(ctx, func(t *tx) error {
		o, err := s.loadKeyOwner(t, acct, userName)
		if err != nil {
			return err
		}
		if len(*o.keys) >= s.quotas.AccessKeysPerUser {
			return errQuota("AccessKeysPerUser", s.quotas.AccessKeysPerUser)
		}
		if o.user != nil {
			rec.UserID, rec.UserName = o.user.ID, o.user.Name
			rec.UserARN, rec.Root = s.userARN(acct, o.user.Path, o.user.Name), false
		} else {
			rec.UserID, rec.UserName, rec.UserARN, rec.Root = "", "", arn.Root(s.partition, acct), true
		}
		*o.keys = append(*o.keys, rec.ID)
		t.mustAbsent(accessKeyKey(rec.ID))
		if err := t.put(accessKeyKey(rec.ID), rec); err != nil {
			return err
		}
		return o.save(t)
	})
	if err != nil {
		return AccessKey{}, err
	}
	return AccessKey{UserName: rec.UserName, AccessKeyID: rec.ID, Status: rec.Status,
		SecretAccessKey: rec.Secret, CreateDate: rec.Created}, nil
}

// UpdateAccessKey sets an access key's status to Active or Inactive. userName "" means root.
func (s *Service) UpdateAccessKey(ctx context.Context, acct, userName, accessKeyID, status string) error {
	var c checks
	c.optName("userName", userName, maxUserName)
	checkAccessKeyID(&c, accessKeyID)
	if status != StatusActive && status != StatusInactive {
		// Recorded from AWS (the list of values is not in the message).
		c.fail("status", "Member must satisfy enum value set")
	}
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		o, err := s.loadKeyOwner(t, acct, userName)
		if err != nil {
			return err
		}
		k, err := loadOwnedKey(t, acct, o, accessKeyID)
		if err != nil {
			return err
		}
		if k.Status == status {
			return nil
		}
		k.Status = status
		return t.put(accessKeyKey(k.ID), k)
	})
}

// DeleteAccessKey deletes an access key. userName "" means root.
func (s *Service) DeleteAccessKey(ctx context.Context, acct, userName, accessKeyID string) error {
	var c checks
	c.optName("userName", userName, maxUserName)
	checkAccessKeyID(&c, accessKeyID)
	if err := c.err(); err != nil {
		return err
	}
	err := s.update(ctx, func(t *tx) error {
		o, err := s.loadKeyOwner(t, acct, userName)
		if err != nil {
			return err
		}
		k, err := loadOwnedKey(t, acct, o, accessKeyID)
		if err != nil {
			return err
		}
		*o.keys = slices.DeleteFunc(*o.keys, func(id string) bool { return id == k.ID })
		t.del(accessKeyKey(k.ID))
		t.del(accessKeyUsedKey(k.ID))
		return o.save(t)
	})
	if err == nil {
		s.forgetUse("ak/" + accessKeyID)
	}
	return err
}

// ListAccessKeys lists the access keys of a user (userName "" means root), oldest first.
func (s *Service) ListAccessKeys(ctx context.Context, acct, userName string, page PageInput) (Page[AccessKeyMetadata], error) {
	var c checks
	c.optName("userName", userName, maxUserName)
	if err := c.err(); err != nil {
		return Page[AccessKeyMetadata]{}, err
	}
	var out []AccessKeyMetadata
	err := s.view(ctx, func(t *tx) error {
		o, err := s.loadKeyOwner(t, acct, userName)
		if err != nil {
			return err
		}
		for _, id := range *o.keys {
			var k accessKeyRec
			ok, err := t.get(accessKeyKey(id), &k)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, AccessKeyMetadata{UserName: o.userName(), AccessKeyID: k.ID, Status: k.Status, CreateDate: k.Created})
			}
		}
		return nil
	})
	if err != nil {
		return Page[AccessKeyMetadata]{}, err
	}
	return pageOrdered(out, page)
}

// GetAccessKeyLastUsed reports when, where and with which service an access key of the
// account was last used. For a key that is not the account's it returns NoSuchEntity; AWS
// answers that case with AccessDenied, see AccessKeyLastUsedDenied.
func (s *Service) GetAccessKeyLastUsed(ctx context.Context, acct, accessKeyID string) (AccessKeyLastUsed, error) {
	var c checks
	checkAccessKeyID(&c, accessKeyID)
	if err := c.err(); err != nil {
		return AccessKeyLastUsed{}, err
	}
	var out AccessKeyLastUsed
	err := s.view(ctx, func(t *tx) error {
		var k accessKeyRec
		ok, err := t.get(accessKeyKey(accessKeyID), &k)
		if err != nil {
			return err
		}
		if !ok || k.Account != acct {
			return errAccessKeyNotFound(accessKeyID)
		}
		out = AccessKeyLastUsed{UserName: k.UserName, ServiceName: "N/A", Region: "N/A"}
		var used accessKeyUsedRec
		ok, err = t.get(accessKeyUsedKey(accessKeyID), &used)
		if err != nil {
			return err
		}
		if ok {
			at := used.At
			out.LastUsedDate, out.ServiceName, out.Region = &at, used.Service, used.Region
		}
		return nil
	})
	return out, err
}

// RecordAccessKeyUse notes that an access key signed a request for service in region at time
// at. It is called on the request path, so it is cheap: per key it writes at most once per
// interval (WithKeyUseInterval, default a minute), and within the interval it touches no
// storage at all. Unknown keys are ignored.
func (s *Service) RecordAccessKeyUse(ctx context.Context, accessKeyID, service, region string, at time.Time) error {
	if !s.shouldRecord("ak/"+accessKeyID, at) {
		return nil
	}
	return s.update(ctx, func(t *tx) error {
		exists, err := t.exists(accessKeyKey(accessKeyID))
		if err != nil || !exists {
			return err
		}
		return t.put(accessKeyUsedKey(accessKeyID), accessKeyUsedRec{At: at.UTC(), Service: service, Region: region})
	})
}

// LookupAccessKey returns the secret, status and owner of a long-term access key for the SigV4
// verifier, or NoSuchEntity. It does not check the status; the verifier rejects inactive keys.
func (s *Service) LookupAccessKey(ctx context.Context, accessKeyID string) (AccessKeyCredential, error) {
	kv, err := s.b.Get(ctx, accessKeyKey(accessKeyID))
	if errors.Is(err, storage.ErrNotFound) {
		return AccessKeyCredential{}, errAccessKeyNotFound(accessKeyID)
	}
	if err != nil {
		return AccessKeyCredential{}, internal(fmt.Errorf("lookup access key: %w", err))
	}
	var k accessKeyRec
	if err := decode(kv, &k); err != nil {
		return AccessKeyCredential{}, internal(err)
	}
	c := AccessKeyCredential{AccessKeyID: k.ID, Secret: k.Secret, Status: k.Status, Account: k.Account,
		UserName: k.UserName, UserID: k.UserID, UserARN: k.UserARN, IsRoot: k.Root}
	if k.Root {
		c.UserID = k.Account
	}
	return c, nil
}

// shouldRecord throttles usage records: true at most once per interval per key.
func (s *Service) shouldRecord(key string, at time.Time) bool {
	s.useMu.Lock()
	defer s.useMu.Unlock()
	if last, ok := s.lastUse[key]; ok && !at.Before(last) && at.Sub(last) < s.useInterval {
		return false
	}
	if len(s.lastUse) >= 65536 { // keep the map bounded: drop entries past their interval
		for k, t := range s.lastUse {
			if at.Sub(t) >= s.useInterval {
				delete(s.lastUse, k)
			}
		}
	}
	s.lastUse[key] = at
	return true
}

func (s *Service) forgetUse(key string) {
	s.useMu.Lock()
	delete(s.lastUse, key)
	s.useMu.Unlock()
}
