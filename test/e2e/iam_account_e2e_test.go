package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestIAMAccountAliases(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	aliases := func() []string {
		t.Helper()
		out := must(c.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))(t)
		if out.IsTruncated || out.Marker != nil {
			t.Fatalf("ListAccountAliases IsTruncated=%v Marker=%v", out.IsTruncated, out.Marker)
		}
		if out.AccountAliases == nil {
			t.Fatal("ListAccountAliases has no AccountAliases list")
		}
		return out.AccountAliases
	}
	iamxList(t, "initial aliases", aliases(), nil)

	must(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("acme-prod")}))(t)
	iamxList(t, "aliases", aliases(), []string{"acme-prod"})
	_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("acme-prod")})
	wantCode(t, err, "EntityAlreadyExists")

	// An account has one alias: creating another replaces it.
	must(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("acme-2")}))(t)
	iamxList(t, "aliases after replace", aliases(), []string{"acme-2"})
	_, err = c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("acme-prod")})
	wantCode(t, err, "NoSuchEntity")

	tests := []struct {
		alias string
	}{
		{"Upper-Case"}, {"-leading"}, {"trailing-"}, {"double--hyphen"}, {"ab"}, {"under_score"},
	}
	for _, tt := range tests {
		t.Run("invalid "+tt.alias, func(t *testing.T) {
			_, err := c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(tt.alias)})
			wantCode(t, err, "ValidationError")
		})
	}
	iamxList(t, "aliases after invalid creates", aliases(), []string{"acme-2"})

	must(c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("acme-2")}))(t)
	iamxList(t, "aliases after delete", aliases(), nil)
	_, err = c.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("acme-2")})
	wantCode(t, err, "NoSuchEntity")
	// The deleted alias is free again.
	must(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("acme-prod")}))(t)
	iamxList(t, "aliases after re-create", aliases(), []string{"acme-prod"})
}

func TestIAMAccountPasswordPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	_, err := c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	wantCode(t, err, "NoSuchEntity")

	must(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(10), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, MaxPasswordAge: aws.Int32(60),
		PasswordReusePrevention: aws.Int32(3), HardExpiry: aws.Bool(true),
	}))(t)
	p := must(c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))(t).PasswordPolicy
	want := types.PasswordPolicy{
		MinimumPasswordLength: aws.Int32(10), RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true,
		RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: true,
		MaxPasswordAge: aws.Int32(60), PasswordReusePrevention: aws.Int32(3), HardExpiry: aws.Bool(true),
	}
	iamxWantPasswordPolicy(t, p, want)

	// The update is not partial: what is not given reverts to its default.
	must(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{RequireNumbers: true}))(t)
	p = must(c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))(t).PasswordPolicy
	iamxWantPasswordPolicy(t, p, types.PasswordPolicy{MinimumPasswordLength: aws.Int32(6), RequireNumbers: true})

	tests := []struct {
		name string
		in   *iam.UpdateAccountPasswordPolicyInput
	}{
		{"minimum length below 6", &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(5)}},
		{"minimum length above 128", &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(129)}},
		{"reuse prevention above 24", &iam.UpdateAccountPasswordPolicyInput{PasswordReusePrevention: aws.Int32(25)}},
		{"max age above 1095", &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(1096)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateAccountPasswordPolicy(ctx, tt.in)
			wantCode(t, err, "ValidationError")
		})
	}
	// The rejected updates left the policy alone.
	p = must(c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))(t).PasswordPolicy
	iamxWantPasswordPolicy(t, p, types.PasswordPolicy{MinimumPasswordLength: aws.Int32(6), RequireNumbers: true})

	must(c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))(t)
	_, err = c.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	wantCode(t, err, "NoSuchEntity")
}

func iamxWantPasswordPolicy(t *testing.T, got *types.PasswordPolicy, want types.PasswordPolicy) {
	t.Helper()
	if got == nil {
		t.Fatal("no PasswordPolicy")
	}
	opt := func(v any, isNil bool) string {
		if isNil {
			return "nil"
		}
		return fmt.Sprint(v)
	}
	flat := func(p types.PasswordPolicy) string {
		return fmt.Sprintf("min=%s age=%s reuse=%s hard=%s sym=%v num=%v upper=%v lower=%v change=%v expire=%v",
			opt(aws.ToInt32(p.MinimumPasswordLength), p.MinimumPasswordLength == nil),
			opt(aws.ToInt32(p.MaxPasswordAge), p.MaxPasswordAge == nil),
			opt(aws.ToInt32(p.PasswordReusePrevention), p.PasswordReusePrevention == nil),
			opt(aws.ToBool(p.HardExpiry), p.HardExpiry == nil),
			p.RequireSymbols, p.RequireNumbers, p.RequireUppercaseCharacters, p.RequireLowercaseCharacters,
			p.AllowUsersToChangePassword, p.ExpirePasswords)
	}
	if flat(*got) != flat(want) {
		t.Fatalf("PasswordPolicy = %s, want %s", flat(*got), flat(want))
	}
}

