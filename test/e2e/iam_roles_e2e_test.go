package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func iamxRoleNames(rs []types.Role) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, aws.ToString(r.RoleName))
	}
	return out
}

func TestIAMRoleCreateGetList(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	r := must(c.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String("app"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(iamxTrust),
		Description: aws.String("the app role"), MaxSessionDuration: aws.Int32(7200), Tags: iamxTags("env", "prod"),
	}))(t).Role
	iamxEq(t, "Arn", aws.ToString(r.Arn), "arn:aws:iam::000000000000:role/svc/app")
	iamxEq(t, "Path", aws.ToString(r.Path), "/svc/")
	iamxEq(t, "RoleName", aws.ToString(r.RoleName), "app")
	iamxID(t, "role", r.RoleId, "AROA")
	iamxRecent(t, "CreateDate", r.CreateDate)
	iamxWantDoc(t, "CreateRole trust", r.AssumeRolePolicyDocument, iamxTrust)
	iamxEq(t, "Description", aws.ToString(r.Description), "the app role")
	iamxList(t, "tags", iamxTagPairs(r.Tags), []string{"env=prod"})

	got := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxEq(t, "GetRole RoleId", aws.ToString(got.RoleId), aws.ToString(r.RoleId))
	iamxEq(t, "GetRole Arn", aws.ToString(got.Arn), aws.ToString(r.Arn))
	iamxWantDoc(t, "GetRole trust", got.AssumeRolePolicyDocument, iamxTrust)
	iamxEq(t, "GetRole Description", aws.ToString(got.Description), "the app role")
	iamxEq(t, "GetRole MaxSessionDuration", aws.ToInt32(got.MaxSessionDuration), 7200)
	iamxList(t, "GetRole tags", iamxTagPairs(got.Tags), []string{"env=prod"})
	if got.RoleLastUsed == nil || got.RoleLastUsed.LastUsedDate != nil {
		t.Fatalf("GetRole RoleLastUsed of a never used role = %+v", got.RoleLastUsed)
	}
	// Role names are case-insensitive.
	got = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("APP")}))(t).Role
	iamxEq(t, "GetRole by other case", aws.ToString(got.RoleName), "app")

	// Defaults: path "/", MaxSessionDuration 3600, no description.
	d := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("batch"), AssumeRolePolicyDocument: aws.String(iamxTrustLambda)}))(t).Role
	iamxEq(t, "default Arn", aws.ToString(d.Arn), iamxARN("role", "/", "batch"))
	if d.Description != nil || len(d.Tags) != 0 {
		t.Fatalf("CreateRole defaults = %+v", d)
	}
	d = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("batch")}))(t).Role
	iamxEq(t, "default MaxSessionDuration", aws.ToInt32(d.MaxSessionDuration), 3600)
	iamxEq(t, "default Path", aws.ToString(d.Path), "/")
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("Worker"), Path: aws.String("/svc/jobs/"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)

	t.Run("list", func(t *testing.T) {
		out := must(c.ListRoles(ctx, &iam.ListRolesInput{}))(t)
		iamxList(t, "ListRoles", iamxRoleNames(out.Roles), []string{"app", "batch", "Worker"})
		for _, r := range out.Roles {
			iamxEq(t, "listed Arn", aws.ToString(r.Arn), iamxARN("role", aws.ToString(r.Path), aws.ToString(r.RoleName)))
			iamxID(t, "listed role", r.RoleId, "AROA")
			iamxDoc(t, r.AssumeRolePolicyDocument)
			if len(r.Tags) != 0 || r.PermissionsBoundary != nil || r.RoleLastUsed != nil {
				t.Errorf("ListRoles shows tags, boundary or last use of %s: %+v", aws.ToString(r.RoleName), r)
			}
		}
		svc := must(c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/svc/")}))(t)
		iamxList(t, "ListRoles /svc/", iamxRoleNames(svc.Roles), []string{"app", "Worker"})
		jobs := must(c.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: aws.String("/svc/jobs")}))(t)
		iamxList(t, "ListRoles /svc/jobs", iamxRoleNames(jobs.Roles), []string{"Worker"})
		names, sizes := iamxPages(t, 2, func(m *string) iamxPage {
			out := must(c.ListRoles(ctx, &iam.ListRolesInput{MaxItems: aws.Int32(2), Marker: m}))(t)
			return iamxPage{iamxRoleNames(out.Roles), out.IsTruncated, out.Marker}
		})
		iamxList(t, "paged ListRoles", names, []string{"app", "batch", "Worker"})
		iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")
	})

	badTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}`
	tests := []struct {
		name string
		in   *iam.CreateRoleInput
		code string
	}{
		{"duplicate name in other case", &iam.CreateRoleInput{RoleName: aws.String("APP"), AssumeRolePolicyDocument: aws.String(iamxTrust)}, "EntityAlreadyExists"},
		{"trust policy without principal", &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(badTrust)}, "MalformedPolicyDocument"},
		{"trust policy not JSON", &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String("{")}, "MalformedPolicyDocument"},
		{"session duration too short", &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(iamxTrust), MaxSessionDuration: aws.Int32(600)}, "ValidationError"},
		{"session duration too long", &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(iamxTrust), MaxSessionDuration: aws.Int32(43201)}, "ValidationError"},
		{"bad path", &iam.CreateRoleInput{RoleName: aws.String("x"), Path: aws.String("svc"), AssumeRolePolicyDocument: aws.String(iamxTrust)}, "ValidationError"},
		{"name too long", &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("%065d", 0)), AssumeRolePolicyDocument: aws.String(iamxTrust)}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateRole(ctx, tt.in)
			wantCode(t, err, tt.code)
		})
	}
	_, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("x")})
	wantCode(t, err, "NoSuchEntity")
}

func TestIAMRoleUpdates(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	orig := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(iamxTrust), Description: aws.String("v1")}))(t).Role

	// UpdateRole changes only what it is given.
	must(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), MaxSessionDuration: aws.Int32(43200)}))(t)
	r := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxEq(t, "MaxSessionDuration", aws.ToInt32(r.MaxSessionDuration), 43200)
	iamxEq(t, "Description kept", aws.ToString(r.Description), "v1")
	must(c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), Description: aws.String("v2")}))(t)
	r = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxEq(t, "Description", aws.ToString(r.Description), "v2")
	iamxEq(t, "MaxSessionDuration kept", aws.ToInt32(r.MaxSessionDuration), 43200)

	// UpdateRoleDescription returns the updated role.
	ud := must(c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("app"), Description: aws.String("v3")}))(t).Role
	iamxEq(t, "UpdateRoleDescription Description", aws.ToString(ud.Description), "v3")
	iamxEq(t, "UpdateRoleDescription Arn", aws.ToString(ud.Arn), iamxARN("role", "/", "app"))
	iamxEq(t, "UpdateRoleDescription RoleId", aws.ToString(ud.RoleId), aws.ToString(orig.RoleId))
	iamxWantDoc(t, "UpdateRoleDescription trust", ud.AssumeRolePolicyDocument, iamxTrust)
	r = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxEq(t, "Description after UpdateRoleDescription", aws.ToString(r.Description), "v3")

	// UpdateAssumeRolePolicy replaces the trust policy.
	must(c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(iamxTrustLambda)}))(t)
	r = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxWantDoc(t, "trust after update", r.AssumeRolePolicyDocument, iamxTrustLambda)

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"UpdateRole unknown role", func() error {
			_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("nope"), Description: aws.String("x")})
			return err
		}, "NoSuchEntity"},
		{"UpdateRole session too long", func() error {
			_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), MaxSessionDuration: aws.Int32(50000)})
			return err
		}, "ValidationError"},
		{"UpdateRole description too long", func() error {
			_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("app"), Description: aws.String(fmt.Sprintf("%01001d", 0))})
			return err
		}, "ValidationError"},
		{"UpdateRoleDescription unknown role", func() error {
			_, err := c.UpdateRoleDescription(ctx, &iam.UpdateRoleDescriptionInput{RoleName: aws.String("nope"), Description: aws.String("x")})
			return err
		}, "NoSuchEntity"},
		{"UpdateAssumeRolePolicy unknown role", func() error {
			_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("nope"), PolicyDocument: aws.String(iamxTrust)})
			return err
		}, "NoSuchEntity"},
		{"UpdateAssumeRolePolicy malformed", func() error {
			_, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[]`)})
			return err
		}, "MalformedPolicyDocument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	// The failed updates changed nothing.
	r = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	iamxEq(t, "final Description", aws.ToString(r.Description), "v3")
	iamxEq(t, "final MaxSessionDuration", aws.ToInt32(r.MaxSessionDuration), 43200)
	iamxWantDoc(t, "final trust", r.AssumeRolePolicyDocument, iamxTrustLambda)
}

