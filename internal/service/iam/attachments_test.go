package iam_test

import (
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestAttachments(t *testing.T) {
	f := newFixture(t)
	arn := f.createPolicy("shared")
	other := f.createPolicy("other")
	f.createUser("u")
	f.createGroup("g")
	f.createRole("r")
	f.ok(errOf(f.svc.AttachUserPolicy(f.ctx, &api.AttachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: ptr.Of(arn)})))
	f.ok(errOf(f.svc.AttachUserPolicy(f.ctx, &api.AttachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: ptr.Of(other)})))
	f.ok(errOf(f.svc.AttachGroupPolicy(f.ctx, &api.AttachGroupPolicyInput{GroupName: ptr.Of("g"), PolicyArn: ptr.Of(arn)})))
	f.ok(errOf(f.svc.AttachRolePolicy(f.ctx, &api.AttachRolePolicyInput{RoleName: ptr.Of("r"), PolicyArn: ptr.Of(arn)})))

	au, err := f.svc.ListAttachedUserPolicies(f.ctx, &api.ListAttachedUserPoliciesInput{UserName: ptr.Of("u"), MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(au.AttachedPolicies) != 1 || str(au.AttachedPolicies[0].PolicyName) != "other" || !*au.IsTruncated {
		t.Fatalf("ListAttachedUserPolicies page 1 = %+v", au)
	}
	au, err = f.svc.ListAttachedUserPolicies(f.ctx, &api.ListAttachedUserPoliciesInput{UserName: ptr.Of("u"), Marker: au.Marker})
	f.ok(err)
	if len(au.AttachedPolicies) != 1 || str(au.AttachedPolicies[0].PolicyArn) != arn || *au.IsTruncated {
		t.Fatalf("ListAttachedUserPolicies page 2 = %+v", au)
	}
	ag, err := f.svc.ListAttachedGroupPolicies(f.ctx, &api.ListAttachedGroupPoliciesInput{GroupName: ptr.Of("g")})
	f.ok(err)
	ar, err2 := f.svc.ListAttachedRolePolicies(f.ctx, &api.ListAttachedRolePoliciesInput{RoleName: ptr.Of("r")})
	f.ok(err2)
	if len(ag.AttachedPolicies) != 1 || len(ar.AttachedPolicies) != 1 {
		t.Fatalf("attached group %+v role %+v", ag.AttachedPolicies, ar.AttachedPolicies)
	}

	pol, err := f.svc.GetPolicy(f.ctx, &api.GetPolicyInput{PolicyArn: ptr.Of(arn)})
	f.ok(err)
	if ptr.Value(pol.Policy.AttachmentCount) != 3 {
		t.Fatalf("AttachmentCount = %d", ptr.Value(pol.Policy.AttachmentCount))
	}

	ents, err := f.svc.ListEntitiesForPolicy(f.ctx, &api.ListEntitiesForPolicyInput{PolicyArn: ptr.Of(arn)})
	f.ok(err)
	if len(ents.PolicyUsers) != 1 || str(ents.PolicyUsers[0].UserName) != "u" || str(ents.PolicyUsers[0].UserId) == "" ||
		len(ents.PolicyGroups) != 1 || str(ents.PolicyGroups[0].GroupName) != "g" ||
		len(ents.PolicyRoles) != 1 || str(ents.PolicyRoles[0].RoleName) != "r" || *ents.IsTruncated {
		t.Fatalf("ListEntitiesForPolicy = %+v", ents)
	}
	ents, err = f.svc.ListEntitiesForPolicy(f.ctx, &api.ListEntitiesForPolicyInput{PolicyArn: ptr.Of(arn), EntityFilter: ptr.Of("Role")})
	f.ok(err)
	if len(ents.PolicyRoles) != 1 || len(ents.PolicyUsers) != 0 || ents.PolicyUsers == nil {
		t.Fatalf("ListEntitiesForPolicy Role = %+v", ents)
	}

	f.ok(errOf(f.svc.DetachUserPolicy(f.ctx, &api.DetachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: ptr.Of(arn)})))
	f.ok(errOf(f.svc.DetachGroupPolicy(f.ctx, &api.DetachGroupPolicyInput{GroupName: ptr.Of("g"), PolicyArn: ptr.Of(arn)})))
	f.ok(errOf(f.svc.DetachRolePolicy(f.ctx, &api.DetachRolePolicyInput{RoleName: ptr.Of("r"), PolicyArn: ptr.Of(arn)})))
	ar, err = f.svc.ListAttachedRolePolicies(f.ctx, &api.ListAttachedRolePoliciesInput{RoleName: ptr.Of("r")})
	f.ok(err)
	if ar.AttachedPolicies == nil || len(ar.AttachedPolicies) != 0 {
		t.Fatalf("ListAttachedRolePolicies after detach = %#v", ar.AttachedPolicies)
	}
}

