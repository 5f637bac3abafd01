package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestIAMUserCreateGetAndListByPath(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	u := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/backend/"),
		Tags: iamxTags("team", "core")}))(t).User
	iamxEq(t, "Arn", aws.ToString(u.Arn), iamxARN("user", "/eng/backend/", "alice"))
	iamxEq(t, "Path", aws.ToString(u.Path), "/eng/backend/")
	iamxID(t, "user", u.UserId, "AIDA")
	iamxRecent(t, "CreateDate", u.CreateDate)
	iamxList(t, "CreateUser tags", iamxTagPairs(u.Tags), []string{"team=core"})

	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob"), Path: aws.String("/eng/")}))(t)
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))(t)

	got := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}))(t).User
	iamxEq(t, "GetUser UserId", aws.ToString(got.UserId), aws.ToString(u.UserId))
	iamxEq(t, "GetUser Arn", aws.ToString(got.Arn), aws.ToString(u.Arn))
	iamxList(t, "GetUser tags", iamxTagPairs(got.Tags), []string{"team=core"})
	if got.PermissionsBoundary != nil || got.PasswordLastUsed != nil {
		t.Fatalf("GetUser = %+v, want no boundary and no PasswordLastUsed", got)
	}

	// Without a UserName, GetUser describes the caller: for the root user, the account.
	root := must(c.GetUser(ctx, &iam.GetUserInput{}))(t).User
	iamxEq(t, "root UserId", aws.ToString(root.UserId), iamxAccount)
	iamxEq(t, "root Arn", aws.ToString(root.Arn), "arn:aws:iam::"+iamxAccount+":root")

	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"alice", "bob", "carol"}},
		{"/", []string{"alice", "bob", "carol"}},
		{"/eng/", []string{"alice", "bob"}},
		{"/eng/backend/", []string{"alice"}},
		{"/ops/", nil},
	}
	for _, tt := range tests {
		t.Run("prefix "+tt.prefix, func(t *testing.T) {
			in := &iam.ListUsersInput{}
			if tt.prefix != "" {
				in.PathPrefix = aws.String(tt.prefix)
			}
			out := must(c.ListUsers(ctx, in))(t)
			var names []string
			for _, u := range out.Users {
				names = append(names, aws.ToString(u.UserName))
				if len(u.Tags) != 0 {
					t.Errorf("ListUsers returned tags for %s: %v", aws.ToString(u.UserName), u.Tags)
				}
				if aws.ToString(u.Arn) != iamxARN("user", aws.ToString(u.Path), aws.ToString(u.UserName)) {
					t.Errorf("ListUsers user %s has Arn %s", aws.ToString(u.UserName), aws.ToString(u.Arn))
				}
			}
			iamxList(t, "ListUsers", names, tt.want)
			if out.IsTruncated || out.Marker != nil {
				t.Fatalf("ListUsers IsTruncated=%v Marker=%v", out.IsTruncated, out.Marker)
			}
		})
	}

	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave"), Path: aws.String("no-slashes")})
	wantCode(t, err, "ValidationError")
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad name!")})
	wantCode(t, err, "ValidationError")
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1), Marker: aws.String("not-a-marker")})
	wantCode(t, err, "ValidationError")
}

