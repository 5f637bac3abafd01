package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func iamxPolicyNames(ps []types.Policy) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.PolicyName))
	}
	return out
}

func TestIAMGetPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	created := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{
		PolicyName: aws.String("reader"), Path: aws.String("/team/"), PolicyDocument: aws.String(bucketPolicy),
		Description: aws.String("reads the bucket"), Tags: iamxTags("owner", "data"),
	}))(t).Policy
	iamxEq(t, "CreatePolicy Arn", aws.ToString(created.Arn), "arn:aws:iam::000000000000:policy/team/reader")
	iamxID(t, "policy", created.PolicyId, "ANPA")
	iamxRecent(t, "CreateDate", created.CreateDate)
	iamxRecent(t, "UpdateDate", created.UpdateDate)

	p := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: created.Arn}))(t).Policy
	iamxEq(t, "PolicyName", aws.ToString(p.PolicyName), "reader")
	iamxEq(t, "PolicyId", aws.ToString(p.PolicyId), aws.ToString(created.PolicyId))
	iamxEq(t, "Arn", aws.ToString(p.Arn), aws.ToString(created.Arn))
	iamxEq(t, "Path", aws.ToString(p.Path), "/team/")
	iamxEq(t, "DefaultVersionId", aws.ToString(p.DefaultVersionId), "v1")
	iamxEq(t, "AttachmentCount", aws.ToInt32(p.AttachmentCount), 0)
	iamxEq(t, "PermissionsBoundaryUsageCount", aws.ToInt32(p.PermissionsBoundaryUsageCount), 0)
	iamxEq(t, "IsAttachable", p.IsAttachable, true)
	iamxEq(t, "Description", aws.ToString(p.Description), "reads the bucket")
	iamxEq(t, "CreateDate", aws.ToTime(p.CreateDate), aws.ToTime(created.CreateDate))
	iamxList(t, "Tags", iamxTagPairs(p.Tags), []string{"owner=data"})

	tests := []struct {
		name string
		arn  string
		code string
	}{
		{"unknown policy", iamxARN("policy", "/", "nope"), "NoSuchEntity"},
		{"right name, wrong path", iamxARN("policy", "/", "reader"), "NoSuchEntity"},
		{"not an ARN", "longpolicynamebutnoarn", "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(tt.arn)})
			wantCode(t, err, tt.code)
		})
	}

	_, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("READER"), PolicyDocument: aws.String(bucketPolicy)})
	wantCode(t, err, "EntityAlreadyExists")
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("big"), PolicyDocument: aws.String(iamxBigPolicy(6200))})
	wantCode(t, err, "LimitExceeded")
}

func TestIAMListPolicies(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	arn := map[string]*string{}
	for _, p := range []struct{ name, path string }{{"delta", "/"}, {"Alpha", "/a/"}, {"charlie", "/a/b/"}, {"bravo", "/"}, {"echo", "/e/"}} {
		out := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(p.name), Path: aws.String(p.path),
			PolicyDocument: aws.String(iamxPolicy("s3:GetObject")), Description: aws.String("d"), Tags: iamxTags("k", "v")}))(t).Policy
		arn[p.name] = out.Arn
	}
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: arn["bravo"]}))(t)
	must(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: arn["echo"]}))(t)

	all := []string{"Alpha", "bravo", "charlie", "delta", "echo"}
	tests := []struct {
		name string
		in   iam.ListPoliciesInput
		want []string
	}{
		{"local", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}, all},
		// Scope defaults to All, which also lists the AWS managed policies; none is attached.
		{"all scopes", iam.ListPoliciesInput{OnlyAttached: true}, []string{"bravo", "echo"}},
		{"path /a/", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String("/a/")}, []string{"Alpha", "charlie"}},
		{"path /a/b/", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, PathPrefix: aws.String("/a/b/")}, []string{"charlie"}},
		{"only attached", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, OnlyAttached: true}, []string{"bravo", "echo"}},
		{"only attached as permissions policy", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, OnlyAttached: true, PolicyUsageFilter: types.PolicyUsageTypePermissionsPolicy}, []string{"bravo"}},
		{"only attached as boundary", iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, OnlyAttached: true, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}, []string{"echo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			out := must(c.ListPolicies(ctx, &in))(t)
			iamxList(t, "ListPolicies", iamxPolicyNames(out.Policies), tt.want)
			if out.IsTruncated || out.Marker != nil {
				t.Fatalf("IsTruncated=%v Marker=%v", out.IsTruncated, out.Marker)
			}
			for _, p := range out.Policies {
				iamxEq(t, "Arn", aws.ToString(p.Arn), iamxARN("policy", aws.ToString(p.Path), aws.ToString(p.PolicyName)))
				iamxID(t, "listed policy", p.PolicyId, "ANPA")
				iamxEq(t, "DefaultVersionId", aws.ToString(p.DefaultVersionId), "v1")
				iamxRecent(t, "UpdateDate", p.UpdateDate)
				// ListPolicies leaves out the description and the tags.
				if p.Description != nil || len(p.Tags) != 0 {
					t.Errorf("ListPolicies shows description or tags of %s", aws.ToString(p.PolicyName))
				}
			}
		})
	}
	counts := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, OnlyAttached: true}))(t).Policies
	iamxEq(t, "bravo AttachmentCount", aws.ToInt32(counts[0].AttachmentCount), 1)
	iamxEq(t, "echo PermissionsBoundaryUsageCount", aws.ToInt32(counts[1].PermissionsBoundaryUsageCount), 1)

	names, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal, MaxItems: aws.Int32(2), Marker: m}))(t)
		return iamxPage{iamxPolicyNames(out.Policies), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged ListPolicies", names, all)
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 2 1]")

	_, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: "Everything"})
	wantCode(t, err, "ValidationError")
	_, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{MaxItems: aws.Int32(1001)})
	wantCode(t, err, "ValidationError")
}

