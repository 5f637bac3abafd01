package iam

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// AttachedPolicy names a managed policy attached to a user, group or role.
type AttachedPolicy struct {
	PolicyName string
	PolicyARN  string
}

// principal is a user, group or role loaded for a change to its policies: the pieces of each
// record that attachments and inline policies need, and how to store it back.
type principal struct {
	kind      string // ekUser, ekGroup, ekRole
	name      string
	ref       entityRef
	attached  *[]string
	inline    *map[string]int
	quotaName string
	quota     int
	sizeQuota int
	save      func(t *tx) error
}

func nameField(kind string) (string, int) {
	switch kind {
	case ekUser:
		return "userName", maxUserName
	case ekGroup:
		return "groupName", maxGroupName
	}
	return "roleName", maxRoleName
}

func (s *Service) loadPrincipal(t *tx, acct, kind, name string) (*principal, error) {
	switch kind {
	case ekUser:
		u, err := s.loadUser(t, acct, name)
		if err != nil {
			return nil, err
		}
		return &principal{kind: kind, name: u.Name, ref: entityRef{Name: u.Name, ID: u.ID, Path: u.Path},
			attached: &u.Attached, inline: &u.Inline, quotaName: "PoliciesPerUser", quota: s.quotas.PoliciesPerUser,
			sizeQuota: s.quotas.UserPolicySize,
			save:      func(t *tx) error { return t.put(userKey(acct, u.Name), u) }}, nil
	case ekGroup:
		g, err := s.loadGroup(t, acct, name)
		if err != nil {
			return nil, err
		}
		return &principal{kind: kind, name: g.Name, ref: entityRef{Name: g.Name, ID: g.ID, Path: g.Path},
			attached: &g.Attached, inline: &g.Inline, quotaName: "PoliciesPerGroup", quota: s.quotas.PoliciesPerGroup,
			sizeQuota: s.quotas.GroupPolicySize,
			save:      func(t *tx) error { return t.put(groupKey(acct, g.Name), g) }}, nil
	}
	r, err := s.loadRole(t, acct, name)
	if err != nil {
		return nil, err
	}
	return &principal{kind: kind, name: r.Name, ref: entityRef{Name: r.Name, ID: r.ID, Path: r.Path},
		attached: &r.Attached, inline: &r.Inline, quotaName: "PoliciesPerRole", quota: s.quotas.PoliciesPerRole,
		sizeQuota: s.quotas.RolePolicySize,
		save:      func(t *tx) error { return t.put(roleKey(acct, r.Name), r) }}, nil
}

func checkAttachArgs(kind, name, policyARN string) (policyRef, error) {
	var c checks
	field, maxLen := nameField(kind)
	c.name(field, name, maxLen)
	c.arnField("policyArn", policyARN)
	if err := c.err(); err != nil {
		return policyRef{}, err
	}
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return policyRef{}, errInvalidARN(policyARN)
	}
	return ref, nil
}

// attach attaches a managed policy to a principal; attaching it again is a no-op, as in AWS.
func (s *Service) attach(ctx context.Context, acct, kind, name, policyARN string) error {
	ref, err := checkAttachArgs(kind, name, policyARN)
	if err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		if slices.Contains(*p.attached, ref.arn) {
			return nil
		}
		use, err := s.loadPolicyUse(t, acct, ref)
		if err != nil {
			return err
		}
		if use == nil {
			return errPolicyNotAttachable(policyARN)
		}
		if len(*p.attached) >= p.quota {
			return errQuota(p.quotaName, p.quota)
		}
		*p.attached = append(*p.attached, ref.arn)
		if err := use.add(t, 1, 0); err != nil {
			return err
		}
		if err := t.put(attachRevKey(acct, ref.arn, kind, p.ref.ID), p.ref); err != nil {
			return err
		}
		return p.save(t)
	})
}

