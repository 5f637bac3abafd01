package iam_test

import (
	"regexp"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestInstanceProfiles(t *testing.T) {
	f := newFixture(t)
	ip, err := f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "Web", Path: "/app/", Tags: []iam.Tag{{Key: "a", Value: "b"}}})
	f.ok(err)
	if !regexp.MustCompile(`^AIPA[A-Z2-7]{17}$`).MatchString(ip.InstanceProfileID) || ip.ARN != "arn:aws:iam::123456789012:instance-profile/app/Web" ||
		ip.Roles == nil || len(ip.Roles) != 0 || len(ip.Tags) != 1 {
		t.Fatalf("CreateInstanceProfile = %+v", ip)
	}
	f.role("r1")
	f.role("r2")
	f.ok(f.svc.AddRoleToInstanceProfile(f.ctx, acct, "web", "R1"))
	wantErr(t, f.svc.AddRoleToInstanceProfile(f.ctx, acct, "Web", "r2"), limit, 409, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	got, err := f.svc.GetInstanceProfile(f.ctx, acct, "WEB")
	f.ok(err)
	if len(got.Roles) != 1 || got.Roles[0].RoleName != "r1" || got.Roles[0].AssumeRolePolicyDocument != trustDoc {
		t.Fatalf("GetInstanceProfile = %+v", got)
	}
	_, err = f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "Db"})
	f.ok(err)
	f.ok(f.svc.AddRoleToInstanceProfile(f.ctx, acct, "Db", "r1"))
	forRole, err := f.svc.ListInstanceProfilesForRole(f.ctx, acct, "r1", iam.PageInput{MaxItems: 1})
	f.ok(err)
	if len(forRole.Items) != 1 || forRole.Items[0].InstanceProfileName != "Db" || !forRole.IsTruncated {
		t.Fatalf("ListInstanceProfilesForRole = %+v", forRole)
	}
	forRole, err = f.svc.ListInstanceProfilesForRole(f.ctx, acct, "r1", iam.PageInput{Marker: forRole.Marker})
	f.ok(err)
	if len(forRole.Items) != 1 || forRole.Items[0].InstanceProfileName != "Web" || forRole.IsTruncated {
		t.Fatalf("ListInstanceProfilesForRole page 2 = %+v", forRole)
	}
	all, err := f.svc.ListInstanceProfiles(f.ctx, acct, "/app/", iam.PageInput{})
	f.ok(err)
	if len(all.Items) != 1 || all.Items[0].InstanceProfileName != "Web" || len(all.Items[0].Roles) != 1 {
		t.Fatalf("ListInstanceProfiles = %+v", all)
	}

	wantErr(t, f.svc.DeleteInstanceProfile(f.ctx, acct, "Web"), conflict, 409, "Cannot delete entity, must remove roles from instance profile first.")
	wantErr(t, f.svc.DeleteRole(f.ctx, acct, "r1"), conflict, 409, "Cannot delete entity, must remove roles from instance profile first.")
	f.ok(f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "Web", "r1"))
	wantErr(t, f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "Web", "r1"), noSuch, 404, "Role r1 in Instance Profile Web cannot be found.")
	f.ok(f.svc.DeleteInstanceProfile(f.ctx, acct, "Web"))
	wantErr(t, errOf(f.svc.GetInstanceProfile(f.ctx, acct, "Web")), noSuch, 404, "Instance Profile Web cannot be found.")
	wantErr(t, f.svc.DeleteRole(f.ctx, acct, "r1"), conflict, 409, "")
	f.ok(f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "Db", "r1"))
	f.ok(f.svc.DeleteRole(f.ctx, acct, "r1"))
}

func TestInstanceProfileErrors(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "p"})
	f.ok(err)
	f.role("r")
	runErrCases(t, []errCase{
		{"duplicate", func() error {
			return errOf(f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "P"}))
		}, exists, 409, "Instance Profile P already exists."},
		{"get missing", func() error { return errOf(f.svc.GetInstanceProfile(f.ctx, acct, "nonexistent-profile")) }, noSuch, 404, "Instance Profile nonexistent-profile cannot be found."},
		{"delete missing", func() error { return f.svc.DeleteInstanceProfile(f.ctx, acct, "nonexistent-profile") }, noSuch, 404, "Instance Profile nonexistent-profile cannot be found."},
		{"add to missing profile", func() error { return f.svc.AddRoleToInstanceProfile(f.ctx, acct, "nonexistent-profile", "r") }, noSuch, 404, "Instance Profile nonexistent-profile cannot be found."},
		{"add missing role", func() error { return f.svc.AddRoleToInstanceProfile(f.ctx, acct, "p", "nonexistent-role") }, noSuch, 404, "The role with name nonexistent-role cannot be found."},
		{"remove missing role", func() error { return f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "p", "nonexistent-role") }, noSuch, 404, "The role with name nonexistent-role cannot be found."},
		{"remove unattached", func() error { return f.svc.RemoveRoleFromInstanceProfile(f.ctx, acct, "p", "r") }, noSuch, 404, "Role r in Instance Profile p cannot be found."},
		{"list for missing role", func() error {
			return errOf(f.svc.ListInstanceProfilesForRole(f.ctx, acct, "nonexistent-role", iam.PageInput{}))
		}, noSuch, 404,
			"The role with name nonexistent-role cannot be found."},
		{"bad name", func() error {
			return errOf(f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "a b"}))
		}, badInput, 400, ""},
	})
}
