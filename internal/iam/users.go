package iam

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// User is an IAM user (the IAM "User" data type). ListUsers in AWS leaves out Tags and
// PermissionsBoundary; the handler drops them there.
type User struct {
	Path     string
	UserName string
	UserID   string
	ARN      string
	// CreateDate is when the user was created.
	CreateDate time.Time
	// PasswordLastUsed is the last console sign-in with the user's password, nil if never.
	PasswordLastUsed    *time.Time
	PermissionsBoundary *AttachedPermissionsBoundary
	Tags                []Tag
}

// AttachedPermissionsBoundary is the permissions boundary of a user or role.
type AttachedPermissionsBoundary struct {
	// PermissionsBoundaryType is always "PermissionsBoundaryPolicy".
	PermissionsBoundaryType string
	PermissionsBoundaryARN  string
}

// userRec is the stored user. The lists it carries are bounded by quotas (groups 10, attached
// policies 10, access keys 2), so they live in the record and every change to them bumps the
// record's revision, which is what makes DeleteUser's dependency checks race-free.
type userRec struct {
	Name             string
	ID               string
	Path             string
	Created          time.Time
	Boundary         string         `json:",omitempty"`
	Tags             []Tag          `json:",omitempty"`
	Groups           []string       `json:",omitempty"` // group IDs, in join order
	Attached         []string       `json:",omitempty"` // managed policy ARNs, in attach order
	Inline           map[string]int `json:",omitempty"` // inline policy name -> size
	AccessKeys       []string       `json:",omitempty"` // access key IDs
	HasLogin         bool           `json:",omitempty"`
	PasswordLastUsed *time.Time     `json:",omitempty"`
	MFA              []string       `json:",omitempty"` // enabled MFA device serial numbers (mfa.go)
}

// idRec is the global unique-ID index entry.
type idRec struct {
	Account string
	Kind    string
	Name    string
}

// entityRef is the value of reverse entries (memberships, policy attachments): enough of the
// entity to list it without another read. Renames rewrite these (a user has at most a few).
type entityRef struct {
	Name string
	ID   string
	Path string
}

func boundaryOut(policyARN string) *AttachedPermissionsBoundary {
	if policyARN == "" {
		return nil
	}
	return &AttachedPermissionsBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryARN: policyARN}
}

func (s *Service) userARN(acct, path, name string) string {
	return arn.IAM(s.partition, acct, arn.TypeUser, path, name)
}

func (s *Service) userOut(acct string, u *userRec) User {
	return User{
		Path: u.Path, UserName: u.Name, UserID: u.ID, ARN: s.userARN(acct, u.Path, u.Name),
		CreateDate: u.Created, PasswordLastUsed: u.PasswordLastUsed,
		PermissionsBoundary: boundaryOut(u.Boundary), Tags: u.Tags,
	}
}

func (s *Service) loadUser(t *tx, acct, name string) (*userRec, error) {
	key := userKey(acct, name)
	var c *recordCache
	var gen uint64
	if t.readOnly {
		if c = s.records.Load(); c != nil {
			e, g, ok := c.get(key)
			if ok {
				t.reads[key] = e.rev
				return e.u.clone(), nil
			}
			gen = g
		}
	}
	kv, ok, err := t.getRaw(key)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errUserNotFound(name)
	}
	var u userRec
	if err := decode(kv, &u); err != nil {
		return nil, err
	}
	if c != nil {
		c.put(key, cachedUser{rev: kv.ModRevision, u: u.clone()}, gen)
	}
	return &u, nil
}

// CreateUserInput is the input of CreateUser.
type CreateUserInput struct {
	UserName string
	// Path defaults to "/".
	Path string
	// PermissionsBoundary is the ARN of a managed policy, or "".
	PermissionsBoundary string
	Tags                []Tag
}

