package iam_test

import (
	"errors"
	"slices"
	"testing"

	"context"
	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestUserLifecycle(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateUser(f.ctx, &api.CreateUserInput{
		UserName: ptr.Of("alice"), Path: ptr.Of("/eng/"),
		Tags: []api.Tag{{Key: ptr.Of("team"), Value: ptr.Of("core")}},
	})
	f.ok(err)
	u := out.User
	if str(u.UserName) != "alice" || str(u.Path) != "/eng/" || str(u.Arn) != "arn:aws:iam::123456789012:user/eng/alice" {
		t.Fatalf("CreateUser = %+v", u)
	}
	if str(u.UserId) == "" || u.CreateDate == nil || !u.CreateDate.Equal(epoch()) {
		t.Fatalf("CreateUser id/date = %v %v", str(u.UserId), u.CreateDate)
	}
	if len(u.Tags) != 1 || str(u.Tags[0].Key) != "team" || str(u.Tags[0].Value) != "core" {
		t.Fatalf("CreateUser tags = %+v", u.Tags)
	}

	got, err := f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: ptr.Of("alice")})
	f.ok(err)
	if str(got.User.UserId) != str(u.UserId) || len(got.User.Tags) != 1 {
		t.Fatalf("GetUser = %+v", got.User)
	}

	f.ok(errOf(f.svc.UpdateUser(f.ctx, &api.UpdateUserInput{UserName: ptr.Of("alice"), NewUserName: ptr.Of("alicia"), NewPath: ptr.Of("/ops/")})))
	got, err = f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: ptr.Of("alicia")})
	f.ok(err)
	if str(got.User.Arn) != "arn:aws:iam::123456789012:user/ops/alicia" {
		t.Fatalf("after UpdateUser Arn = %s", str(got.User.Arn))
	}

	list, err := f.svc.ListUsers(f.ctx, &api.ListUsersInput{PathPrefix: ptr.Of("/ops/")})
	f.ok(err)
	if len(list.Users) != 1 || str(list.Users[0].UserName) != "alicia" || list.Users[0].Tags != nil {
		t.Fatalf("ListUsers = %+v", list.Users)
	}
	if list.IsTruncated == nil || *list.IsTruncated || list.Marker != nil {
		t.Fatalf("ListUsers IsTruncated/Marker = %v %v", list.IsTruncated, list.Marker)
	}
	empty, err := f.svc.ListUsers(f.ctx, &api.ListUsersInput{PathPrefix: ptr.Of("/none/")})
	f.ok(err)
	if empty.Users == nil || len(empty.Users) != 0 {
		t.Fatalf("ListUsers of nothing = %#v, want an empty non-nil list", empty.Users)
	}

	f.ok(errOf(f.svc.DeleteUser(f.ctx, &api.DeleteUserInput{UserName: ptr.Of("alicia")})))
	wantCode(t, errOf(f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: ptr.Of("alicia")})), "NoSuchEntity")
}

