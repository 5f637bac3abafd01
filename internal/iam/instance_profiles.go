package iam

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// InstanceProfile is an instance profile with its roles (the IAM "InstanceProfile").
type InstanceProfile struct {
	Path                string
	InstanceProfileName string
	InstanceProfileID   string
	ARN                 string
	CreateDate          time.Time
	Roles               []Role
	Tags                []Tag
}

// profileRec is a stored instance profile. Neither profiles nor roles can be renamed, so the
// role list holds role names.
type profileRec struct {
	Name    string
	ID      string
	Path    string
	Created time.Time
	Roles   []string `json:",omitempty"`
	Tags    []Tag    `json:",omitempty"`
}

func errNoProfile(name string) error {
	return noSuchEntity("Instance Profile %s cannot be found.", name)
}

func (s *Service) loadProfile(t *tx, acct, name string) (*profileRec, error) {
	var p profileRec
	ok, err := t.get(profileKey(acct, name), &p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoProfile(name)
	}
	return &p, nil
}

func (s *Service) profileOut(t *tx, acct string, p *profileRec) (InstanceProfile, error) {
	out := InstanceProfile{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileID: p.ID,
		ARN: arn.IAM(s.partition, acct, arn.TypeInstanceProfile, p.Path, p.Name), CreateDate: p.Created,
		Roles: []Role{}, Tags: p.Tags}
	for _, rn := range p.Roles {
		var r roleRec
		ok, err := t.get(roleKey(acct, rn), &r)
		if err != nil {
			return InstanceProfile{}, err
		}
		if ok {
			out.Roles = append(out.Roles, s.roleOut(acct, &r))
		}
	}
	return out, nil
}

// CreateInstanceProfileInput is the input of CreateInstanceProfile.
type CreateInstanceProfileInput struct {
	InstanceProfileName string
	Path                string
	Tags                []Tag
}

// CreateInstanceProfile creates an empty instance profile.
func (s *Service) CreateInstanceProfile(ctx context.Context, acct string, in CreateInstanceProfileInput) (InstanceProfile, error) {
	var c checks
	c.name("instanceProfileName", in.InstanceProfileName, maxProfileName)
	path, err := checkPath(&c, "path", in.Path)
	if err != nil {
		return InstanceProfile{}, err
	}
	if err := c.err(); err != nil {
		return InstanceProfile{}, err
	}
	if err := checkTags(in.Tags, true); err != nil {
		return InstanceProfile{}, err
	}
	p := &profileRec{Name: in.InstanceProfileName, ID: ids.InstanceProfileID(), Path: path, Created: s.clock(), Tags: in.Tags}
	var out InstanceProfile
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(profileKey(acct, p.Name))
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("Instance Profile %s already exists.", in.InstanceProfileName)
		}
		t.mustAbsent(uniqueIDKey(p.ID))
		if err := t.put(uniqueIDKey(p.ID), idRec{Account: acct, Kind: "instance-profile", Name: p.Name}); err != nil {
			return err
		}
		if out, err = s.profileOut(t, acct, p); err != nil {
			return err
		}
		return t.put(profileKey(acct, p.Name), p)
	})
	if err != nil {
		return InstanceProfile{}, err
	}
	return out, nil
}

// GetInstanceProfile returns an instance profile with its roles.
func (s *Service) GetInstanceProfile(ctx context.Context, acct, name string) (InstanceProfile, error) {
	if err := checkEntityName("instanceProfileName", name, maxProfileName); err != nil {
		return InstanceProfile{}, err
	}
	var out InstanceProfile
	err := s.view(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, name)
		if err != nil {
			return err
		}
		out, err = s.profileOut(t, acct, p)
		return err
	})
	return out, err
}

// DeleteInstanceProfile deletes an instance profile that holds no role.
func (s *Service) DeleteInstanceProfile(ctx context.Context, acct, name string) error {
	if err := checkEntityName("instanceProfileName", name, maxProfileName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, name)
		if err != nil {
			return err
		}
		if len(p.Roles) > 0 {
			return deleteConflict(msgMustRemoveRolesFromProf)
		}
		t.del(profileKey(acct, p.Name))
		t.del(uniqueIDKey(p.ID))
		return nil
	})
}

