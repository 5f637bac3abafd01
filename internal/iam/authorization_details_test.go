package iam_test

import (
	"slices"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestAccountAuthorizationDetails(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	p := f.policy("managed")
	f.policy("unused")
	_, err := f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, `{"v":2}`, false)
	f.ok(err)
	f.user("u")
	f.group("g")
	f.role("r")
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "g", "u"))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "ui", `{"u":1}`))
	f.ok(f.svc.PutGroupPolicy(f.ctx, acct, "g", "gi", `{"g":1}`))
	f.ok(f.svc.PutRolePolicy(f.ctx, acct, "r", "ri", `{"r":1}`))
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "u", p.ARN))
	f.ok(f.svc.AttachRolePolicy(f.ctx, acct, "r", readOnlyARN))
	_, err = f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "ip"})
	f.ok(err)
	f.ok(f.svc.AddRoleToInstanceProfile(f.ctx, acct, "ip", "r"))

	d, err := f.svc.GetAccountAuthorizationDetails(f.ctx, acct, nil, iam.PageInput{})
	f.ok(err)
	if d.IsTruncated || len(d.UserDetailList) != 1 || len(d.GroupDetailList) != 1 || len(d.RoleDetailList) != 1 || len(d.Policies) != 3 {
		t.Fatalf("details = %+v", d)
	}
	u := d.UserDetailList[0]
	if u.UserName != "u" || !slices.Equal(u.GroupList, []string{"g"}) || len(u.UserPolicyList) != 1 || u.UserPolicyList[0].PolicyDocument != `{"u":1}` ||
		len(u.AttachedManagedPolicies) != 1 || u.AttachedManagedPolicies[0].PolicyARN != p.ARN {
		t.Fatalf("user detail = %+v", u)
	}
	g := d.GroupDetailList[0]
	if len(g.GroupPolicyList) != 1 || g.GroupPolicyList[0].PolicyName != "gi" {
		t.Fatalf("group detail = %+v", g)
	}
	r := d.RoleDetailList[0]
	if len(r.InstanceProfileList) != 1 || r.InstanceProfileList[0].InstanceProfileName != "ip" || len(r.RolePolicyList) != 1 ||
		len(r.AttachedManagedPolicies) != 1 || r.AttachedManagedPolicies[0].PolicyARN != readOnlyARN {
		t.Fatalf("role detail = %+v", r)
	}
	var names []string
	for _, pd := range d.Policies {
		names = append(names, pd.PolicyName)
		if pd.PolicyName == "managed" && (len(pd.PolicyVersionList) != 2 || !pd.PolicyVersionList[0].IsDefaultVersion || pd.PolicyVersionList[1].Document != `{"v":2}`) {
			t.Fatalf("versions = %+v", pd.PolicyVersionList)
		}
		if pd.PolicyName == "ReadOnlyAccess" && (pd.AttachmentCount != 1 || len(pd.PolicyVersionList) != 2) {
			t.Fatalf("aws policy detail = %+v", pd)
		}
	}
	// AWS managed policies appear only when used in the account.
	if !slices.Equal(names, []string{"managed", "unused", "ReadOnlyAccess"}) {
		t.Fatalf("policies = %v", names)
	}

	only, err := f.svc.GetAccountAuthorizationDetails(f.ctx, acct, []string{iam.FilterRole, iam.FilterAWSManagedPolicy}, iam.PageInput{})
	f.ok(err)
	if len(only.UserDetailList)+len(only.GroupDetailList) != 0 || len(only.RoleDetailList) != 1 || len(only.Policies) != 1 {
		t.Fatalf("filtered = %+v", only)
	}

	// Paging counts items across all lists.
	total := 0
	page := iam.PageInput{MaxItems: 2}
	for i := 0; ; i++ {
		d, err := f.svc.GetAccountAuthorizationDetails(f.ctx, acct, nil, page)
		f.ok(err)
		n := len(d.UserDetailList) + len(d.GroupDetailList) + len(d.RoleDetailList) + len(d.Policies)
		total += n
		if !d.IsTruncated {
			break
		}
		if n != 2 || i > 5 {
			t.Fatalf("page %d has %d items", i, n)
		}
		page.Marker = d.Marker
	}
	if total != 6 {
		t.Fatalf("paged total = %d", total)
	}
	wantErr(t, errOf(f.svc.GetAccountAuthorizationDetails(f.ctx, acct, []string{"Users"}, iam.PageInput{})), badInput, 400, "")
}