func TestUserTags(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob")
	f.ok(errOf(f.svc.TagUser(f.ctx, &api.TagUserInput{UserName: ptr.Of("bob"), Tags: []api.Tag{
		{Key: ptr.Of("a"), Value: ptr.Of("1")}, {Key: ptr.Of("b"), Value: ptr.Of("2")}, {Key: ptr.Of("c"), Value: ptr.Of("")},
	}})))
	f.ok(errOf(f.svc.UntagUser(f.ctx, &api.UntagUserInput{UserName: ptr.Of("bob"), TagKeys: []string{"b"}})))
	page, err := f.svc.ListUserTags(f.ctx, &api.ListUserTagsInput{UserName: ptr.Of("bob"), MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(page.Tags) != 1 || page.IsTruncated == nil || !*page.IsTruncated || page.Marker == nil {
		t.Fatalf("ListUserTags page 1 = %+v", page)
	}
	keys := []string{str(page.Tags[0].Key)}
	page, err = f.svc.ListUserTags(f.ctx, &api.ListUserTagsInput{UserName: ptr.Of("bob"), Marker: page.Marker})
	f.ok(err)
	for _, tg := range page.Tags {
		keys = append(keys, str(tg.Key))
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"a", "c"}) || *page.IsTruncated {
		t.Fatalf("ListUserTags keys = %v (truncated %v)", keys, *page.IsTruncated)
	}
	untagged := f.createUser("carol")
	if untagged.Tags != nil {
		t.Fatalf("untagged user Tags = %#v, want nil", untagged.Tags)
	}
}

func TestUserPermissionsBoundary(t *testing.T) {
	f := newFixture(t)
	f.createUser("u")
	arn := f.createPolicy("boundary")
	f.ok(errOf(f.svc.PutUserPermissionsBoundary(f.ctx, &api.PutUserPermissionsBoundaryInput{UserName: ptr.Of("u"), PermissionsBoundary: ptr.Of(arn)})))
	got, err := f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: ptr.Of("u")})
	f.ok(err)
	b := got.User.PermissionsBoundary
	if b == nil || str(b.PermissionsBoundaryArn) != arn || str(b.PermissionsBoundaryType) != "PermissionsBoundaryPolicy" {
		t.Fatalf("PermissionsBoundary = %+v", b)
	}
	list, err := f.svc.ListUsers(f.ctx, &api.ListUsersInput{})
	f.ok(err)
	if list.Users[0].PermissionsBoundary != nil {
		t.Fatalf("ListUsers shows the boundary")
	}
	f.ok(errOf(f.svc.DeleteUserPermissionsBoundary(f.ctx, &api.DeleteUserPermissionsBoundaryInput{UserName: ptr.Of("u")})))
	got, err = f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: ptr.Of("u")})
	f.ok(err)
	if got.User.PermissionsBoundary != nil {
		t.Fatalf("boundary still set: %+v", got.User.PermissionsBoundary)
	}
}

func TestListUsersPaging(t *testing.T) {
	f := newFixture(t)
	want := []string{"u1", "u2", "u3", "u4", "u5"}
	for _, n := range want {
		f.createUser(n)
	}
	var got []string
	var marker *string
	for pages := 0; ; pages++ {
		if pages > len(want) {
			t.Fatal("paging does not end")
		}
		out, err := f.svc.ListUsers(f.ctx, &api.ListUsersInput{MaxItems: ptr.Of(int32(2)), Marker: marker})
		f.ok(err)
		for _, u := range out.Users {
			got = append(got, str(u.UserName))
		}
		if !*out.IsTruncated {
			if out.Marker != nil {
				t.Fatalf("last page has a Marker")
			}
			break
		}
		if len(out.Users) != 2 || out.Marker == nil {
			t.Fatalf("truncated page = %d users, marker %v", len(out.Users), out.Marker)
		}
		marker = out.Marker
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged users = %v, want %v", got, want)
	}
}

func TestGetUserCaller(t *testing.T) {
	f := newFixture(t)
	u := f.createUser("dave")

	// An IAM user without UserName gets itself.
	got, err := f.svc.GetUser(userContext("dave", str(u.UserId)), &api.GetUserInput{})
	f.ok(err)
	if str(got.User.UserName) != "dave" {
		t.Fatalf("GetUser as dave = %+v", got.User)
	}

	// The root user gets the root user: account ID and root ARN, no name; the creation date
	// once the account has a record.
	got, err = f.svc.GetUser(f.ctx, &api.GetUserInput{})
	f.ok(err)
	if str(got.User.UserId) != acct || str(got.User.Arn) != rootARN || got.User.CreateDate != nil {
		t.Fatalf("GetUser as root of an account without a record = %+v", got.User)
	}
	_, err = f.dom.CreateAccount(f.ctx, acct, "root@example.com")
	f.ok(err)
	got, err = f.svc.GetUser(f.ctx, &api.GetUserInput{})
	f.ok(err)
	r := got.User
	if str(r.UserId) != acct || str(r.Arn) != rootARN || r.UserName != nil || r.Path != nil || r.CreateDate == nil {
		t.Fatalf("GetUser as root = %+v", r)
	}

	// A role must name the user.
	wantCode(t, errOf(f.svc.GetUser(roleContext(), &api.GetUserInput{})), "ValidationError")
	got, err = f.svc.GetUser(roleContext(), &api.GetUserInput{UserName: ptr.Of("dave")})
	f.ok(err)
	if str(got.User.UserName) != "dave" {
		t.Fatalf("GetUser as role = %+v", got.User)
	}
}

