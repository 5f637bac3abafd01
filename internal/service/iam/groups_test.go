package iam_test

import (
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestGroupLifecycle(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateGroup(f.ctx, &api.CreateGroupInput{GroupName: ptr.Of("devs"), Path: ptr.Of("/eng/")})
	f.ok(err)
	g := out.Group
	if str(g.GroupName) != "devs" || str(g.Arn) != "arn:aws:iam::123456789012:group/eng/devs" || str(g.GroupId) == "" || g.CreateDate == nil {
		t.Fatalf("CreateGroup = %+v", g)
	}
	for _, n := range []string{"u1", "u2", "u3"} {
		f.createUser(n)
		f.ok(errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("devs"), UserName: ptr.Of(n)})))
	}

	get, err := f.svc.GetGroup(f.ctx, &api.GetGroupInput{GroupName: ptr.Of("devs"), MaxItems: ptr.Of(int32(2))})
	f.ok(err)
	if str(get.Group.GroupId) != str(g.GroupId) || len(get.Users) != 2 || !*get.IsTruncated || get.Marker == nil {
		t.Fatalf("GetGroup page 1 = %+v", get)
	}
	get, err = f.svc.GetGroup(f.ctx, &api.GetGroupInput{GroupName: ptr.Of("devs"), Marker: get.Marker})
	f.ok(err)
	if len(get.Users) != 1 || *get.IsTruncated {
		t.Fatalf("GetGroup page 2 = %+v", get)
	}

	fg, err := f.svc.ListGroupsForUser(f.ctx, &api.ListGroupsForUserInput{UserName: ptr.Of("u1")})
	f.ok(err)
	if len(fg.Groups) != 1 || str(fg.Groups[0].GroupName) != "devs" || *fg.IsTruncated {
		t.Fatalf("ListGroupsForUser = %+v", fg)
	}

	f.ok(errOf(f.svc.UpdateGroup(f.ctx, &api.UpdateGroupInput{GroupName: ptr.Of("devs"), NewGroupName: ptr.Of("builders"), NewPath: ptr.Of("/")})))
	list, err := f.svc.ListGroups(f.ctx, &api.ListGroupsInput{})
	f.ok(err)
	if len(list.Groups) != 1 || str(list.Groups[0].GroupName) != "builders" || str(list.Groups[0].Path) != "/" {
		t.Fatalf("ListGroups = %+v", list.Groups)
	}

	for _, n := range []string{"u1", "u2", "u3"} {
		f.ok(errOf(f.svc.RemoveUserFromGroup(f.ctx, &api.RemoveUserFromGroupInput{GroupName: ptr.Of("builders"), UserName: ptr.Of(n)})))
	}
	fg, err = f.svc.ListGroupsForUser(f.ctx, &api.ListGroupsForUserInput{UserName: ptr.Of("u1")})
	f.ok(err)
	if fg.Groups == nil || len(fg.Groups) != 0 {
		t.Fatalf("ListGroupsForUser after removal = %#v", fg.Groups)
	}
	f.ok(errOf(f.svc.DeleteGroup(f.ctx, &api.DeleteGroupInput{GroupName: ptr.Of("builders")})))
	list, err = f.svc.ListGroups(f.ctx, &api.ListGroupsInput{})
	f.ok(err)
	if list.Groups == nil || len(list.Groups) != 0 {
		t.Fatalf("ListGroups after delete = %#v", list.Groups)
	}
}

func TestGroupErrors(t *testing.T) {
	f := newFixture(t)
	f.createGroup("g")
	f.createUser("u")
	f.ok(errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("g"), UserName: ptr.Of("u")})))
	missing := ptr.Of("missing")
	runErrCases(t, []errCase{
		{"CreateGroup exists", func() error { return errOf(f.svc.CreateGroup(f.ctx, &api.CreateGroupInput{GroupName: ptr.Of("G")})) }, "EntityAlreadyExists"},
		{"GetGroup missing", func() error { return errOf(f.svc.GetGroup(f.ctx, &api.GetGroupInput{GroupName: missing})) }, "NoSuchEntity"},
		{"UpdateGroup missing", func() error {
			return errOf(f.svc.UpdateGroup(f.ctx, &api.UpdateGroupInput{GroupName: missing, NewGroupName: ptr.Of("x")}))
		}, "NoSuchEntity"},
		{"DeleteGroup with members", func() error { return errOf(f.svc.DeleteGroup(f.ctx, &api.DeleteGroupInput{GroupName: ptr.Of("g")})) }, "DeleteConflict"},
		{"ListGroups bad prefix", func() error {
			return errOf(f.svc.ListGroups(f.ctx, &api.ListGroupsInput{PathPrefix: ptr.Of("no-slash")}))
		}, "ValidationError"},
		{"AddUserToGroup no user", func() error {
			return errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("g"), UserName: missing}))
		}, "NoSuchEntity"},
		{"RemoveUserFromGroup no group", func() error {
			return errOf(f.svc.RemoveUserFromGroup(f.ctx, &api.RemoveUserFromGroupInput{GroupName: missing, UserName: ptr.Of("u")}))
		}, "NoSuchEntity"},
		{"ListGroupsForUser missing", func() error {
			return errOf(f.svc.ListGroupsForUser(f.ctx, &api.ListGroupsForUserInput{UserName: missing}))
		}, "NoSuchEntity"},
	})
}
