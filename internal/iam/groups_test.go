package iam_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestGroupLifecycle(t *testing.T) {
	f := newFixture(t)
	g, err := f.svc.CreateGroup(f.ctx, acct, "Devs", "/eng/")
	f.ok(err)
	if !regexp.MustCompile(`^AGPA[A-Z2-7]{17}$`).MatchString(g.GroupID) || g.ARN != "arn:aws:iam::123456789012:group/eng/Devs" {
		t.Fatalf("CreateGroup = %+v", g)
	}
	f.user("alice")
	f.user("bob")
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "devs", "alice"))
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "Devs", "bob"))
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "Devs", "bob")) // idempotent

	out, err := f.svc.GetGroup(f.ctx, acct, "DEVS", iam.PageInput{MaxItems: 1})
	f.ok(err)
	if out.Group.GroupName != "Devs" || len(out.Users) != 1 || !out.IsTruncated {
		t.Fatalf("GetGroup page 1 = %+v", out)
	}
	out2, err := f.svc.GetGroup(f.ctx, acct, "Devs", iam.PageInput{Marker: out.Marker})
	f.ok(err)
	if len(out2.Users) != 1 || out2.IsTruncated || out2.Users[0].UserName == out.Users[0].UserName {
		t.Fatalf("GetGroup page 2 = %+v", out2)
	}

	groups, err := f.svc.ListGroupsForUser(f.ctx, acct, "alice", iam.PageInput{})
	f.ok(err)
	if len(groups.Items) != 1 || groups.Items[0].GroupName != "Devs" {
		t.Fatalf("ListGroupsForUser = %+v", groups)
	}

	// Rename and move: members stay.
	f.ok(f.svc.UpdateGroup(f.ctx, acct, iam.UpdateGroupInput{GroupName: "Devs", NewGroupName: "Engineers", NewPath: "/x/"}))
	wantErr(t, errOf(f.svc.GetGroup(f.ctx, acct, "Devs", iam.PageInput{})), noSuch, 404, "The group with name Devs cannot be found.")
	out, err = f.svc.GetGroup(f.ctx, acct, "engineers", iam.PageInput{})
	f.ok(err)
	if out.Group.ARN != "arn:aws:iam::123456789012:group/x/Engineers" || out.Group.GroupID != g.GroupID || len(out.Users) != 2 {
		t.Fatalf("after rename = %+v", out)
	}
	groups, _ = f.svc.ListGroupsForUser(f.ctx, acct, "bob", iam.PageInput{})
	if len(groups.Items) != 1 || groups.Items[0].GroupName != "Engineers" {
		t.Fatalf("groups of bob after rename = %+v", groups)
	}

	wantErr(t, f.svc.DeleteGroup(f.ctx, acct, "Engineers"), conflict, 409, "Cannot delete entity, must remove users from group first.")
	f.ok(f.svc.RemoveUserFromGroup(f.ctx, acct, "Engineers", "alice"))
	f.ok(f.svc.RemoveUserFromGroup(f.ctx, acct, "Engineers", "alice")) // not a member: succeeds
	f.ok(f.svc.RemoveUserFromGroup(f.ctx, acct, "Engineers", "bob"))

	p := f.policy("p")
	f.ok(f.svc.AttachGroupPolicy(f.ctx, acct, "Engineers", p.ARN))
	wantErr(t, f.svc.DeleteGroup(f.ctx, acct, "Engineers"), conflict, 409, "Cannot delete entity, must detach all policies first.")
	f.ok(f.svc.DetachGroupPolicy(f.ctx, acct, "Engineers", p.ARN))
	f.ok(f.svc.PutGroupPolicy(f.ctx, acct, "Engineers", "inline", allowAll))
	wantErr(t, f.svc.DeleteGroup(f.ctx, acct, "Engineers"), conflict, 409, "Cannot delete entity, must delete policies first.")
	f.ok(f.svc.DeleteGroupPolicy(f.ctx, acct, "Engineers", "inline"))
	f.ok(f.svc.DeleteGroup(f.ctx, acct, "Engineers"))
	groups, _ = f.svc.ListGroupsForUser(f.ctx, acct, "bob", iam.PageInput{})
	if len(groups.Items) != 0 {
		t.Fatalf("groups after delete = %+v", groups)
	}
}

