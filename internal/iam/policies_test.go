package iam_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

// catalog is a two-policy AWS managed policy catalog.
type catalog struct{}

var awsCreated = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

func (catalog) AWSPolicies() []iam.AWSManagedPolicy {
	return []iam.AWSManagedPolicy{
		{Name: "ReadOnlyAccess", Path: "/", ID: "ANPAILL3HVNFSB6DCOWYQ", DefaultVersionID: "v2", CreateDate: awsCreated, UpdateDate: awsCreated,
			Versions: []iam.PolicyVersion{{VersionID: "v1", Document: `{"v":1}`, CreateDate: awsCreated}, {VersionID: "v2", Document: allowAll, CreateDate: awsCreated}}},
		{Name: "AWSLambdaBasicExecutionRole", Path: "/service-role/", ID: "ANPAJNCQGXC42545SKXIK", DefaultVersionID: "v1", CreateDate: awsCreated, UpdateDate: awsCreated,
			Versions: []iam.PolicyVersion{{VersionID: "v1", Document: allowAll, CreateDate: awsCreated}}},
	}
}

func (c catalog) AWSPolicy(path, name string) (iam.AWSManagedPolicy, bool) {
	for _, p := range c.AWSPolicies() {
		if p.Path == path && p.Name == name {
			return p, true
		}
	}
	return iam.AWSManagedPolicy{}, false
}

const (
	readOnlyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	lambdaARN   = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)