func TestIAMUpdateUserRenamesAndMoves(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	orig := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dana"), Path: aws.String("/eng/")}))(t).User
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("erin")}))(t)
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))(t)
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("dana")}))(t)
	key := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dana")}))(t).AccessKey
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(iamxPolicy("s3:ListBucket"))}))(t).Policy
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dana"), PolicyArn: pol.Arn}))(t)
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dana"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(bucketPolicy)}))(t)
	must(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("dana"), Password: aws.String("Dana-Passw0rd!")}))(t)

	must(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("dana"), NewUserName: aws.String("dana2"), NewPath: aws.String("/ops/")}))(t)

	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dana")})
	wantCode(t, err, "NoSuchEntity")
	u := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dana2")}))(t).User
	iamxEq(t, "renamed UserId", aws.ToString(u.UserId), aws.ToString(orig.UserId))
	iamxEq(t, "renamed Arn", aws.ToString(u.Arn), iamxARN("user", "/ops/", "dana2"))
	iamxEq(t, "renamed Path", aws.ToString(u.Path), "/ops/")
	iamxEq(t, "CreateDate kept", aws.ToTime(u.CreateDate), aws.ToTime(orig.CreateDate))

	// Everything that refers to the user follows the rename.
	g := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")}))(t)
	if len(g.Users) != 1 || aws.ToString(g.Users[0].UserName) != "dana2" || aws.ToString(g.Users[0].Arn) != iamxARN("user", "/ops/", "dana2") {
		t.Fatalf("GetGroup users after rename = %+v", g.Users)
	}
	keys := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("dana2")}))(t).AccessKeyMetadata
	if len(keys) != 1 || aws.ToString(keys[0].AccessKeyId) != aws.ToString(key.AccessKeyId) || aws.ToString(keys[0].UserName) != "dana2" {
		t.Fatalf("ListAccessKeys after rename = %+v", keys)
	}
	att := must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("dana2")}))(t).AttachedPolicies
	iamxList(t, "attached after rename", iamxAttachedNames(att), []string{"p"})
	ents := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: pol.Arn}))(t)
	if len(ents.PolicyUsers) != 1 || aws.ToString(ents.PolicyUsers[0].UserName) != "dana2" || aws.ToString(ents.PolicyUsers[0].UserId) != aws.ToString(orig.UserId) {
		t.Fatalf("ListEntitiesForPolicy users after rename = %+v", ents.PolicyUsers)
	}
	lp := must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("dana2")}))(t).LoginProfile
	iamxEq(t, "login profile UserName after rename", aws.ToString(lp.UserName), "dana2")
	inl := must(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("dana2"), PolicyName: aws.String("inline")}))(t)
	iamxEq(t, "inline policy UserName after rename", aws.ToString(inl.UserName), "dana2")
	iamxWantDoc(t, "inline policy after rename", inl.PolicyDocument, bucketPolicy)
	id := must(newClients(s.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey)).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "caller ARN after rename", aws.ToString(id.Arn), iamxARN("user", "/ops/", "dana2"))

	// A path-only move keeps the name.
	must(c.UpdateUser(ctx, &iam.UpdateUserInput{UserName: aws.String("dana2"), NewPath: aws.String("/")}))(t)
	u = must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dana2")}))(t).User
	iamxEq(t, "moved Arn", aws.ToString(u.Arn), iamxARN("user", "/", "dana2"))

	tests := []struct {
		name string
		in   *iam.UpdateUserInput
		code string
	}{
		{"rename onto an existing user", &iam.UpdateUserInput{UserName: aws.String("dana2"), NewUserName: aws.String("ERIN")}, "EntityAlreadyExists"},
		{"unknown user", &iam.UpdateUserInput{UserName: aws.String("nobody"), NewUserName: aws.String("somebody")}, "NoSuchEntity"},
		{"invalid new path", &iam.UpdateUserInput{UserName: aws.String("dana2"), NewPath: aws.String("ops")}, "ValidationError"},
		{"invalid new name", &iam.UpdateUserInput{UserName: aws.String("dana2"), NewUserName: aws.String("a/b")}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateUser(ctx, tt.in)
			wantCode(t, err, tt.code)
		})
	}
	// The failed calls changed nothing.
	must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("dana2")}))(t)
	must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("erin")}))(t)
}

