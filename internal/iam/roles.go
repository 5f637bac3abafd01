package iam

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Role is an IAM role (the IAM "Role" data type). AWS's ListRoles leaves out Tags,
// PermissionsBoundary and RoleLastUsed; the handler drops them there.
type Role struct {
	Path                     string
	RoleName                 string
	RoleID                   string
	ARN                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument string
	Description              string
	// MaxSessionDuration is in seconds, 3600..43200.
	MaxSessionDuration  int
	PermissionsBoundary *AttachedPermissionsBoundary
	Tags                []Tag
	// RoleLastUsed is nil when the role was never assumed (or GetRole was not the source).
	RoleLastUsed *RoleLastUsed
}

// RoleLastUsed is when and in which region a role was last assumed.
type RoleLastUsed struct {
	LastUsedDate time.Time
	Region       string
}

// roleRec is the stored role. Roles cannot be renamed, so children are keyed by name.
type roleRec struct {
	Name    string
	ID      string
	Path    string
	Created time.Time
	Trust   string
	// TrustSaved is when Trust was last written; zero for roles stored before it was
	// kept (Created then stands in).
	TrustSaved  time.Time      `json:",omitempty"`
	Description string         `json:",omitempty"`
	MaxSession  int            `json:",omitempty"`
	Boundary    string         `json:",omitempty"`
	Tags        []Tag          `json:",omitempty"`
	Attached    []string       `json:",omitempty"`
	Inline      map[string]int `json:",omitempty"`
	Profiles    int            `json:",omitempty"` // instance profiles holding the role
}

type roleUsedRec struct {
	At     time.Time
	Region string
}

const defaultMaxSession = 3600

func (s *Service) roleARN(acct, path, name string) string {
	return arn.IAM(s.partition, acct, arn.TypeRole, path, name)
}

func (s *Service) roleOut(acct string, r *roleRec) Role {
	ms := r.MaxSession
	if ms == 0 {
		ms = defaultMaxSession
	}
	return Role{
		Path: r.Path, RoleName: r.Name, RoleID: r.ID, ARN: s.roleARN(acct, r.Path, r.Name),
		CreateDate: r.Created, AssumeRolePolicyDocument: r.Trust, Description: r.Description,
		MaxSessionDuration: ms, PermissionsBoundary: boundaryOut(r.Boundary), Tags: r.Tags,
	}
}

func (s *Service) loadRole(t *tx, acct, name string) (*roleRec, error) {
	var r roleRec
	ok, err := t.get(roleKey(acct, name), &r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errRoleNotFound(name)
	}
	return &r, nil
}

func checkDescription(c *checks, d string) {
	c.str("description", d, false, 0, maxDescription, reRoleDesc, patRoleDesc)
}

// CreateRoleInput is the input of CreateRole.
type CreateRoleInput struct {
	RoleName                 string
	Path                     string
	AssumeRolePolicyDocument string
	Description              string
	// MaxSessionDuration in seconds; 0 means the default, 3600.
	MaxSessionDuration  int
	PermissionsBoundary string
	Tags                []Tag
}

// CreateRole creates a role with its trust policy.
func (s *Service) CreateRole(ctx context.Context, acct string, in CreateRoleInput) (Role, error) {
	var c checks
	c.name("roleName", in.RoleName, maxRoleName)
	path, err := checkPath(&c, "path", in.Path)
	if err != nil {
		return Role{}, err
	}
	c.document("assumeRolePolicyDocument", in.AssumeRolePolicyDocument)
	checkDescription(&c, in.Description)
	if in.MaxSessionDuration != 0 {
		c.intRange("maxSessionDuration", in.MaxSessionDuration, minSessionLength, maxSessionLength)
	}
	if in.PermissionsBoundary != "" {
		c.arnField("permissionsBoundary", in.PermissionsBoundary)
	}
	if err := c.err(); err != nil {
		return Role{}, err
	}
	if err := checkTags(in.Tags, true); err != nil {
		return Role{}, err
	}
	var bref policyRef
	if in.PermissionsBoundary != "" {
		var ok bool
		if bref, ok = parsePolicyARN(in.PermissionsBoundary); !ok {
			return Role{}, errInvalidBoundaryARN(in.PermissionsBoundary)
		}
	}
	if err := s.validateDoc(in.AssumeRolePolicyDocument, DocTrust); err != nil {
		return Role{}, err
	}
	ms := in.MaxSessionDuration
	if ms == 0 {
		ms = defaultMaxSession
	}
	now := s.clock()
	r := &roleRec{Name: in.RoleName, ID: ids.RoleID(), Path: path, Created: now, TrustSaved: now,
		Trust: in.AssumeRolePolicyDocument, Description: in.Description, MaxSession: ms, Tags: in.Tags}
	principals := s.trustPrincipals(in.AssumeRolePolicyDocument)
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(roleKey(acct, in.RoleName))
		if err != nil {
			return err
		}
		if exists {
			return errEntityExists(kindRole, in.RoleName)
		}
		if err := s.checkTrustPrincipals(t, principals); err != nil {
			return err
		}
		r.Boundary = ""
		if bref.arn != "" {
			if err := s.setBoundary(t, acct, ekRole, entityRef{Name: r.Name, ID: r.ID, Path: r.Path}, "", bref); err != nil {
				return err
			}
			r.Boundary = bref.arn
		}
		t.mustAbsent(uniqueIDKey(r.ID))
		if err := t.put(uniqueIDKey(r.ID), idRec{Account: acct, Kind: ekRole, Name: r.Name}); err != nil {
			return err
		}
		return t.put(roleKey(acct, r.Name), r)
	})
	if err != nil {
		return Role{}, err
	}
	return s.roleOut(acct, r), nil
}

