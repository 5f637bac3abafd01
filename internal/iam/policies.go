package iam

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/ids"
)

// Policy is a managed policy (the IAM "Policy" data type).
type Policy struct {
	PolicyName                    string
	PolicyID                      string
	ARN                           string
	Path                          string
	DefaultVersionID              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string
	CreateDate                    time.Time
	UpdateDate                    time.Time
	Tags                          []Tag
}

// PolicyVersion is one version of a managed policy. Document is empty in ListPolicyVersions.
type PolicyVersion struct {
	Document         string
	VersionID        string
	IsDefaultVersion bool
	CreateDate       time.Time
}

// policyRec is a stored customer managed policy. Documents live in version keys; the record
// keeps the version list (at most VersionsPerPolicy) and the usage counts, so attaching,
// versioning and deleting all serialise on this one record.
type policyRec struct {
	Name         string
	ID           string
	Path         string
	Description  string `json:",omitempty"`
	Created      time.Time
	Updated      time.Time
	Tags         []Tag `json:",omitempty"`
	Default      string
	Versions     []versionMeta
	Next         int // number of the next version; version IDs are never reused
	Attachments  int `json:",omitempty"`
	BoundaryUses int `json:",omitempty"`
}

type versionMeta struct {
	ID      string
	N       int
	Created time.Time
}

type versionRec struct {
	ID       string
	Document string
	Created  time.Time
}

func (s *Service) policyARN(acct, path, name string) string {
	return arn.IAM(s.partition, acct, arn.TypePolicy, path, name)
}

func (s *Service) policyOut(acct string, p *policyRec) Policy {
	return Policy{
		PolicyName: p.Name, PolicyID: p.ID, ARN: s.policyARN(acct, p.Path, p.Name), Path: p.Path,
		DefaultVersionID: p.Default, AttachmentCount: p.Attachments,
		PermissionsBoundaryUsageCount: p.BoundaryUses, IsAttachable: true,
		Description: p.Description, CreateDate: p.Created, UpdateDate: p.Updated, Tags: p.Tags,
	}
}

// loadLocalPolicy returns the customer managed policy the ARN names in acct, or nil.
func (s *Service) loadLocalPolicy(t *tx, acct string, ref policyRef) (*policyRec, error) {
	if ref.isAWS() || ref.account != acct || ref.partition != s.partition {
		return nil, nil
	}
	var p policyRec
	ok, err := t.get(policyKey(acct, ref.name), &p)
	if err != nil || !ok {
		return nil, err
	}
	if p.Name != ref.name || p.Path != ref.path {
		return nil, nil
	}
	return &p, nil
}

// parsePolicyArg validates a policyArn parameter: constraint errors, then "ARN x is not valid.".
func parsePolicyArg(field, policyARN string) (policyRef, error) {
	var c checks
	c.arnField(field, policyARN)
	if err := c.err(); err != nil {
		return policyRef{}, err
	}
	ref, ok := parsePolicyARN(policyARN)
	if !ok {
		return policyRef{}, errInvalidARN(policyARN)
	}
	return ref, nil
}

// CreatePolicyInput is the input of CreatePolicy.
type CreatePolicyInput struct {
	PolicyName     string
	Path           string
	PolicyDocument string
	// Description is immutable after creation.
	Description string
	Tags        []Tag
}

