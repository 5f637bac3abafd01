package iam_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestCreateGetUser(t *testing.T) {
	f := newFixture(t)
	u, err := f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "Alice", Path: "/eng/", Tags: []iam.Tag{{Key: "team", Value: "core"}}})
	f.ok(err)
	if !regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`).MatchString(u.UserID) {
		t.Errorf("UserID = %q", u.UserID)
	}
	if u.ARN != "arn:aws:iam::123456789012:user/eng/Alice" || u.Path != "/eng/" || !u.CreateDate.Equal(f.clock.Now()) {
		t.Errorf("CreateUser = %+v", u)
	}
	// Names are case-insensitive for lookups; the stored case is kept.
	got, err := f.svc.GetUser(f.ctx, acct, "alice")
	f.ok(err)
	if got.UserName != "Alice" || got.UserID != u.UserID || len(got.Tags) != 1 {
		t.Errorf("GetUser = %+v", got)
	}
	// Accounts are separate.
	wantErr(t, errOf(f.svc.GetUser(f.ctx, "210987654321", "Alice")), noSuch, 404, "The user with name Alice cannot be found.")
}

func TestUserErrors(t *testing.T) {
	f := newFixture(t)
	f.user("Alice")
	runErrCases(t, []errCase{
		{"duplicate", func() error { return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "Alice"})) }, exists, 409, "User with name Alice already exists."},
		{"duplicate other case", func() error { return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "ALICE"})) }, exists, 409, "User with name ALICE already exists."},
		{"get missing", func() error { return errOf(f.svc.GetUser(f.ctx, acct, "bob")) }, noSuch, 404, "The user with name bob cannot be found."},
		{"delete missing", func() error { return f.svc.DeleteUser(f.ctx, acct, "bob") }, noSuch, 404, "The user with name bob cannot be found."},
		{"update missing", func() error {
			return f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "bob", NewPath: "/x/"})
		}, noSuch, 404, "The user with name bob cannot be found."},
		{"bad name", func() error { return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "bad name"})) }, badInput, 400,
			`1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"long name", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: strings.Repeat("a", 65)}))
		}, badInput, 400, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"no name", func() error { return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{})) }, badInput, 400,
			"1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must not be null"},
		{"bad path", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "x", Path: "eng/"}))
		}, badInput, 400,
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters."},
		{"long path", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "x", Path: "/" + strings.Repeat("a", 512) + "/"}))
		}, badInput, 400, "1 validation error detected: Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512"},
		{"two errors", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "bad name", Path: "/" + strings.Repeat("a", 512) + "/"}))
		}, badInput, 400, ""},
		{"bad boundary arn", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "x", PermissionsBoundary: "arn:aws:iam::123456789012:not_a_policy/invalid"}))
		}, invalid, 400, "ARN arn:aws:iam::123456789012:not_a_policy/invalid is not valid."},
		{"missing boundary", func() error {
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "x", PermissionsBoundary: "arn:aws:iam::123456789012:policy/nope"}))
		}, noSuch, 404, "Scope ARN: arn:aws:iam::123456789012:policy/nope does not exist or is not attachable."},
		{"rename onto existing", func() error {
			f.user("carol")
			return f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "Alice", NewUserName: "Carol"})
		}, exists, 409, "User with name Carol already exists."},
	})
	if _, err := f.svc.GetUser(f.ctx, acct, "x"); err == nil {
		t.Fatal("a failed CreateUser left a user behind")
	}
}

func TestUpdateUserRenameKeepsEverything(t *testing.T) {
	f := newFixture(t)
	u := f.user("alice")
	f.group("devs")
	p := f.policy("p1")
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "devs", "alice"))
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "alice", p.ARN))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "alice", "inline", allowAll))
	key, err := f.svc.CreateAccessKey(f.ctx, acct, "alice")
	f.ok(err)

	f.ok(f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "alice", NewUserName: "alicia", NewPath: "/new/"}))
	wantErr(t, errOf(f.svc.GetUser(f.ctx, acct, "alice")), noSuch, 404, "The user with name alice cannot be found.")
	got, err := f.svc.GetUser(f.ctx, acct, "alicia")
	f.ok(err)
	if got.UserID != u.UserID || got.ARN != "arn:aws:iam::123456789012:user/new/alicia" || !got.CreateDate.Equal(u.CreateDate) {
		t.Fatalf("after rename = %+v", got)
	}
	gg, err := f.svc.GetGroup(f.ctx, acct, "devs", iam.PageInput{})
	f.ok(err)
	if len(gg.Users) != 1 || gg.Users[0].UserName != "alicia" {
		t.Fatalf("group members = %+v", gg.Users)
	}
	ents, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p.ARN})
	f.ok(err)
	if len(ents.PolicyUsers) != 1 || ents.PolicyUsers[0].Name != "alicia" {
		t.Fatalf("entities = %+v", ents)
	}
	if _, err := f.svc.GetUserPolicy(f.ctx, acct, "alicia", "inline"); err != nil {
		t.Fatal(err)
	}
	cred, err := f.svc.LookupAccessKey(f.ctx, key.AccessKeyID)
	f.ok(err)
	if cred.UserName != "alicia" || cred.UserARN != got.ARN {
		t.Fatalf("credential after rename = %+v", cred)
	}
	// A change of case only is a rename to the same key.
	f.ok(f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "alicia", NewUserName: "Alicia"}))
	got, err = f.svc.GetUser(f.ctx, acct, "ALICIA")
	f.ok(err)
	if got.UserName != "Alicia" {
		t.Fatalf("case rename = %+v", got)
	}
}