func TestNoCaller(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.ListUsers(context.Background(), &api.ListUsersInput{})
	var ae *awserr.Error
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("ListUsers without a caller: err = %v, want an internal error", err)
	}
	_, err = f.svc.GetUser(caller.NewContext(context.Background(), &caller.Request{}), &api.GetUserInput{})
	if err == nil {
		t.Fatal("GetUser with an empty caller succeeded")
	}
}

func TestUserErrors(t *testing.T) {
	f := newFixture(t)
	f.createUser("taken")
	f.createGroup("g")
	f.ok(errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("g"), UserName: ptr.Of("taken")})))
	missing := ptr.Of("missing")
	runErrCases(t, []errCase{
		{"CreateUser exists", func() error {
			return errOf(f.svc.CreateUser(f.ctx, &api.CreateUserInput{UserName: ptr.Of("TAKEN")}))
		}, "EntityAlreadyExists"},
		{"CreateUser bad name", func() error {
			return errOf(f.svc.CreateUser(f.ctx, &api.CreateUserInput{UserName: ptr.Of("bad name")}))
		}, "ValidationError"},
		{"GetUser missing", func() error { return errOf(f.svc.GetUser(f.ctx, &api.GetUserInput{UserName: missing})) }, "NoSuchEntity"},
		{"UpdateUser missing", func() error {
			return errOf(f.svc.UpdateUser(f.ctx, &api.UpdateUserInput{UserName: missing, NewUserName: ptr.Of("x")}))
		}, "NoSuchEntity"},
		{"DeleteUser in a group", func() error {
			return errOf(f.svc.DeleteUser(f.ctx, &api.DeleteUserInput{UserName: ptr.Of("taken")}))
		}, "DeleteConflict"},
		{"ListUsers bad MaxItems", func() error {
			return errOf(f.svc.ListUsers(f.ctx, &api.ListUsersInput{MaxItems: ptr.Of(int32(0))}))
		}, "ValidationError"},
		{"ListUsers bad Marker", func() error {
			return errOf(f.svc.ListUsers(f.ctx, &api.ListUsersInput{Marker: ptr.Of("!!")}))
		}, "ValidationError"},
		{"TagUser missing", func() error {
			return errOf(f.svc.TagUser(f.ctx, &api.TagUserInput{UserName: missing, Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}}}))
		}, "NoSuchEntity"},
		{"UntagUser missing", func() error {
			return errOf(f.svc.UntagUser(f.ctx, &api.UntagUserInput{UserName: missing, TagKeys: []string{"k"}}))
		}, "NoSuchEntity"},
		{"ListUserTags missing", func() error {
			return errOf(f.svc.ListUserTags(f.ctx, &api.ListUserTagsInput{UserName: missing}))
		}, "NoSuchEntity"},
		{"PutUserPermissionsBoundary no policy", func() error {
			return errOf(f.svc.PutUserPermissionsBoundary(f.ctx, &api.PutUserPermissionsBoundaryInput{UserName: ptr.Of("taken"),
				PermissionsBoundary: ptr.Of("arn:aws:iam::123456789012:policy/nope")}))
		}, "NoSuchEntity"},
		{"DeleteUserPermissionsBoundary missing", func() error {
			return errOf(f.svc.DeleteUserPermissionsBoundary(f.ctx, &api.DeleteUserPermissionsBoundaryInput{UserName: missing}))
		}, "NoSuchEntity"},
	})
}