func TestAttachmentErrors(t *testing.T) {
	f := newFixture(t)
	arn := ptr.Of(f.createPolicy("p"))
	missingPolicy := ptr.Of("arn:aws:iam::123456789012:policy/missing")
	missing := ptr.Of("missing")
	f.createUser("u")
	f.createGroup("g")
	f.createRole("r")
	runErrCases(t, []errCase{
		{"AttachUserPolicy no policy", func() error {
			return errOf(f.svc.AttachUserPolicy(f.ctx, &api.AttachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: missingPolicy}))
		}, "NoSuchEntity"},
		{"AttachGroupPolicy no group", func() error {
			return errOf(f.svc.AttachGroupPolicy(f.ctx, &api.AttachGroupPolicyInput{GroupName: missing, PolicyArn: arn}))
		}, "NoSuchEntity"},
		{"AttachRolePolicy bad ARN", func() error {
			return errOf(f.svc.AttachRolePolicy(f.ctx, &api.AttachRolePolicyInput{RoleName: ptr.Of("r"), PolicyArn: ptr.Of("not-an-arn")}))
		}, "ValidationError"},
		{"DetachUserPolicy not attached", func() error {
			return errOf(f.svc.DetachUserPolicy(f.ctx, &api.DetachUserPolicyInput{UserName: ptr.Of("u"), PolicyArn: arn}))
		}, "NoSuchEntity"},
		{"DetachGroupPolicy not attached", func() error {
			return errOf(f.svc.DetachGroupPolicy(f.ctx, &api.DetachGroupPolicyInput{GroupName: ptr.Of("g"), PolicyArn: arn}))
		}, "NoSuchEntity"},
		{"DetachRolePolicy no role", func() error {
			return errOf(f.svc.DetachRolePolicy(f.ctx, &api.DetachRolePolicyInput{RoleName: missing, PolicyArn: arn}))
		}, "NoSuchEntity"},
		{"ListAttachedUserPolicies no user", func() error {
			return errOf(f.svc.ListAttachedUserPolicies(f.ctx, &api.ListAttachedUserPoliciesInput{UserName: missing}))
		}, "NoSuchEntity"},
		{"ListAttachedGroupPolicies no group", func() error {
			return errOf(f.svc.ListAttachedGroupPolicies(f.ctx, &api.ListAttachedGroupPoliciesInput{GroupName: missing}))
		}, "NoSuchEntity"},
		{"ListAttachedRolePolicies no role", func() error {
			return errOf(f.svc.ListAttachedRolePolicies(f.ctx, &api.ListAttachedRolePoliciesInput{RoleName: missing}))
		}, "NoSuchEntity"},
		{"ListEntitiesForPolicy no policy", func() error {
			return errOf(f.svc.ListEntitiesForPolicy(f.ctx, &api.ListEntitiesForPolicyInput{PolicyArn: missingPolicy}))
		}, "NoSuchEntity"},
	})
}
