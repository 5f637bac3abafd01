package iam_test

import (
	"slices"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestAccounts(t *testing.T) {
	f := newFixture(t)
	a, err := f.svc.CreateAccount(f.ctx, "111122223333", "root@example.com")
	f.ok(err)
	if a.RootARN != "arn:aws:iam::111122223333:root" || a.Email != "root@example.com" {
		t.Fatalf("CreateAccount = %+v", a)
	}
	wantErr(t, errOf(f.svc.CreateAccount(f.ctx, "111122223333", "x")), exists, 409, "")
	wantErr(t, errOf(f.svc.CreateAccount(f.ctx, "1234", "x")), badInput, 400, "")
	wantErr(t, errOf(f.svc.GetAccount(f.ctx, "999988887777")), noSuch, 404, "")
	got, err := f.svc.GetAccount(f.ctx, "111122223333")
	f.ok(err)
	if got != a {
		t.Fatalf("GetAccount = %+v", got)
	}
}

func TestAccountAlias(t *testing.T) {
	f := newFixture(t)
	const other = "210987654321"
	f.ok(f.svc.CreateAccountAlias(f.ctx, acct, "my-company"))
	list, err := f.svc.ListAccountAliases(f.ctx, acct, iam.PageInput{})
	f.ok(err)
	if !slices.Equal(list.Items, []string{"my-company"}) {
		t.Fatalf("ListAccountAliases = %+v", list)
	}
	owner, err := f.svc.LookupAccountAlias(f.ctx, "my-company")
	f.ok(err)
	if owner != acct {
		t.Fatalf("LookupAccountAlias = %s", owner)
	}
	// Aliases are global.
	wantErr(t, f.svc.CreateAccountAlias(f.ctx, other, "my-company"), exists, 409, "The account alias my-company already exists.")
	wantErr(t, f.svc.CreateAccountAlias(f.ctx, acct, "my-company"), exists, 409, "The account alias my-company already exists.")
	// A second alias replaces the first, freeing it.
	f.ok(f.svc.CreateAccountAlias(f.ctx, acct, "my-company-2"))
	list, _ = f.svc.ListAccountAliases(f.ctx, acct, iam.PageInput{})
	if !slices.Equal(list.Items, []string{"my-company-2"}) {
		t.Fatalf("after replace = %+v", list)
	}
	f.ok(f.svc.CreateAccountAlias(f.ctx, other, "my-company"))
	wantErr(t, f.svc.DeleteAccountAlias(f.ctx, acct, "my-company"), noSuch, 404, "")
	f.ok(f.svc.DeleteAccountAlias(f.ctx, acct, "my-company-2"))
	list, _ = f.svc.ListAccountAliases(f.ctx, acct, iam.PageInput{})
	if len(list.Items) != 0 {
		t.Fatalf("after delete = %+v", list)
	}
	wantErr(t, errOf(f.svc.LookupAccountAlias(f.ctx, "my-company-2")), noSuch, 404, "")

	for _, bad := range []string{"ab", "-abc", "abc-", "a--b", "ABC", "a_b", "a.b", "x" + string(make([]byte, 63))} {
		wantErr(t, f.svc.CreateAccountAlias(f.ctx, acct, bad), badInput, 400, "")
	}
	wantErr(t, f.svc.CreateAccountAlias(f.ctx, acct, "a--b"), badInput, 400,
		"1 validation error detected: Value at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$")
	f.ok(f.svc.CreateAccountAlias(f.ctx, acct, "a-b-1"))
}

func TestPasswordPolicy(t *testing.T) {
	f := newFixture(t)
	wantErr(t, errOf(f.svc.GetAccountPasswordPolicy(f.ctx, acct)), noSuch, 404, "The Password Policy with domain name 123456789012 cannot be found.")
	wantErr(t, f.svc.DeleteAccountPasswordPolicy(f.ctx, acct), noSuch, 404, "The account policy with name PasswordPolicy cannot be found.")

	f.ok(f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{}))
	p, err := f.svc.GetAccountPasswordPolicy(f.ctx, acct)
	f.ok(err)
	if p != (iam.PasswordPolicy{MinimumPasswordLength: 6}) {
		t.Fatalf("defaults = %+v", p)
	}
	f.ok(f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{
		MinimumPasswordLength: ptr(10), RequireSymbols: ptr(true), RequireNumbers: ptr(true), RequireUppercaseCharacters: ptr(true),
		RequireLowercaseCharacters: ptr(true), AllowUsersToChangePassword: ptr(true), MaxPasswordAge: ptr(60),
		PasswordReusePrevention: ptr(3), HardExpiry: ptr(true),
	}))
	p, _ = f.svc.GetAccountPasswordPolicy(f.ctx, acct)
	if p.MinimumPasswordLength != 10 || !p.ExpirePasswords || *p.MaxPasswordAge != 60 || *p.PasswordReusePrevention != 3 ||
		!*p.HardExpiry || !p.AllowUsersToChangePassword || !p.RequireSymbols {
		t.Fatalf("custom = %+v", p)
	}
	// No partial updates: omitted members revert to their defaults.
	f.ok(f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{RequireNumbers: ptr(true)}))
	p, _ = f.svc.GetAccountPasswordPolicy(f.ctx, acct)
	if p.MinimumPasswordLength != 6 || p.ExpirePasswords || p.MaxPasswordAge != nil || p.HardExpiry != nil || !p.RequireNumbers || p.RequireSymbols {
		t.Fatalf("after partial = %+v", p)
	}

	wantErr(t, f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{
		MinimumPasswordLength: ptr(129), PasswordReusePrevention: ptr(25), MaxPasswordAge: ptr(1096),
	}), badInput, 400, "3 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; "+
		"Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; "+
		"Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095")
	wantErr(t, f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{MinimumPasswordLength: ptr(5)}), badInput, 400,
		"1 validation error detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6")

	f.ok(f.svc.DeleteAccountPasswordPolicy(f.ctx, acct))
	wantErr(t, errOf(f.svc.GetAccountPasswordPolicy(f.ctx, acct)), noSuch, 404, "")
}

