package iam_test

import (
	"net/url"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestRoleLifecycle(t *testing.T) {
	f := newFixture(t)
	boundary := f.createPolicy("boundary")
	out, err := f.svc.CreateRole(f.ctx, &api.CreateRoleInput{
		RoleName: ptr.Of("app"), Path: ptr.Of("/svc/"), AssumeRolePolicyDocument: ptr.Of(trustDoc),
		Description: ptr.Of("the app"), MaxSessionDuration: ptr.Of(int32(7200)), PermissionsBoundary: ptr.Of(boundary),
		Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}},
	})
	f.ok(err)
	r := out.Role
	if str(r.Arn) != "arn:aws:iam::123456789012:role/svc/app" || str(r.RoleId) == "" || str(r.Description) != "the app" ||
		r.MaxSessionDuration != nil || r.PermissionsBoundary == nil || len(r.Tags) != 1 || r.RoleLastUsed != nil {
		t.Fatalf("CreateRole = %+v (AWS's response has no MaxSessionDuration or RoleLastUsed)", r)
	}
	if doc, _ := url.QueryUnescape(str(r.AssumeRolePolicyDocument)); doc != trustDoc {
		t.Fatalf("CreateRole trust = %q", doc)
	}

	got, err := f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")})
	f.ok(err)
	if got.Role.RoleLastUsed == nil || got.Role.RoleLastUsed.LastUsedDate != nil {
		t.Fatalf("GetRole RoleLastUsed of an unused role = %+v, want empty", got.Role.RoleLastUsed)
	}
	if ptr.Value(got.Role.MaxSessionDuration) != 7200 {
		t.Fatalf("GetRole MaxSessionDuration = %v, want 7200", got.Role.MaxSessionDuration)
	}
	f.ok(f.dom.RecordRoleUse(f.ctx, acct, "app", "eu-central-1", epoch()))
	got, err = f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")})
	f.ok(err)
	if lu := got.Role.RoleLastUsed; lu == nil || str(lu.Region) != "eu-central-1" || lu.LastUsedDate == nil {
		t.Fatalf("GetRole RoleLastUsed = %+v", got.Role.RoleLastUsed)
	}

	f.ok(errOf(f.svc.UpdateRole(f.ctx, &api.UpdateRoleInput{RoleName: ptr.Of("app"), MaxSessionDuration: ptr.Of(int32(3600))})))
	ud, err := f.svc.UpdateRoleDescription(f.ctx, &api.UpdateRoleDescriptionInput{RoleName: ptr.Of("app"), Description: ptr.Of("new")})
	f.ok(err)
	if str(ud.Role.Description) != "new" || ud.Role.MaxSessionDuration != nil || ud.Role.RoleLastUsed != nil {
		t.Fatalf("UpdateRoleDescription = %+v", ud.Role)
	}
	if got, err := f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")}); err != nil || ptr.Value(got.Role.MaxSessionDuration) != 3600 {
		t.Fatalf("GetRole after UpdateRole = %v, %v", got, err)
	}
	f.ok(errOf(f.svc.UpdateAssumeRolePolicy(f.ctx, &api.UpdateAssumeRolePolicyInput{RoleName: ptr.Of("app"), PolicyDocument: ptr.Of(denyDoc)})))
	got, err = f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")})
	f.ok(err)
	if doc, _ := url.QueryUnescape(str(got.Role.AssumeRolePolicyDocument)); doc != denyDoc {
		t.Fatalf("trust after UpdateAssumeRolePolicy = %q", doc)
	}

	f.createRole("other")
	list, err := f.svc.ListRoles(f.ctx, &api.ListRolesInput{MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(list.Roles) != 1 || str(list.Roles[0].RoleName) != "app" || !*list.IsTruncated {
		t.Fatalf("ListRoles page 1 = %+v", list)
	}
	lr := list.Roles[0]
	if lr.Tags != nil || lr.PermissionsBoundary != nil || lr.RoleLastUsed != nil || str(lr.Description) != "new" || lr.AssumeRolePolicyDocument == nil {
		t.Fatalf("ListRoles member = %+v", lr)
	}
	list, err = f.svc.ListRoles(f.ctx, &api.ListRolesInput{Marker: list.Marker})
	f.ok(err)
	if len(list.Roles) != 1 || str(list.Roles[0].RoleName) != "other" || *list.IsTruncated {
		t.Fatalf("ListRoles page 2 = %+v", list)
	}

	f.ok(errOf(f.svc.TagRole(f.ctx, &api.TagRoleInput{RoleName: ptr.Of("app"), Tags: []api.Tag{{Key: ptr.Of("k2"), Value: ptr.Of("v2")}}})))
	f.ok(errOf(f.svc.UntagRole(f.ctx, &api.UntagRoleInput{RoleName: ptr.Of("app"), TagKeys: []string{"k"}})))
	tags, err := f.svc.ListRoleTags(f.ctx, &api.ListRoleTagsInput{RoleName: ptr.Of("app")})
	f.ok(err)
	if len(tags.Tags) != 1 || str(tags.Tags[0].Key) != "k2" || *tags.IsTruncated {
		t.Fatalf("ListRoleTags = %+v", tags)
	}

	f.ok(errOf(f.svc.DeleteRolePermissionsBoundary(f.ctx, &api.DeleteRolePermissionsBoundaryInput{RoleName: ptr.Of("app")})))
	f.ok(errOf(f.svc.PutRolePermissionsBoundary(f.ctx, &api.PutRolePermissionsBoundaryInput{RoleName: ptr.Of("app"), PermissionsBoundary: ptr.Of(boundary)})))
	got, err = f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")})
	f.ok(err)
	if got.Role.PermissionsBoundary == nil || str(got.Role.PermissionsBoundary.PermissionsBoundaryArn) != boundary {
		t.Fatalf("boundary = %+v", got.Role.PermissionsBoundary)
	}

	f.ok(errOf(f.svc.DeleteRole(f.ctx, &api.DeleteRoleInput{RoleName: ptr.Of("app")})))
	wantCode(t, errOf(f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("app")})), "NoSuchEntity")
}

