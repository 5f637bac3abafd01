package iam

import (
	"context"
	"slices"
	"strconv"
)

// Messages for AWS managed policies, which no account may change (recorded from AWS).
const (
	msgAWSPolicyUpdate         = "Cannot update policies outside your own account."
	msgAWSPolicyDeleteVersions = "Cannot delete policy versions for policies outside your own account."
)

func versionOut(p *policyRec, v versionRec) PolicyVersion {
	return PolicyVersion{Document: v.Document, VersionID: v.ID, IsDefaultVersion: v.ID == p.Default, CreateDate: v.Created}
}

func findVersion(p *policyRec, versionID string) (versionMeta, bool) {
	for _, v := range p.Versions {
		if v.ID == versionID {
			return v, true
		}
	}
	return versionMeta{}, false
}

func checkVersionArgs(policyARN, versionID string) (policyRef, error) {
	var c checks
	c.arnField("policyArn", policyARN)
	c.versionID("versionId", versionID)
	if err := c.err(); err != nil {
		return policyRef{}, err
	}
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return policyRef{}, errInvalidARN(policyARN)
	}
	return ref, nil
}

// CreatePolicyVersion adds a version (v<n>, numbers never reused) to a customer managed policy
// and optionally makes it the default. A policy holds at most VersionsPerPolicy versions.
func (s *Service) CreatePolicyVersion(ctx context.Context, acct, policyARN, document string, setAsDefault bool) (PolicyVersion, error) {
	var c checks
	c.arnField("policyArn", policyARN)
	c.document("policyDocument", document)
	if err := c.err(); err != nil {
		return PolicyVersion{}, err
	}
	if _, ok := parsePolicyARN(policyARN); !ok {
		return PolicyVersion{}, errInvalidARN(policyARN)
	}
	if err := s.validateDoc(document, DocManaged); err != nil {
		return PolicyVersion{}, err
	}
	var out PolicyVersion
	err := s.mutateLocalPolicyNF(ctx, acct, policyARN, msgAWSPolicyUpdate,
		func(a string) error { return errPolicyNotAttachable(a) },
		func(t *tx, p *policyRec) error {
			if len(p.Versions) >= s.quotas.VersionsPerPolicy {
				return limitExceeded(msgVersionLimit, s.quotas.VersionsPerPolicy)
			}
			now := s.clock()
			n := p.Next
			v := versionRec{ID: "v" + strconv.Itoa(n), Document: document, Created: now}
			p.Next++
			p.Versions = append(p.Versions, versionMeta{ID: v.ID, N: n, Created: now})
			if setAsDefault {
				p.Default = v.ID
			}
			p.Updated = now
			out = versionOut(p, v)
			t.mustAbsent(versionKey(acct, p.ID, n))
			return t.put(versionKey(acct, p.ID, n), v)
		})
	if err != nil {
		return PolicyVersion{}, err
	}
	return out, nil
}

// GetPolicyVersion returns one version of a managed policy, with its document.
func (s *Service) GetPolicyVersion(ctx context.Context, acct, policyARN, versionID string) (PolicyVersion, error) {
	ref, err := checkVersionArgs(policyARN, versionID)
	if err != nil {
		return PolicyVersion{}, err
	}
	if ref.isAWS() {
		p, ok := s.lookupAWS(ref)
		if !ok {
			return PolicyVersion{}, errPolicyVersionNotFound(policyARN, versionID)
		}
		v, ok := awsVersion(p, versionID)
		if !ok {
			return PolicyVersion{}, errPolicyVersionNotFound(policyARN, versionID)
		}
		return v, nil
	}
	var out PolicyVersion
	err = s.view(ctx, func(t *tx) error {
		p, err := s.loadLocalPolicy(t, acct, ref)
		if err != nil {
			return err
		}
		if p == nil {
			return errPolicyVersionNotFound(policyARN, versionID)
		}
		m, ok := findVersion(p, versionID)
		if !ok {
			return errPolicyVersionNotFound(policyARN, versionID)
		}
		var v versionRec
		found, err := t.get(versionKey(acct, p.ID, m.N), &v)
		if err != nil {
			return err
		}
		if !found {
			return errPolicyVersionNotFound(policyARN, versionID)
		}
		out = versionOut(p, v)
		return nil
	})
	return out, err
}