func TestAccountSummary(t *testing.T) {
	f := newFixture(t)
	sum, err := f.svc.GetAccountSummary(f.ctx, acct)
	f.ok(err)
	keys := []string{"Users", "UsersQuota", "Groups", "GroupsQuota", "ServerCertificates", "ServerCertificatesQuota",
		"UserPolicySizeQuota", "GroupPolicySizeQuota", "GroupsPerUserQuota", "SigningCertificatesPerUserQuota",
		"AccessKeysPerUserQuota", "MFADevices", "MFADevicesInUse", "AccountMFAEnabled", "AccountAccessKeysPresent",
		"AccountPasswordPresent", "AccountSigningCertificatesPresent", "AttachedPoliciesPerGroupQuota",
		"AttachedPoliciesPerRoleQuota", "AttachedPoliciesPerUserQuota", "Policies", "PoliciesQuota", "PolicySizeQuota",
		"PolicyVersionsInUse", "PolicyVersionsInUseQuota", "VersionsPerPolicyQuota", "GlobalEndpointTokenVersion",
		"AssumeRolePolicySizeQuota", "InstanceProfiles", "InstanceProfilesQuota", "Providers", "RolePolicySizeQuota",
		"Roles", "RolesQuota"}
	for _, k := range keys {
		if _, ok := sum[k]; !ok {
			t.Errorf("missing key %s", k)
		}
	}
	if len(sum) != len(keys) {
		t.Errorf("%d keys, want %d", len(sum), len(keys))
	}
	want := map[string]int{"UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "PoliciesQuota": 1500,
		"AccessKeysPerUserQuota": 2, "VersionsPerPolicyQuota": 5, "UserPolicySizeQuota": 2048, "Users": 0}
	for k, v := range want {
		if sum[k] != v {
			t.Errorf("%s = %d, want %d", k, sum[k], v)
		}
	}
	f.user("u")
	f.group("g")
	f.role("r")
	p := f.policy("p")
	_, err = f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, allowAll, false)
	f.ok(err)
	_, err = f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "ip"})
	f.ok(err)
	sum, _ = f.svc.GetAccountSummary(f.ctx, acct)
	for k, v := range map[string]int{"Users": 1, "Groups": 1, "Roles": 1, "Policies": 1, "PolicyVersionsInUse": 2, "InstanceProfiles": 1} {
		if sum[k] != v {
			t.Errorf("%s = %d, want %d", k, sum[k], v)
		}
	}
}