// GetRole returns a role, with RoleLastUsed when it has been assumed.
func (s *Service) GetRole(ctx context.Context, acct, roleName string) (Role, error) {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return Role{}, err
	}
	var out Role
	err := s.view(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		out = s.roleOut(acct, r)
		var used roleUsedRec
		ok, err := t.get(roleUsedKey(acct, r.Name), &used)
		if err != nil {
			return err
		}
		if ok {
			out.RoleLastUsed = &RoleLastUsed{LastUsedDate: used.At, Region: used.Region}
		}
		return nil
	})
	return out, err
}

// UpdateRoleInput is the input of UpdateRole; nil fields are left unchanged.
type UpdateRoleInput struct {
	RoleName           string
	Description        *string
	MaxSessionDuration *int
}

// UpdateRole changes a role's description and/or maximum session duration.
func (s *Service) UpdateRole(ctx context.Context, acct string, in UpdateRoleInput) error {
	var c checks
	c.name("roleName", in.RoleName, maxRoleName)
	if in.Description != nil {
		checkDescription(&c, *in.Description)
	}
	if in.MaxSessionDuration != nil {
		c.intRange("maxSessionDuration", *in.MaxSessionDuration, minSessionLength, maxSessionLength)
	}
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, in.RoleName)
		if err != nil {
			return err
		}
		if in.Description != nil {
			r.Description = *in.Description
		}
		if in.MaxSessionDuration != nil {
			r.MaxSession = *in.MaxSessionDuration
		}
		return t.put(roleKey(acct, r.Name), r)
	})
}

// UpdateRoleDescription sets a role's description and returns the updated role.
func (s *Service) UpdateRoleDescription(ctx context.Context, acct, roleName, description string) (Role, error) {
	if err := s.UpdateRole(ctx, acct, UpdateRoleInput{RoleName: roleName, Description: &description}); err != nil {
		return Role{}, err
	}
	return s.GetRole(ctx, acct, roleName)
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (s *Service) UpdateAssumeRolePolicy(ctx context.Context, acct, roleName, document string) error {
	var c checks
	c.name("roleName", roleName, maxRoleName)
	c.document("policyDocument", document)
	if err := c.err(); err != nil {
		return err
	}
	if err := s.validateDoc(document, DocTrust); err != nil {
		return err
	}
	principals := s.trustPrincipals(document)
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		if err := s.checkTrustPrincipals(t, principals); err != nil {
			return err
		}
		r.Trust, r.TrustSaved = document, s.clock()
		return t.put(roleKey(acct, r.Name), r)
	})
}

// DeleteRole deletes a role that is in no instance profile and has no policies.
func (s *Service) DeleteRole(ctx context.Context, acct, roleName string) error {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		switch {
		case r.Profiles > 0:
			return deleteConflict(msgMustRemoveRolesFromProf)
		case len(r.Attached) > 0:
			return deleteConflict(msgMustDetachPolicies)
		case len(r.Inline) > 0:
			return deleteConflict(msgMustDeletePolicies)
		}
		if r.Boundary != "" {
			if err := s.releaseBoundary(t, acct, ekRole, r.ID, r.Boundary); err != nil {
				return err
			}
		}
		t.del(roleKey(acct, r.Name))
		t.del(roleUsedKey(acct, r.Name))
		t.del(uniqueIDKey(r.ID))
		return nil
	})
}