func TestCreateGetDeletePolicy(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.CreatePolicy(f.ctx, acct, iam.CreatePolicyInput{PolicyName: "Ops", Path: "/team/", PolicyDocument: allowAll,
		Description: "ops", Tags: []iam.Tag{{Key: "a", Value: "b"}}})
	f.ok(err)
	if f.v.last() != iam.DocManaged {
		t.Fatalf("validated as %v", f.v.last())
	}
	if !regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`).MatchString(p.PolicyID) || p.ARN != "arn:aws:iam::123456789012:policy/team/Ops" ||
		p.DefaultVersionID != "v1" || !p.IsAttachable || p.AttachmentCount != 0 || p.Description != "ops" {
		t.Fatalf("CreatePolicy = %+v", p)
	}
	got, err := f.svc.GetPolicy(f.ctx, acct, p.ARN)
	f.ok(err)
	if got.PolicyID != p.PolicyID || len(got.Tags) != 1 {
		t.Fatalf("GetPolicy = %+v", got)
	}
	v, err := f.svc.GetPolicyVersion(f.ctx, acct, p.ARN, "v1")
	f.ok(err)
	if v.Document != allowAll || !v.IsDefaultVersion {
		t.Fatalf("v1 = %+v", v)
	}
	f.ok(f.svc.DeletePolicy(f.ctx, acct, p.ARN))
	wantErr(t, errOf(f.svc.GetPolicy(f.ctx, acct, p.ARN)), noSuch, 404, "Policy arn:aws:iam::123456789012:policy/team/Ops was not found.")
	// The name is free again.
	f.policy("Ops")
}

func TestPolicyErrors(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	p := f.policy("p")
	missing := "arn:aws:iam::123456789012:policy/non-existent-policy"
	create := func(in iam.CreatePolicyInput) func() error {
		return func() error { return errOf(f.svc.CreatePolicy(f.ctx, acct, in)) }
	}
	runErrCases(t, []errCase{
		{"duplicate", create(iam.CreatePolicyInput{PolicyName: "P", PolicyDocument: allowAll}), exists, 409, "A policy called P already exists. Duplicate names are not allowed."},
		{"duplicate on another path", create(iam.CreatePolicyInput{PolicyName: "p", Path: "/x/", PolicyDocument: allowAll}), exists, 409, ""},
		{"invalid json", create(iam.CreatePolicyInput{PolicyName: "x", PolicyDocument: "{"}), malform, 400, "This policy contains invalid Json"},
		{"too big", create(iam.CreatePolicyInput{PolicyName: "x", PolicyDocument: `{"TOO_BIG":1}`}), limit, 409, ""},
		{"no document", create(iam.CreatePolicyInput{PolicyName: "x"}), badInput, 400,
			"1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must not be null"},
		{"asterisk path", create(iam.CreatePolicyInput{PolicyName: "x", Path: "/a*/", PolicyDocument: allowAll}), badInput, 400, ""},
		{"get missing", func() error { return errOf(f.svc.GetPolicy(f.ctx, acct, missing)) }, noSuch, 404, "Policy " + missing + " was not found."},
		{"get other account", func() error { return errOf(f.svc.GetPolicy(f.ctx, acct, "arn:aws:iam::999999999999:policy/p")) }, noSuch, 404, ""},
		{"get wrong path", func() error { return errOf(f.svc.GetPolicy(f.ctx, acct, "arn:aws:iam::123456789012:policy/x/p")) }, noSuch, 404, ""},
		{"get bad arn", func() error { return errOf(f.svc.GetPolicy(f.ctx, acct, "longpolicynamebutnoarn")) }, badInput, 400, "ARN longpolicynamebutnoarn is not valid."},
		{"delete missing", func() error { return f.svc.DeletePolicy(f.ctx, acct, missing) }, noSuch, 404, "Policy " + missing + " was not found."},
		{"delete aws", func() error { return f.svc.DeletePolicy(f.ctx, acct, readOnlyARN) }, "AccessDenied", 403, "Cannot delete policies outside your own account."},
		{"delete aws version", func() error { return f.svc.DeletePolicyVersion(f.ctx, acct, readOnlyARN, "v1") }, "AccessDenied", 403, "Cannot delete policy versions for policies outside your own account."},
		{"set default aws", func() error { return f.svc.SetDefaultPolicyVersion(f.ctx, acct, readOnlyARN, "v1") }, "AccessDenied", 403, "Cannot update policies outside your own account."},
		{"version of missing policy", func() error { return errOf(f.svc.GetPolicyVersion(f.ctx, acct, missing, "v1")) }, noSuch, 404,
			"Policy " + missing + " version v1 does not exist or is not attachable."},
		{"missing version", func() error { return errOf(f.svc.GetPolicyVersion(f.ctx, acct, p.ARN, "v9")) }, noSuch, 404,
			"Policy " + p.ARN + " version v9 does not exist or is not attachable."},
		{"bad version id", func() error { return f.svc.SetDefaultPolicyVersion(f.ctx, acct, p.ARN, "1") }, badInput, 400,
			`1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`},
		{"set default missing version", func() error { return f.svc.SetDefaultPolicyVersion(f.ctx, acct, p.ARN, "v4") }, noSuch, 404,
			"Policy " + p.ARN + " version v4 does not exist or is not attachable."},
		{"set default missing policy", func() error { return f.svc.SetDefaultPolicyVersion(f.ctx, acct, missing, "v1") }, noSuch, 404,
			"Policy " + missing + " version v1 does not exist or is not attachable."},
		{"delete default version", func() error { return f.svc.DeletePolicyVersion(f.ctx, acct, p.ARN, "v1") }, conflict, 409, "Cannot delete the default version of a policy."},
		{"delete missing version", func() error { return f.svc.DeletePolicyVersion(f.ctx, acct, p.ARN, "v9") }, noSuch, 404, ""},
		{"new version of missing", func() error { return errOf(f.svc.CreatePolicyVersion(f.ctx, acct, missing, allowAll, false)) }, noSuch, 404,
			"Policy " + missing + " does not exist or is not attachable."},
		{"versions of missing", func() error { return errOf(f.svc.ListPolicyVersions(f.ctx, acct, missing, iam.PageInput{})) }, noSuch, 404, ""},
		{"bad scope", func() error { return errOf(f.svc.ListPolicies(f.ctx, acct, iam.ListPoliciesInput{Scope: "Mine"})) }, badInput, 400, ""},
	})
}

func TestPolicyVersions(t *testing.T) {
	f := newFixture(t)
	p := f.policy("p")
	for i := 2; i <= 5; i++ {
		v, err := f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, fmt.Sprintf(`{"n":%d}`, i), false)
		f.ok(err)
		if v.VersionID != fmt.Sprintf("v%d", i) || v.IsDefaultVersion {
			t.Fatalf("version = %+v", v)
		}
	}
	wantErr(t, errOf(f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, allowAll, true)), limit, 409,
		"A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	wantErr(t, f.svc.DeletePolicy(f.ctx, acct, p.ARN), conflict, 409,
		"This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")

	f.ok(f.svc.SetDefaultPolicyVersion(f.ctx, acct, p.ARN, "v3"))
	got, _ := f.svc.GetPolicy(f.ctx, acct, p.ARN)
	if got.DefaultVersionID != "v3" {
		t.Fatalf("default = %s", got.DefaultVersionID)
	}
	f.ok(f.svc.DeletePolicyVersion(f.ctx, acct, p.ARN, "v5"))
	// Version numbers are never reused.
	v, err := f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, `{"n":6}`, true)
	f.ok(err)
	if v.VersionID != "v6" || !v.IsDefaultVersion {
		t.Fatalf("v6 = %+v", v)
	}
	list, err := f.svc.ListPolicyVersions(f.ctx, acct, p.ARN, iam.PageInput{MaxItems: 3})
	f.ok(err)
	var ids []string
	for _, v := range list.Items {
		ids = append(ids, v.VersionID)
		if v.Document != "" {
			t.Fatal("ListPolicyVersions returned a document")
		}
	}
	rest, err := f.svc.ListPolicyVersions(f.ctx, acct, p.ARN, iam.PageInput{Marker: list.Marker})
	f.ok(err)
	for _, v := range rest.Items {
		ids = append(ids, v.VersionID)
	}
	if !slices.Equal(ids, []string{"v6", "v4", "v3", "v2", "v1"}) || !list.IsTruncated || rest.IsTruncated {
		t.Fatalf("versions = %v", ids)
	}
	if !list.Items[0].IsDefaultVersion || list.Items[2].IsDefaultVersion {
		t.Fatalf("default flags = %+v", list.Items)
	}
	for _, id := range []string{"v1", "v2", "v3", "v4"} {
		f.ok(f.svc.DeletePolicyVersion(f.ctx, acct, p.ARN, id))
	}
	f.ok(f.svc.DeletePolicy(f.ctx, acct, p.ARN))
}

func TestListPolicies(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	a := f.policy("alpha")
	_, err := f.svc.CreatePolicy(f.ctx, acct, iam.CreatePolicyInput{PolicyName: "beta", Path: "/x/", PolicyDocument: allowAll})
	f.ok(err)
	f.policy("gamma")
	f.user("u")
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "u", a.ARN))
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "u", readOnlyARN))
	f.ok(f.svc.PutUserPermissionsBoundary(f.ctx, acct, "u", lambdaARN))

	names := func(in iam.ListPoliciesInput) []string {
		t.Helper()
		var out []string
		for range 20 {
			p, err := f.svc.ListPolicies(f.ctx, acct, in)
			f.ok(err)
			for _, x := range p.Items {
				out = append(out, x.PolicyName)
			}
			if !p.IsTruncated {
				return out
			}
			in.Page.Marker = p.Marker
		}
		t.Fatal("too many pages")
		return nil
	}
	tests := []struct {
		name string
		in   iam.ListPoliciesInput
		want []string
	}{
		{"all", iam.ListPoliciesInput{}, []string{"alpha", "beta", "gamma", "ReadOnlyAccess", "AWSLambdaBasicExecutionRole"}},
		{"all paged", iam.ListPoliciesInput{Page: iam.PageInput{MaxItems: 2}}, []string{"alpha", "beta", "gamma", "ReadOnlyAccess", "AWSLambdaBasicExecutionRole"}},
		{"local", iam.ListPoliciesInput{Scope: iam.ScopeLocal}, []string{"alpha", "beta", "gamma"}},
		{"aws", iam.ListPoliciesInput{Scope: iam.ScopeAWS}, []string{"ReadOnlyAccess", "AWSLambdaBasicExecutionRole"}},
		{"path", iam.ListPoliciesInput{PathPrefix: "/x/"}, []string{"beta"}},
		{"attached", iam.ListPoliciesInput{OnlyAttached: true}, []string{"alpha", "ReadOnlyAccess", "AWSLambdaBasicExecutionRole"}},
		{"attached as policy", iam.ListPoliciesInput{OnlyAttached: true, PolicyUsageFilter: iam.UsagePermissionsPolicy}, []string{"alpha", "ReadOnlyAccess"}},
		{"attached as boundary", iam.ListPoliciesInput{OnlyAttached: true, PolicyUsageFilter: iam.UsagePermissionsBoundary}, []string{"AWSLambdaBasicExecutionRole"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := names(tt.in); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	ro, err := f.svc.GetPolicy(f.ctx, acct, readOnlyARN)
	f.ok(err)
	if ro.AttachmentCount != 1 || ro.DefaultVersionID != "v2" || ro.PolicyID != "ANPAILL3HVNFSB6DCOWYQ" {
		t.Fatalf("aws policy = %+v", ro)
	}
	v, err := f.svc.GetPolicyVersion(f.ctx, acct, readOnlyARN, "v2")
	f.ok(err)
	if !v.IsDefaultVersion || v.Document != allowAll {
		t.Fatalf("aws version = %+v", v)
	}
	vs, err := f.svc.ListPolicyVersions(f.ctx, acct, readOnlyARN, iam.PageInput{})
	f.ok(err)
	if len(vs.Items) != 2 || vs.Items[0].VersionID != "v2" {
		t.Fatalf("aws versions = %+v", vs.Items)
	}
	// Usage counts are per account.
	other, err := f.svc.GetPolicy(f.ctx, "210987654321", readOnlyARN)
	f.ok(err)
	if other.AttachmentCount != 0 {
		t.Fatalf("other account count = %d", other.AttachmentCount)
	}
}
