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

// Group is an IAM group (the IAM "Group" data type).
type Group struct {
	Path       string
	GroupName  string
	GroupID    string
	ARN        string
	CreateDate time.Time
}

// groupRec is the stored group. Members are separate keys (a group may hold thousands); the
// record's Members count changes with each of them, so DeleteGroup's check is race-free.
type groupRec struct {
	Name     string
	ID       string
	Path     string
	Created  time.Time
	Members  int            `json:",omitempty"`
	Attached []string       `json:",omitempty"`
	Inline   map[string]int `json:",omitempty"`
}

func (s *Service) groupARN(acct, path, name string) string {
	return arn.IAM(s.partition, acct, arn.TypeGroup, path, name)
}

func (s *Service) groupOut(acct string, g *groupRec) Group {
	return Group{Path: g.Path, GroupName: g.Name, GroupID: g.ID, ARN: s.groupARN(acct, g.Path, g.Name), CreateDate: g.Created}
}

func (s *Service) loadGroup(t *tx, acct, name string) (*groupRec, error) {
	var g groupRec
	ok, err := t.get(groupKey(acct, name), &g)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errGroupNotFound(name)
	}
	return &g, nil
}

// loadGroupByID resolves a group ID through the unique-ID index; nil if it is gone.
func (s *Service) loadGroupByID(t *tx, acct, id string) (*groupRec, error) {
	var ix idRec
	ok, err := t.get(uniqueIDKey(id), &ix)
	if err != nil || !ok || ix.Account != acct || ix.Kind != ekGroup {
		return nil, err
	}
	var g groupRec
	ok, err = t.get(groupKey(acct, ix.Name), &g)
	if err != nil || !ok {
		return nil, err
	}
	return &g, nil
}

// CreateGroup creates a group; path defaults to "/".
func (s *Service) CreateGroup(ctx context.Context, acct, groupName, path string) (Group, error) {
	var c checks
	c.name("groupName", groupName, maxGroupName)
	path, err := checkPath(&c, "path", path)
	if err != nil {
		return Group{}, err
	}
	if err := c.err(); err != nil {
		return Group{}, err
	}
	g := &groupRec{Name: groupName, ID: ids.GroupID(), Path: path, Created: s.clock()}
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(groupKey(acct, groupName))
		if err != nil {
			return err
		}
		if exists {
			return errEntityExists(kindGroup, groupName)
		}
		t.mustAbsent(uniqueIDKey(g.ID))
		if err := t.put(uniqueIDKey(g.ID), idRec{Account: acct, Kind: ekGroup, Name: g.Name}); err != nil {
			return err
		}
		return t.put(groupKey(acct, g.Name), g)
	})
	if err != nil {
		return Group{}, err
	}
	return s.groupOut(acct, g), nil
}

// GetGroupOutput is a group and one page of its members.
type GetGroupOutput struct {
	Group       Group
	Users       []User
	IsTruncated bool
	Marker      string
}

// GetGroup returns a group and a page of its member users.
func (s *Service) GetGroup(ctx context.Context, acct, groupName string, page PageInput) (GetGroupOutput, error) {
	if err := checkEntityName("groupName", groupName, maxGroupName); err != nil {
		return GetGroupOutput{}, err
	}
	var g *groupRec
	err := s.view(ctx, func(t *tx) error {
		var err error
		g, err = s.loadGroup(t, acct, groupName)
		return err
	})
	if err != nil {
		return GetGroupOutput{}, err
	}
	p, err := scan(ctx, s.b, []string{membersPrefix(acct, g.ID)}, page, func(_ int, kv storage.KV) (User, bool, error) {
		var ref entityRef
		if err := json.Unmarshal(kv.Value, &ref); err != nil {
			return User{}, false, err
		}
		u, err := s.GetUser(ctx, acct, ref.Name)
		if err != nil {
			return User{}, false, nil // removed concurrently
		}
		return u, true, nil
	})
	if err != nil {
		return GetGroupOutput{}, internal(err)
	}
	return GetGroupOutput{Group: s.groupOut(acct, g), Users: p.Items, IsTruncated: p.IsTruncated, Marker: p.Marker}, nil
}

// UpdateGroupInput is the input of UpdateGroup. Empty fields leave the value unchanged.
type UpdateGroupInput struct {
	GroupName    string
	NewGroupName string
	NewPath      string
}