func TestIAMRolePoliciesAndDelete(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)

	// Inline policies.
	docs := map[string]string{"logs": iamxPolicy("logs:PutLogEvents"), "data": bucketPolicy}
	for n, d := range docs {
		must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String(n), PolicyDocument: aws.String(d)}))(t)
	}
	for n, d := range docs {
		out := must(c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String(n)}))(t)
		iamxEq(t, "RoleName", aws.ToString(out.RoleName), "app")
		iamxEq(t, "PolicyName", aws.ToString(out.PolicyName), n)
		iamxWantDoc(t, "GetRolePolicy "+n, out.PolicyDocument, d)
	}
	names, sizes := iamxPages(t, 1, func(m *string) iamxPage {
		out := must(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app"), MaxItems: aws.Int32(1), Marker: m}))(t)
		return iamxPage{out.PolicyNames, out.IsTruncated, out.Marker}
	})
	iamxList(t, "ListRolePolicies", names, []string{"data", "logs"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[1 1]")

	// Managed policies.
	var arns []string
	for _, n := range []string{"b", "a"} {
		p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(n), PolicyDocument: aws.String(iamxPolicy("ec2:Describe*"))}))(t).Policy
		arns = append(arns, aws.ToString(p.Arn))
		must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: p.Arn}))(t)
	}
	att := must(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")}))(t)
	iamxList(t, "ListAttachedRolePolicies", iamxAttachedNames(att.AttachedPolicies), []string{"a", "b"})
	iamxList(t, "ListAttachedRolePolicies ARNs", iamxAttachedARNs(att.AttachedPolicies), []string{iamxARN("policy", "/", "a"), iamxARN("policy", "/", "b")})
	paged, _ := iamxPages(t, 1, func(m *string) iamxPage {
		out := must(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app"), MaxItems: aws.Int32(1), Marker: m}))(t)
		return iamxPage{iamxAttachedNames(out.AttachedPolicies), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged attached", paged, []string{"a", "b"})
	p := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns[0])}))(t).Policy
	iamxEq(t, "AttachmentCount", aws.ToInt32(p.AttachmentCount), 1)

	// DeleteRole is refused while anything is attached: managed, then inline policies.
	_, err := c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "DeleteConflict")
	for _, a := range arns {
		must(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(a)}))(t)
	}
	att = must(c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")}))(t)
	if len(att.AttachedPolicies) != 0 {
		t.Fatalf("attached after detach = %+v", att.AttachedPolicies)
	}
	_, err = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arns[0])})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "DeleteConflict")

	must(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("logs")}))(t)
	list := must(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")}))(t)
	iamxList(t, "after DeleteRolePolicy", list.PolicyNames, []string{"data"})
	_, err = c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("logs")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("logs")})
	wantCode(t, err, "NoSuchEntity")
	must(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("data")}))(t)

	must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")}))(t)
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "NoSuchEntity")
	roles := must(c.ListRoles(ctx, &iam.ListRolesInput{}))(t)
	if len(roles.Roles) != 0 {
		t.Fatalf("ListRoles after delete = %v", iamxRoleNames(roles.Roles))
	}

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"PutRolePolicy unknown role", func() error {
			_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("p"), PolicyDocument: aws.String(bucketPolicy)})
			return err
		}, "NoSuchEntity"},
		{"ListRolePolicies unknown role", func() error {
			_, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("app")})
			return err
		}, "NoSuchEntity"},
		{"AttachRolePolicy unknown role", func() error {
			_, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: aws.String(arns[0])})
			return err
		}, "NoSuchEntity"},
		{"ListAttachedRolePolicies unknown role", func() error {
			_, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("app")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	// Role inline policies are capped at 10240 characters in total.
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("big"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("big"), PolicyName: aws.String("one"), PolicyDocument: aws.String(iamxBigPolicy(6000))}))(t)
	_, err = c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("big"), PolicyName: aws.String("two"), PolicyDocument: aws.String(iamxBigPolicy(6000))})
	wantCode(t, err, "LimitExceeded")
	// Replacing the one policy with one of the same size is fine: its old size does not count.
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("big"), PolicyName: aws.String("one"), PolicyDocument: aws.String(iamxBigPolicy(6000))}))(t)
	list = must(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("big")}))(t)
	iamxList(t, "big role policies", list.PolicyNames, []string{"one"})
}

