package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func iamxProfileNames(ps []types.InstanceProfile) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.InstanceProfileName))
	}
	return out
}

func TestIAMInstanceProfileLifecycle(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	ip := must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web"), Path: aws.String("/fleet/")}))(t).InstanceProfile
	iamxEq(t, "Arn", aws.ToString(ip.Arn), "arn:aws:iam::000000000000:instance-profile/fleet/web")
	iamxEq(t, "Path", aws.ToString(ip.Path), "/fleet/")
	iamxEq(t, "InstanceProfileName", aws.ToString(ip.InstanceProfileName), "web")
	iamxID(t, "instance profile", ip.InstanceProfileId, "AIPA")
	iamxRecent(t, "CreateDate", ip.CreateDate)
	if ip.Roles == nil || len(ip.Roles) != 0 {
		t.Fatalf("new instance profile Roles = %#v, want an empty list", ip.Roles)
	}
	_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("WEB")})
	wantCode(t, err, "EntityAlreadyExists")

	role := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web-role"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t).Role
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("other-role"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	must(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web-role")}))(t)

	got := must(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))(t).InstanceProfile
	iamxEq(t, "GetInstanceProfile Arn", aws.ToString(got.Arn), aws.ToString(ip.Arn))
	iamxEq(t, "GetInstanceProfile Id", aws.ToString(got.InstanceProfileId), aws.ToString(ip.InstanceProfileId))
	if len(got.Roles) != 1 {
		t.Fatalf("GetInstanceProfile roles = %+v", got.Roles)
	}
	r := got.Roles[0]
	iamxEq(t, "role name", aws.ToString(r.RoleName), "web-role")
	iamxEq(t, "role Arn", aws.ToString(r.Arn), iamxARN("role", "/svc/", "web-role"))
	iamxEq(t, "role Id", aws.ToString(r.RoleId), aws.ToString(role.RoleId))
	iamxWantDoc(t, "role trust", r.AssumeRolePolicyDocument, iamxTrust)

	// An instance profile holds one role.
	_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("other-role")})
	wantCode(t, err, "LimitExceeded")

	// Neither the role nor the profile can be deleted while linked.
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web-role")})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantCode(t, err, "DeleteConflict")

	must(c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web-role")}))(t)
	got = must(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))(t).InstanceProfile
	if len(got.Roles) != 0 {
		t.Fatalf("roles after remove = %+v", got.Roles)
	}
	fr := must(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("web-role")}))(t)
	if len(fr.InstanceProfiles) != 0 || fr.IsTruncated {
		t.Fatalf("ListInstanceProfilesForRole after remove = %v", iamxProfileNames(fr.InstanceProfiles))
	}

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"remove a role that is not in the profile", func() error {
			_, err := c.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("web-role")})
			return err
		}, "NoSuchEntity"},
		{"add to unknown profile", func() error {
			_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("nope"), RoleName: aws.String("web-role")})
			return err
		}, "NoSuchEntity"},
		{"add unknown role", func() error {
			_, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"list profiles of unknown role", func() error {
			_, err := c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"get unknown profile", func() error {
			_, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"create with invalid path", func() error {
			_, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("x"), Path: aws.String("fleet/")})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	must(c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")}))(t)
	_, err = c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantCode(t, err, "NoSuchEntity")
	// Free again, the role can be deleted.
	must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("web-role")}))(t)
}

func TestIAMListInstanceProfiles(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("shared"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	for _, p := range []struct{ name, path string }{{"gamma", "/a/"}, {"Alpha", "/"}, {"beta", "/a/b/"}, {"delta", "/"}} {
		must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(p.name), Path: aws.String(p.path)}))(t)
	}
	// A role can be in several instance profiles.
	for _, p := range []string{"gamma", "beta", "Alpha"} {
		must(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(p), RoleName: aws.String("shared")}))(t)
	}

	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"Alpha", "beta", "delta", "gamma"}},
		{"/a/", []string{"beta", "gamma"}},
		{"/a/b/", []string{"beta"}},
		{"/z/", nil},
	}
	for _, tt := range tests {
		t.Run("prefix "+tt.prefix, func(t *testing.T) {
			in := &iam.ListInstanceProfilesInput{}
			if tt.prefix != "" {
				in.PathPrefix = aws.String(tt.prefix)
			}
			out := must(c.ListInstanceProfiles(ctx, in))(t)
			iamxList(t, "ListInstanceProfiles", iamxProfileNames(out.InstanceProfiles), tt.want)
			for _, p := range out.InstanceProfiles {
				iamxEq(t, "Arn", aws.ToString(p.Arn), iamxARN("instance-profile", aws.ToString(p.Path), aws.ToString(p.InstanceProfileName)))
				iamxID(t, "listed profile", p.InstanceProfileId, "AIPA")
				wantRoles := 1
				if aws.ToString(p.InstanceProfileName) == "delta" {
					wantRoles = 0
				}
				if len(p.Roles) != wantRoles {
					t.Errorf("profile %s has roles %+v", aws.ToString(p.InstanceProfileName), p.Roles)
				}
				for _, r := range p.Roles {
					iamxEq(t, "role in profile", aws.ToString(r.Arn), iamxARN("role", "/", "shared"))
				}
			}
		})
	}
	names, sizes := iamxPages(t, 3, func(m *string) iamxPage {
		out := must(c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{MaxItems: aws.Int32(3), Marker: m}))(t)
		return iamxPage{iamxProfileNames(out.InstanceProfiles), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged ListInstanceProfiles", names, []string{"Alpha", "beta", "delta", "gamma"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[3 1]")

	fr := must(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("shared")}))(t)
	iamxList(t, "ListInstanceProfilesForRole", iamxSorted(iamxProfileNames(fr.InstanceProfiles)), []string{"Alpha", "beta", "gamma"})
	for _, p := range fr.InstanceProfiles {
		if len(p.Roles) != 1 || aws.ToString(p.Roles[0].RoleName) != "shared" {
			t.Errorf("profile %s roles = %+v", aws.ToString(p.InstanceProfileName), p.Roles)
		}
	}
	paged, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("shared"), MaxItems: aws.Int32(2), Marker: m}))(t)
		return iamxPage{iamxProfileNames(out.InstanceProfiles), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged ListInstanceProfilesForRole", iamxSorted(paged), []string{"Alpha", "beta", "gamma"})
	iamxEq(t, "pages for role", fmt.Sprint(sizes), "[2 1]")
}