// detach removes a managed policy from a principal; NoSuchEntity if it is not attached.
func (s *Service) detach(ctx context.Context, acct, kind, name, policyARN string) error {
	ref, err := checkAttachArgs(kind, name, policyARN)
	if err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		i := slices.Index(*p.attached, ref.arn)
		if i < 0 {
			return errPolicyNotFound(policyARN)
		}
		*p.attached = slices.Delete(*p.attached, i, i+1)
		use, err := s.loadPolicyUse(t, acct, ref)
		if err != nil {
			return err
		}
		if use != nil {
			if err := use.add(t, -1, 0); err != nil {
				return err
			}
		}
		t.del(attachRevKey(acct, ref.arn, kind, p.ref.ID))
		return p.save(t)
	})
}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, acct, userName, policyARN string) error {
	return s.attach(ctx, acct, ekUser, userName, policyARN)
}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, acct, groupName, policyARN string) error {
	return s.attach(ctx, acct, ekGroup, groupName, policyARN)
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, acct, roleName, policyARN string) error {
	return s.attach(ctx, acct, ekRole, roleName, policyARN)
}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, acct, userName, policyARN string) error {
	return s.detach(ctx, acct, ekUser, userName, policyARN)
}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, acct, groupName, policyARN string) error {
	return s.detach(ctx, acct, ekGroup, groupName, policyARN)
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, acct, roleName, policyARN string) error {
	return s.detach(ctx, acct, ekRole, roleName, policyARN)
}

func (s *Service) listAttached(ctx context.Context, acct, kind, name, pathPrefix string, page PageInput) (Page[AttachedPolicy], error) {
	var c checks
	field, maxLen := nameField(kind)
	c.name(field, name, maxLen)
	c.pathPrefix("pathPrefix", pathPrefix)
	if err := c.err(); err != nil {
		return Page[AttachedPolicy]{}, err
	}
	var arns []string
	err := s.view(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		arns = *p.attached
		return nil
	})
	if err != nil {
		return Page[AttachedPolicy]{}, err
	}
	return pageSlice(attachedList(arns, pathPrefix), attachedKey, page)
}

// attachedList turns stored ARNs into AttachedPolicy values filtered by path, in name order.
func attachedList(arns []string, pathPrefix string) []AttachedPolicy {
	out := make([]AttachedPolicy, 0, len(arns))
	for _, a := range arns {
		ref, ok := parsePolicyARN(a)
		if !ok || !strings.HasPrefix(ref.path, pathPrefix) {
			continue
		}
		out = append(out, AttachedPolicy{PolicyName: ref.name, PolicyARN: a})
	}
	slices.SortFunc(out, func(a, b AttachedPolicy) int { return strings.Compare(attachedKey(a), attachedKey(b)) })
	return out
}

func attachedKey(a AttachedPolicy) string { return lower(a.PolicyName) + "|" + a.PolicyARN }

// ListAttachedUserPolicies lists the managed policies attached to a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, acct, userName, pathPrefix string, page PageInput) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, acct, ekUser, userName, pathPrefix, page)
}

// ListAttachedGroupPolicies lists the managed policies attached to a group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, acct, groupName, pathPrefix string, page PageInput) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, acct, ekGroup, groupName, pathPrefix, page)
}

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, acct, roleName, pathPrefix string, page PageInput) (Page[AttachedPolicy], error) {
	return s.listAttached(ctx, acct, ekRole, roleName, pathPrefix, page)
}

// PolicyEntity is a user, group or role that uses a managed policy (PolicyUser, PolicyGroup and
// PolicyRole in the API: Name and ID are UserName/UserId, GroupName/GroupId, RoleName/RoleId).
type PolicyEntity struct {
	Name string
	ID   string
}

// EntitiesForPolicy is one page of ListEntitiesForPolicy.
type EntitiesForPolicy struct {
	PolicyGroups []PolicyEntity
	PolicyUsers  []PolicyEntity
	PolicyRoles  []PolicyEntity
	IsTruncated  bool
	Marker       string
}

// Entity filters of ListEntitiesForPolicy.
const (
	EntityUser               = "User"
	EntityRole               = "Role"
	EntityGroup              = "Group"
	EntityLocalManagedPolicy = "LocalManagedPolicy"
	EntityAWSManagedPolicy   = "AWSManagedPolicy"
)