func TestIAMRolePermissionsBoundary(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	b := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("limit"), Path: aws.String("/boundaries/"), PolicyDocument: aws.String(iamxPolicy("s3:*"))}))(t).Policy

	r := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("born-bounded"), AssumeRolePolicyDocument: aws.String(iamxTrust), PermissionsBoundary: b.Arn}))(t).Role
	if r.PermissionsBoundary == nil || aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn) != iamxARN("policy", "/boundaries/", "limit") {
		t.Fatalf("CreateRole boundary = %+v", r.PermissionsBoundary)
	}
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	must(c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: b.Arn}))(t)
	got := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	if got.PermissionsBoundary == nil || aws.ToString(got.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(b.Arn) ||
		got.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Fatalf("GetRole boundary = %+v", got.PermissionsBoundary)
	}
	p := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: b.Arn}))(t).Policy
	iamxEq(t, "PermissionsBoundaryUsageCount", aws.ToInt32(p.PermissionsBoundaryUsageCount), 2)
	iamxEq(t, "AttachmentCount", aws.ToInt32(p.AttachmentCount), 0)

	// The boundary shows in ListEntitiesForPolicy with the PermissionsBoundary usage filter,
	// not with the PermissionsPolicy one.
	ents := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: b.Arn, PolicyUsageFilter: types.PolicyUsageTypePermissionsBoundary}))(t)
	var roles []string
	for _, pr := range ents.PolicyRoles {
		roles = append(roles, aws.ToString(pr.RoleName))
		iamxID(t, "boundary role", pr.RoleId, "AROA")
	}
	iamxList(t, "roles bounded by the policy", iamxSorted(roles), []string{"app", "born-bounded"})
	ents = must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: b.Arn, PolicyUsageFilter: types.PolicyUsageTypePermissionsPolicy}))(t)
	if len(ents.PolicyRoles)+len(ents.PolicyUsers)+len(ents.PolicyGroups) != 0 {
		t.Fatalf("attachments of a boundary-only policy = %+v", ents)
	}

	must(c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("app")}))(t)
	got = must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role
	if got.PermissionsBoundary != nil {
		t.Fatalf("boundary after delete = %+v", got.PermissionsBoundary)
	}
	p = must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: b.Arn}))(t).Policy
	iamxEq(t, "PermissionsBoundaryUsageCount after delete", aws.ToInt32(p.PermissionsBoundaryUsageCount), 1)
	// A role that keeps its boundary can still be deleted; that releases the boundary.
	must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("born-bounded")}))(t)
	p = must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: b.Arn}))(t).Policy
	iamxEq(t, "PermissionsBoundaryUsageCount after DeleteRole", aws.ToInt32(p.PermissionsBoundaryUsageCount), 0)

	_, err := c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("nope"), PermissionsBoundary: b.Arn})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: aws.String(iamxARN("policy", "/", "missing"))})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: aws.String("app"), PermissionsBoundary: aws.String("arn:aws:s3:::not-a-policy")})
	wantCode(t, err, "InvalidInput")
	_, err = c.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("nope")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(iamxTrust), PermissionsBoundary: aws.String(iamxARN("policy", "/", "missing"))})
	wantCode(t, err, "NoSuchEntity")
}