func TestIAMAccountSummary(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	summary := func() map[string]int32 {
		t.Helper()
		return must(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap
	}
	before := summary()
	// The quotas are AWS's defaults for a new account.
	quotas := map[string]int32{
		"UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "PoliciesQuota": 1500, "InstanceProfilesQuota": 1000,
		"AccessKeysPerUserQuota": 2, "GroupsPerUserQuota": 10, "AttachedPoliciesPerUserQuota": 10,
		"AttachedPoliciesPerGroupQuota": 10, "AttachedPoliciesPerRoleQuota": 10, "VersionsPerPolicyQuota": 5,
		"UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120, "RolePolicySizeQuota": 10240, "PolicySizeQuota": 6144,
		"AssumeRolePolicySizeQuota": 2048, "ServerCertificatesQuota": 20, "SigningCertificatesPerUserQuota": 2,
		"PolicyVersionsInUseQuota": 10000,
	}
	for k, v := range quotas {
		if got, ok := before[k]; !ok || got != v {
			t.Errorf("SummaryMap[%s] = %d (present %v), want %d", k, got, ok, v)
		}
	}
	// A fresh dev account: nothing but the root access key "test".
	counts := map[string]int32{"Users": 0, "Groups": 0, "Roles": 0, "Policies": 0, "InstanceProfiles": 0,
		"AccountAccessKeysPresent": 1, "AccountMFAEnabled": 0, "MFADevices": 0, "ServerCertificates": 0, "Providers": 0}
	for k, v := range counts {
		if got, ok := before[k]; !ok || got != v {
			t.Errorf("initial SummaryMap[%s] = %d (present %v), want %d", k, got, ok, v)
		}
	}

	for _, u := range []string{"u1", "u2", "u3"} {
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)}))(t)
	}
	for _, g := range []string{"g1", "g2"} {
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g)}))(t)
	}
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r1"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	for _, p := range []string{"p1", "p2", "p3", "p4"} {
		must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(p), PolicyDocument: aws.String(bucketPolicy)}))(t)
	}
	for _, ip := range []string{"ip1", "ip2"} {
		must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(ip)}))(t)
	}
	// An IAM user's access key is not the account's (root) access key.
	must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u1")}))(t)
	after := summary()
	want := map[string]int32{"Users": 3, "Groups": 2, "Roles": 1, "Policies": 4, "InstanceProfiles": 2, "AccountAccessKeysPresent": 1}
	for k, v := range want {
		iamxEq(t, "SummaryMap["+k+"]", after[k], v)
	}
	// Quotas do not move.
	for k, v := range quotas {
		iamxEq(t, "SummaryMap["+k+"] after creating", after[k], v)
	}

	// Deleting brings the counts down again.
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("u3")}))(t)
	must(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("g2")}))(t)
	must(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("r1")}))(t)
	must(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: aws.String(iamxARN("policy", "/", "p4"))}))(t)
	must(c.DeleteInstanceProfile(ctx, &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("ip1")}))(t)
	after = summary()
	want = map[string]int32{"Users": 2, "Groups": 1, "Roles": 0, "Policies": 3, "InstanceProfiles": 1}
	for k, v := range want {
		iamxEq(t, "SummaryMap["+k+"] after deletes", after[k], v)
	}
}

