package iam_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestAttachDetach(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	p := f.policy("p")
	f.user("u")
	f.group("g")
	f.role("r")
	attach := []func(string) error{
		func(a string) error { return f.svc.AttachUserPolicy(f.ctx, acct, "u", a) },
		func(a string) error { return f.svc.AttachGroupPolicy(f.ctx, acct, "g", a) },
		func(a string) error { return f.svc.AttachRolePolicy(f.ctx, acct, "r", a) },
	}
	for _, fn := range attach {
		f.ok(fn(p.ARN))
		f.ok(fn(p.ARN)) // idempotent
		f.ok(fn(lambdaARN))
	}
	got, _ := f.svc.GetPolicy(f.ctx, acct, p.ARN)
	if got.AttachmentCount != 3 {
		t.Fatalf("AttachmentCount = %d", got.AttachmentCount)
	}
	for _, list := range []func() (iam.Page[iam.AttachedPolicy], error){
		func() (iam.Page[iam.AttachedPolicy], error) {
			return f.svc.ListAttachedUserPolicies(f.ctx, acct, "u", "", iam.PageInput{})
		},
		func() (iam.Page[iam.AttachedPolicy], error) {
			return f.svc.ListAttachedGroupPolicies(f.ctx, acct, "g", "", iam.PageInput{})
		},
		func() (iam.Page[iam.AttachedPolicy], error) {
			return f.svc.ListAttachedRolePolicies(f.ctx, acct, "r", "", iam.PageInput{})
		},
	} {
		l, err := list()
		f.ok(err)
		want := []iam.AttachedPolicy{{PolicyName: "AWSLambdaBasicExecutionRole", PolicyARN: lambdaARN}, {PolicyName: "p", PolicyARN: p.ARN}}
		if !slices.Equal(l.Items, want) {
			t.Fatalf("attached = %+v", l.Items)
		}
	}
	l, err := f.svc.ListAttachedRolePolicies(f.ctx, acct, "r", "/service-role/", iam.PageInput{})
	f.ok(err)
	if len(l.Items) != 1 || l.Items[0].PolicyARN != lambdaARN {
		t.Fatalf("path-filtered = %+v", l.Items)
	}

	ents, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p.ARN})
	f.ok(err)
	if len(ents.PolicyUsers) != 1 || len(ents.PolicyGroups) != 1 || len(ents.PolicyRoles) != 1 || ents.PolicyRoles[0].Name != "r" || ents.PolicyUsers[0].ID == "" {
		t.Fatalf("entities = %+v", ents)
	}
	only, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: lambdaARN, EntityFilter: iam.EntityGroup})
	f.ok(err)
	if len(only.PolicyGroups) != 1 || len(only.PolicyUsers)+len(only.PolicyRoles) != 0 {
		t.Fatalf("group-filtered = %+v", only)
	}
	paged, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p.ARN, Page: iam.PageInput{MaxItems: 2}})
	f.ok(err)
	rest, err := f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p.ARN, Page: iam.PageInput{Marker: paged.Marker}})
	f.ok(err)
	if !paged.IsTruncated || rest.IsTruncated || len(paged.PolicyUsers)+len(paged.PolicyGroups)+len(paged.PolicyRoles) != 2 ||
		len(rest.PolicyUsers)+len(rest.PolicyGroups)+len(rest.PolicyRoles) != 1 {
		t.Fatalf("paged = %+v / %+v", paged, rest)
	}

	wantErr(t, f.svc.DeletePolicy(f.ctx, acct, p.ARN), conflict, 409, "Cannot delete a policy attached to entities.")
	f.ok(f.svc.DetachUserPolicy(f.ctx, acct, "u", p.ARN))
	f.ok(f.svc.DetachGroupPolicy(f.ctx, acct, "g", p.ARN))
	f.ok(f.svc.DetachRolePolicy(f.ctx, acct, "r", p.ARN))
	wantErr(t, f.svc.DetachRolePolicy(f.ctx, acct, "r", p.ARN), noSuch, 404, "Policy "+p.ARN+" was not found.")
	ents, _ = f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: p.ARN})
	if len(ents.PolicyUsers)+len(ents.PolicyGroups)+len(ents.PolicyRoles) != 0 {
		t.Fatalf("entities after detach = %+v", ents)
	}
	f.ok(f.svc.DeletePolicy(f.ctx, acct, p.ARN))
}

