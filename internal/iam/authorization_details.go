package iam

import (
	"context"
	"encoding/json"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Filters of GetAccountAuthorizationDetails (the EntityType enum).
const (
	FilterUser               = "User"
	FilterRole               = "Role"
	FilterGroup              = "Group"
	FilterLocalManagedPolicy = "LocalManagedPolicy"
	FilterAWSManagedPolicy   = "AWSManagedPolicy"
)

// UserDetail is a user with everything attached to it (the IAM "UserDetail").
type UserDetail struct {
	User
	UserPolicyList          []InlinePolicy
	GroupList               []string
	AttachedManagedPolicies []AttachedPolicy
}

// GroupDetail is a group with its policies (the IAM "GroupDetail").
type GroupDetail struct {
	Group
	GroupPolicyList         []InlinePolicy
	AttachedManagedPolicies []AttachedPolicy
}

// RoleDetail is a role with its policies and instance profiles (the IAM "RoleDetail").
type RoleDetail struct {
	Role
	InstanceProfileList     []InstanceProfile
	RolePolicyList          []InlinePolicy
	AttachedManagedPolicies []AttachedPolicy
}

// ManagedPolicyDetail is a managed policy with all its versions (the IAM "ManagedPolicyDetail").
type ManagedPolicyDetail struct {
	Policy
	PolicyVersionList []PolicyVersion
}

// AuthorizationDetails is one page of GetAccountAuthorizationDetails. MaxItems counts the
// items of all four lists together.
type AuthorizationDetails struct {
	UserDetailList  []UserDetail
	GroupDetailList []GroupDetail
	RoleDetailList  []RoleDetail
	Policies        []ManagedPolicyDetail
	IsTruncated     bool
	Marker          string
}

// GetAccountAuthorizationDetails returns the account's users, groups, roles and managed
// policies with their relationships, filtered by entity type (none means all). AWS managed
// policies are listed only when used in the account.
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, acct string, filter []string, page PageInput) (AuthorizationDetails, error) {
	want := map[string]bool{}
	var c checks
	for _, f := range filter {
		switch f {
		case FilterUser, FilterRole, FilterGroup, FilterLocalManagedPolicy, FilterAWSManagedPolicy:
			want[f] = true
		default:
			c.fail("filter", "Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]")
		}
	}
	if err := c.err(); err != nil {
		return AuthorizationDetails{}, err
	}
	all := len(want) == 0
	// The parts are walked in this order; the marker remembers which and where.
	parts := []struct {
		kind   string
		prefix string
	}{
		{FilterUser, usersPrefix(acct)},
		{FilterGroup, groupsPrefix(acct)},
		{FilterRole, rolesPrefix(acct)},
		{FilterLocalManagedPolicy, policiesPrefix(acct)},
		{FilterAWSManagedPolicy, awsPoliciesPrefix(acct)},
	}
	prefixes := make([]string, len(parts))
	for i, p := range parts {
		prefixes[i] = p.prefix
	}
	t := s.newTx(ctx)
	p, err := scan(ctx, s.b, prefixes, page, func(part int, kv storage.KV) (any, bool, error) {
		if !all && !want[parts[part].kind] {
			return nil, false, nil
		}
		switch parts[part].kind {
		case FilterUser:
			var u userRec
			if err := json.Unmarshal(kv.Value, &u); err != nil {
				return nil, false, err
			}
			d, err := s.userDetail(t, acct, &u)
			return d, err == nil, err
		case FilterGroup:
			var g groupRec
			if err := json.Unmarshal(kv.Value, &g); err != nil {
				return nil, false, err
			}
			inline, err := s.inlineDocuments(t, acct, ekGroup, g.ID, g.Inline)
			if err != nil {
				return nil, false, err
			}
			return GroupDetail{Group: s.groupOut(acct, &g), GroupPolicyList: inline,
				AttachedManagedPolicies: attachedList(g.Attached, "")}, true, nil
		case FilterRole:
			var r roleRec
			if err := json.Unmarshal(kv.Value, &r); err != nil {
				return nil, false, err
			}
			d, err := s.roleDetail(t, acct, &r)
			return d, err == nil, err
		case FilterLocalManagedPolicy:
			var pr policyRec
			if err := json.Unmarshal(kv.Value, &pr); err != nil {
				return nil, false, err
			}
			d, err := s.localPolicyDetail(t, acct, &pr)
			return d, err == nil, err
		default:
			var u awsUsageRec
			if err := json.Unmarshal(kv.Value, &u); err != nil {
				return nil, false, err
			}
			d, ok := s.awsPolicyDetail(acct, kv.Key, u)
			return d, ok, nil
		}
	})
	if err != nil {
		return AuthorizationDetails{}, internal(err)
	}
	out := AuthorizationDetails{IsTruncated: p.IsTruncated, Marker: p.Marker}
	for _, it := range p.Items {
		switch v := it.(type) {
		case UserDetail:
			out.UserDetailList = append(out.UserDetailList, v)
		case GroupDetail:
			out.GroupDetailList = append(out.GroupDetailList, v)
		case RoleDetail:
			out.RoleDetailList = append(out.RoleDetailList, v)
		case ManagedPolicyDetail:
			out.Policies = append(out.Policies, v)
		}
	}
	return out, nil
}