func TestIAMAccountAuthorizationDetails(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	// A user in a group, with inline, attached, boundary and tags; the group with inline and
	// attached policies; a role with inline and attached policies in an instance profile; a
	// managed policy with two versions.
	shared := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("shared"), Path: aws.String("/p/"), PolicyDocument: aws.String(iamxPolicy("s3:GetObject")), Description: aws.String("desc")}))(t).Policy
	must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: shared.Arn, PolicyDocument: aws.String(iamxPolicy("s3:PutObject")), SetAsDefault: true}))(t)
	boundary := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary"), PolicyDocument: aws.String(iamxPolicy("s3:*"))}))(t).Policy

	user := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"), Tags: iamxTags("team", "core"), PermissionsBoundary: boundary.Arn}))(t).User
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("alice-inline"), PolicyDocument: aws.String(bucketPolicy)}))(t)
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: shared.Arn}))(t)
	group := must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))(t).Group
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))(t)
	must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("devs"), PolicyName: aws.String("devs-inline"), PolicyDocument: aws.String(iamxPolicy("sqs:*"))}))(t)
	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: shared.Arn}))(t)
	role := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(iamxTrust), Tags: iamxTags("env", "prod")}))(t).Role
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("app-inline"), PolicyDocument: aws.String(iamxPolicy("logs:*"))}))(t)
	must(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("app"), PolicyArn: shared.Arn}))(t)
	must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("app-profile")}))(t)
	must(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("app-profile"), RoleName: aws.String("app")}))(t)

	out := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{}))(t)
	if out.IsTruncated {
		t.Fatal("IsTruncated")
	}

	t.Run("users", func(t *testing.T) {
		if len(out.UserDetailList) != 1 {
			t.Fatalf("UserDetailList = %+v", out.UserDetailList)
		}
		u := out.UserDetailList[0]
		iamxEq(t, "UserName", aws.ToString(u.UserName), "alice")
		iamxEq(t, "UserId", aws.ToString(u.UserId), aws.ToString(user.UserId))
		iamxEq(t, "Arn", aws.ToString(u.Arn), iamxARN("user", "/eng/", "alice"))
		iamxEq(t, "Path", aws.ToString(u.Path), "/eng/")
		iamxRecent(t, "CreateDate", u.CreateDate)
		iamxList(t, "GroupList", u.GroupList, []string{"devs"})
		iamxList(t, "AttachedManagedPolicies", iamxAttachedARNs(u.AttachedManagedPolicies), []string{aws.ToString(shared.Arn)})
		if len(u.UserPolicyList) != 1 || aws.ToString(u.UserPolicyList[0].PolicyName) != "alice-inline" {
			t.Fatalf("UserPolicyList = %+v", u.UserPolicyList)
		}
		iamxWantDoc(t, "user inline", u.UserPolicyList[0].PolicyDocument, bucketPolicy)
		if u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(boundary.Arn) {
			t.Fatalf("PermissionsBoundary = %+v", u.PermissionsBoundary)
		}
		iamxList(t, "Tags", iamxTagPairs(u.Tags), []string{"team=core"})
	})
	t.Run("groups", func(t *testing.T) {
		if len(out.GroupDetailList) != 1 {
			t.Fatalf("GroupDetailList = %+v", out.GroupDetailList)
		}
		g := out.GroupDetailList[0]
		iamxEq(t, "GroupName", aws.ToString(g.GroupName), "devs")
		iamxEq(t, "GroupId", aws.ToString(g.GroupId), aws.ToString(group.GroupId))
		iamxEq(t, "Arn", aws.ToString(g.Arn), iamxARN("group", "/", "devs"))
		iamxList(t, "AttachedManagedPolicies", iamxAttachedNames(g.AttachedManagedPolicies), []string{"shared"})
		if len(g.GroupPolicyList) != 1 || aws.ToString(g.GroupPolicyList[0].PolicyName) != "devs-inline" {
			t.Fatalf("GroupPolicyList = %+v", g.GroupPolicyList)
		}
		iamxWantDoc(t, "group inline", g.GroupPolicyList[0].PolicyDocument, iamxPolicy("sqs:*"))
	})
	t.Run("roles", func(t *testing.T) {
		if len(out.RoleDetailList) != 1 {
			t.Fatalf("RoleDetailList = %+v", out.RoleDetailList)
		}
		r := out.RoleDetailList[0]
		iamxEq(t, "RoleName", aws.ToString(r.RoleName), "app")
		iamxEq(t, "RoleId", aws.ToString(r.RoleId), aws.ToString(role.RoleId))
		iamxEq(t, "Arn", aws.ToString(r.Arn), iamxARN("role", "/svc/", "app"))
		iamxWantDoc(t, "trust", r.AssumeRolePolicyDocument, iamxTrust)
		iamxList(t, "AttachedManagedPolicies", iamxAttachedNames(r.AttachedManagedPolicies), []string{"shared"})
		if len(r.RolePolicyList) != 1 || aws.ToString(r.RolePolicyList[0].PolicyName) != "app-inline" {
			t.Fatalf("RolePolicyList = %+v", r.RolePolicyList)
		}
		iamxWantDoc(t, "role inline", r.RolePolicyList[0].PolicyDocument, iamxPolicy("logs:*"))
		if len(r.InstanceProfileList) != 1 || aws.ToString(r.InstanceProfileList[0].InstanceProfileName) != "app-profile" ||
			aws.ToString(r.InstanceProfileList[0].Arn) != iamxARN("instance-profile", "/", "app-profile") {
			t.Fatalf("InstanceProfileList = %+v", r.InstanceProfileList)
		}
		iamxList(t, "Tags", iamxTagPairs(r.Tags), []string{"env=prod"})
	})
	t.Run("policies", func(t *testing.T) {
		var names []string
		for _, p := range out.Policies {
			names = append(names, aws.ToString(p.PolicyName))
		}
		iamxList(t, "Policies", names, []string{"boundary", "shared"})
		i := slices.IndexFunc(out.Policies, func(p types.ManagedPolicyDetail) bool { return aws.ToString(p.PolicyName) == "shared" })
		p := out.Policies[i]
		iamxEq(t, "Arn", aws.ToString(p.Arn), iamxARN("policy", "/p/", "shared"))
		iamxID(t, "policy", p.PolicyId, "ANPA")
		iamxEq(t, "DefaultVersionId", aws.ToString(p.DefaultVersionId), "v2")
		iamxEq(t, "AttachmentCount", aws.ToInt32(p.AttachmentCount), 3)
		iamxEq(t, "IsAttachable", p.IsAttachable, true)
		iamxEq(t, "Description", aws.ToString(p.Description), "desc")
		docs := map[string]string{}
		for _, v := range p.PolicyVersionList {
			docs[aws.ToString(v.VersionId)] = iamxDoc(t, v.Document)
			iamxEq(t, "IsDefaultVersion of "+aws.ToString(v.VersionId), v.IsDefaultVersion, aws.ToString(v.VersionId) == "v2")
		}
		if len(docs) != 2 || docs["v1"] != iamxPolicy("s3:GetObject") || docs["v2"] != iamxPolicy("s3:PutObject") {
			t.Fatalf("PolicyVersionList documents = %v", docs)
		}
		b := out.Policies[1-i]
		iamxEq(t, "boundary PermissionsBoundaryUsageCount", aws.ToInt32(b.PermissionsBoundaryUsageCount), 1)
	})

	t.Run("filters", func(t *testing.T) {
		tests := []struct {
			filter                        []types.EntityType
			users, groups, roles, polices int
		}{
			{[]types.EntityType{types.EntityTypeUser}, 1, 0, 0, 0},
			{[]types.EntityType{types.EntityTypeGroup}, 0, 1, 0, 0},
			{[]types.EntityType{types.EntityTypeRole}, 0, 0, 1, 0},
			{[]types.EntityType{types.EntityTypeLocalManagedPolicy}, 0, 0, 0, 2},
			{[]types.EntityType{types.EntityTypeRole, types.EntityTypeUser}, 1, 0, 1, 0},
		}
		for _, tt := range tests {
			out := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: tt.filter}))(t)
			got := [4]int{len(out.UserDetailList), len(out.GroupDetailList), len(out.RoleDetailList), len(out.Policies)}
			if got != [4]int{tt.users, tt.groups, tt.roles, tt.polices} {
				t.Errorf("filter %v: users, groups, roles, policies = %v", tt.filter, got)
			}
		}
		_, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{"Robot"}})
		wantCode(t, err, "ValidationError")
	})

	t.Run("paging", func(t *testing.T) {
		// MaxItems counts the items of all four lists together: 1 user, 1 group, 1 role and
		// 2 policies come in pages of 2, 2 and 1.
		var all []string
		_, sizes := iamxPages(t, 2, func(m *string) iamxPage {
			out := must(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{MaxItems: aws.Int32(2), Marker: m}))(t)
			var n []string
			for _, u := range out.UserDetailList {
				n = append(n, "user:"+aws.ToString(u.UserName))
			}
			for _, g := range out.GroupDetailList {
				n = append(n, "group:"+aws.ToString(g.GroupName))
			}
			for _, r := range out.RoleDetailList {
				n = append(n, "role:"+aws.ToString(r.RoleName))
			}
			for _, p := range out.Policies {
				n = append(n, "policy:"+aws.ToString(p.PolicyName))
			}
			all = append(all, n...)
			return iamxPage{n, out.IsTruncated, out.Marker}
		})
		iamxList(t, "paged details", iamxSorted(all), []string{"group:devs", "policy:boundary", "policy:shared", "role:app", "user:alice"})
		iamxEq(t, "page sizes", fmt.Sprint(sizes), "[2 2 1]")
	})
}