func TestRoleErrors(t *testing.T) {
	f := newFixture(t)
	f.createRole("r")
	f.ok(errOf(f.svc.PutRolePolicy(f.ctx, &api.PutRolePolicyInput{RoleName: ptr.Of("r"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(allowDoc)})))
	missing := ptr.Of("missing")
	runErrCases(t, []errCase{
		{"CreateRole exists", func() error {
			return errOf(f.svc.CreateRole(f.ctx, &api.CreateRoleInput{RoleName: ptr.Of("R"), AssumeRolePolicyDocument: ptr.Of(trustDoc)}))
		}, "EntityAlreadyExists"},
		{"CreateRole bad trust", func() error {
			return errOf(f.svc.CreateRole(f.ctx, &api.CreateRoleInput{RoleName: ptr.Of("x"), AssumeRolePolicyDocument: ptr.Of("nope")}))
		}, "MalformedPolicyDocument"},
		{"GetRole missing", func() error { return errOf(f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: missing})) }, "NoSuchEntity"},
		{"UpdateRole bad duration", func() error {
			return errOf(f.svc.UpdateRole(f.ctx, &api.UpdateRoleInput{RoleName: ptr.Of("r"), MaxSessionDuration: ptr.Of(int32(60))}))
		}, "ValidationError"},
		{"UpdateRoleDescription missing", func() error {
			return errOf(f.svc.UpdateRoleDescription(f.ctx, &api.UpdateRoleDescriptionInput{RoleName: missing, Description: ptr.Of("d")}))
		}, "NoSuchEntity"},
		{"UpdateAssumeRolePolicy missing", func() error {
			return errOf(f.svc.UpdateAssumeRolePolicy(f.ctx, &api.UpdateAssumeRolePolicyInput{RoleName: missing, PolicyDocument: ptr.Of(trustDoc)}))
		}, "NoSuchEntity"},
		{"DeleteRole with inline policy", func() error { return errOf(f.svc.DeleteRole(f.ctx, &api.DeleteRoleInput{RoleName: ptr.Of("r")})) }, "DeleteConflict"},
		{"ListRoles bad MaxItems", func() error {
			return errOf(f.svc.ListRoles(f.ctx, &api.ListRolesInput{MaxItems: ptr.Of(int32(1001))}))
		}, "ValidationError"},
		{"PutRolePermissionsBoundary missing role", func() error {
			return errOf(f.svc.PutRolePermissionsBoundary(f.ctx, &api.PutRolePermissionsBoundaryInput{RoleName: missing,
				PermissionsBoundary: ptr.Of("arn:aws:iam::123456789012:policy/b")}))
		}, "NoSuchEntity"},
		{"DeleteRolePermissionsBoundary missing role", func() error {
			return errOf(f.svc.DeleteRolePermissionsBoundary(f.ctx, &api.DeleteRolePermissionsBoundaryInput{RoleName: missing}))
		}, "NoSuchEntity"},
		{"TagRole missing", func() error {
			return errOf(f.svc.TagRole(f.ctx, &api.TagRoleInput{RoleName: missing, Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}}}))
		}, "NoSuchEntity"},
		{"UntagRole missing", func() error {
			return errOf(f.svc.UntagRole(f.ctx, &api.UntagRoleInput{RoleName: missing, TagKeys: []string{"k"}}))
		}, "NoSuchEntity"},
		{"ListRoleTags missing", func() error { return errOf(f.svc.ListRoleTags(f.ctx, &api.ListRoleTagsInput{RoleName: missing})) }, "NoSuchEntity"},
	})
}