// UpdateGroup renames a group and/or moves it to a new path.
func (s *Service) UpdateGroup(ctx context.Context, acct string, in UpdateGroupInput) error {
	var c checks
	c.name("groupName", in.GroupName, maxGroupName)
	c.optName("newGroupName", in.NewGroupName, maxGroupName)
	if in.NewPath != "" {
		if _, err := checkPath(&c, "newPath", in.NewPath); err != nil {
			return err
		}
	}
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		g, err := s.loadGroup(t, acct, in.GroupName)
		if err != nil {
			return err
		}
		if in.NewGroupName != "" && lower(in.NewGroupName) != lower(g.Name) {
			exists, err := t.exists(groupKey(acct, in.NewGroupName))
			if err != nil {
				return err
			}
			if exists {
				return errEntityExists(kindGroup, in.NewGroupName)
			}
			t.del(groupKey(acct, g.Name))
		}
		if in.NewGroupName != "" {
			g.Name = in.NewGroupName
		}
		if in.NewPath != "" {
			g.Path = in.NewPath
		}
		if err := t.put(groupKey(acct, g.Name), g); err != nil {
			return err
		}
		if err := t.put(uniqueIDKey(g.ID), idRec{Account: acct, Kind: ekGroup, Name: g.Name}); err != nil {
			return err
		}
		ref := entityRef{Name: g.Name, ID: g.ID, Path: g.Path}
		for _, p := range g.Attached {
			if err := t.put(attachRevKey(acct, p, ekGroup, g.ID), ref); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteGroup deletes a group with no members and no policies.
func (s *Service) DeleteGroup(ctx context.Context, acct, groupName string) error {
	if err := checkEntityName("groupName", groupName, maxGroupName); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		g, err := s.loadGroup(t, acct, groupName)
		if err != nil {
			return err
		}
		switch {
		case g.Members > 0:
			return deleteConflict(msgMustRemoveUsersFromGrp)
		case len(g.Attached) > 0:
			return deleteConflict(msgMustDetachPolicies)
		case len(g.Inline) > 0:
			return deleteConflict(msgMustDeletePolicies)
		}
		t.del(groupKey(acct, g.Name))
		t.del(uniqueIDKey(g.ID))
		return nil
	})
}

// ListGroups lists the account's groups whose path starts with pathPrefix.
func (s *Service) ListGroups(ctx context.Context, acct, pathPrefix string, page PageInput) (Page[Group], error) {
	var c checks
	c.pathPrefix("pathPrefix", pathPrefix)
	if err := c.err(); err != nil {
		return Page[Group]{}, err
	}
	p, err := scan(ctx, s.b, []string{groupsPrefix(acct)}, page, func(_ int, kv storage.KV) (Group, bool, error) {
		var g groupRec
		if err := json.Unmarshal(kv.Value, &g); err != nil {
			return Group{}, false, err
		}
		if !strings.HasPrefix(g.Path, pathPrefix) {
			return Group{}, false, nil
		}
		return s.groupOut(acct, &g), true, nil
	})
	return p, internal(err)
}

// AddUserToGroup adds a user to a group; adding a member again is a no-op, as in AWS.
func (s *Service) AddUserToGroup(ctx context.Context, acct, groupName, userName string) error {
	var c checks
	c.name("groupName", groupName, maxGroupName)
	c.name("userName", userName, maxUserName)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		g, err := s.loadGroup(t, acct, groupName)
		if err != nil {
			return err
		}
		if slices.Contains(u.Groups, g.ID) {
			return nil
		}
		if len(u.Groups) >= s.quotas.GroupsPerUser {
			return errQuota("GroupsPerUser", s.quotas.GroupsPerUser)
		}
		u.Groups = append(u.Groups, g.ID)
		g.Members++
		t.mustAbsent(memberKey(acct, g.ID, u.ID))
		if err := t.put(memberKey(acct, g.ID, u.ID), entityRef{Name: u.Name, ID: u.ID, Path: u.Path}); err != nil {
			return err
		}
		if err := t.put(userKey(acct, u.Name), u); err != nil {
			return err
		}
		return t.put(groupKey(acct, g.Name), g)
	})
}

// RemoveUserFromGroup removes a user from a group; removing a non-member succeeds, as in AWS
// (recorded by LocalStack's parity suite, test_iam_users.py).
func (s *Service) RemoveUserFromGroup(ctx context.Context, acct, groupName, userName string) error {
	var c checks
	c.name("groupName", groupName, maxGroupName)
	c.name("userName", userName, maxUserName)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		g, err := s.loadGroup(t, acct, groupName)
		if err != nil {
			return err
		}
		i := slices.Index(u.Groups, g.ID)
		if i < 0 {
			return nil
		}
		u.Groups = slices.Delete(u.Groups, i, i+1)
		g.Members--
		t.del(memberKey(acct, g.ID, u.ID))
		if err := t.put(userKey(acct, u.Name), u); err != nil {
			return err
		}
		return t.put(groupKey(acct, g.Name), g)
	})
}

// ListGroupsForUser lists the groups a user belongs to, in name order.
func (s *Service) ListGroupsForUser(ctx context.Context, acct, userName string, page PageInput) (Page[Group], error) {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return Page[Group]{}, err
	}
	var groups []Group
	err := s.view(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		groups, err = s.userGroups(t, acct, u)
		return err
	})
	if err != nil {
		return Page[Group]{}, err
	}
	return pageSlice(groups, func(g Group) string { return lower(g.GroupName) }, page)
}

// userGroups resolves a user's group IDs to groups, sorted by lower-cased name.
func (s *Service) userGroups(t *tx, acct string, u *userRec) ([]Group, error) {
	out := make([]Group, 0, len(u.Groups))
	for _, id := range u.Groups {
		g, err := s.loadGroupByID(t, acct, id)
		if err != nil {
			return nil, err
		}
		if g != nil {
			out = append(out, s.groupOut(acct, g))
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(lower(a.GroupName), lower(b.GroupName)) })
	return out, nil
}