// CreateUser creates an IAM user. Names are unique case-insensitively within the account.
func (s *Service) CreateUser(ctx context.Context, acct string, in CreateUserInput) (User, error) {
	var c checks
	c.name("userName", in.UserName, maxUserName)
	path, err := checkPath(&c, "path", in.Path)
	if err != nil {
		return User{}, err
	}
	if in.PermissionsBoundary != "" {
		c.arnField("permissionsBoundary", in.PermissionsBoundary)
	}
	if err := c.err(); err != nil {
		return User{}, err
	}
	if err := checkTags(in.Tags, true); err != nil {
		return User{}, err
	}
	var bref policyRef
	if in.PermissionsBoundary != "" {
		var ok bool
		if bref, ok = parsePolicyARN(in.PermissionsBoundary); !ok {
			return User{}, errInvalidBoundaryARN(in.PermissionsBoundary)
		}
	}
	u := &userRec{Name: in.UserName, ID: ids.UserID(), Path: path, Created: s.clock(), Tags: in.Tags}
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(userKey(acct, in.UserName))
		if err != nil {
			return err
		}
		if exists {
			return errEntityExists(kindUser, in.UserName)
		}
		u.Boundary = ""
		if bref.arn != "" {
			if err := s.setBoundary(t, acct, ekUser, entityRef{Name: u.Name, ID: u.ID, Path: u.Path}, "", bref); err != nil {
				return err
			}
			u.Boundary = bref.arn
		}
		t.mustAbsent(uniqueIDKey(u.ID))
		if err := t.put(uniqueIDKey(u.ID), idRec{Account: acct, Kind: ekUser, Name: u.Name}); err != nil {
			return err
		}
		return t.put(userKey(acct, u.Name), u)
	})
	if err != nil {
		return User{}, err
	}
	return s.userOut(acct, u), nil
}

// GetUser returns a user. The handler resolves an omitted UserName to the caller.
func (s *Service) GetUser(ctx context.Context, acct, userName string) (User, error) {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return User{}, err
	}
	var out User
	err := s.view(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		out = s.userOut(acct, u)
		return nil
	})
	return out, err
}

// UpdateUserInput is the input of UpdateUser. Empty fields leave the value unchanged.
type UpdateUserInput struct {
	UserName    string
	NewUserName string
	NewPath     string
}

// UpdateUser renames a user and/or moves it to a new path. The user's ARN changes with both.
func (s *Service) UpdateUser(ctx context.Context, acct string, in UpdateUserInput) error {
	var c checks
	c.name("userName", in.UserName, maxUserName)
	c.optName("newUserName", in.NewUserName, maxUserName)
	if in.NewPath != "" {
		if _, err := checkPath(&c, "newPath", in.NewPath); err != nil {
			return err
		}
	}
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, in.UserName)
		if err != nil {
			return err
		}
		oldKey := userKey(acct, u.Name)
		if in.NewUserName != "" && lower(in.NewUserName) != lower(u.Name) {
			exists, err := t.exists(userKey(acct, in.NewUserName))
			if err != nil {
				return err
			}
			if exists {
				return errEntityExists(kindUser, in.NewUserName)
			}
			t.del(oldKey)
		}
		if in.NewUserName != "" {
			u.Name = in.NewUserName
		}
		if in.NewPath != "" {
			u.Path = in.NewPath
		}
		if err := t.put(userKey(acct, u.Name), u); err != nil {
			return err
		}
		return s.rewriteUserRefs(t, acct, u)
	})
}

// rewriteUserRefs updates every value that caches the user's name or path.
func (s *Service) rewriteUserRefs(t *tx, acct string, u *userRec) error {
	if err := t.put(uniqueIDKey(u.ID), idRec{Account: acct, Kind: ekUser, Name: u.Name}); err != nil {
		return err
	}
	ref := entityRef{Name: u.Name, ID: u.ID, Path: u.Path}
	for _, gid := range u.Groups {
		if err := t.put(memberKey(acct, gid, u.ID), ref); err != nil {
			return err
		}
	}
	for _, p := range u.Attached {
		if err := t.put(attachRevKey(acct, p, ekUser, u.ID), ref); err != nil {
			return err
		}
	}
	if u.Boundary != "" {
		if err := t.put(boundaryRevKey(acct, u.Boundary, ekUser, u.ID), ref); err != nil {
			return err
		}
	}
	for _, akid := range u.AccessKeys {
		var k accessKeyRec
		ok, err := t.get(accessKeyKey(akid), &k)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		k.UserName, k.UserARN = u.Name, s.userARN(acct, u.Path, u.Name)
		if err := t.put(accessKeyKey(akid), k); err != nil {
			return err
		}
	}
	return nil
}

