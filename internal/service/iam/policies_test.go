package iam_test

import (
	"slices"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestManagedPolicyLifecycle(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreatePolicy(f.ctx, &api.CreatePolicyInput{
		PolicyName: ptr.Of("read"), Path: ptr.Of("/app/"), PolicyDocument: ptr.Of(allowDoc),
		Description: ptr.Of("reads"), Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}},
	})
	f.ok(err)
	p := out.Policy
	arn := str(p.Arn)
	if arn != "arn:aws:iam::123456789012:policy/app/read" || str(p.DefaultVersionId) != "v1" || str(p.PolicyId) == "" ||
		ptr.Value(p.AttachmentCount) != 0 || !ptr.Value(p.IsAttachable) || str(p.Description) != "reads" || len(p.Tags) != 1 {
		t.Fatalf("CreatePolicy = %+v", p)
	}

	got, err := f.svc.GetPolicy(f.ctx, &api.GetPolicyInput{PolicyArn: ptr.Of(arn)})
	f.ok(err)
	if str(got.Policy.PolicyName) != "read" || str(got.Policy.Description) != "reads" {
		t.Fatalf("GetPolicy = %+v", got.Policy)
	}

	list, err := f.svc.ListPolicies(f.ctx, &api.ListPoliciesInput{Scope: ptr.Of("Local")})
	f.ok(err)
	if len(list.Policies) != 1 || str(list.Policies[0].Arn) != arn || list.Policies[0].Description != nil || list.Policies[0].Tags != nil {
		t.Fatalf("ListPolicies = %+v", list.Policies)
	}
	list, err = f.svc.ListPolicies(f.ctx, &api.ListPoliciesInput{Scope: ptr.Of("Local"), OnlyAttached: ptr.Of(true)})
	f.ok(err)
	if len(list.Policies) != 0 || list.Policies == nil {
		t.Fatalf("ListPolicies OnlyAttached = %#v", list.Policies)
	}

	// Versions.
	v2, err := f.svc.CreatePolicyVersion(f.ctx, &api.CreatePolicyVersionInput{PolicyArn: ptr.Of(arn), PolicyDocument: ptr.Of(denyDoc), SetAsDefault: ptr.Of(true)})
	f.ok(err)
	if str(v2.PolicyVersion.VersionId) != "v2" || !ptr.Value(v2.PolicyVersion.IsDefaultVersion) || v2.PolicyVersion.Document != nil {
		t.Fatalf("CreatePolicyVersion = %+v", v2.PolicyVersion)
	}
	gv, err := f.svc.GetPolicyVersion(f.ctx, &api.GetPolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v2")})
	f.ok(err)
	if gv.PolicyVersion.Document == nil || !ptr.Value(gv.PolicyVersion.IsDefaultVersion) {
		t.Fatalf("GetPolicyVersion = %+v", gv.PolicyVersion)
	}
	lv, err := f.svc.ListPolicyVersions(f.ctx, &api.ListPolicyVersionsInput{PolicyArn: ptr.Of(arn), MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(lv.Versions) != 1 || !*lv.IsTruncated || lv.Versions[0].Document != nil {
		t.Fatalf("ListPolicyVersions page 1 = %+v", lv)
	}
	ids := []string{str(lv.Versions[0].VersionId)}
	lv, err = f.svc.ListPolicyVersions(f.ctx, &api.ListPolicyVersionsInput{PolicyArn: ptr.Of(arn), Marker: lv.Marker})
	f.ok(err)
	for _, v := range lv.Versions {
		ids = append(ids, str(v.VersionId))
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"v1", "v2"}) || *lv.IsTruncated {
		t.Fatalf("ListPolicyVersions ids = %v", ids)
	}
	f.ok(errOf(f.svc.SetDefaultPolicyVersion(f.ctx, &api.SetDefaultPolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v1")})))
	f.ok(errOf(f.svc.DeletePolicyVersion(f.ctx, &api.DeletePolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v2")})))
	got, err = f.svc.GetPolicy(f.ctx, &api.GetPolicyInput{PolicyArn: ptr.Of(arn)})
	f.ok(err)
	if str(got.Policy.DefaultVersionId) != "v1" {
		t.Fatalf("DefaultVersionId = %s", str(got.Policy.DefaultVersionId))
	}

	// Tags.
	f.ok(errOf(f.svc.TagPolicy(f.ctx, &api.TagPolicyInput{PolicyArn: ptr.Of(arn), Tags: []api.Tag{{Key: ptr.Of("k2"), Value: ptr.Of("v2")}}})))
	f.ok(errOf(f.svc.UntagPolicy(f.ctx, &api.UntagPolicyInput{PolicyArn: ptr.Of(arn), TagKeys: []string{"k"}})))
	tags, err := f.svc.ListPolicyTags(f.ctx, &api.ListPolicyTagsInput{PolicyArn: ptr.Of(arn)})
	f.ok(err)
	if len(tags.Tags) != 1 || str(tags.Tags[0].Key) != "k2" || *tags.IsTruncated {
		t.Fatalf("ListPolicyTags = %+v", tags)
	}

	f.ok(errOf(f.svc.DeletePolicy(f.ctx, &api.DeletePolicyInput{PolicyArn: ptr.Of(arn)})))
	wantCode(t, errOf(f.svc.GetPolicy(f.ctx, &api.GetPolicyInput{PolicyArn: ptr.Of(arn)})), "NoSuchEntity")
}

func TestManagedPolicyErrors(t *testing.T) {
	f := newFixture(t)
	arn := f.createPolicy("p")
	f.createUser("u")
	f.ok(errOf(f.svc.AttachUserPolicy(f.ctx, &api.AttachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: ptr.Of(arn)})))
	missing := ptr.Of("arn:aws:iam::123456789012:policy/missing")
	runErrCases(t, []errCase{
		{"CreatePolicy exists", func() error {
			return errOf(f.svc.CreatePolicy(f.ctx, &api.CreatePolicyInput{PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(allowDoc)}))
		}, "EntityAlreadyExists"},
		{"CreatePolicy bad JSON", func() error {
			return errOf(f.svc.CreatePolicy(f.ctx, &api.CreatePolicyInput{PolicyName: ptr.Of("q"), PolicyDocument: ptr.Of("{")}))
		}, "MalformedPolicyDocument"},
		{"GetPolicy missing", func() error { return errOf(f.svc.GetPolicy(f.ctx, &api.GetPolicyInput{PolicyArn: missing})) }, "NoSuchEntity"},
		{"DeletePolicy attached", func() error {
			return errOf(f.svc.DeletePolicy(f.ctx, &api.DeletePolicyInput{PolicyArn: ptr.Of(arn)}))
		}, "DeleteConflict"},
		{"ListPolicies bad scope", func() error {
			return errOf(f.svc.ListPolicies(f.ctx, &api.ListPoliciesInput{Scope: ptr.Of("Mine")}))
		}, "ValidationError"},
		{"CreatePolicyVersion missing", func() error {
			return errOf(f.svc.CreatePolicyVersion(f.ctx, &api.CreatePolicyVersionInput{PolicyArn: missing, PolicyDocument: ptr.Of(allowDoc)}))
		}, "NoSuchEntity"},
		{"GetPolicyVersion missing version", func() error {
			return errOf(f.svc.GetPolicyVersion(f.ctx, &api.GetPolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v9")}))
		}, "NoSuchEntity"},
		{"ListPolicyVersions missing", func() error {
			return errOf(f.svc.ListPolicyVersions(f.ctx, &api.ListPolicyVersionsInput{PolicyArn: missing}))
		}, "NoSuchEntity"},
		{"DeletePolicyVersion default", func() error {
			return errOf(f.svc.DeletePolicyVersion(f.ctx, &api.DeletePolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v1")}))
		}, "DeleteConflict"},
		{"SetDefaultPolicyVersion missing version", func() error {
			return errOf(f.svc.SetDefaultPolicyVersion(f.ctx, &api.SetDefaultPolicyVersionInput{PolicyArn: ptr.Of(arn), VersionId: ptr.Of("v7")}))
		}, "NoSuchEntity"},
		{"TagPolicy missing", func() error {
			return errOf(f.svc.TagPolicy(f.ctx, &api.TagPolicyInput{PolicyArn: missing, Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}}}))
		}, "NoSuchEntity"},
		{"UntagPolicy missing", func() error {
			return errOf(f.svc.UntagPolicy(f.ctx, &api.UntagPolicyInput{PolicyArn: missing, TagKeys: []string{"k"}}))
		}, "NoSuchEntity"},
		{"ListPolicyTags missing", func() error {
			return errOf(f.svc.ListPolicyTags(f.ctx, &api.ListPolicyTagsInput{PolicyArn: missing}))
		}, "NoSuchEntity"},
	})
}