func (s *Service) userDetail(t *tx, acct string, u *userRec) (UserDetail, error) {
	inline, err := s.inlineDocuments(t, acct, ekUser, u.ID, u.Inline)
	if err != nil {
		return UserDetail{}, err
	}
	groups, err := s.userGroups(t, acct, u)
	if err != nil {
		return UserDetail{}, err
	}
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, g.GroupName)
	}
	return UserDetail{User: s.userOut(acct, u), UserPolicyList: inline, GroupList: names,
		AttachedManagedPolicies: attachedList(u.Attached, "")}, nil
}

func (s *Service) roleDetail(t *tx, acct string, r *roleRec) (RoleDetail, error) {
	inline, err := s.inlineDocuments(t, acct, ekRole, r.ID, r.Inline)
	if err != nil {
		return RoleDetail{}, err
	}
	profiles, err := s.roleProfiles(t, acct, r.Name)
	if err != nil {
		return RoleDetail{}, err
	}
	role := s.roleOut(acct, r)
	var used roleUsedRec
	ok, err := t.get(roleUsedKey(acct, r.Name), &used)
	if err != nil {
		return RoleDetail{}, err
	}
	if ok {
		role.RoleLastUsed = &RoleLastUsed{LastUsedDate: used.At, Region: used.Region}
	}
	return RoleDetail{Role: role, InstanceProfileList: profiles, RolePolicyList: inline,
		AttachedManagedPolicies: attachedList(r.Attached, "")}, nil
}

func (s *Service) localPolicyDetail(t *tx, acct string, p *policyRec) (ManagedPolicyDetail, error) {
	d := ManagedPolicyDetail{Policy: s.policyOut(acct, p)}
	d.Tags = nil // the ManagedPolicyDetail shape has no tags
	for _, m := range p.Versions {
		var v versionRec
		ok, err := t.get(versionKey(acct, p.ID, m.N), &v)
		if err != nil {
			return ManagedPolicyDetail{}, err
		}
		if ok {
			d.PolicyVersionList = append(d.PolicyVersionList, versionOut(p, v))
		}
	}
	return d, nil
}

func (s *Service) awsPolicyDetail(acct, key string, u awsUsageRec) (ManagedPolicyDetail, bool) {
	arnStr := unescapeTail(key, awsPoliciesPrefix(acct))
	ref, ok := parsePolicyARN(arnStr)
	if !ok {
		return ManagedPolicyDetail{}, false
	}
	p, ok := s.lookupAWS(ref)
	if !ok {
		return ManagedPolicyDetail{}, false
	}
	d := ManagedPolicyDetail{Policy: s.awsPolicyOut(p, u)}
	for _, v := range p.Versions {
		v.IsDefaultVersion = v.VersionID == p.DefaultVersionID
		d.PolicyVersionList = append(d.PolicyVersionList, v)
	}
	return d, true
}

// PrincipalPolicies is every policy document that applies to an IAM user or role, gathered
// for the authorizer: inline policies, default versions of attached managed policies (a
// user's include those of its groups) and the permissions boundary.
type PrincipalPolicies struct {
	// ARN, ID and Path of the principal, and its tags (aws:PrincipalTag/*).
	ARN  string
	ID   string
	Path string
	Tags []Tag
	// Trust is a role's trust policy document; empty for a user. TrustSaved is when it
	// was last written.
	Trust      string
	TrustSaved time.Time
	// Created is when the user or role was created.
	Created time.Time
	// Inline and Managed are the identity-based policies.
	Inline  []SourcedDocument
	Managed []SourcedDocument
	// Boundary is the permissions boundary, nil when none.
	Boundary *SourcedDocument
	// Fetched is when the set was read (for cache expiry by the caller).
	Fetched time.Time
}

// SourcedDocument is a policy document and where it comes from: a managed policy's ARN, or
// the ARN of the user, group or role that holds an inline policy plus the policy's name.
type SourcedDocument struct {
	Source   string
	Name     string
	Document string
}