// DeleteUser deletes a user that has nothing left attached: no access keys, login profile, MFA device,
// group memberships, managed or inline policies (AWS's DeleteConflict otherwise). A
// permissions boundary does not block deletion; its usage count is released.
func (s *Service) DeleteUser(ctx context.Context, acct, userName string) error {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		switch {
		case len(u.AccessKeys) > 0:
			return deleteConflict(msgMustDeleteAccessKeys)
		case u.HasLogin:
			return deleteConflict(msgMustDeleteLoginProfile)
		case len(u.MFA) > 0:
			return deleteConflict(msgMustDeleteMFA)
		case len(u.Groups) > 0:
			// AWS answers DeleteUser on a group member with this group-side wording (quoted in
			// hashicorp/terraform#3774 and mozilla-services/userplex#17).
			return deleteConflict(msgMustRemoveUsersFromGrp)
		case len(u.Attached) > 0:
			return deleteConflict(msgMustDetachPolicies)
		case len(u.Inline) > 0:
			return deleteConflict(msgMustDeletePolicies)
		}
		if u.Boundary != "" {
			if err := s.releaseBoundary(t, acct, ekUser, u.ID, u.Boundary); err != nil {
				return err
			}
		}
		t.del(userKey(acct, u.Name))
		t.del(uniqueIDKey(u.ID))
		return nil
	})
}

// ListUsers lists the account's users whose path starts with pathPrefix ("" or "/" for all),
// in case-insensitive name order.
func (s *Service) ListUsers(ctx context.Context, acct, pathPrefix string, page PageInput) (Page[User], error) {
	var c checks
	c.pathPrefix("pathPrefix", pathPrefix)
	if err := c.err(); err != nil {
		return Page[User]{}, err
	}
	p, err := scan(ctx, s.b, []string{usersPrefix(acct)}, page, func(_ int, kv storage.KV) (User, bool, error) {
		var u userRec
		if err := json.Unmarshal(kv.Value, &u); err != nil {
			return User{}, false, err
		}
		if !strings.HasPrefix(u.Path, pathPrefix) {
			return User{}, false, nil
		}
		return s.userOut(acct, &u), true, nil
	})
	return p, internal(err)
}

// PutUserPermissionsBoundary sets or replaces a user's permissions boundary.
func (s *Service) PutUserPermissionsBoundary(ctx context.Context, acct, userName, policyARN string) error {
	var c checks
	c.name("userName", userName, maxUserName)
	c.arnField("permissionsBoundary", policyARN)
	if err := c.err(); err != nil {
		return err
	}
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return errInvalidBoundaryARN(policyARN)
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		if err := s.setBoundary(t, acct, ekUser, entityRef{Name: u.Name, ID: u.ID, Path: u.Path}, u.Boundary, ref); err != nil {
			return err
		}
		u.Boundary = ref.arn
		return t.put(userKey(acct, u.Name), u)
	})
}

// DeleteUserPermissionsBoundary removes a user's permissions boundary (a no-op if it has none).
func (s *Service) DeleteUserPermissionsBoundary(ctx context.Context, acct, userName string) error {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		if u.Boundary == "" {
			return nil
		}
		if err := s.releaseBoundary(t, acct, ekUser, u.ID, u.Boundary); err != nil {
			return err
		}
		u.Boundary = ""
		return t.put(userKey(acct, u.Name), u)
	})
}
