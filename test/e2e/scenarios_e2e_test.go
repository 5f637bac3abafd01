package e2e

// AWS's IAM best practices, enforced end to end: each scenario sets up principals and
// policies as the account root user, then acts as the principal with aws-sdk-go-v2.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

// scenarioUser creates a user with an access key, as root, and returns its clients.
func scenarioUser(t *testing.T, s *app.Server, name string) clients {
	t.Helper()
	ctx := context.Background()
	root := rootClients(s)
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))(t)
	key := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}))(t).AccessKey
	return newClients(s.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey))
}

// wantDenied fails unless err is AccessDenied with exactly the message.
func wantDenied(t *testing.T, err error, message string) {
	t.Helper()
	wantCode(t, err, "AccessDenied")
	var ae smithy.APIError
	if errors.As(err, &ae); ae.ErrorMessage() != message {
		t.Fatalf("message\n got %s\nwant %s", ae.ErrorMessage(), message)
	}
}

func putUserPolicy(t *testing.T, root clients, user, name, doc string) {
	t.Helper()
	must(root.iam.PutUserPolicy(context.Background(), &iam.PutUserPolicyInput{UserName: aws.String(user),
		PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}))(t)
}

func TestScenarioNewUserCanDoNothing(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	bob := scenarioUser(t, s, "bob")
	id := must(bob.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(id.Arn) != "arn:aws:iam::000000000000:user/bob" {
		t.Fatalf("GetCallerIdentity: %s", aws.ToString(id.Arn))
	}
	_, err := bob.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action")
	_, err = bob.iam.GetUser(ctx, &iam.GetUserInput{})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:GetUser on resource: arn:aws:iam::000000000000:user/bob because no identity-based policy allows the iam:GetUser action")
	_, err = bob.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory"), Path: aws.String("/x/")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/x/mallory because no identity-based policy allows the iam:CreateUser action")
	// The denial is audited like any failed call.
	root := rootClients(s)
	out := must(root.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
		{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateUser")}}}))(t)
	if len(out.Events) != 2 { // root created bob; bob was denied (newest first)
		t.Fatalf("CreateUser events = %d, want 2", len(out.Events))
	}
	if e := aws.ToString(out.Events[0].CloudTrailEvent); !strings.Contains(e, `"errorCode":"AccessDenied"`) || !strings.Contains(e, "user/bob") {
		t.Fatalf("the denial is not audited as such: %s", e)
	}
}

func TestScenarioGroupPolicyGrantsExactlyOneResource(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	alice := scenarioUser(t, s, "alice")
	for _, r := range []string{"app", "billing"} {
		must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(r), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	}
	must(root.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("app-team")}))(t)
	must(root.iam.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("app-team"), UserName: aws.String("alice")}))(t)
	must(root.iam.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("app-team"), PolicyName: aws.String("one-role"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["iam:GetRole","iam:TagRole","iam:ListRoleTags"],"Resource":"arn:aws:iam::000000000000:role/app"},
			{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-a/*"}]}`)}))(t)

	must(alice.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("app")}))(t)
	must(alice.iam.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []iamtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}))(t)
	_, err := alice.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("billing")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: iam:GetRole on resource: arn:aws:iam::000000000000:role/billing because no identity-based policy allows the iam:GetRole action")
	_, err = alice.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantCode(t, err, "AccessDenied")
	_, err = alice.iam.ListRoles(ctx, &iam.ListRolesInput{})
	wantCode(t, err, "AccessDenied")

	// The same engine answers for the one bucket through the policy simulator.
	out := must(root.iam.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:user/alice"),
		ActionNames:     []string{"s3:GetObject"},
		ResourceArns:    []string{"arn:aws:s3:::bucket-a/report.csv", "arn:aws:s3:::bucket-b/report.csv"},
	}))(t)
	got := map[string]string{}
	for _, r := range out.EvaluationResults {
		for _, rr := range r.ResourceSpecificResults {
			got[aws.ToString(rr.EvalResourceName)] = string(rr.EvalResourceDecision)
		}
		if len(r.ResourceSpecificResults) == 0 {
			got[aws.ToString(r.EvalResourceName)] = string(r.EvalDecision)
		}
	}
	if got["arn:aws:s3:::bucket-a/report.csv"] != "allowed" || got["arn:aws:s3:::bucket-b/report.csv"] != "implicitDeny" {
		t.Fatalf("simulated decisions: %v", got)
	}
}

func TestScenarioBoundaryCapsAnAdministrator(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	boundary := must(root.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ReadOnlyIAM"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`)}))(t).Policy.Arn
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops"), PermissionsBoundary: boundary}))(t)
	key := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")}))(t).AccessKey
	ops := newClients(s.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey))
	putUserPolicy(t, root, "ops", "admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)

	must(ops.iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)
	_, err := ops.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("eve")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/ops is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/eve because no permissions boundary allows the iam:CreateUser action")

	must(root.iam.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("ops")}))(t)
	must(ops.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("eve")}))(t)

	must(root.iam.PutUserPermissionsBoundary(ctx, &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("ops"), PermissionsBoundary: boundary}))(t)
	_, err = ops.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("eve")})
	wantCode(t, err, "AccessDenied")

	// A boundary can require itself on the users its holder creates (iam:PermissionsBoundary).
	must(root.iam.DeleteUserPermissionsBoundary(ctx, &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("ops")}))(t)
	putUserPolicy(t, root, "ops", "admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"*",
		"Condition":{"StringEquals":{"iam:PermissionsBoundary":"`+aws.ToString(boundary)+`"}}}]}`)
	_, err = ops.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("free")})
	wantCode(t, err, "AccessDenied")
	must(ops.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("capped"), PermissionsBoundary: boundary}))(t)
}

func TestScenarioExplicitDenyBeatsAllow(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	dev := scenarioUser(t, s, "dev")
	putUserPolicy(t, root, "dev", "all-iam", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`)
	must(root.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("NoDeletes"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:Delete*","Resource":"*"}]}`)}))(t)
	must(root.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"),
		PolicyArn: aws.String("arn:aws:iam::000000000000:policy/NoDeletes")}))(t)
	must(dev.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("temp")}))(t)
	_, err := dev.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("temp")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/dev is not authorized to perform: iam:DeleteUser on resource: arn:aws:iam::000000000000:user/temp with an explicit deny in an identity-based policy")
}

func TestScenarioPolicyChangeIsEnforcedOnTheNextRequest(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	carol := scenarioUser(t, s, "carol")
	_, err := carol.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
	putUserPolicy(t, root, "carol", "list", iamxPolicy("iam:ListUsers"))
	must(carol.iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)
	putUserPolicy(t, root, "carol", "list", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}`)
	_, err = carol.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
	must(root.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("carol"), PolicyName: aws.String("list")}))(t)
	_, err = carol.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
}

func TestScenarioForgedCredentialsFail(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dan")}))(t)
	key := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dan")}))(t).AccessKey
	secret := aws.ToString(key.SecretAccessKey)
	last := "x"
	if strings.HasSuffix(secret, "x") {
		last = "y"
	}
	forged := newClients(s.URL, aws.ToString(key.AccessKeyId), secret[:len(secret)-1]+last)
	_, err := forged.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "SignatureDoesNotMatch")
	unknown := newClients(s.URL, "AKIAIOSFODNN7EXAMPLE", secret)
	_, err = unknown.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
}

// scenarioAdminRole creates the role "admin" that may do anything in IAM, trusted by the
// account (so identity policies decide who may assume it) under the trust condition, and
// the user "eng" whose policy allows assuming it. It returns eng's clients.
func scenarioAdminRole(t *testing.T, s *app.Server, trustCondition string) clients {
	t.Helper()
	ctx := context.Background()
	root := rootClients(s)
	eng := scenarioUser(t, s, "eng")
	putUserPolicy(t, root, "eng", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::000000000000:role/admin"}]}`)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"` + trustCondition + `}]}`
	must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	must(root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("iam"),
		PolicyDocument: aws.String(iamxPolicy("iam:*"))}))(t)
	return eng
}

// sessionClients returns clients signed with temporary credentials.
func sessionClients(s *app.Server, c *ststypes.Credentials) clients {
	cfg := awsConfig(s.URL, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	return clients{iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg), trail: cloudtrail.NewFromConfig(cfg)}
}

func TestScenarioRoleAssumedWithMFA(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	eng := scenarioAdminRole(t, s, `,"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`)
	dev := must(root.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("eng-phone")}))(t).VirtualMFADevice
	seed, err := totp.DecodeBase32(string(dev.Base32StringSeed))
	if err != nil {
		t.Fatal(err)
	}
	c1, c2 := mfaCodes(seed)
	must(root.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("eng"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: c1, AuthenticationCode2: c2}))(t)

	_, err = eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"), RoleSessionName: aws.String("no-mfa")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/eng is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/admin because no resource-based policy allows the sts:AssumeRole action")

	// The codes so far were spent enabling the device; the next time step's works once.
	code := aws.String(totp.Generate(seed, time.Now().Add(totp.Period)))
	out := must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("with-mfa"), SerialNumber: dev.SerialNumber, TokenCode: code}))(t)
	admin := sessionClients(s, out.Credentials)
	id := must(admin.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if aws.ToString(id.Arn) != "arn:aws:sts::000000000000:assumed-role/admin/with-mfa" {
		t.Fatalf("caller = %s", aws.ToString(id.Arn))
	}
	must(admin.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-admin")}))(t)
	_, err = eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("replay"), SerialNumber: dev.SerialNumber, TokenCode: code})
	wantCode(t, err, "AccessDenied")
}

func TestScenarioSessionPolicyNarrowsARole(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	eng := scenarioAdminRole(t, s, "")
	out := must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("read-only"),
		Policy:          aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`)}))(t)
	narrow := sessionClients(s, out.Credentials)
	must(narrow.iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)
	_, err := narrow.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("nope")})
	wantDenied(t, err, "User: arn:aws:sts::000000000000:assumed-role/admin/read-only is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/nope because no session policy allows the iam:CreateUser action")

	// Without a session policy the same role has its full permissions.
	full := sessionClients(s, must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("full")}))(t).Credentials)
	must(full.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("yes")}))(t)
}

func TestScenarioExpiredAndForgedTemporaryCredentialsFail(t *testing.T) {
	clock := &stsxClock{}
	s := stsxStart(t, clock)
	ctx := context.Background()
	eng := scenarioAdminRole(t, s, "")
	// Issue 10 minutes in the past, so the session ends 5 minutes from now; then move the
	// server 6 minutes ahead, within SigV4's 15-minute clock skew.
	clock.set(-10 * time.Minute)
	creds := must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("short"), DurationSeconds: aws.Int32(900)}))(t).Credentials
	clock.set(0)
	must(sessionClients(s, creds).iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)

	forged := *creds
	token := []byte(aws.ToString(creds.SessionToken))
	token[len(token)/2] ^= 1
	forged.SessionToken = aws.String(string(token))
	_, err := sessionClients(s, &forged).iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "InvalidClientTokenId")

	clock.set(6 * time.Minute)
	_, err = sessionClients(s, creds).iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "ExpiredToken")
}

func TestScenarioSessionOfADeletedRoleDoesNotPassToItsSuccessor(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	eng := scenarioAdminRole(t, s, "")
	must(root.iam.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("iam")}))(t)
	old := sessionClients(s, must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("old")}))(t).Credentials)
	_, err := old.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")

	must(root.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("admin")}))(t)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`
	must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	must(root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("admin"), PolicyName: aws.String("iam"),
		PolicyDocument: aws.String(iamxPolicy("iam:*"))}))(t)
	_, err = old.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
	fresh := sessionClients(s, must(eng.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"),
		RoleSessionName: aws.String("new")}))(t).Credentials)
	must(fresh.iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)
}

func TestScenarioRecreatedUserIsNotTrustedByTheOldTrustPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	bob := scenarioUser(t, s, "bob")
	putUserPolicy(t, root, "bob", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"sts:AssumeRole"}]}`
	must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("BobRole"), AssumeRolePolicyDocument: aws.String(trust)}))(t)
	role := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/BobRole"), RoleSessionName: aws.String("sess")}
	must(bob.sts.AssumeRole(ctx, role))(t)

	keys := must(root.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("bob")}))(t).AccessKeyMetadata
	must(root.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: keys[0].AccessKeyId}))(t)
	must(root.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("assume")}))(t)
	must(root.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")}))(t)
	newBob := scenarioUser(t, s, "bob")
	putUserPolicy(t, root, "bob", "assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	_, err := newBob.sts.AssumeRole(ctx, role)
	wantCode(t, err, "AccessDenied")
	// Saving the trust policy again names the bob of today.
	must(root.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("BobRole"), PolicyDocument: aws.String(trust)}))(t)
	must(newBob.sts.AssumeRole(ctx, role))(t)
}

func TestTrustPolicyMustNameExistingPrincipals(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops"), Path: aws.String("/team/")}))(t)
	trust := func(principal string) *string {
		return aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principal + `"},"Action":"sts:AssumeRole"}]}`)
	}
	tests := []struct {
		principal string
		invalid   bool
	}{
		{"arn:aws:iam::000000000000:user/team/ops", false},
		{"arn:aws:iam::000000000000:user/nobody", true},
		{"arn:aws:iam::000000000000:user/ops", true}, // the wrong path
		{"arn:aws:iam::000000000000:role/missing", true},
		{"arn:aws:iam::000000000000:root", false},
		{"arn:aws:iam::999999999999:user/elsewhere", false}, // an account this server does not know
	}
	for i, tc := range tests {
		_, err := root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprint("r", i)), AssumeRolePolicyDocument: trust(tc.principal)})
		if !tc.invalid {
			if err != nil {
				t.Errorf("%s: %v", tc.principal, err)
			}
			continue
		}
		wantCode(t, err, "MalformedPolicyDocument")
		var ae smithy.APIError
		if errors.As(err, &ae); ae.ErrorMessage() != `Invalid principal in policy: "AWS":"`+tc.principal+`"` {
			t.Errorf("message = %s", ae.ErrorMessage())
		}
	}
	_, err := root.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("r0"), PolicyDocument: trust("arn:aws:iam::000000000000:user/nobody")})
	wantCode(t, err, "MalformedPolicyDocument")
}

func TestAssumeRoleWithSessionTokenCredentialsIsCappedAtOneHour(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	eng := scenarioAdminRole(t, s, "")
	must(root.iam.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String("admin"), MaxSessionDuration: aws.Int32(7200)}))(t)
	long := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::000000000000:role/admin"), RoleSessionName: aws.String("long"),
		DurationSeconds: aws.Int32(7200)}
	must(eng.sts.AssumeRole(ctx, long))(t) // long-term keys: the role's maximum applies
	tok := sessionClients(s, must(eng.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))(t).Credentials)
	_, err := tok.sts.AssumeRole(ctx, long)
	wantCode(t, err, "ValidationError")
	long.DurationSeconds = aws.Int32(3600)
	must(tok.sts.AssumeRole(ctx, long))(t)
}

// TestConsolePasswordChangeIsAuthorizedLikeTheAPI: the console's password change is decided
// by the policy engine, as iam:ChangePassword is on the API: an explicit deny wins over
// AllowUsersToChangePassword, and an identity policy grants it without the setting.
func TestConsolePasswordChangeIsAuthorizedLikeTheAPI(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("pw")}))(t)
	must(root.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pw"), Password: aws.String("First-Passw0rd!")}))(t)
	must(root.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{AllowUsersToChangePassword: true}))(t)
	putUserPolicy(t, root, "pw", "no-change", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ChangePassword","Resource":"*"}]}`)

	// post sends a JSON request and returns its status and, for /signin, the session token.
	post := func(path, token string, body map[string]string) (int, string) {
		t.Helper()
		data, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, s.URL+path, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		session, _ := out["sessionToken"].(string)
		return resp.StatusCode, session
	}
	st, token := post("/signin", "", map[string]string{"account": "000000000000", "userName": "pw", "password": "First-Passw0rd!"})
	if st != http.StatusOK {
		t.Fatalf("sign-in: %d", st)
	}
	change := map[string]string{"oldPassword": "First-Passw0rd!", "newPassword": "Second-Passw0rd!"}
	if st, _ := post("/signin/password", token, change); st != http.StatusForbidden {
		t.Fatalf("an explicit deny of iam:ChangePassword: %d, want 403", st)
	}
	must(root.iam.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: aws.String("pw"), PolicyName: aws.String("no-change")}))(t)
	must(root.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))(t)
	if st, _ := post("/signin/password", token, change); st != http.StatusForbidden {
		t.Fatalf("neither the setting nor a policy: %d, want 403", st)
	}
	putUserPolicy(t, root, "pw", "change", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::000000000000:user/pw"}]}`)
	if st, _ := post("/signin/password", token, change); st != http.StatusOK {
		t.Fatalf("an identity policy allowing iam:ChangePassword: %d, want 200", st)
	}
}
