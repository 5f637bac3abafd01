package iam_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func ptr[T any](v T) *T { return &v }

func TestRoleLifecycle(t *testing.T) {
	f := newFixture(t)
	r, err := f.svc.CreateRole(f.ctx, acct, iam.CreateRoleInput{RoleName: "App", Path: "/svc/",
		AssumeRolePolicyDocument: trustDoc, Description: "the app", Tags: []iam.Tag{{Key: "k", Value: "v"}}})
	f.ok(err)
	if f.v.last() != iam.DocTrust {
		t.Fatalf("trust policy validated as %v", f.v.last())
	}
	if !regexp.MustCompile(`^AROA[A-Z2-7]{17}$`).MatchString(r.RoleID) || r.ARN != "arn:aws:iam::123456789012:role/svc/App" ||
		r.MaxSessionDuration != 3600 || r.Description != "the app" || r.AssumeRolePolicyDocument != trustDoc || r.RoleLastUsed != nil {
		t.Fatalf("CreateRole = %+v", r)
	}
	f.ok(f.svc.UpdateRole(f.ctx, acct, iam.UpdateRoleInput{RoleName: "app", MaxSessionDuration: ptr(43200)}))
	got, err := f.svc.UpdateRoleDescription(f.ctx, acct, "app", "new")
	f.ok(err)
	if got.MaxSessionDuration != 43200 || got.Description != "new" {
		t.Fatalf("after update = %+v", got)
	}
	other := strings.Replace(trustDoc, "ec2", "lambda", 1)
	f.ok(f.svc.UpdateAssumeRolePolicy(f.ctx, acct, "app", other))
	got, _ = f.svc.GetRole(f.ctx, acct, "APP")
	if got.AssumeRolePolicyDocument != other {
		t.Fatalf("trust = %s", got.AssumeRolePolicyDocument)
	}

	// Last use is recorded at most once per interval.
	at := f.clock.Now()
	f.ok(f.svc.RecordRoleUse(f.ctx, acct, "App", "eu-west-1", at))
	f.ok(f.svc.RecordRoleUse(f.ctx, acct, "App", "us-east-1", at.Add(time.Second)))
	got, _ = f.svc.GetRole(f.ctx, acct, "App")
	if got.RoleLastUsed == nil || got.RoleLastUsed.Region != "eu-west-1" || !got.RoleLastUsed.LastUsedDate.Equal(at) {
		t.Fatalf("RoleLastUsed = %+v", got.RoleLastUsed)
	}
	f.ok(f.svc.RecordRoleUse(f.ctx, acct, "App", "us-east-1", at.Add(2*time.Minute)))
	got, _ = f.svc.GetRole(f.ctx, acct, "App")
	if got.RoleLastUsed.Region != "us-east-1" {
		t.Fatalf("RoleLastUsed = %+v", got.RoleLastUsed)
	}

	list, err := f.svc.ListRoles(f.ctx, acct, "/svc/", iam.PageInput{})
	f.ok(err)
	if len(list.Items) != 1 || list.Items[0].RoleName != "App" {
		t.Fatalf("ListRoles = %+v", list)
	}
	f.ok(f.svc.DeleteRole(f.ctx, acct, "app"))
	wantErr(t, errOf(f.svc.GetRole(f.ctx, acct, "App")), noSuch, 404, "The role with name App cannot be found.")
	// A new role with the name does not inherit the old one's last use.
	f.role("App")
	got, _ = f.svc.GetRole(f.ctx, acct, "App")
	if got.RoleLastUsed != nil {
		t.Fatalf("stale RoleLastUsed = %+v", got.RoleLastUsed)
	}
}