// CreatePolicy creates a customer managed policy with version v1 as its default. Policy names
// are unique case-insensitively within the account, whatever their path.
func (s *Service) CreatePolicy(ctx context.Context, acct string, in CreatePolicyInput) (Policy, error) {
	var c checks
	c.name("policyName", in.PolicyName, maxPolicyName)
	path, err := checkPath(&c, "path", in.Path)
	if err != nil {
		return Policy{}, err
	}
	if strings.Contains(path, "*") {
		// "You cannot use an asterisk (*) in the path name." (CreatePolicy, Path)
		return Policy{}, errBadPath()
	}
	c.document("policyDocument", in.PolicyDocument)
	c.str("description", in.Description, false, 0, maxDescription, nil, "")
	if err := c.err(); err != nil {
		return Policy{}, err
	}
	if err := checkTags(in.Tags, false); err != nil {
		return Policy{}, err
	}
	if err := s.validateDoc(in.PolicyDocument, DocManaged); err != nil {
		return Policy{}, err
	}
	now := s.clock()
	p := &policyRec{Name: in.PolicyName, ID: ids.PolicyID(), Path: path, Description: in.Description,
		Created: now, Updated: now, Tags: in.Tags, Default: "v1",
		Versions: []versionMeta{{ID: "v1", N: 1, Created: now}}, Next: 2}
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(policyKey(acct, in.PolicyName))
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("A policy called %s already exists. Duplicate names are not allowed.", in.PolicyName)
		}
		t.mustAbsent(uniqueIDKey(p.ID))
		if err := t.put(uniqueIDKey(p.ID), idRec{Account: acct, Kind: "policy", Name: p.Name}); err != nil {
			return err
		}
		if err := t.put(versionKey(acct, p.ID, 1), versionRec{ID: "v1", Document: in.PolicyDocument, Created: now}); err != nil {
			return err
		}
		return t.put(policyKey(acct, p.Name), p)
	})
	if err != nil {
		return Policy{}, err
	}
	return s.policyOut(acct, p), nil
}

// GetPolicy returns a customer or AWS managed policy by ARN.
func (s *Service) GetPolicy(ctx context.Context, acct, policyARN string) (Policy, error) {
	ref, err := parsePolicyArg("policyArn", policyARN)
	if err != nil {
		return Policy{}, err
	}
	var out Policy
	err = s.view(ctx, func(t *tx) error {
		if ref.isAWS() {
			p, ok, err := s.awsPolicy(t, acct, ref)
			if err != nil {
				return err
			}
			if !ok {
				return errPolicyNotFound(policyARN)
			}
			out = p
			return nil
		}
		p, err := s.loadLocalPolicy(t, acct, ref)
		if err != nil {
			return err
		}
		if p == nil {
			return errPolicyNotFound(policyARN)
		}
		out = s.policyOut(acct, p)
		return nil
	})
	return out, err
}

// DeletePolicy deletes a customer managed policy that is attached to nothing, is nobody's
// permissions boundary and has only its default version left.
func (s *Service) DeletePolicy(ctx context.Context, acct, policyARN string) error {
	ref, err := parsePolicyArg("policyArn", policyARN)
	if err != nil {
		return err
	}
	if ref.isAWS() {
		return accessDenied("Cannot delete policies outside your own account.")
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadLocalPolicy(t, acct, ref)
		if err != nil {
			return err
		}
		if p == nil {
			return errPolicyNotFound(policyARN)
		}
		if p.Attachments > 0 || p.BoundaryUses > 0 {
			return deleteConflict(msgPolicyAttached)
		}
		if len(p.Versions) > 1 {
			return deleteConflict(msgPolicyHasVersions)
		}
		for _, v := range p.Versions {
			t.del(versionKey(acct, p.ID, v.N))
		}
		t.del(policyKey(acct, p.Name))
		t.del(uniqueIDKey(p.ID))
		return nil
	})
}

// mutateLocalPolicy loads a customer managed policy for change and stores it after fn.
// awsDenied is the AccessDenied message for an AWS managed policy.
func (s *Service) mutateLocalPolicy(ctx context.Context, acct, policyARN, awsDenied string, fn func(t *tx, p *policyRec) error) error {
	return s.mutateLocalPolicyNF(ctx, acct, policyARN, awsDenied, func(a string) error { return errPolicyNotFound(a) }, fn)
}

// mutateLocalPolicyNF is mutateLocalPolicy with the NoSuchEntity of a missing policy chosen
// by the caller (AWS words it differently per operation).
func (s *Service) mutateLocalPolicyNF(ctx context.Context, acct, policyARN, awsDenied string,
	notFound func(policyARN string) error, fn func(t *tx, p *policyRec) error) error {
	ref, err := parsePolicyArg("policyArn", policyARN)
	if err != nil {
		return err
	}
	if ref.isAWS() {
		return accessDenied(awsDenied)
	}
	return s.update(ctx, func(t *tx) error {
		p, err := s.loadLocalPolicy(t, acct, ref)
		if err != nil {
			return err
		}
		if p == nil {
			return notFound(policyARN)
		}
		if err := fn(t, p); err != nil {
			return err
		}
		return t.put(policyKey(acct, p.Name), p)
	})
}