// ListRoles lists the account's roles whose path starts with pathPrefix.
func (s *Service) ListRoles(ctx context.Context, acct, pathPrefix string, page PageInput) (Page[Role], error) {
	var c checks
	c.pathPrefix("pathPrefix", pathPrefix)
	if err := c.err(); err != nil {
		return Page[Role]{}, err
	}
	p, err := scan(ctx, s.b, []string{rolesPrefix(acct)}, page, func(_ int, kv storage.KV) (Role, bool, error) {
		var r roleRec
		if err := json.Unmarshal(kv.Value, &r); err != nil {
			return Role{}, false, err
		}
		if !strings.HasPrefix(r.Path, pathPrefix) {
			return Role{}, false, nil
		}
		return s.roleOut(acct, &r), true, nil
	})
	return p, internal(err)
}

// PutRolePermissionsBoundary sets or replaces a role's permissions boundary.
func (s *Service) PutRolePermissionsBoundary(ctx context.Context, acct, roleName, policyARN string) error {
	var c checks
	c.name("roleName", roleName, maxRoleName)
	c.arnField("permissionsBoundary", policyARN)
	if err := c.err(); err != nil {
		return err
	}
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return errInvalidBoundaryARN(policyARN)
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		if err := s.setBoundary(t, acct, ekRole, entityRef{Name: r.Name, ID: r.ID, Path: r.Path}, r.Boundary, ref); err != nil {
			return err
		}
		r.Boundary = ref.arn
		return t.put(roleKey(acct, r.Name), r)
	})
}

// DeleteRolePermissionsBoundary removes a role's permissions boundary (a no-op if none).
func (s *Service) DeleteRolePermissionsBoundary(ctx context.Context, acct, roleName string) error {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		if r.Boundary == "" {
			return nil
		}
		if err := s.releaseBoundary(t, acct, ekRole, r.ID, r.Boundary); err != nil {
			return err
		}
		r.Boundary = ""
		return t.put(roleKey(acct, r.Name), r)
	})
}

// RecordRoleUse notes that a role was assumed (STS calls it). Like RecordAccessKeyUse it
// writes at most once per interval per role; a missing role is ignored.
func (s *Service) RecordRoleUse(ctx context.Context, acct, roleName, region string, at time.Time) error {
	if !s.shouldRecord("role/"+acct+"/"+lower(roleName), at) {
		return nil
	}
	return s.update(ctx, func(t *tx) error {
		exists, err := t.exists(roleKey(acct, roleName))
		if err != nil || !exists {
			return err
		}
		return t.put(roleUsedKey(acct, roleName), roleUsedRec{At: at.UTC(), Region: region})
	})
}

// trustPrincipals returns the user and role ARNs a trust policy names, parsed once, outside
// the transaction that checks them (which may be retried).
func (s *Service) trustPrincipals(doc string) []string {
	pl, ok := s.validator.(PrincipalLister)
	if !ok {
		return nil
	}
	return pl.PrincipalARNs(doc)
}

// checkTrustPrincipals refuses a trust policy that names, as an "AWS" principal, an IAM user
// or role that does not exist in an account this store knows: IAM answers
// MalformedPolicyDocument "Invalid principal in policy" (IAM User Guide, "Troubleshooting
// IAM roles": "the principal ... must exist"). Principals of unknown accounts cannot be
// checked here and are accepted.
func (s *Service) checkTrustPrincipals(t *tx, principals []string) error {
	for _, a := range principals {
		parsed, typ, path, name, err := arn.ParseIAM(a)
		if err != nil || parsed.AccountID == "" || (typ != arn.TypeUser && typ != arn.TypeRole) {
			continue
		}
		known, err := t.exists(metaKey(parsed.AccountID))
		if err != nil {
			return err
		}
		if !known {
			continue
		}
		var gotPath string
		switch typ {
		case arn.TypeUser:
			u, err := s.loadUser(t, parsed.AccountID, name)
			if err == nil {
				gotPath = u.Path
			} else if !isNoSuchEntity(err) {
				return err
			} else {
				return errInvalidPrincipal(a)
			}
		case arn.TypeRole:
			r, err := s.loadRole(t, parsed.AccountID, name)
			if err == nil {
				gotPath = r.Path
			} else if !isNoSuchEntity(err) {
				return err
			} else {
				return errInvalidPrincipal(a)
			}
		}
		if gotPath != path {
			return errInvalidPrincipal(a)
		}
	}
	return nil
}

func errInvalidPrincipal(principalARN string) error {
	return awserr.New("MalformedPolicyDocument", http.StatusBadRequest, "Invalid principal in policy: \"AWS\":\"%s\"", principalARN)
}