func TestRoleErrors(t *testing.T) {
	f := newFixture(t)
	f.role("r")
	create := func(in iam.CreateRoleInput) func() error {
		return func() error { return errOf(f.svc.CreateRole(f.ctx, acct, in)) }
	}
	runErrCases(t, []errCase{
		{"duplicate", create(iam.CreateRoleInput{RoleName: "R", AssumeRolePolicyDocument: trustDoc}), exists, 409, "Role with name R already exists."},
		{"get missing", func() error { return errOf(f.svc.GetRole(f.ctx, acct, "test-nonexistent-role")) }, noSuch, 404, "The role with name test-nonexistent-role cannot be found."},
		{"update missing", func() error { return f.svc.UpdateRole(f.ctx, acct, iam.UpdateRoleInput{RoleName: "nope"}) }, noSuch, 404, "The role with name nope cannot be found."},
		{"delete missing", func() error { return f.svc.DeleteRole(f.ctx, acct, "nope") }, noSuch, 404, "The role with name nope cannot be found."},
		{"trust missing role", func() error { return f.svc.UpdateAssumeRolePolicy(f.ctx, acct, "nope", trustDoc) }, noSuch, 404, ""},
		{"session too short", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustDoc, MaxSessionDuration: 100}), badInput, 400,
			"1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"session too long", func() error {
			return f.svc.UpdateRole(f.ctx, acct, iam.UpdateRoleInput{RoleName: "r", MaxSessionDuration: ptr(43201)})
		}, badInput, 400, "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"no trust", create(iam.CreateRoleInput{RoleName: "x"}), badInput, 400,
			"1 validation error detected: Value at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"},
		{"malformed trust", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: "{"}), malform, 400, "This policy contains invalid Json"},
		{"trust too big", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: `{"TOO_BIG":1}`}), limit, 409, "Cannot exceed quota for PolicySize: 6144"},
		{"long description", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustDoc, Description: strings.Repeat("d", 1001)}), badInput, 400,
			"1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000"},
		{"description chars", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustDoc, Description: "emoji 😀"}), badInput, 400, ""},
		{"long name", create(iam.CreateRoleInput{RoleName: strings.Repeat("r", 65), AssumeRolePolicyDocument: trustDoc}), badInput, 400, ""},
		{"duplicate tags", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustDoc, Tags: []iam.Tag{{Key: "Env", Value: "a"}, {Key: "env", Value: "b"}}}),
			invalid, 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"boundary missing", create(iam.CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: trustDoc, PermissionsBoundary: "arn:aws:iam::123456789012:policy/nonexistent-policy"}),
			noSuch, 404, "Scope ARN: arn:aws:iam::123456789012:policy/nonexistent-policy does not exist or is not attachable."},
		{"put boundary on missing role", func() error {
			return f.svc.PutRolePermissionsBoundary(f.ctx, acct, "nonexistent-role", "arn:aws:iam::123456789012:policy/p")
		}, noSuch, 404, "The role with name nonexistent-role cannot be found."},
		{"put invalid boundary", func() error {
			return f.svc.PutRolePermissionsBoundary(f.ctx, acct, "r", "arn:aws:iam::123456789012:not_a_policy/invalid")
		}, invalid, 400, "ARN arn:aws:iam::123456789012:not_a_policy/invalid is not valid."},
	})
	if _, err := f.svc.GetRole(f.ctx, acct, "x"); err == nil {
		t.Fatal("a failed CreateRole left a role behind")
	}
}

func TestDeleteRoleConflicts(t *testing.T) {
	f := newFixture(t)
	f.role("r")
	p := f.policy("p")
	_, err := f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "ip"})
	f.ok(err)
	f.ok(f.svc.AddRoleToInstanceProfile(f.ctx, acct, "ip", "r"))
	f.ok(f.svc.AttachRolePolicy(f.ctx, acct, "r", p.ARN))
	f.ok(f.svc.PutRolePolicy(f.ctx, acct, "r", "inline", allowAll))
	steps := []struct {
		msg    string
		remove func() error
	}{
		{"Cannot delete entity, must remove roles from instance profile first.", func() error { return f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "ip", "r") }},
		{"Cannot delete entity, must detach all policies first.", func() error { return f.svc.DetachRolePolicy(f.ctx, acct, "r", p.ARN) }},
		{"Cannot delete entity, must delete policies first.", func() error { return f.svc.DeleteRolePolicy(f.ctx, acct, "r", "inline") }},
	}
	for _, s := range steps {
		wantErr(t, f.svc.DeleteRole(f.ctx, acct, "r"), conflict, 409, s.msg)
		f.ok(s.remove())
	}
	f.ok(f.svc.DeleteRole(f.ctx, acct, "r"))
}

func TestRoleBoundary(t *testing.T) {
	f := newFixture(t)
	p1, p2 := f.policy("b1"), f.policy("b2")
	f.role("r")
	f.ok(f.svc.PutRolePermissionsBoundary(f.ctx, acct, "r", p1.ARN))
	f.ok(f.svc.PutRolePermissionsBoundary(f.ctx, acct, "r", p1.ARN)) // same again: no double count
	f.ok(f.svc.PutRolePermissionsBoundary(f.ctx, acct, "r", p2.ARN)) // replace
	g1, _ := f.svc.GetPolicy(f.ctx, acct, p1.ARN)
	g2, _ := f.svc.GetPolicy(f.ctx, acct, p2.ARN)
	if g1.PermissionsBoundaryUsageCount != 0 || g2.PermissionsBoundaryUsageCount != 1 {
		t.Fatalf("usage b1=%d b2=%d", g1.PermissionsBoundaryUsageCount, g2.PermissionsBoundaryUsageCount)
	}
	r, _ := f.svc.GetRole(f.ctx, acct, "r")
	if r.PermissionsBoundary == nil || r.PermissionsBoundary.PermissionsBoundaryARN != p2.ARN {
		t.Fatalf("boundary = %+v", r.PermissionsBoundary)
	}
	ents, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p2.ARN, PolicyUsageFilter: iam.UsagePermissionsBoundary})
	f.ok(err)
	if len(ents.PolicyRoles) != 1 || ents.PolicyRoles[0].Name != "r" {
		t.Fatalf("entities = %+v", ents)
	}
	f.ok(f.svc.DeleteRolePermissionsBoundary(f.ctx, acct, "r"))
	f.ok(f.svc.DeleteRolePermissionsBoundary(f.ctx, acct, "r")) // none: no-op
	g2, _ = f.svc.GetPolicy(f.ctx, acct, p2.ARN)
	if g2.PermissionsBoundaryUsageCount != 0 {
		t.Fatalf("usage after delete = %d", g2.PermissionsBoundaryUsageCount)
	}
}