// ListPolicyVersions lists a managed policy's versions, newest first, without documents.
func (s *Service) ListPolicyVersions(ctx context.Context, acct, policyARN string, page PageInput) (Page[PolicyVersion], error) {
	ref, err := parsePolicyArg("policyArn", policyARN)
	if err != nil {
		return Page[PolicyVersion]{}, err
	}
	var versions []PolicyVersion
	if ref.isAWS() {
		p, ok := s.lookupAWS(ref)
		if !ok {
			return Page[PolicyVersion]{}, errPolicyNotFound(policyARN)
		}
		for _, v := range p.Versions {
			versions = append(versions, PolicyVersion{VersionID: v.VersionID, IsDefaultVersion: v.VersionID == p.DefaultVersionID, CreateDate: v.CreateDate})
		}
	} else {
		err = s.view(ctx, func(t *tx) error {
			p, err := s.loadLocalPolicy(t, acct, ref)
			if err != nil {
				return err
			}
			if p == nil {
				return errPolicyNotFound(policyARN)
			}
			for _, m := range p.Versions {
				versions = append(versions, PolicyVersion{VersionID: m.ID, IsDefaultVersion: m.ID == p.Default, CreateDate: m.Created})
			}
			return nil
		})
		if err != nil {
			return Page[PolicyVersion]{}, err
		}
	}
	// Newest first; the key makes the order strictly increasing for paging.
	slices.Reverse(versions)
	return pageSlice(versions, versionSortKey, page)
}

// versionSortKey orders version IDs descending by number: v10 before v9.
func versionSortKey(v PolicyVersion) string {
	n, err := strconv.Atoi(v.VersionID[1:])
	if err != nil {
		return v.VersionID
	}
	return strconv.Itoa(999_999_999 - n)
}

// DeletePolicyVersion deletes a non-default version of a customer managed policy.
func (s *Service) DeletePolicyVersion(ctx context.Context, acct, policyARN, versionID string) error {
	if _, err := checkVersionArgs(policyARN, versionID); err != nil {
		return err
	}
	return s.mutateLocalPolicyNF(ctx, acct, policyARN, msgAWSPolicyDeleteVersions,
		func(a string) error { return errPolicyVersionNotFound(a, versionID) },
		func(t *tx, p *policyRec) error {
			m, ok := findVersion(p, versionID)
			if !ok {
				return errPolicyVersionNotFound(policyARN, versionID)
			}
			if m.ID == p.Default {
				return deleteConflict(msgDeleteDefaultVersion)
			}
			p.Versions = slices.DeleteFunc(p.Versions, func(v versionMeta) bool { return v.ID == versionID })
			p.Updated = s.clock()
			t.del(versionKey(acct, p.ID, m.N))
			return nil
		})
}

// SetDefaultPolicyVersion makes a version the default (the one in force) of a policy.
func (s *Service) SetDefaultPolicyVersion(ctx context.Context, acct, policyARN, versionID string) error {
	if _, err := checkVersionArgs(policyARN, versionID); err != nil {
		return err
	}
	return s.mutateLocalPolicyNF(ctx, acct, policyARN, msgAWSPolicyUpdate,
		func(a string) error { return errPolicyVersionNotFound(a, versionID) },
		func(_ *tx, p *policyRec) error {
			if _, ok := findVersion(p, versionID); !ok {
				return errPolicyVersionNotFound(policyARN, versionID)
			}
			p.Default = versionID
			p.Updated = s.clock()
			return nil
		})
}

// defaultDocument returns the default version's document of a customer managed policy.
func (s *Service) defaultDocument(t *tx, acct string, p *policyRec) (string, error) {
	m, ok := findVersion(p, p.Default)
	if !ok {
		return "", nil
	}
	var v versionRec
	if _, err := t.get(versionKey(acct, p.ID, m.N), &v); err != nil {
		return "", err
	}
	return v.Document, nil
}
