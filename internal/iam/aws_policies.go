package iam

import (
	"context"
	"encoding/json"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
)

// AWSPolicyCatalog is the read-only set of AWS managed policies
// (arn:<partition>:iam::aws:policy/<path><name>). Without one (WithAWSPolicies), AWS managed
// policy ARNs are simply not found. The catalog is global; attachment counts are per account
// and kept here.
type AWSPolicyCatalog interface {
	// AWSPolicy returns the AWS managed policy with the path and name.
	AWSPolicy(path, name string) (AWSManagedPolicy, bool)
	// AWSPolicies returns every AWS managed policy, sorted by path and then name.
	AWSPolicies() []AWSManagedPolicy
}

// AWSManagedPolicy is one policy of an AWSPolicyCatalog.
type AWSManagedPolicy struct {
	Name             string
	Path             string
	ID               string
	Description      string
	CreateDate       time.Time
	UpdateDate       time.Time
	DefaultVersionID string
	// Versions carry their documents; IsDefaultVersion is derived from DefaultVersionID.
	Versions []PolicyVersion
}

// awsUsageRec counts the uses of one AWS managed policy in one account.
type awsUsageRec struct {
	Attachments  int `json:",omitempty"`
	BoundaryUses int `json:",omitempty"`
}

func (s *Service) awsPolicyARN(path, name string) string {
	return arn.IAM(s.partition, arn.AWSAccount, arn.TypePolicy, path, name)
}

func (s *Service) awsPolicyOut(p AWSManagedPolicy, u awsUsageRec) Policy {
	return Policy{
		PolicyName: p.Name, PolicyID: p.ID, ARN: s.awsPolicyARN(p.Path, p.Name), Path: p.Path,
		DefaultVersionID: p.DefaultVersionID, AttachmentCount: u.Attachments,
		PermissionsBoundaryUsageCount: u.BoundaryUses, IsAttachable: true,
		Description: p.Description, CreateDate: p.CreateDate, UpdateDate: p.UpdateDate,
	}
}

// lookupAWS finds the catalog policy an ARN names.
func (s *Service) lookupAWS(ref policyRef) (AWSManagedPolicy, bool) {
	if s.aws == nil || !ref.isAWS() || ref.partition != s.partition {
		return AWSManagedPolicy{}, false
	}
	return s.aws.AWSPolicy(ref.path, ref.name)
}

// awsPolicy returns an AWS managed policy with this account's usage counts.
func (s *Service) awsPolicy(t *tx, acct string, ref policyRef) (Policy, bool, error) {
	p, ok := s.lookupAWS(ref)
	if !ok {
		return Policy{}, false, nil
	}
	var u awsUsageRec
	if _, err := t.get(awsPolicyKey(acct, ref.arn), &u); err != nil {
		return Policy{}, false, err
	}
	return s.awsPolicyOut(p, u), true, nil
}

// awsPolicies returns every catalog policy with this account's usage counts.
func (s *Service) awsPolicies(ctx context.Context, acct string) ([]Policy, error) {
	if s.aws == nil {
		return nil, nil
	}
	usage, err := s.awsUsage(ctx, acct)
	if err != nil {
		return nil, err
	}
	all := s.aws.AWSPolicies()
	out := make([]Policy, 0, len(all))
	for _, p := range all {
		out = append(out, s.awsPolicyOut(p, usage[s.awsPolicyARN(p.Path, p.Name)]))
	}
	return out, nil
}

// awsUsage returns the account's usage counts of AWS managed policies by ARN.
func (s *Service) awsUsage(ctx context.Context, acct string) (map[string]awsUsageRec, error) {
	kvs, err := s.rangeAll(ctx, awsPoliciesPrefix(acct))
	if err != nil {
		return nil, err
	}
	out := make(map[string]awsUsageRec, len(kvs))
	for _, kv := range kvs {
		var u awsUsageRec
		if err := json.Unmarshal(kv.Value, &u); err != nil {
			return nil, err
		}
		out[unescapeTail(kv.Key, awsPoliciesPrefix(acct))] = u
	}
	return out, nil
}

// awsVersion returns one version of an AWS managed policy.
func awsVersion(p AWSManagedPolicy, versionID string) (PolicyVersion, bool) {
	for _, v := range p.Versions {
		if v.VersionID == versionID {
			v.IsDefaultVersion = v.VersionID == p.DefaultVersionID
			return v, true
		}
	}
	return PolicyVersion{}, false
}

// ---- usage counting, shared by attachments and permissions boundaries -------------------------

// policyUse is a managed policy loaded so that its usage counts can change.
type policyUse struct {
	acct  string
	ref   policyRef
	local *policyRec
	aws   *awsUsageRec
}

// loadPolicyUse loads the policy an ARN names; nil when it does not exist.
func (s *Service) loadPolicyUse(t *tx, acct string, ref policyRef) (*policyUse, error) {
	if ref.isAWS() {
		if _, ok := s.lookupAWS(ref); !ok {
			return nil, nil
		}
		var u awsUsageRec
		if _, err := t.get(awsPolicyKey(acct, ref.arn), &u); err != nil {
			return nil, err
		}
		return &policyUse{acct: acct, ref: ref, aws: &u}, nil
	}
	p, err := s.loadLocalPolicy(t, acct, ref)
	if err != nil || p == nil {
		return nil, err
	}
	return &policyUse{acct: acct, ref: ref, local: p}, nil
}

// add changes the counts and stages the write.
func (u *policyUse) add(t *tx, attachments, boundaries int) error {
	if u.local != nil {
		u.local.Attachments += attachments
		u.local.BoundaryUses += boundaries
		return t.put(policyKey(u.acct, u.local.Name), u.local)
	}
	u.aws.Attachments += attachments
	u.aws.BoundaryUses += boundaries
	if u.aws.Attachments <= 0 && u.aws.BoundaryUses <= 0 {
		t.del(awsPolicyKey(u.acct, u.ref.arn))
		return nil
	}
	return t.put(awsPolicyKey(u.acct, u.ref.arn), u.aws)
}

// setBoundary makes ref the permissions boundary of an entity whose current one is old.
func (s *Service) setBoundary(t *tx, acct, kind string, ent entityRef, old string, ref policyRef) error {
	if old == ref.arn {
		return nil
	}
	use, err := s.loadPolicyUse(t, acct, ref)
	if err != nil {
		return err
	}
	if use == nil {
		return errBoundaryNotFound(ref.arn)
	}
	if old != "" {
		if err := s.releaseBoundary(t, acct, kind, ent.ID, old); err != nil {
			return err
		}
		// releaseBoundary may have staged a write of the same record; reload.
		if use, err = s.loadPolicyUse(t, acct, ref); err != nil {
			return err
		}
	}
	if err := use.add(t, 0, 1); err != nil {
		return err
	}
	return t.put(boundaryRevKey(acct, ref.arn, kind, ent.ID), ent)
}

// releaseBoundary drops an entity's use of policyARN as its permissions boundary.
func (s *Service) releaseBoundary(t *tx, acct, kind, entityID, policyARN string) error {
	t.del(boundaryRevKey(acct, policyARN, kind, entityID))
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return nil
	}
	use, err := s.loadPolicyUse(t, acct, ref)
	if err != nil || use == nil {
		return err
	}
	return use.add(t, 0, -1)
}