func TestIAMUserPermissionsBoundary(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	b1 := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary1"), PolicyDocument: aws.String(iamxPolicy("s3:*"))}))(t).Policy
	b2 := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("boundary2"), Path: aws.String("/b/"), PolicyDocument: aws.String(iamxPolicy("ec2:*"))}))(t).Policy

	// CreateUser can set a boundary directly.
	u := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bounded"), PermissionsBoundary: b1.Arn}))(t).User
	if u.PermissionsBoundary == nil || aws.ToString(u.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(b1.Arn) ||
		u.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Fatalf("CreateUser boundary = %+v", u.PermissionsBoundary)
	}
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("free")}))(t)

	usage := func(p *types.Policy) int32 {
		t.Helper()
		return aws.ToInt32(must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn}))(t).Policy.PermissionsBoundaryUsageCount)
	}
	iamxEq(t, "boundary1 usage", usage(b1), 1)

	must(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("free"), PermissionsBoundary: b2.Arn}))(t)
	got := must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("free")}))(t).User
	if got.PermissionsBoundary == nil || aws.ToString(got.PermissionsBoundary.PermissionsBoundaryArn) != iamxARN("policy", "/b/", "boundary2") ||
		got.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Fatalf("GetUser boundary = %+v", got.PermissionsBoundary)
	}
	iamxEq(t, "boundary2 usage", usage(b2), 1)

	// Replacing a boundary moves the usage count from the old policy to the new one.
	must(c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("free"), PermissionsBoundary: b1.Arn}))(t)
	iamxEq(t, "boundary1 usage after replace", usage(b1), 2)
	iamxEq(t, "boundary2 usage after replace", usage(b2), 0)

	// A policy in use as a boundary cannot be deleted.
	_, err := c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: b1.Arn})
	wantCode(t, err, "DeleteConflict")

	must(c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("free")}))(t)
	got = must(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("free")}))(t).User
	if got.PermissionsBoundary != nil {
		t.Fatalf("boundary after DeleteUserPermissionsBoundary = %+v", got.PermissionsBoundary)
	}
	iamxEq(t, "boundary1 usage after delete", usage(b1), 1)

	// Deleting the user releases its boundary.
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bounded")}))(t)
	iamxEq(t, "boundary1 usage after DeleteUser", usage(b1), 0)
	must(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: b1.Arn}))(t)

	missing := iamxARN("policy", "/", "missing")
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"put on unknown user", func() error {
			_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("nobody"), PermissionsBoundary: b2.Arn})
			return err
		}, "NoSuchEntity"},
		{"put unknown policy", func() error {
			_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("free"), PermissionsBoundary: aws.String(missing)})
			return err
		}, "NoSuchEntity"},
		{"put malformed ARN", func() error {
			_, err := c.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("free"), PermissionsBoundary: aws.String("arn:aws:iam::000000000000:user/free")})
			return err
		}, "InvalidInput"},
		{"create user with unknown boundary", func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("zed"), PermissionsBoundary: aws.String(missing)})
			return err
		}, "NoSuchEntity"},
		{"delete on unknown user", func() error {
			_, err := c.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("zed")})
	wantCode(t, err, "NoSuchEntity")
}

