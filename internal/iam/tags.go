package iam

import (
	"context"
	"fmt"
	"strings"
)

// Tag is a key-value pair attached to an IAM user, role, managed policy or instance profile.
type Tag struct {
	Key   string
	Value string
}

// Tag list constraints ("Tag" and "tagListType" in the IAM API Reference; "Tagging IAM
// resources", https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html). The messages are
// recorded from AWS. Keys of users, roles and instance profiles are case-insensitive (AWS keeps
// the case but "Env" and "env" are the same key); managed policy tag keys compare exactly.
const maxTagsPerRequest = 50

// checkTags validates a request's tag list. caseInsensitive selects the comparison for
// duplicate keys and the wording AWS uses for each resource type.
func checkTags(tags []Tag, caseInsensitive bool) error {
	var c checks
	if len(tags) > maxTagsPerRequest {
		c.fail("tags", fmt.Sprintf("Member must have length less than or equal to %d", maxTagsPerRequest))
		return c.err()
	}
	seen := map[string]bool{}
	for i, t := range tags {
		k := t.Key
		if caseInsensitive {
			k = lower(k)
		}
		if seen[k] {
			if caseInsensitive {
				return invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
			}
			return invalidInput("Duplicate tag keys found.")
		}
		seen[k] = true
		field := fmt.Sprintf("tags.%d.member", i+1)
		c.str(field+".key", t.Key, true, 1, maxTagKey, reTagKey, patTagKey)
		if length(t.Value) > maxTagValue {
			c.fail(field+".value", fmt.Sprintf("Member must have length less than or equal to %d", maxTagValue))
		} else if !reTagValue.MatchString(t.Value) {
			c.fail(field+".value", "Member must satisfy regular expression pattern: "+patTagValue)
		}
	}
	if err := c.err(); err != nil {
		return err
	}
	for _, t := range tags {
		// The aws: prefix is reserved in every letter case. AWS's IAM wording is not documented;
		// this is the wording other AWS services use for the same rule.
		if strings.HasPrefix(lower(t.Key), "aws:") {
			return invalidInput("Tag keys starting with 'aws:' are reserved for internal use.")
		}
	}
	return nil
}

// checkTagKeys validates the key list of an Untag* request.
func checkTagKeys(keys []string) error {
	var c checks
	if len(keys) > maxTagsPerRequest {
		c.fail("tagKeys", fmt.Sprintf("Member must have length less than or equal to %d", maxTagsPerRequest))
		return c.err()
	}
	for _, k := range keys {
		if k == "" || length(k) > maxTagKey || !reTagKey.MatchString(k) {
			c.fail("tagKeys", "Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: "+patTagKey+", Member must not be null]")
			break
		}
	}
	return c.err()
}

func sameKey(a, b string, caseInsensitive bool) bool {
	if caseInsensitive {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// mergeTags adds or replaces tags, keeping the order of first insertion, and enforces the
// per-resource quota on the result.
func mergeTags(have, add []Tag, caseInsensitive bool, quota int) ([]Tag, error) {
	out := append([]Tag(nil), have...)
	for _, t := range add {
		replaced := false
		for i := range out {
			if sameKey(out[i].Key, t.Key, caseInsensitive) {
				out[i] = t
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, t)
		}
	}
	if len(out) > quota {
		return nil, errTagLimit()
	}
	return out, nil
}

// removeTags drops the tags with the keys; keys that are absent are ignored, as in AWS.
func removeTags(have []Tag, keys []string, caseInsensitive bool) []Tag {
	var out []Tag
	for _, t := range have {
		drop := false
		for _, k := range keys {
			if sameKey(t.Key, k, caseInsensitive) {
				drop = true
				break
			}
		}
		if !drop {
			out = append(out, t)
		}
	}
	return out
}

// pageTags pages a tag list in its stored order.
func pageTags(tags []Tag, in PageInput) (Page[Tag], error) { return pageOrdered(tags, in) }

// ---- operations -----------------------------------------------------------------------------

// TagUser adds tags to a user, replacing the values of keys it already has.
func (s *Service) TagUser(ctx context.Context, acct, userName string, tags []Tag) error {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return err
	}
	if err := checkTags(tags, true); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		if u.Tags, err = mergeTags(u.Tags, tags, true, s.quotas.TagsPerResource); err != nil {
			return err
		}
		return t.put(userKey(acct, u.Name), u)
	})
}

