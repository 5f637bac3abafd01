package iam_test

import (
	"net/url"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestGetAccountAuthorizationDetails(t *testing.T) {
	f := newFixture(t)
	arn := f.createPolicy("managed")
	f.createUser("u")
	f.createGroup("g")
	f.createRole("r")
	f.ok(errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("g"), UserName: ptr.Of("u")})))
	f.ok(errOf(f.svc.AttachUserPolicy(f.ctx, &api.AttachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: ptr.Of(arn)})))
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("u"), PolicyName: ptr.Of("inl"), PolicyDocument: ptr.Of(denyDoc)})))
	f.ok(errOf(f.svc.PutGroupPolicy(f.ctx, &api.PutGroupPolicyInput{GroupName: ptr.Of("g"), PolicyName: ptr.Of("inl"), PolicyDocument: ptr.Of(denyDoc)})))
	f.ok(errOf(f.svc.PutRolePolicy(f.ctx, &api.PutRolePolicyInput{RoleName: ptr.Of("r"), PolicyName: ptr.Of("inl"), PolicyDocument: ptr.Of(denyDoc)})))

	out, err := f.svc.GetAccountAuthorizationDetails(f.ctx, &api.GetAccountAuthorizationDetailsInput{})
	f.ok(err)
	if len(out.UserDetailList) != 1 || len(out.GroupDetailList) != 1 || len(out.RoleDetailList) != 1 || len(out.Policies) != 1 || *out.IsTruncated {
		t.Fatalf("GetAccountAuthorizationDetails = %+v", out)
	}
	decoded := func(p *string) string {
		s, err := url.QueryUnescape(str(p))
		if err != nil {
			t.Fatalf("document %q is not URL-encoded: %v", str(p), err)
		}
		return s
	}
	u := out.UserDetailList[0]
	if str(u.UserName) != "u" || len(u.GroupList) != 1 || u.GroupList[0] != "g" || len(u.AttachedManagedPolicies) != 1 ||
		len(u.UserPolicyList) != 1 || decoded(u.UserPolicyList[0].PolicyDocument) != denyDoc {
		t.Fatalf("UserDetail = %+v", u)
	}
	g := out.GroupDetailList[0]
	if str(g.GroupName) != "g" || len(g.GroupPolicyList) != 1 || decoded(g.GroupPolicyList[0].PolicyDocument) != denyDoc ||
		g.AttachedManagedPolicies == nil {
		t.Fatalf("GroupDetail = %+v", g)
	}
	r := out.RoleDetailList[0]
	if str(r.RoleName) != "r" || decoded(r.AssumeRolePolicyDocument) != trustDoc || len(r.RolePolicyList) != 1 ||
		decoded(r.RolePolicyList[0].PolicyDocument) != denyDoc || r.InstanceProfileList == nil {
		t.Fatalf("RoleDetail = %+v", r)
	}
	p := out.Policies[0]
	if str(p.Arn) != arn || ptr.Value(p.AttachmentCount) != 1 || len(p.PolicyVersionList) != 1 ||
		decoded(p.PolicyVersionList[0].Document) != allowDoc || !ptr.Value(p.PolicyVersionList[0].IsDefaultVersion) {
		t.Fatalf("Policy detail = %+v", p)
	}

	// Filter and paging.
	page, err := f.svc.GetAccountAuthorizationDetails(f.ctx, &api.GetAccountAuthorizationDetailsInput{Filter: []string{"Role", "User"}, MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(page.UserDetailList)+len(page.RoleDetailList) != 1 || !*page.IsTruncated || page.Marker == nil || len(page.Policies) != 0 {
		t.Fatalf("filtered page 1 = %+v", page)
	}
	page, err = f.svc.GetAccountAuthorizationDetails(f.ctx, &api.GetAccountAuthorizationDetailsInput{Filter: []string{"Role", "User"}, Marker: page.Marker})
	f.ok(err)
	if len(page.UserDetailList)+len(page.RoleDetailList) != 1 || *page.IsTruncated || len(page.GroupDetailList) != 0 {
		t.Fatalf("filtered page 2 = %+v", page)
	}

	wantCode(t, errOf(f.svc.GetAccountAuthorizationDetails(f.ctx, &api.GetAccountAuthorizationDetailsInput{Filter: []string{"Nope"}})), "ValidationError")
}
