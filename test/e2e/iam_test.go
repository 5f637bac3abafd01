package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const bucketPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`

func TestUsersGroupsAndPolicies(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	u := must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice"), Path: aws.String("/eng/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}}}))(t).User
	if aws.ToString(u.Arn) != "arn:aws:iam::000000000000:user/eng/alice" || u.CreateDate == nil || len(aws.ToString(u.UserId)) != 21 {
		t.Fatalf("CreateUser = %+v", u)
	}
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ALICE")})
	wantCode(t, err, "EntityAlreadyExists")
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("nobody")})
	wantCode(t, err, "NoSuchEntity")

	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs")}))(t)
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))(t)
	g := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")}))(t)
	if len(g.Users) != 1 || aws.ToString(g.Users[0].UserName) != "alice" {
		t.Fatalf("GetGroup users = %+v", g.Users)
	}

	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(bucketPolicy)}))(t).Policy
	arn := p.Arn
	if aws.ToString(arn) != "arn:aws:iam::000000000000:policy/read" || aws.ToString(p.DefaultVersionId) != "v1" {
		t.Fatalf("CreatePolicy = %+v", p)
	}
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Perhaps","Action":"s3:*","Resource":"*"}]}`)})
	wantCode(t, err, "MalformedPolicyDocument")
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{not json`)})
	wantCode(t, err, "MalformedPolicyDocument")

	// Versions: up to five, the default cannot be deleted.
	for i := 2; i <= 5; i++ {
		must(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(bucketPolicy), SetAsDefault: i == 5}))(t)
	}
	_, err = c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: arn, PolicyDocument: aws.String(bucketPolicy)})
	wantCode(t, err, "LimitExceeded")
	_, err = c.DeletePolicyVersion(ctx, &iam.DeletePolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v5")})
	wantCode(t, err, "DeleteConflict")
	v := must(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: arn, VersionId: aws.String("v1")}))(t).PolicyVersion
	doc, err := url.QueryUnescape(aws.ToString(v.Document))
	if err != nil || doc != bucketPolicy {
		t.Fatalf("policy document = %q (%v), want the URL-encoded original", aws.ToString(v.Document), err)
	}

	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: arn}))(t)
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: arn})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantCode(t, err, "DeleteConflict")

	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline"), PolicyDocument: aws.String(bucketPolicy)}))(t)
	names := must(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("alice")}))(t).PolicyNames
	if fmt.Sprint(names) != "[inline]" {
		t.Fatalf("ListUserPolicies = %v", names)
	}
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
	wantCode(t, err, "DeleteConflict")
}

func TestAccessKeys(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))(t)
	var ids []string
	for i := 0; i < 2; i++ {
		k := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")}))(t).AccessKey
		if len(aws.ToString(k.AccessKeyId)) != 20 || len(aws.ToString(k.SecretAccessKey)) != 40 || k.Status != types.StatusTypeActive {
			t.Fatalf("CreateAccessKey = %+v", k)
		}
		ids = append(ids, aws.ToString(k.AccessKeyId))
	}
	_, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("carol")})
	wantCode(t, err, "LimitExceeded")
	must(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("carol"), AccessKeyId: aws.String(ids[0]), Status: types.StatusTypeInactive}))(t)
	md := must(c.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("carol")}))(t).AccessKeyMetadata
	if len(md) != 2 {
		t.Fatalf("ListAccessKeys = %+v", md)
	}
	for _, m := range md {
		want := types.StatusTypeActive
		if aws.ToString(m.AccessKeyId) == ids[0] {
			want = types.StatusTypeInactive
		}
		if m.Status != want {
			t.Errorf("key %s status %s, want %s", aws.ToString(m.AccessKeyId), m.Status, want)
		}
	}
}

func TestListPaging(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	for i := 0; i < 7; i++ {
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("user%02d", i))}))(t)
	}
	var got []string
	pages := 0
	p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(3)})
	for p.HasMorePages() {
		out := must(p.NextPage(ctx))(t)
		pages++
		for _, u := range out.Users {
			got = append(got, aws.ToString(u.UserName))
		}
	}
	if pages != 3 || len(got) != 7 || got[0] != "user00" || got[6] != "user06" {
		t.Fatalf("paged %d pages: %v", pages, got)
	}
}

// TestOutputsCarryWhatAWSSends checks members AWS includes or leaves out of particular
// responses, as recorded from AWS.
func TestOutputsCarryWhatAWSSends(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	r := must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}))(t).Role
	if r.MaxSessionDuration != nil || r.RoleLastUsed != nil {
		t.Errorf("CreateRole Role = %+v; AWS sends neither MaxSessionDuration nor RoleLastUsed", r)
	}
	if got := must(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t).Role; aws.ToInt32(got.MaxSessionDuration) != 3600 {
		t.Errorf("GetRole MaxSessionDuration = %v, want 3600", got.MaxSessionDuration)
	}
	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(bucketPolicy)}))(t).Policy
	if got := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn}))(t).Policy; got.Tags == nil {
		t.Error("GetPolicy has no Tags element; AWS sends an empty one")
	}
	must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ip")}))(t)
	must(c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ip"), RoleName: aws.String("app")}))(t)
	ip := must(c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("ip")}))(t).InstanceProfile
	if ip.Tags == nil || len(ip.Roles) != 1 || ip.Roles[0].MaxSessionDuration != nil || aws.ToString(ip.Roles[0].RoleName) != "app" {
		t.Errorf("GetInstanceProfile = %+v", ip)
	}
}