func TestAttachErrors(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	p := f.policy("p")
	f.user("u")
	f.role("r")
	runErrCases(t, []errCase{
		{"malformed arn", func() error { return f.svc.AttachUserPolicy(f.ctx, acct, "u", "longpolicynamebutnoarn") }, badInput, 400, "ARN longpolicynamebutnoarn is not valid."},
		{"name not arn", func() error { return f.svc.AttachRolePolicy(f.ctx, acct, "r", "p") }, badInput, 400, ""},
		{"missing policy", func() error {
			return f.svc.AttachUserPolicy(f.ctx, acct, "u", "arn:aws:iam::123456789012:policy/nonexistent")
		}, noSuch, 404,
			"Policy arn:aws:iam::123456789012:policy/nonexistent does not exist or is not attachable."},
		{"other account", func() error { return f.svc.AttachUserPolicy(f.ctx, acct, "u", "arn:aws:iam::999999999999:policy/p") }, noSuch, 404, ""},
		{"missing aws", func() error { return f.svc.AttachRolePolicy(f.ctx, acct, "r", "arn:aws:iam::aws:policy/Nonexistent") }, noSuch, 404, ""},
		{"missing user", func() error { return f.svc.AttachUserPolicy(f.ctx, acct, "nobody", p.ARN) }, noSuch, 404, "The user with name nobody cannot be found."},
		{"missing group", func() error { return f.svc.AttachGroupPolicy(f.ctx, acct, "nobody", p.ARN) }, noSuch, 404, "The group with name nobody cannot be found."},
		{"detach not attached", func() error { return f.svc.DetachUserPolicy(f.ctx, acct, "u", p.ARN) }, noSuch, 404, "Policy " + p.ARN + " was not found."},
		{"detach aws not attached", func() error { return f.svc.DetachRolePolicy(f.ctx, acct, "r", "arn:aws:iam::aws:policy/Nonexistent") }, noSuch, 404,
			"Policy arn:aws:iam::aws:policy/Nonexistent was not found."},
		{"entities of missing", func() error {
			return errOf(f.svc.ListEntitiesForPolicy(f.ctx, acct, iam.ListEntitiesForPolicyInput{PolicyARN: "arn:aws:iam::123456789012:policy/NonExistentPolicy"}))
		}, noSuch, 404, "Policy arn:aws:iam::123456789012:policy/NonExistentPolicy does not exist or is not attachable."},
		{"list attached of missing", func() error { return errOf(f.svc.ListAttachedRolePolicies(f.ctx, acct, "nobody", "", iam.PageInput{})) }, noSuch, 404, ""},
	})
}

func TestAttachQuota(t *testing.T) {
	f := newFixture(t)
	f.role("r")
	for i := range 10 {
		p := f.policy(fmt.Sprintf("p%d", i))
		f.ok(f.svc.AttachRolePolicy(f.ctx, acct, "r", p.ARN))
	}
	extra := f.policy("extra")
	wantErr(t, f.svc.AttachRolePolicy(f.ctx, acct, "r", extra.ARN), limit, 409, "Cannot exceed quota for PoliciesPerRole: 10")
	f.user("u")
	g := newFixture(t, iam.WithQuotas(iam.Quotas{PoliciesPerUser: 1}))
	g.user("u")
	p1, p2 := g.policy("a"), g.policy("b")
	g.ok(g.svc.AttachUserPolicy(g.ctx, acct, "u", p1.ARN))
	wantErr(t, g.svc.AttachUserPolicy(g.ctx, acct, "u", p2.ARN), limit, 409, "Cannot exceed quota for PoliciesPerUser: 1")
	got, _ := g.svc.GetPolicy(g.ctx, acct, p2.ARN)
	if got.AttachmentCount != 0 {
		t.Fatalf("a refused attach counted: %d", got.AttachmentCount)
	}
}

func TestPrincipalPolicies(t *testing.T) {
	f := newFixture(t, iam.WithAWSPolicies(catalog{}))
	p := f.policy("managed")
	b := f.policy("boundary")
	f.user("u")
	f.group("g")
	f.ok(f.svc.AddUserToGroup(f.ctx, acct, "g", "u"))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "own", `{"own":1}`))
	f.ok(f.svc.PutGroupPolicy(f.ctx, acct, "g", "grp", `{"grp":1}`))
	f.ok(f.svc.AttachUserPolicy(f.ctx, acct, "u", p.ARN))
	f.ok(f.svc.AttachGroupPolicy(f.ctx, acct, "g", readOnlyARN))
	f.ok(f.svc.PutUserPermissionsBoundary(f.ctx, acct, "u", b.ARN))
	v, err := f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, `{"v":2}`, true)
	f.ok(err)
	_ = v

	pp, err := f.svc.UserPolicies(f.ctx, acct, "u")
	f.ok(err)
	if pp.ARN != "arn:aws:iam::123456789012:user/u" || len(pp.Inline) != 2 || len(pp.Managed) != 2 || pp.Boundary == nil {
		t.Fatalf("UserPolicies = %+v", pp)
	}
	if pp.Inline[0].Document != `{"own":1}` || pp.Inline[1].Source != "arn:aws:iam::123456789012:group/g" {
		t.Fatalf("inline = %+v", pp.Inline)
	}
	if pp.Managed[0].Document != `{"v":2}` || pp.Managed[1].Source != readOnlyARN || pp.Managed[1].Document != allowAll {
		t.Fatalf("managed = %+v", pp.Managed)
	}
	f.role("r")
	f.ok(f.svc.PutRolePolicy(f.ctx, acct, "r", "x", `{"r":1}`))
	rp, err := f.svc.RolePolicies(f.ctx, acct, "r")
	f.ok(err)
	if len(rp.Inline) != 1 || len(rp.Managed) != 0 || rp.Boundary != nil {
		t.Fatalf("RolePolicies = %+v", rp)
	}
	wantErr(t, errOf(f.svc.RolePolicies(f.ctx, acct, "nope")), noSuch, 404, "")
}