func TestIAMUserInlinePolicies(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ivy")}))(t)

	docs := map[string]string{"zeta": iamxPolicy("s3:GetObject"), "alpha": iamxPolicy("sqs:SendMessage"), "mid": iamxPolicy("sns:Publish")}
	for name, doc := range docs {
		must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}))(t)
	}
	for name, doc := range docs {
		out := must(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String(name)}))(t)
		iamxEq(t, "GetUserPolicy UserName", aws.ToString(out.UserName), "ivy")
		iamxEq(t, "GetUserPolicy PolicyName", aws.ToString(out.PolicyName), name)
		iamxWantDoc(t, "GetUserPolicy "+name, out.PolicyDocument, doc)
	}

	// Names come back sorted, and page.
	names, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ivy"), MaxItems: aws.Int32(2), Marker: m}))(t)
		return iamxPage{out.PolicyNames, out.IsTruncated, out.Marker}
	})
	iamxList(t, "ListUserPolicies", names, []string{"alpha", "mid", "zeta"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")

	// Put replaces a policy of the same name.
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("mid"), PolicyDocument: aws.String(bucketPolicy)}))(t)
	out := must(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("mid")}))(t)
	iamxWantDoc(t, "replaced policy", out.PolicyDocument, bucketPolicy)

	must(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("mid")}))(t)
	list := must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ivy")}))(t)
	iamxList(t, "ListUserPolicies after delete", list.PolicyNames, []string{"alpha", "zeta"})
	_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("mid")})
	wantCode(t, err, "NoSuchEntity")

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"delete missing policy", func() error {
			_, err := c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("mid")})
			return err
		}, "NoSuchEntity"},
		{"get on unknown user", func() error {
			_, err := c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("nobody"), PolicyName: aws.String("alpha")})
			return err
		}, "NoSuchEntity"},
		{"put on unknown user", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("nobody"), PolicyName: aws.String("p"), PolicyDocument: aws.String(bucketPolicy)})
			return err
		}, "NoSuchEntity"},
		{"list on unknown user", func() error {
			_, err := c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
		{"malformed document", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`)})
			return err
		}, "MalformedPolicyDocument"},
		{"inline size quota (2048 for a user)", func() error {
			_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String("big"), PolicyDocument: aws.String(iamxBigPolicy(2100))})
			return err
		}, "LimitExceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	list = must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ivy")}))(t)
	iamxList(t, "ListUserPolicies after failures", list.PolicyNames, []string{"alpha", "zeta"})

	// Once its inline policies are gone the user can be deleted.
	for _, n := range list.PolicyNames {
		must(c.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("ivy"), PolicyName: aws.String(n)}))(t)
	}
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("ivy")}))(t)
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ivy")})
	wantCode(t, err, "NoSuchEntity")
}

func TestIAMUserManagedPolicyAttachments(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("jo")}))(t)

	arns := map[string]string{}
	for _, p := range []struct{ name, path string }{{"Zulu", "/"}, {"alpha", "/team/"}, {"Mike", "/team/"}} {
		pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(p.name), Path: aws.String(p.path), PolicyDocument: aws.String(iamxPolicy("s3:GetObject"))}))(t).Policy
		arns[p.name] = aws.ToString(pol.Arn)
		must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: pol.Arn}))(t)
	}
	// Attaching again is a no-op.
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: aws.String(arns["alpha"])}))(t)
	pol := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns["alpha"])}))(t).Policy
	iamxEq(t, "AttachmentCount after double attach", aws.ToInt32(pol.AttachmentCount), 1)

	out := must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jo")}))(t)
	iamxList(t, "attached names", iamxAttachedNames(out.AttachedPolicies), []string{"alpha", "Mike", "Zulu"})
	iamxList(t, "attached ARNs", iamxAttachedARNs(out.AttachedPolicies),
		[]string{iamxARN("policy", "/team/", "alpha"), iamxARN("policy", "/team/", "Mike"), iamxARN("policy", "/", "Zulu")})
	if out.IsTruncated {
		t.Fatal("ListAttachedUserPolicies is truncated")
	}
	byPath := must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jo"), PathPrefix: aws.String("/team/")}))(t)
	iamxList(t, "attached under /team/", iamxAttachedNames(byPath.AttachedPolicies), []string{"alpha", "Mike"})
	names, sizes := iamxPages(t, 1, func(m *string) iamxPage {
		out := must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jo"), MaxItems: aws.Int32(1), Marker: m}))(t)
		return iamxPage{iamxAttachedNames(out.AttachedPolicies), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged attached names", names, []string{"alpha", "Mike", "Zulu"})
	iamxEq(t, "pages", len(sizes), 3)

	// A user with attached policies cannot be deleted.
	_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("jo")})
	wantCode(t, err, "DeleteConflict")

	must(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: aws.String(arns["Mike"])}))(t)
	out = must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jo")}))(t)
	iamxList(t, "attached after detach", iamxAttachedNames(out.AttachedPolicies), []string{"alpha", "Zulu"})
	pol = must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns["Mike"])}))(t).Policy
	iamxEq(t, "AttachmentCount after detach", aws.ToInt32(pol.AttachmentCount), 0)

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"detach a policy that is not attached", func() error {
			_, err := c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: aws.String(arns["Mike"])})
			return err
		}, "NoSuchEntity"},
		{"attach an unknown policy", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: aws.String(iamxARN("policy", "/", "nope"))})
			return err
		}, "NoSuchEntity"},
		{"attach to an unknown user", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("nobody"), PolicyArn: aws.String(arns["Zulu"])})
			return err
		}, "NoSuchEntity"},
		{"attach something that is not an ARN", func() error {
			_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: aws.String("longpolicynamebutnoarn")})
			return err
		}, "ValidationError"},
		{"list for an unknown user", func() error {
			_, err := c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	// At most 10 managed policies per user.
	for i := 0; i < 9; i++ {
		p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("extra%d", i)), PolicyDocument: aws.String(iamxPolicy("s3:GetObject"))}))(t).Policy
		_, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("jo"), PolicyArn: p.Arn})
		if i < 8 {
			iamxOK(t, err)
			continue
		}
		wantCode(t, err, "LimitExceeded")
	}
	out = must(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("jo")}))(t)
	iamxEq(t, "attached at quota", len(out.AttachedPolicies), 10)
}

func TestIAMGroupsForUserAndRemoveUserFromGroup(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("kim")}))(t)
	for _, g := range []string{"ops", "Admins", "devs"} {
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(g), Path: aws.String("/g/")}))(t)
		must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(g), UserName: aws.String("kim")}))(t)
	}
	// Adding a member again is a no-op.
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("kim")}))(t)

	out := must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("kim")}))(t)
	var names []string
	for _, g := range out.Groups {
		names = append(names, aws.ToString(g.GroupName))
		iamxEq(t, "group Arn", aws.ToString(g.Arn), iamxARN("group", "/g/", aws.ToString(g.GroupName)))
		iamxID(t, "group", g.GroupId, "AGPA")
		iamxRecent(t, "group CreateDate", g.CreateDate)
	}
	iamxList(t, "ListGroupsForUser", names, []string{"Admins", "devs", "ops"})
	paged, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("kim"), MaxItems: aws.Int32(2), Marker: m}))(t)
		var n []string
		for _, g := range out.Groups {
			n = append(n, aws.ToString(g.GroupName))
		}
		return iamxPage{n, out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged ListGroupsForUser", paged, []string{"Admins", "devs", "ops"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")

	_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("kim")})
	wantCode(t, err, "DeleteConflict")

	must(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("kim")}))(t)
	out = must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("kim")}))(t)
	if len(out.Groups) != 2 || aws.ToString(out.Groups[0].GroupName) != "Admins" || aws.ToString(out.Groups[1].GroupName) != "ops" {
		t.Fatalf("ListGroupsForUser after remove = %+v", out.Groups)
	}
	g := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")}))(t)
	if len(g.Users) != 0 {
		t.Fatalf("GetGroup devs users after remove = %+v", g.Users)
	}
	// Removing a user that is not a member succeeds and changes nothing, as in AWS.
	must(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("kim")}))(t)
	out = must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("kim")}))(t)
	iamxList(t, "groups after removing a non-member", iamxGroupNames(out.Groups), []string{"Admins", "ops"})
	// An empty group can be deleted again.
	must(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")}))(t)

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"remove from unknown group", func() error {
			_, err := c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String("kim")})
			return err
		}, "NoSuchEntity"},
		{"remove unknown user", func() error {
			_, err := c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("ops"), UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
		{"list for unknown user", func() error {
			_, err := c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
		{"add to unknown group", func() error {
			_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("nope"), UserName: aws.String("kim")})
			return err
		}, "NoSuchEntity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	// A user belongs to at most 10 groups.
	for i := 0; i < 9; i++ {
		name := fmt.Sprintf("g%d", i)
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)}))(t)
		_, err := c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String(name), UserName: aws.String("kim")})
		if i < 8 {
			iamxOK(t, err)
			continue
		}
		wantCode(t, err, "LimitExceeded")
	}
	out = must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("kim")}))(t)
	iamxEq(t, "groups at quota", len(out.Groups), 10)
}

func TestIAMAccessKeyLastUsedAndDelete(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("lee")}))(t)
	k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("lee")}))(t).AccessKey
	akid := aws.ToString(k.AccessKeyId)
	iamxEq(t, "CreateAccessKey UserName", aws.ToString(k.UserName), "lee")
	iamxRecent(t, "CreateAccessKey CreateDate", k.CreateDate)
	if len(akid) != 20 || akid[:4] != "AKIA" {
		t.Fatalf("AccessKeyId = %q, want AKIA and 16 more characters", akid)
	}

	// Never used: AWS answers N/A for the service and the Region, and no date.
	lu := must(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}))(t)
	iamxEq(t, "UserName", aws.ToString(lu.UserName), "lee")
	if lu.AccessKeyLastUsed == nil || aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "N/A" ||
		aws.ToString(lu.AccessKeyLastUsed.Region) != "N/A" || lu.AccessKeyLastUsed.LastUsedDate != nil {
		t.Fatalf("GetAccessKeyLastUsed of an unused key = %+v", lu.AccessKeyLastUsed)
	}

	// Sign a request with the key; its use is recorded.
	lee := newClients(s.URL, akid, aws.ToString(k.SecretAccessKey))
	id := must(lee.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "caller", aws.ToString(id.Arn), iamxARN("user", "/", "lee"))
	lu = must(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}))(t)
	if lu.AccessKeyLastUsed == nil || aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "sts" || aws.ToString(lu.AccessKeyLastUsed.Region) != "us-east-1" {
		t.Fatalf("GetAccessKeyLastUsed after use = %+v", lu.AccessKeyLastUsed)
	}
	iamxRecent(t, "LastUsedDate", lu.AccessKeyLastUsed.LastUsedDate)

	// The user cannot be deleted while it has an access key.
	_, err := c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("lee")})
	wantCode(t, err, "DeleteConflict")

	must(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("lee"), AccessKeyId: k.AccessKeyId}))(t)
	keys := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("lee")}))(t)
	if len(keys.AccessKeyMetadata) != 0 || keys.IsTruncated {
		t.Fatalf("ListAccessKeys after delete = %+v", keys.AccessKeyMetadata)
	}
	// The deleted key no longer authenticates.
	_, err = lee.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("lee"), AccessKeyId: k.AccessKeyId})
	wantCode(t, err, "NoSuchEntity")
	// For a key that is not the account's, AWS answers AccessDenied rather than NoSuchEntity.
	_, err = c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	wantCode(t, err, "AccessDenied")
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("lee")}))(t)

	// Another user's key cannot be deleted through the wrong user.
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("max")}))(t)
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ned")}))(t)
	mk := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("max")}))(t).AccessKey
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("ned"), AccessKeyId: mk.AccessKeyId})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("nobody"), AccessKeyId: mk.AccessKeyId})
	wantCode(t, err, "NoSuchEntity")
	keys = must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("max")}))(t)
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != aws.ToString(mk.AccessKeyId) {
		t.Fatalf("max's keys = %+v", keys.AccessKeyMetadata)
	}
}

func TestIAMRootAccessKeys(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	// Without a UserName the root caller manages the root user's own keys; the dev key "test"
	// is one of them.
	k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))(t).AccessKey
	if k.UserName != nil {
		t.Fatalf("root access key has UserName %q", aws.ToString(k.UserName))
	}
	keys := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))(t).AccessKeyMetadata
	var ids []string
	for _, m := range keys {
		ids = append(ids, aws.ToString(m.AccessKeyId))
	}
	iamxList(t, "root keys", ids, []string{"test", aws.ToString(k.AccessKeyId)})

	// The new key works and signs as root.
	root2 := newClients(s.URL, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	id := must(root2.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "caller", aws.ToString(id.Arn), "arn:aws:iam::"+iamxAccount+":root")
	lu := must(c.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId}))(t)
	if aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "sts" || lu.UserName != nil {
		t.Fatalf("root key last used = %+v, user %v", lu.AccessKeyLastUsed, lu.UserName)
	}
	// Deactivated, it stops authenticating; deleted, it is gone.
	must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{AccessKeyId: k.AccessKeyId, Status: types.StatusTypeInactive}))(t)
	_, err := root2.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
	must(c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: k.AccessKeyId}))(t)
	_, err = root2.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
	keys = must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))(t).AccessKeyMetadata
	if len(keys) != 1 || aws.ToString(keys[0].AccessKeyId) != "test" {
		t.Fatalf("root keys after delete = %+v", keys)
	}
	_, err = c.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: k.AccessKeyId})
	wantCode(t, err, "NoSuchEntity")
}