// UntagUser removes the tags with the keys from a user.
func (s *Service) UntagUser(ctx context.Context, acct, userName string, keys []string) error {
	if err := checkEntityName("userName", userName, maxUserName); err != nil {
		return err
	}
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		u.Tags = removeTags(u.Tags, keys, true)
		return t.put(userKey(acct, u.Name), u)
	})
}

// ListUserTags lists a user's tags.
func (s *Service) ListUserTags(ctx context.Context, acct, userName string, page PageInput) (Page[Tag], error) {
	u, err := s.GetUser(ctx, acct, userName)
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(u.Tags, page)
}

// TagRole adds tags to a role, replacing the values of keys it already has.
func (s *Service) TagRole(ctx context.Context, acct, roleName string, tags []Tag) error {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return err
	}
	if err := checkTags(tags, true); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		if r.Tags, err = mergeTags(r.Tags, tags, true, s.quotas.TagsPerResource); err != nil {
			return err
		}
		return t.put(roleKey(acct, r.Name), r)
	})
}

// UntagRole removes the tags with the keys from a role.
func (s *Service) UntagRole(ctx context.Context, acct, roleName string, keys []string) error {
	if err := checkEntityName("roleName", roleName, maxRoleName); err != nil {
		return err
	}
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		r.Tags = removeTags(r.Tags, keys, true)
		return t.put(roleKey(acct, r.Name), r)
	})
}

// ListRoleTags lists a role's tags.
func (s *Service) ListRoleTags(ctx context.Context, acct, roleName string, page PageInput) (Page[Tag], error) {
	r, err := s.GetRole(ctx, acct, roleName)
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(r.Tags, page)
}

// TagPolicy adds tags to a customer managed policy.
func (s *Service) TagPolicy(ctx context.Context, acct, policyARN string, tags []Tag) error {
	if err := checkTags(tags, false); err != nil {
		return err
	}
	return s.mutateLocalPolicy(ctx, acct, policyARN, "Cannot update policies outside your own account.", func(_ *tx, p *policyRec) error {
		var err error
		p.Tags, err = mergeTags(p.Tags, tags, false, s.quotas.TagsPerResource)
		return err
	})
}

// UntagPolicy removes the tags with the keys from a customer managed policy.
func (s *Service) UntagPolicy(ctx context.Context, acct, policyARN string, keys []string) error {
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.mutateLocalPolicy(ctx, acct, policyARN, "Cannot update policies outside your own account.", func(_ *tx, p *policyRec) error {
		p.Tags = removeTags(p.Tags, keys, false)
		return nil
	})
}

// ListPolicyTags lists a managed policy's tags.
func (s *Service) ListPolicyTags(ctx context.Context, acct, policyARN string, page PageInput) (Page[Tag], error) {
	p, err := s.GetPolicy(ctx, acct, policyARN)
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(p.Tags, page)
}

// TagInstanceProfile adds tags to an instance profile.
func (s *Service) TagInstanceProfile(ctx context.Context, acct, name string, tags []Tag) error {
	if err := checkEntityName("instanceProfileName", name, maxProfileName); err != nil {
		return err
	}
	if err := checkTags(tags, true); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, name)
		if err != nil {
			return err
		}
		if p.Tags, err = mergeTags(p.Tags, tags, true, s.quotas.TagsPerResource); err != nil {
			return err
		}
		return t.put(profileKey(acct, p.Name), p)
	})
}

// UntagInstanceProfile removes the tags with the keys from an instance profile.
func (s *Service) UntagInstanceProfile(ctx context.Context, acct, name string, keys []string) error {
	if err := checkEntityName("instanceProfileName", name, maxProfileName); err != nil {
		return err
	}
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadProfile(t, acct, name)
		if err != nil {
			return err
		}
		p.Tags = removeTags(p.Tags, keys, true)
		return t.put(profileKey(acct, p.Name), p)
	})
}

// ListInstanceProfileTags lists an instance profile's tags.
func (s *Service) ListInstanceProfileTags(ctx context.Context, acct, name string, page PageInput) (Page[Tag], error) {
	p, err := s.GetInstanceProfile(ctx, acct, name)
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(p.Tags, page)
}

// checkEntityName validates a single required name parameter.
func checkEntityName(field, name string, maxLen int) error {
	var c checks
	c.name(field, name, maxLen)
	return c.err()
}
