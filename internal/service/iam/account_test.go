package iam_test

import (
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestAccountAliases(t *testing.T) {
	f := newFixture(t)
	list, err := f.svc.ListAccountAliases(f.ctx, &api.ListAccountAliasesInput{})
	f.ok(err)
	if list.AccountAliases == nil || len(list.AccountAliases) != 0 || *list.IsTruncated {
		t.Fatalf("ListAccountAliases empty = %#v", list)
	}
	f.ok(errOf(f.svc.CreateAccountAlias(f.ctx, &api.CreateAccountAliasInput{AccountAlias: ptr.Of("my-corp")})))
	list, err = f.svc.ListAccountAliases(f.ctx, &api.ListAccountAliasesInput{})
	f.ok(err)
	if len(list.AccountAliases) != 1 || list.AccountAliases[0] != "my-corp" {
		t.Fatalf("ListAccountAliases = %v", list.AccountAliases)
	}
	f.ok(errOf(f.svc.DeleteAccountAlias(f.ctx, &api.DeleteAccountAliasInput{AccountAlias: ptr.Of("my-corp")})))
	runErrCases(t, []errCase{
		{"CreateAccountAlias bad", func() error {
			return errOf(f.svc.CreateAccountAlias(f.ctx, &api.CreateAccountAliasInput{AccountAlias: ptr.Of("Bad_Alias")}))
		}, "ValidationError"},
		{"DeleteAccountAlias missing", func() error {
			return errOf(f.svc.DeleteAccountAlias(f.ctx, &api.DeleteAccountAliasInput{AccountAlias: ptr.Of("my-corp")}))
		}, "NoSuchEntity"},
		{"ListAccountAliases bad marker", func() error {
			return errOf(f.svc.ListAccountAliases(f.ctx, &api.ListAccountAliasesInput{Marker: ptr.Of("%%%")}))
		}, "ValidationError"},
	})
}

func TestPasswordPolicy(t *testing.T) {
	f := newFixture(t)
	wantCode(t, errOf(f.svc.GetAccountPasswordPolicy(f.ctx, &api.GetAccountPasswordPolicyInput{})), "NoSuchEntity")
	f.ok(errOf(f.svc.UpdateAccountPasswordPolicy(f.ctx, &api.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: ptr.Of(int32(12)), RequireSymbols: ptr.Of(true), MaxPasswordAge: ptr.Of(int32(90)),
	})))
	out, err := f.svc.GetAccountPasswordPolicy(f.ctx, &api.GetAccountPasswordPolicyInput{})
	f.ok(err)
	p := out.PasswordPolicy
	if ptr.Value(p.MinimumPasswordLength) != 12 || !ptr.Value(p.RequireSymbols) || ptr.Value(p.RequireNumbers) ||
		ptr.Value(p.MaxPasswordAge) != 90 || !ptr.Value(p.ExpirePasswords) || p.PasswordReusePrevention != nil {
		t.Fatalf("GetAccountPasswordPolicy = %+v", p)
	}
	f.ok(errOf(f.svc.DeleteAccountPasswordPolicy(f.ctx, &api.DeleteAccountPasswordPolicyInput{})))
	runErrCases(t, []errCase{
		{"UpdateAccountPasswordPolicy too short", func() error {
			return errOf(f.svc.UpdateAccountPasswordPolicy(f.ctx, &api.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: ptr.Of(int32(2))}))
		}, "ValidationError"},
		{"DeleteAccountPasswordPolicy none", func() error {
			return errOf(f.svc.DeleteAccountPasswordPolicy(f.ctx, &api.DeleteAccountPasswordPolicyInput{}))
		}, "NoSuchEntity"},
	})
}

func TestAccountSummary(t *testing.T) {
	f := newFixture(t)
	f.createUser("a")
	f.createUser("b")
	f.createGroup("g")
	f.createRole("r")
	f.createPolicy("p")
	out, err := f.svc.GetAccountSummary(f.ctx, &api.GetAccountSummaryInput{})
	f.ok(err)
	m := out.SummaryMap
	for k, want := range map[string]int32{"Users": 2, "Groups": 1, "Roles": 1, "Policies": 1, "UsersQuota": 5000, "AccessKeysPerUserQuota": 2} {
		if got, ok := m[k]; !ok || got != want {
			t.Errorf("SummaryMap[%s] = %d (present %v), want %d", k, got, ok, want)
		}
	}
	_, err = f.svc.GetAccountSummary(rootlessContext(), &api.GetAccountSummaryInput{})
	if err == nil {
		t.Fatal("GetAccountSummary without a caller succeeded")
	}
}