func TestIAMPolicyVersionsListAndDefault(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("evolving"), PolicyDocument: aws.String(iamxPolicy("s3:GetObject"))}))(t).Policy
	docs := map[string]string{"v1": iamxPolicy("s3:GetObject"), "v2": iamxPolicy("s3:PutObject"), "v3": iamxPolicy("s3:DeleteObject")}
	v2 := must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(docs["v2"])}))(t).PolicyVersion
	iamxEq(t, "v2 VersionId", aws.ToString(v2.VersionId), "v2")
	iamxEq(t, "v2 IsDefaultVersion", v2.IsDefaultVersion, false)
	iamxRecent(t, "v2 CreateDate", v2.CreateDate)
	must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(docs["v3"])}))(t)

	versions := func() ([]string, string) {
		t.Helper()
		out := must(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: p.Arn}))(t)
		var ids []string
		def := ""
		for _, v := range out.Versions {
			ids = append(ids, aws.ToString(v.VersionId))
			if v.IsDefaultVersion {
				if def != "" {
					t.Fatalf("two default versions: %s and %s", def, aws.ToString(v.VersionId))
				}
				def = aws.ToString(v.VersionId)
			}
			iamxRecent(t, "version CreateDate", v.CreateDate)
			if v.Document != nil {
				t.Fatalf("ListPolicyVersions returned the document of %s", aws.ToString(v.VersionId))
			}
		}
		return ids, def
	}
	// Newest first.
	ids, def := versions()
	iamxList(t, "ListPolicyVersions", ids, []string{"v3", "v2", "v1"})
	iamxEq(t, "default", def, "v1")
	paged, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: p.Arn, MaxItems: aws.Int32(2), Marker: m}))(t)
		var n []string
		for _, v := range out.Versions {
			n = append(n, aws.ToString(v.VersionId))
		}
		return iamxPage{n, out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged versions", paged, []string{"v3", "v2", "v1"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")

	must(c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v2")}))(t)
	_, def = versions()
	iamxEq(t, "default after SetDefaultPolicyVersion", def, "v2")
	got := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn}))(t).Policy
	iamxEq(t, "GetPolicy DefaultVersionId", aws.ToString(got.DefaultVersionId), "v2")
	for id, doc := range docs {
		v := must(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String(id)}))(t).PolicyVersion
		iamxWantDoc(t, "version "+id, v.Document, doc)
		iamxEq(t, "IsDefaultVersion of "+id, v.IsDefaultVersion, id == "v2")
	}

	// The default version cannot be deleted; v1 now can. Version numbers are never reused.
	_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v2")})
	wantCode(t, err, "DeleteConflict")
	must(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")}))(t)
	v4 := must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(bucketPolicy), SetAsDefault: true}))(t).PolicyVersion
	iamxEq(t, "new version after a delete", aws.ToString(v4.VersionId), "v4")
	iamxEq(t, "v4 IsDefaultVersion", v4.IsDefaultVersion, true)
	ids, def = versions()
	iamxList(t, "versions after delete and create", ids, []string{"v4", "v3", "v2"})
	iamxEq(t, "default", def, "v4")

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"set a deleted version as default", func() error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")})
			return err
		}, "NoSuchEntity"},
		{"set default on unknown policy", func() error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(iamxARN("policy", "/", "nope")), VersionId: aws.String("v1")})
			return err
		}, "NoSuchEntity"},
		{"set default with a malformed version ID", func() error {
			_, err := c.SetDefaultPolicyVersion(ctx, &iam.SetDefaultPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("version2")})
			return err
		}, "ValidationError"},
		{"get a deleted version", func() error {
			_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")})
			return err
		}, "NoSuchEntity"},
		{"list versions of unknown policy", func() error {
			_, err := c.ListPolicyVersions(ctx, &iam.ListPolicyVersionsInput{PolicyArn: aws.String(iamxARN("policy", "/", "nope"))})
			return err
		}, "NoSuchEntity"},
		{"delete a deleted version", func() error {
			_, err := c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")})
			return err
		}, "NoSuchEntity"},
		{"new version with a malformed document", func() error {
			_, err := c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: p.Arn, PolicyDocument: aws.String(`{"Version":"2012-10-17"}`)})
			return err
		}, "MalformedPolicyDocument"},
		{"delete a policy with several versions", func() error {
			_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Arn})
			return err
		}, "DeleteConflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	// With only its default version left, the policy can be deleted.
	for _, v := range []string{"v3", "v2"} {
		must(c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String(v)}))(t)
	}
	ids, _ = versions()
	iamxList(t, "versions before DeletePolicy", ids, []string{"v4"})
	must(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Arn}))(t)
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Arn})
	wantCode(t, err, "NoSuchEntity")
	list := must(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}))(t)
	if len(list.Policies) != 0 {
		t.Fatalf("ListPolicies after delete = %v", iamxPolicyNames(list.Policies))
	}
}

func TestIAMListEntitiesForPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("shared"), PolicyDocument: aws.String(bucketPolicy)}))(t).Policy
	ids := map[string]string{}
	for _, u := range []struct{ name, path string }{{"u1", "/eng/"}, {"u2", "/"}, {"u3", "/eng/"}} {
		out := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u.name), Path: aws.String(u.path)}))(t).User
		ids[u.name] = aws.ToString(out.UserId)
	}
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u1"), PolicyArn: p.Arn}))(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u2"), PolicyArn: p.Arn}))(t)
	// u3 only has the policy as its permissions boundary.
	must(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u3"), PermissionsBoundary: p.Arn}))(t)
	g := must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("grp"), Path: aws.String("/eng/")}))(t).Group
	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("grp"), PolicyArn: p.Arn}))(t)
	r := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("rl"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t).Role
	must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("rl"), PolicyArn: p.Arn}))(t)

	type ents struct{ users, groups, roles []string }
	collect := func(out *iam.ListEntitiesForPolicyOutput) ents {
		var e ents
		for _, u := range out.PolicyUsers {
			e.users = append(e.users, aws.ToString(u.UserName))
			iamxEq(t, "UserId of "+aws.ToString(u.UserName), aws.ToString(u.UserId), ids[aws.ToString(u.UserName)])
		}
		for _, g2 := range out.PolicyGroups {
			e.groups = append(e.groups, aws.ToString(g2.GroupName))
			iamxEq(t, "GroupId", aws.ToString(g2.GroupId), aws.ToString(g.GroupId))
		}
		for _, r2 := range out.PolicyRoles {
			e.roles = append(e.roles, aws.ToString(r2.RoleName))
			iamxEq(t, "RoleId", aws.ToString(r2.RoleId), aws.ToString(r.RoleId))
		}
		e.users = iamxSorted(e.users)
		return e
	}
	tests := []struct {
		name string
		in   iam.ListEntitiesForPolicyInput
		want ents
	}{
		{"everything", iam.ListEntitiesForPolicyInput{}, ents{[]string{"u1", "u2", "u3"}, []string{"grp"}, []string{"rl"}}},
		{"users", iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeUser}, ents{users: []string{"u1", "u2", "u3"}}},
		{"groups", iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeGroup}, ents{groups: []string{"grp"}}},
		{"roles", iam.ListEntitiesForPolicyInput{EntityFilter: types.EntityTypeRole}, ents{roles: []string{"rl"}}},
		{"path /eng/", iam.ListEntitiesForPolicyInput{PathPrefix: aws.String("/eng/")}, ents{users: []string{"u1", "u3"}, groups: []string{"grp"}}},
		{"permissions policy", iam.ListEntitiesForPolicyInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsPolicy}, ents{[]string{"u1", "u2"}, []string{"grp"}, []string{"rl"}}},
		{"permissions boundary", iam.ListEntitiesForPolicyInput{PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}, ents{users: []string{"u3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.PolicyArn = p.Arn
			out := must(c.ListEntitiesForPolicy(ctx, &in))(t)
			got := collect(out)
			iamxList(t, "users", got.users, tt.want.users)
			iamxList(t, "groups", got.groups, tt.want.groups)
			iamxList(t, "roles", got.roles, tt.want.roles)
			if out.IsTruncated {
				t.Fatal("IsTruncated")
			}
		})
	}

	// Paging walks all five entities, two at a time.
	var all []string
	_, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: p.Arn, MaxItems: aws.Int32(2), Marker: m}))(t)
		e := collect(out)
		n := append(append(append([]string{}, e.users...), e.groups...), e.roles...)
		all = append(all, n...)
		return iamxPage{n, out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged entities", iamxSorted(all), []string{"grp", "rl", "u1", "u2", "u3"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 2 1]")

	pol := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn}))(t).Policy
	iamxEq(t, "AttachmentCount", aws.ToInt32(pol.AttachmentCount), 4)
	iamxEq(t, "PermissionsBoundaryUsageCount", aws.ToInt32(pol.PermissionsBoundaryUsageCount), 1)

	_, err := c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(iamxARN("policy", "/", "nope"))})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: p.Arn, EntityFilter: "Robot"})
	wantCode(t, err, "ValidationError")

	// Detaching removes the entity from the listing.
	must(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("rl"), PolicyArn: p.Arn}))(t)
	out := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: p.Arn, EntityFilter: types.EntityTypeRole}))(t)
	if len(out.PolicyRoles) != 0 {
		t.Fatalf("roles after detach = %+v", out.PolicyRoles)
	}
}