func TestGroupErrors(t *testing.T) {
	f := newFixture(t)
	f.group("g1")
	f.group("g2")
	f.user("u")
	runErrCases(t, []errCase{
		{"duplicate", func() error { return errOf(f.svc.CreateGroup(f.ctx, acct, "G1", "")) }, exists, 409, "Group with name G1 already exists."},
		{"get missing", func() error { return errOf(f.svc.GetGroup(f.ctx, acct, "non-existent-group", iam.PageInput{})) }, noSuch, 404, "The group with name non-existent-group cannot be found."},
		{"delete missing", func() error { return f.svc.DeleteGroup(f.ctx, acct, "unknown-group") }, noSuch, 404, "The group with name unknown-group cannot be found."},
		{"update missing", func() error {
			return f.svc.UpdateGroup(f.ctx, acct, iam.UpdateGroupInput{GroupName: "nonexisting", NewPath: "/a/"})
		}, noSuch, 404, "The group with name nonexisting cannot be found."},
		{"rename onto existing", func() error {
			return f.svc.UpdateGroup(f.ctx, acct, iam.UpdateGroupInput{GroupName: "g1", NewGroupName: "g2"})
		}, exists, 409, "Group with name g2 already exists."},
		{"add unknown user", func() error { return f.svc.AddUserToGroup(f.ctx, acct, "g1", "non-existent-user") }, noSuch, 404, "The user with name non-existent-user cannot be found."},
		{"add to unknown group", func() error { return f.svc.AddUserToGroup(f.ctx, acct, "nonexistent-group", "u") }, noSuch, 404, "The group with name nonexistent-group cannot be found."},
		{"remove unknown user", func() error { return f.svc.RemoveUserFromGroup(f.ctx, acct, "non-existent-group", "any-user") }, noSuch, 404, "The user with name any-user cannot be found."},
		{"remove from unknown group", func() error { return f.svc.RemoveUserFromGroup(f.ctx, acct, "nonexistent-group", "u") }, noSuch, 404, "The group with name nonexistent-group cannot be found."},
		{"groups of unknown user", func() error { return errOf(f.svc.ListGroupsForUser(f.ctx, acct, "nobody", iam.PageInput{})) }, noSuch, 404, "The user with name nobody cannot be found."},
		{"bad name", func() error { return errOf(f.svc.CreateGroup(f.ctx, acct, "a/b", "")) }, badInput, 400, ""},
	})
}

func TestGroupsPerUserQuota(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	for i := range 10 {
		name := fmt.Sprintf("g%02d", i)
		f.group(name)
		f.ok(f.svc.AddUserToGroup(f.ctx, acct, name, "u"))
	}
	f.group("one-too-many")
	wantErr(t, f.svc.AddUserToGroup(f.ctx, acct, "one-too-many", "u"), limit, 409, "Cannot exceed quota for GroupsPerUser: 10")
	groups, err := f.svc.ListGroupsForUser(f.ctx, acct, "u", iam.PageInput{MaxItems: 4})
	f.ok(err)
	if len(groups.Items) != 4 || !groups.IsTruncated || groups.Items[0].GroupName != "g00" {
		t.Fatalf("ListGroupsForUser = %+v", groups)
	}
	rest, err := f.svc.ListGroupsForUser(f.ctx, acct, "u", iam.PageInput{Marker: groups.Marker})
	f.ok(err)
	if len(rest.Items) != 6 || rest.Items[0].GroupName != "g04" {
		t.Fatalf("rest = %+v", rest)
	}
}

func TestListGroups(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/a/", "/a/b/", "/c/"} {
		_, err := f.svc.CreateGroup(f.ctx, acct, "g"+p[1:2]+fmt.Sprint(len(p)), p)
		f.ok(err)
	}
	got, err := f.svc.ListGroups(f.ctx, acct, "/a/", iam.PageInput{})
	f.ok(err)
	if len(got.Items) != 2 {
		t.Fatalf("ListGroups /a/ = %+v", got)
	}
	wantErr(t, errOf(f.svc.ListGroups(f.ctx, acct, "a", iam.PageInput{})), badInput, 400, "")
}