// Policy scopes and usage filters of ListPolicies.
const (
	ScopeAll   = "All"
	ScopeAWS   = "AWS"
	ScopeLocal = "Local"

	UsagePermissionsPolicy   = "PermissionsPolicy"
	UsagePermissionsBoundary = "PermissionsBoundary"
)

// ListPoliciesInput is the input of ListPolicies.
type ListPoliciesInput struct {
	// Scope is All (default), AWS or Local.
	Scope string
	// OnlyAttached keeps only policies in use (attached, or a boundary, per PolicyUsageFilter).
	OnlyAttached bool
	PathPrefix   string
	// PolicyUsageFilter is "", PermissionsPolicy or PermissionsBoundary; with OnlyAttached it
	// picks which kind of use counts.
	PolicyUsageFilter string
	Page              PageInput
}

func usageOf(filter string, attachments, boundaries int) int {
	switch filter {
	case UsagePermissionsPolicy:
		return attachments
	case UsagePermissionsBoundary:
		return boundaries
	}
	return attachments + boundaries
}

// ListPolicies lists managed policies: the account's own first, in name order, then AWS
// managed ones (when a catalog is configured), in path and name order.
func (s *Service) ListPolicies(ctx context.Context, acct string, in ListPoliciesInput) (Page[Policy], error) {
	var c checks
	c.pathPrefix("pathPrefix", in.PathPrefix)
	switch in.Scope {
	case "", ScopeAll, ScopeAWS, ScopeLocal:
	default:
		c.fail("scope", "Member must satisfy enum value set: [All, AWS, Local]")
	}
	switch in.PolicyUsageFilter {
	case "", UsagePermissionsPolicy, UsagePermissionsBoundary:
	default:
		c.fail("policyUsageFilter", "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]")
	}
	if err := c.err(); err != nil {
		return Page[Policy]{}, err
	}
	keep := func(p Policy) bool {
		if !strings.HasPrefix(p.Path, in.PathPrefix) {
			return false
		}
		return !in.OnlyAttached || usageOf(in.PolicyUsageFilter, p.AttachmentCount, p.PermissionsBoundaryUsageCount) > 0
	}
	// Both parts are bounded (PoliciesPerAccount, the size of the AWS catalog), so the listing
	// is built whole and paged in memory; keys "0|<lname>" sort local policies first.
	type keyed struct {
		key string
		p   Policy
	}
	var all []keyed
	if in.Scope != ScopeAWS {
		kvs, err := s.rangeAll(ctx, policiesPrefix(acct))
		if err != nil {
			return Page[Policy]{}, internal(err)
		}
		for _, kv := range kvs {
			var p policyRec
			if err := json.Unmarshal(kv.Value, &p); err != nil {
				return Page[Policy]{}, internal(err)
			}
			if out := s.policyOut(acct, &p); keep(out) {
				all = append(all, keyed{key: "0|" + lower(p.Name), p: out})
			}
		}
	}
	if in.Scope != ScopeLocal {
		aws, err := s.awsPolicies(ctx, acct)
		if err != nil {
			return Page[Policy]{}, internal(err)
		}
		for _, p := range aws {
			if keep(p) {
				all = append(all, keyed{key: "1|" + p.Path + p.PolicyName, p: p})
			}
		}
	}
	page, err := pageSlice(all, func(k keyed) string { return k.key }, in.Page)
	if err != nil {
		return Page[Policy]{}, err
	}
	out := Page[Policy]{IsTruncated: page.IsTruncated, Marker: page.Marker}
	for _, k := range page.Items {
		out.Items = append(out.Items, k.p)
	}
	return out, nil
}