// ListInstanceProfiles lists the account's instance profiles whose path starts with pathPrefix.
func (s *Service) ListInstanceProfiles(ctx context.Context, acct, pathPrefix string, page PageInput) (Page[InstanceProfile], error) {
	var c checks
	c.pathPrefix("pathPrefix", pathPrefix)
	if err := c.err(); err != nil {
		return Page[InstanceProfile]{}, err
	}
	t := s.newTx(ctx)
	p, err := scan(ctx, s.b, []string{profilesPrefix(acct)}, page, func(_ int, kv storage.KV) (InstanceProfile, bool, error) {
		var rec profileRec
		if err := json.Unmarshal(kv.Value, &rec); err != nil {
			return InstanceProfile{}, false, err
		}
		if !strings.HasPrefix(rec.Path, pathPrefix) {
			return InstanceProfile{}, false, nil
		}
		out, err := s.profileOut(t, acct, &rec)
		return out, err == nil, err
	})
	return p, internal(err)
}

// AddRoleToInstanceProfile puts a role into an instance profile, which holds at most
// RolesPerInstanceProfile (1) roles.
func (s *Service) AddRoleToInstanceProfile(ctx context.Context, acct, profileName, roleName string) error {
	var c checks
	c.name("instanceProfileName", profileName, maxProfileName)
	c.name("roleName", roleName, maxRoleName)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, profileName)
		if err != nil {
			return err
		}
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		if len(p.Roles) >= s.quotas.RolesPerInstanceProfile {
			return errQuota("InstanceSessionsPerInstanceProfile", s.quotas.RolesPerInstanceProfile)
		}
		p.Roles = append(p.Roles, r.Name)
		r.Profiles++
		t.mustAbsent(roleProfileKey(acct, r.Name, p.Name))
		if err := t.put(roleProfileKey(acct, r.Name, p.Name), entityRef{Name: p.Name, ID: p.ID, Path: p.Path}); err != nil {
			return err
		}
		if err := t.put(roleKey(acct, r.Name), r); err != nil {
			return err
		}
		return t.put(profileKey(acct, p.Name), p)
	})
}

// RemoveRoleFromInstanceProfile takes a role out of an instance profile.
func (s *Service) RemoveRoleFromInstanceProfile(ctx context.Context, acct, profileName, roleName string) error {
	var c checks
	c.name("instanceProfileName", profileName, maxProfileName)
	c.name("roleName", roleName, maxRoleName)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, profileName)
		if err != nil {
			return err
		}
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(p.Roles, func(n string) bool { return lower(n) == lower(r.Name) })
		if i < 0 {
			return noSuchEntity("Role %s in Instance Profile %s cannot be found.", roleName, profileName)
		}
		p.Roles = slices.Delete(p.Roles, i, i+1)
		r.Profiles--
		t.del(roleProfileKey(acct, r.Name, p.Name))
		if err := t.put(roleKey(acct, r.Name), r); err != nil {
			return err
		}
		return t.put(profileKey(acct, p.Name), p)
	})
}

// ListInstanceProfilesForRole lists the instance profiles that hold a role.
func (s *Service) ListInstanceProfilesForRole(ctx context.Context, acct, roleName string, page PageInput) (Page[InstanceProfile], error) {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return Page[InstanceProfile]{}, err
	}
	err := s.view(ctx, func(t *tx) error {
		_, err := s.loadRole(t, acct, roleName)
		return err
	})
	if err != nil {
		return Page[InstanceProfile]{}, err
	}
	t := s.newTx(ctx)
	p, err := scan(ctx, s.b, []string{roleProfilesPrefix(acct, roleName)}, page, func(_ int, kv storage.KV) (InstanceProfile, bool, error) {
		var ref entityRef
		if err := json.Unmarshal(kv.Value, &ref); err != nil {
			return InstanceProfile{}, false, err
		}
		var rec profileRec
		ok, err := t.get(profileKey(acct, ref.Name), &rec)
		if err != nil || !ok {
			return InstanceProfile{}, false, err
		}
		out, err := s.profileOut(t, acct, &rec)
		return out, err == nil, err
	})
	return p, internal(err)
}

// roleProfiles returns the instance profiles holding a role (for authorization details).
func (s *Service) roleProfiles(t *tx, acct, roleName string) ([]InstanceProfile, error) {
	kvs, err := s.rangeAll(t.ctx, roleProfilesPrefix(acct, roleName))
	if err != nil {
		return nil, err
	}
	out := make([]InstanceProfile, 0, len(kvs))
	for _, kv := range kvs {
		var ref entityRef
		if err := decode(kv, &ref); err != nil {
			return nil, err
		}
		var rec profileRec
		ok, err := t.get(profileKey(acct, ref.Name), &rec)
		if err != nil {
			return nil, err
		}
		if ok {
			ip, err := s.profileOut(t, acct, &rec)
			if err != nil {
				return nil, err
			}
			out = append(out, ip)
		}
	}
	return out, nil
}