func TestDeleteUserConflicts(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	f.group("g")
	p := f.policy("p")
	key, err := f.svc.CreateAccessKey(f.ctx, acct, "u")
	f.ok(err)
	_, err = f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "u", Password: "Secr3t!pass"})
	f.ok(err)
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "g", "u"))
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "u", p.ARN))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "inline", allowAll))

	steps := []struct {
		msg    string
		remove func() error
	}{
		{"Cannot delete entity, must delete access keys first.", func() error { return f.svc.DeleteAccessKey(f.ctx, acct, "u", key.AccessKeyID) }},
		{"Cannot delete entity, must delete login profile first.", func() error { return f.svc.DeleteLoginProfile(f.ctx, acct, "u") }},
		{"Cannot delete entity, must remove users from group first.", func() error { return f.svc.RemoveUserFromGroup(f.ctx, acct, "g", "u") }},
		{"Cannot delete entity, must detach all policies first.", func() error { return f.svc.DetachUserPolicy(f.ctx, acct, "u", p.ARN) }},
		{"Cannot delete entity, must delete policies first.", func() error { return f.svc.DeleteUserPolicy(f.ctx, acct, "u", "inline") }},
	}
	for _, s := range steps {
		wantErr(t, f.svc.DeleteUser(f.ctx, acct, "u"), conflict, 409, s.msg)
		f.ok(s.remove())
	}
	f.ok(f.svc.DeleteUser(f.ctx, acct, "u"))
	wantErr(t, errOf(f.svc.GetUser(f.ctx, acct, "u")), noSuch, 404, "")
	// The name is free again and gets a new ID.
	f.user("u")
}

func TestListUsersPathPrefixAndPaging(t *testing.T) {
	f := newFixture(t)
	for i := range 7 {
		path := "/a/"
		if i%2 == 1 {
			path = "/b/"
		}
		_, err := f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: fmt.Sprintf("user%d", i), Path: path})
		f.ok(err)
	}
	var names []string
	page := iam.PageInput{MaxItems: 2}
	for range 10 {
		p, err := f.svc.ListUsers(f.ctx, acct, "/a/", page)
		f.ok(err)
		for _, u := range p.Items {
			names = append(names, u.UserName)
		}
		if !p.IsTruncated {
			if p.Marker != "" {
				t.Fatal("marker on the last page")
			}
			break
		}
		if len(p.Items) != 2 {
			t.Fatalf("truncated page with %d items", len(p.Items))
		}
		page.Marker = p.Marker
	}
	if strings.Join(names, ",") != "user0,user2,user4,user6" {
		t.Fatalf("names = %v", names)
	}
	all, err := f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{})
	f.ok(err)
	if len(all.Items) != 7 || all.IsTruncated {
		t.Fatalf("all = %d truncated=%v", len(all.Items), all.IsTruncated)
	}
	// Exactly a full page: not truncated.
	p, err := f.svc.ListUsers(f.ctx, acct, "/b/", iam.PageInput{MaxItems: 3})
	f.ok(err)
	if len(p.Items) != 3 || p.IsTruncated {
		t.Fatalf("exact page = %d truncated=%v", len(p.Items), p.IsTruncated)
	}
}

func TestUserBoundary(t *testing.T) {
	f := newFixture(t)
	p := f.policy("boundary")
	u, err := f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: "b", PermissionsBoundary: p.ARN})
	f.ok(err)
	if u.PermissionsBoundary == nil || u.PermissionsBoundary.PermissionsBoundaryARN != p.ARN ||
		u.PermissionsBoundary.PermissionsBoundaryType != "PermissionsBoundaryPolicy" {
		t.Fatalf("boundary = %+v", u.PermissionsBoundary)
	}
	got, err := f.svc.GetPolicy(f.ctx, acct, p.ARN)
	f.ok(err)
	if got.PermissionsBoundaryUsageCount != 1 || got.AttachmentCount != 0 {
		t.Fatalf("usage = %+v", got)
	}
	wantErr(t, f.svc.DeletePolicy(f.ctx, acct, p.ARN), conflict, 409, "Cannot delete a policy attached to entities.")
	f.ok(f.svc.DeleteUserPermissionsBoundary(f.ctx, acct, "b"))
	got, _ = f.svc.GetPolicy(f.ctx, acct, p.ARN)
	if got.PermissionsBoundaryUsageCount != 0 {
		t.Fatalf("usage after delete = %d", got.PermissionsBoundaryUsageCount)
	}
	f.ok(f.svc.PutUserPermissionsBoundary(f.ctx, acct, "b", p.ARN))
	// Deleting the user releases the boundary.
	f.ok(f.svc.DeleteUser(f.ctx, acct, "b"))
	f.ok(f.svc.DeletePolicy(f.ctx, acct, p.ARN))
}
