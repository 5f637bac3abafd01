package iam

import (
	"context"
	"net/url"
	"slices"
	"strings"
)

// unescapeTail returns the path-unescaped part of key after prefix ("" if it does not parse).
func unescapeTail(key, prefix string) string {
	s, err := url.PathUnescape(strings.TrimPrefix(key, prefix))
	if err != nil {
		return ""
	}
	return s
}

// managedDocument returns the default version document of the managed policy an ARN names.
func (s *Service) managedDocument(t *tx, acct, policyARN string) (SourcedDocument, bool, error) {
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return SourcedDocument{}, false, nil
	}
	if ref.isAWS() {
		p, ok := s.lookupAWS(ref)
		if !ok {
			return SourcedDocument{}, false, nil
		}
		v, ok := awsVersion(p, p.DefaultVersionID)
		return SourcedDocument{Source: policyARN, Name: p.Name, Document: v.Document}, ok, nil
	}
	p, err := s.loadLocalPolicy(t, acct, ref)
	if err != nil || p == nil {
		return SourcedDocument{}, false, err
	}
	doc, err := s.defaultDocument(t, acct, p)
	if err != nil {
		return SourcedDocument{}, false, err
	}
	return SourcedDocument{Source: policyARN, Name: p.Name, Document: doc}, true, nil
}

func (s *Service) addManaged(t *tx, acct string, out *PrincipalPolicies, arns []string) error {
	for _, a := range arns {
		d, ok, err := s.managedDocument(t, acct, a)
		if err != nil {
			return err
		}
		if ok {
			out.Managed = append(out.Managed, d)
		}
	}
	return nil
}

func (s *Service) addInline(t *tx, acct, kind, id, source string, names map[string]int, out *PrincipalPolicies) error {
	docs, err := s.inlineDocuments(t, acct, kind, id, names)
	if err != nil {
		return err
	}
	for _, d := range docs {
		out.Inline = append(out.Inline, SourcedDocument{Source: source, Name: d.PolicyName, Document: d.PolicyDocument})
	}
	return nil
}

func (s *Service) addBoundary(t *tx, acct, policyARN string, out *PrincipalPolicies) error {
	if policyARN == "" {
		return nil
	}
	d, ok, err := s.managedDocument(t, acct, policyARN)
	if err != nil || !ok {
		return err
	}
	out.Boundary = &d
	return nil
}

// UserPolicies gathers the identity-based policies and boundary of an IAM user, including
// those of the groups it belongs to.
func (s *Service) UserPolicies(ctx context.Context, acct, userName string) (PrincipalPolicies, error) {
	var out PrincipalPolicies
	err := s.view(ctx, func(t *tx) error {
		u, err := s.loadUser(t, acct, userName)
		if err != nil {
			return err
		}
		out = PrincipalPolicies{ARN: s.userARN(acct, u.Path, u.Name), ID: u.ID, Path: u.Path,
			Tags: slices.Clone(u.Tags), Created: u.Created, Fetched: s.clock()}
		if err := s.addInline(t, acct, ekUser, u.ID, out.ARN, u.Inline, &out); err != nil {
			return err
		}
		if err := s.addManaged(t, acct, &out, u.Attached); err != nil {
			return err
		}
		for _, gid := range u.Groups {
			g, err := s.loadGroupByID(t, acct, gid)
			if err != nil {
				return err
			}
			if g == nil {
				continue
			}
			if err := s.addInline(t, acct, ekGroup, g.ID, s.groupARN(acct, g.Path, g.Name), g.Inline, &out); err != nil {
				return err
			}
			if err := s.addManaged(t, acct, &out, g.Attached); err != nil {
				return err
			}
		}
		return s.addBoundary(t, acct, u.Boundary, &out)
	})
	return out, err
}

// RolePolicies gathers the identity-based policies and boundary of a role (its trust policy
// is in Role.AssumeRolePolicyDocument).
func (s *Service) RolePolicies(ctx context.Context, acct, roleName string) (PrincipalPolicies, error) {
	var out PrincipalPolicies
	err := s.view(ctx, func(t *tx) error {
		r, err := s.loadRole(t, acct, roleName)
		if err != nil {
			return err
		}
		out = PrincipalPolicies{ARN: s.roleARN(acct, r.Path, r.Name), ID: r.ID, Path: r.Path,
			Tags: slices.Clone(r.Tags), Trust: r.Trust, TrustSaved: r.TrustSaved, Created: r.Created, Fetched: s.clock()}
		if out.TrustSaved.IsZero() {
			out.TrustSaved = r.Created
		}
		if err := s.addInline(t, acct, ekRole, r.ID, out.ARN, r.Inline, &out); err != nil {
			return err
		}
		if err := s.addManaged(t, acct, &out, r.Attached); err != nil {
			return err
		}
		return s.addBoundary(t, acct, r.Boundary, &out)
	})
	return out, err
}