// ListEntitiesForPolicyInput is the input of ListEntitiesForPolicy.
type ListEntitiesForPolicyInput struct {
	PolicyARN string
	// EntityFilter is "", User, Role or Group (LocalManagedPolicy and AWSManagedPolicy, valid in
	// the enum, match no entities).
	EntityFilter string
	PathPrefix   string
	// PolicyUsageFilter is "", PermissionsPolicy (attachments) or PermissionsBoundary.
	PolicyUsageFilter string
	Page              PageInput
}

// ListEntitiesForPolicy lists the users, groups and roles a managed policy is attached to
// and/or is the permissions boundary of.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, acct string, in ListEntitiesForPolicyInput) (EntitiesForPolicy, error) {
	ref, err := parsePolicyArg("policyArn", in.PolicyARN)
	if err != nil {
		return EntitiesForPolicy{}, err
	}
	var c checks
	c.pathPrefix("pathPrefix", in.PathPrefix)
	switch in.EntityFilter {
	case "", EntityUser, EntityRole, EntityGroup, EntityLocalManagedPolicy, EntityAWSManagedPolicy:
	default:
		c.fail("entityFilter", "Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]")
	}
	switch in.PolicyUsageFilter {
	case "", UsagePermissionsPolicy, UsagePermissionsBoundary:
	default:
		c.fail("policyUsageFilter", "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	if err := c.err(); err != nil {
		return EntitiesForPolicy{}, err
	}
	err = s.view(ctx, func(t *tx) error {
		use, err := s.loadPolicyUse(t, acct, ref)
		if err != nil {
			return err
		}
		if use == nil {
			return errPolicyNotAttachable(in.PolicyARN)
		}
		return nil
	})
	if err != nil {
		return EntitiesForPolicy{}, err
	}
	var prefixes []string
	if in.PolicyUsageFilter != UsagePermissionsBoundary {
		prefixes = append(prefixes, attachRevPrefix(acct, ref.arn))
	}
	if in.PolicyUsageFilter != UsagePermissionsPolicy {
		prefixes = append(prefixes, boundaryRevPrefix(acct, ref.arn))
	}
	type hit struct {
		kind string
		ref  entityRef
	}
	p, err := scan(ctx, s.b, prefixes, in.Page, func(part int, kv storage.KV) (hit, bool, error) {
		kind, _, _ := strings.Cut(strings.TrimPrefix(kv.Key, prefixes[part]), "/")
		var e entityRef
		if err := json.Unmarshal(kv.Value, &e); err != nil {
			return hit{}, false, err
		}
		if !entityMatches(in.EntityFilter, kind) || !strings.HasPrefix(e.Path, in.PathPrefix) {
			return hit{}, false, nil
		}
		if part == 1 && len(prefixes) == 2 {
			// Listed already among the attachments (part 0)?
			_, err := s.b.Get(ctx, attachRevKey(acct, ref.arn, kind, e.ID))
			if err == nil {
				return hit{}, false, nil
			}
			if !errors.Is(err, storage.ErrNotFound) {
				return hit{}, false, err
			}
		}
		return hit{kind: kind, ref: e}, true, nil
	})
	if err != nil {
		return EntitiesForPolicy{}, internal(err)
	}
	out := EntitiesForPolicy{IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, h := range p.Items {
		pe := PolicyEntity{Name: h.ref.Name, ID: h.ref.ID}
		switch h.kind {
		case ekUser:
			out.PolicyUsers = append(out.PolicyUsers, pe)
		case ekGroup:
			out.PolicyGroups = append(out.PolicyGroups, pe)
		case ekRole:
			out.PolicyRoles = append(out.PolicyRoles, pe)
		}
	}
	return out, nil
}

func entityMatches(filter, kind string) bool {
	switch filter {
	case "":
		return true
	case EntityUser:
		return kind == ekUser
	case EntityGroup:
		return kind == ekGroup
	case EntityRole:
		return kind == ekRole
	}
	return false
}
