package iam

import (
	"context"
	"slices"
)

// InlinePolicy is an inline policy of a user, group or role. EntityName is the UserName,
// GroupName or RoleName of the Get*Policy output.
type InlinePolicy struct {
	EntityName     string
	PolicyName     string
	PolicyDocument string
}

type inlineRec struct {
	Name     string
	Document string
}

// kindWord is how AWS names the entity kind in inline-policy messages.
func kindWord(kind string) string {
	switch kind {
	case ekUser:
		return kindUser
	case ekGroup:
		return kindGroup
	}
	return kindRole
}

func checkInlineArgs(kind, name, policyName string) *checks {
	var c checks
	field, maxLen := nameField(kind)
	c.name(field, name, maxLen)
	c.name("policyName", policyName, maxPolicyName)
	return &c
}

// putInline creates or replaces an inline policy. The sum of the sizes (white space not
// counted) of an entity's inline policies is capped by UserPolicySize, GroupPolicySize or
// RolePolicySize; AWS's message is "Maximum policy size of 2048 bytes exceeded for user x"
// (quoted in HumanCellAtlas/data-store#1963 and ministryofjustice/cloud-platform-environments#5302).
func (s *Service) putInline(ctx context.Context, acct, kind, name, policyName, document string) error {
	c := checkInlineArgs(kind, name, policyName)
	c.document("policyDocument", document)
	if err := c.err(); err != nil {
		return err
	}
	var docKind DocKind
	switch kind {
	case ekUser:
		docKind = DocUserInline
	case ekGroup:
		docKind = DocGroupInline
	default:
		docKind = DocRoleInline
	}
	if err := s.validateDoc(document, docKind); err != nil {
		return err
	}
	size := policySize(document)
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		total := size
		for n, sz := range *p.inline {
			if n != policyName {
				total += sz
			}
		}
		if total > p.sizeQuota {
			return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", p.sizeQuota, kindWord(kind), p.name)
		}
		if *p.inline == nil {
			*p.inline = map[string]int{}
		}
		(*p.inline)[policyName] = size
		if err := t.put(inlineKey(acct, kind, p.ref.ID, policyName), inlineRec{Name: policyName, Document: document}); err != nil {
			return err
		}
		return p.save(t)
	})
}

func (s *Service) getInline(ctx context.Context, acct, kind, name, policyName string) (InlinePolicy, error) {
	if err := checkInlineArgs(kind, name, policyName).err(); err != nil {
		return InlinePolicy{}, err
	}
	var out InlinePolicy
	err := s.view(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		var rec inlineRec
		ok, err := t.get(inlineKey(acct, kind, p.ref.ID, policyName), &rec)
		if err != nil {
			return err
		}
		if !ok {
			return errInlineNotFound(kindWord(kind), policyName)
		}
		out = InlinePolicy{EntityName: p.name, PolicyName: rec.Name, PolicyDocument: rec.Document}
		return nil
	})
	return out, err
}

func (s *Service) deleteInline(ctx context.Context, acct, kind, name, policyName string) error {
	if err := checkInlineArgs(kind, name, policyName).err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		if _, ok := (*p.inline)[policyName]; !ok {
			return errInlineNotFound(kindWord(kind), policyName)
		}
		delete(*p.inline, policyName)
		t.del(inlineKey(acct, kind, p.ref.ID, policyName))
		return p.save(t)
	})
}

func (s *Service) listInline(ctx context.Context, acct, kind, name string, page PageInput) (Page[string], error) {
	var c checks
	field, maxLen := nameField(kind)
	c.name(field, name, maxLen)
	if err := c.err(); err != nil {
		return Page[string]{}, err
	}
	var names []string
	err := s.view(ctx, func(t *tx) error {
		p, err := s.loadPrincipal(t, acct, kind, name)
		if err != nil {
			return err
		}
		for n := range *p.inline {
			names = append(names, n)
		}
		return nil
	})
	if err != nil {
		return Page[string]{}, err
	}
	slices.Sort(names)
	return pageSlice(names, func(n string) string { return n }, page)
}

// inlineDocuments returns every inline policy of an entity, in name order.
func (s *Service) inlineDocuments(t *tx, acct, kind, entityID string, names map[string]int) ([]InlinePolicy, error) {
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	slices.Sort(sorted)
	out := make([]InlinePolicy, 0, len(sorted))
	for _, n := range sorted {
		var rec inlineRec
		ok, err := t.get(inlineKey(acct, kind, entityID, n), &rec)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, InlinePolicy{PolicyName: rec.Name, PolicyDocument: rec.Document})
		}
	}
	return out, nil
}

// PutUserPolicy creates or replaces an inline policy of a user.
func (s *Service) PutUserPolicy(ctx context.Context, acct, userName, policyName, document string) error {
	return s.putInline(ctx, acct, ekUser, userName, policyName, document)
}

// GetUserPolicy returns an inline policy of a user.
func (s *Service) GetUserPolicy(ctx context.Context, acct, userName, policyName string) (InlinePolicy, error) {
	return s.getInline(ctx, acct, ekUser, userName, policyName)
}

// DeleteUserPolicy deletes an inline policy of a user.
func (s *Service) DeleteUserPolicy(ctx context.Context, acct, userName, policyName string) error {
	return s.deleteInline(ctx, acct, ekUser, userName, policyName)
}

// ListUserPolicies lists the names of a user's inline policies.
func (s *Service) ListUserPolicies(ctx context.Context, acct, userName string, page PageInput) (Page[string], error) {
	return s.listInline(ctx, acct, ekUser, userName, page)
}

// PutGroupPolicy creates or replaces an inline policy of a group.
func (s *Service) PutGroupPolicy(ctx context.Context, acct, groupName, policyName, document string) error {
	return s.putInline(ctx, acct, ekGroup, groupName, policyName, document)
}

// GetGroupPolicy returns an inline policy of a group.
func (s *Service) GetGroupPolicy(ctx context.Context, acct, groupName, policyName string) (InlinePolicy, error) {
	return s.getInline(ctx, acct, ekGroup, groupName, policyName)
}

// DeleteGroupPolicy deletes an inline policy of a group.
func (s *Service) DeleteGroupPolicy(ctx context.Context, acct, groupName, policyName string) error {
	return s.deleteInline(ctx, acct, ekGroup, groupName, policyName)
}

// ListGroupPolicies lists the names of a group's inline policies.
func (s *Service) ListGroupPolicies(ctx context.Context, acct, groupName string, page PageInput) (Page[string], error) {
	return s.listInline(ctx, acct, ekGroup, groupName, page)
}

// PutRolePolicy creates or replaces an inline policy of a role.
func (s *Service) PutRolePolicy(ctx context.Context, acct, roleName, policyName, document string) error {
	return s.putInline(ctx, acct, ekRole, roleName, policyName, document)
}

// GetRolePolicy returns an inline policy of a role.
func (s *Service) GetRolePolicy(ctx context.Context, acct, roleName, policyName string) (InlinePolicy, error) {
	return s.getInline(ctx, acct, ekRole, roleName, policyName)
}

// DeleteRolePolicy deletes an inline policy of a role.
func (s *Service) DeleteRolePolicy(ctx context.Context, acct, roleName, policyName string) error {
	return s.deleteInline(ctx, acct, ekRole, roleName, policyName)
}

// ListRolePolicies lists the names of a role's inline policies.
func (s *Service) ListRolePolicies(ctx context.Context, acct, roleName string, page PageInput) (Page[string], error) {
	return s.listInline(ctx, acct, ekRole, roleName, page)
}
