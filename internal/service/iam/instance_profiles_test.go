package iam_test

import (
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestInstanceProfiles(t *testing.T) {
	f := newFixture(t)
	f.createRole("r")
	out, err := f.svc.CreateInstanceProfile(f.ctx, &api.CreateInstanceProfileInput{
		InstanceProfileName: ptr.Of("web"), Path: ptr.Of("/ec2/"), Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}},
	})
	f.ok(err)
	p := out.InstanceProfile
	if str(p.Arn) != "arn:aws:iam::123456789012:instance-profile/ec2/web" || str(p.InstanceProfileId) == "" ||
		p.Roles == nil || len(p.Roles) != 0 || len(p.Tags) != 1 {
		t.Fatalf("CreateInstanceProfile = %+v", p)
	}
	f.ok(errOf(f.svc.CreateInstanceProfile(f.ctx, &api.CreateInstanceProfileInput{InstanceProfileName: ptr.Of("worker")})))
	f.ok(errOf(f.svc.AddRoleToInstanceProfile(f.ctx, &api.AddRoleToInstanceProfileInput{InstanceProfileName: ptr.Of("web"), RoleName: ptr.Of("r")})))

	got, err := f.svc.GetInstanceProfile(f.ctx, &api.GetInstanceProfileInput{InstanceProfileName: ptr.Of("web")})
	f.ok(err)
	if len(got.InstanceProfile.Roles) != 1 || str(got.InstanceProfile.Roles[0].RoleName) != "r" {
		t.Fatalf("GetInstanceProfile roles = %+v", got.InstanceProfile.Roles)
	}
	if doc := str(got.InstanceProfile.Roles[0].AssumeRolePolicyDocument); doc == "" || doc[0] != '%' {
		t.Fatalf("role trust in instance profile not URL-encoded: %q", doc)
	}

	list, err := f.svc.ListInstanceProfiles(f.ctx, &api.ListInstanceProfilesInput{MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(list.InstanceProfiles) != 1 || !*list.IsTruncated || list.InstanceProfiles[0].Tags != nil {
		t.Fatalf("ListInstanceProfiles page 1 = %+v", list)
	}
	list, err = f.svc.ListInstanceProfiles(f.ctx, &api.ListInstanceProfilesInput{Marker: list.Marker})
	f.ok(err)
	if len(list.InstanceProfiles) != 1 || *list.IsTruncated {
		t.Fatalf("ListInstanceProfiles page 2 = %+v", list)
	}
	fr, err := f.svc.ListInstanceProfilesForRole(f.ctx, &api.ListInstanceProfilesForRoleInput{RoleName: ptr.Of("r")})
	f.ok(err)
	if len(fr.InstanceProfiles) != 1 || str(fr.InstanceProfiles[0].InstanceProfileName) != "web" {
		t.Fatalf("ListInstanceProfilesForRole = %+v", fr.InstanceProfiles)
	}

	f.ok(errOf(f.svc.TagInstanceProfile(f.ctx, &api.TagInstanceProfileInput{InstanceProfileName: ptr.Of("web"), Tags: []api.Tag{{Key: ptr.Of("k2"), Value: ptr.Of("v2")}}})))
	f.ok(errOf(f.svc.UntagInstanceProfile(f.ctx, &api.UntagInstanceProfileInput{InstanceProfileName: ptr.Of("web"), TagKeys: []string{"k"}})))
	tags, err := f.svc.ListInstanceProfileTags(f.ctx, &api.ListInstanceProfileTagsInput{InstanceProfileName: ptr.Of("web")})
	f.ok(err)
	if len(tags.Tags) != 1 || str(tags.Tags[0].Key) != "k2" {
		t.Fatalf("ListInstanceProfileTags = %+v", tags.Tags)
	}

	wantCode(t, errOf(f.svc.DeleteInstanceProfile(f.ctx, &api.DeleteInstanceProfileInput{InstanceProfileName: ptr.Of("web")})), "DeleteConflict")
	f.ok(errOf(f.svc.RemoveRoleFromInstanceProfile(f.ctx, &api.RemoveRoleFromInstanceProfileInput{InstanceProfileName: ptr.Of("web"), RoleName: ptr.Of("r")})))
	f.ok(errOf(f.svc.DeleteInstanceProfile(f.ctx, &api.DeleteInstanceProfileInput{InstanceProfileName: ptr.Of("web")})))
	wantCode(t, errOf(f.svc.GetInstanceProfile(f.ctx, &api.GetInstanceProfileInput{InstanceProfileName: ptr.Of("web")})), "NoSuchEntity")
}

func TestInstanceProfileErrors(t *testing.T) {
	f := newFixture(t)
	f.ok(errOf(f.svc.CreateInstanceProfile(f.ctx, &api.CreateInstanceProfileInput{InstanceProfileName: ptr.Of("ip")})))
	missing := ptr.Of("missing")
	runErrCases(t, []errCase{
		{"CreateInstanceProfile exists", func() error {
			return errOf(f.svc.CreateInstanceProfile(f.ctx, &api.CreateInstanceProfileInput{InstanceProfileName: ptr.Of("ip")}))
		}, "EntityAlreadyExists"},
		{"DeleteInstanceProfile missing", func() error {
			return errOf(f.svc.DeleteInstanceProfile(f.ctx, &api.DeleteInstanceProfileInput{InstanceProfileName: missing}))
		}, "NoSuchEntity"},
		{"ListInstanceProfiles bad MaxItems", func() error {
			return errOf(f.svc.ListInstanceProfiles(f.ctx, &api.ListInstanceProfilesInput{MaxItems: ptr.Of(int32(-1))}))
		}, "ValidationError"},
		{"AddRoleToInstanceProfile no role", func() error {
			return errOf(f.svc.AddRoleToInstanceProfile(f.ctx, &api.AddRoleToInstanceProfileInput{InstanceProfileName: ptr.Of("ip"), RoleName: missing}))
		}, "NoSuchEntity"},
		{"RemoveRoleFromInstanceProfile no profile", func() error {
			return errOf(f.svc.RemoveRoleFromInstanceProfile(f.ctx, &api.RemoveRoleFromInstanceProfileInput{InstanceProfileName: missing, RoleName: ptr.Of("r")}))
		}, "NoSuchEntity"},
		{"ListInstanceProfilesForRole no role", func() error {
			return errOf(f.svc.ListInstanceProfilesForRole(f.ctx, &api.ListInstanceProfilesForRoleInput{RoleName: missing}))
		}, "NoSuchEntity"},
		{"TagInstanceProfile missing", func() error {
			return errOf(f.svc.TagInstanceProfile(f.ctx, &api.TagInstanceProfileInput{InstanceProfileName: missing, Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}}}))
		}, "NoSuchEntity"},
		{"UntagInstanceProfile missing", func() error {
			return errOf(f.svc.UntagInstanceProfile(f.ctx, &api.UntagInstanceProfileInput{InstanceProfileName: missing, TagKeys: []string{"k"}}))
		}, "NoSuchEntity"},
		{"ListInstanceProfileTags missing", func() error {
			return errOf(f.svc.ListInstanceProfileTags(f.ctx, &api.ListInstanceProfileTagsInput{InstanceProfileName: missing}))
		}, "NoSuchEntity"},
	})
}
