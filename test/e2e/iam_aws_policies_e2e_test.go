package e2e

// AWS managed policies (internal/awspolicies) through the IAM API with aws-sdk-go-v2: read,
// listed with their attachment counts, attached, and enforced on the next request.

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

const (
	awsAdminARN         = "arn:aws:iam::aws:policy/AdministratorAccess"
	awsIAMReadOnlyARN   = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
	awsPowerUserARN     = "arn:aws:iam::aws:policy/PowerUserAccess"
	awsViewOnlyARN      = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
	awsAdminDocument    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	awsManagedPolicyMin = 1000 // the catalogue holds every AWS managed policy (about 1,600)
)

// listAWSPolicies returns every policy ListPolicies lists for the input, over all pages.
func listAWSPolicies(t *testing.T, c *iam.Client, in *iam.ListPoliciesInput) []iamtypes.Policy {
	t.Helper()
	var out []iamtypes.Policy
	p := iam.NewListPoliciesPaginator(c, in)
	for p.HasMorePages() {
		page := must(p.NextPage(context.Background()))(t)
		out = append(out, page.Policies...)
	}
	return out
}

func findPolicy(ps []iamtypes.Policy, arn string) *iamtypes.Policy {
	for i := range ps {
		if aws.ToString(ps[i].Arn) == arn {
			return &ps[i]
		}
	}
	return nil
}

func TestAWSManagedPolicyRead(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)

	p := must(root.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)}))(t).Policy
	if aws.ToString(p.PolicyName) != "AdministratorAccess" || aws.ToString(p.Path) != "/" ||
		aws.ToString(p.DefaultVersionId) != "v1" || !p.IsAttachable || aws.ToInt32(p.AttachmentCount) != 0 ||
		!strings.HasPrefix(aws.ToString(p.PolicyId), "ANPA") || p.CreateDate == nil {
		t.Fatalf("GetPolicy(AdministratorAccess) = %+v", p)
	}
	v := must(root.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsAdminARN),
		VersionId: aws.String("v1")}))(t).PolicyVersion
	// IAM returns documents URL-encoded, AWS managed ones like any other.
	if raw := aws.ToString(v.Document); strings.ContainsAny(raw, `{}":`) {
		t.Errorf("Document is not URL-encoded: %s", raw)
	}
	doc, err := url.QueryUnescape(aws.ToString(v.Document))
	if err != nil || doc != awsAdminDocument || !v.IsDefaultVersion || aws.ToString(v.VersionId) != "v1" {
		t.Fatalf("GetPolicyVersion(AdministratorAccess, v1) = %+v, document %s (%v)", v, doc, err)
	}
	_, err = root.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: aws.String(awsAdminARN), VersionId: aws.String("v2")})
	wantCode(t, err, "NoSuchEntity")

	vo := must(root.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsViewOnlyARN)}))(t).Policy
	if aws.ToString(vo.Path) != "/job-function/" || aws.ToString(vo.PolicyName) != "ViewOnlyAccess" {
		t.Fatalf("GetPolicy(job-function/ViewOnlyAccess) = %+v", vo)
	}
	_, err = root.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")})
	wantCode(t, err, "NoSuchEntity")
	_, err = root.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/ViewOnlyAccess")})
	wantCode(t, err, "NoSuchEntity") // it lives under /job-function/

	jobs := listAWSPolicies(t, root.iam, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws,
		PathPrefix: aws.String("/job-function/")})
	if findPolicy(jobs, awsViewOnlyARN) == nil {
		t.Errorf("ListPolicies(AWS, /job-function/) lacks ViewOnlyAccess: %d policies", len(jobs))
	}
	for _, j := range jobs {
		if aws.ToString(j.Path) != "/job-function/" {
			t.Errorf("ListPolicies(AWS, /job-function/) lists %s", aws.ToString(j.Arn))
		}
	}
	if local := listAWSPolicies(t, root.iam, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal}); len(local) != 0 {
		t.Errorf("ListPolicies(Local) lists %d policies in a new account", len(local))
	}
}

func TestAWSManagedPoliciesEnforced(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	bob := scenarioUser(t, s, "bob")
	attach := func(user, arn string) {
		t.Helper()
		must(root.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String(user), PolicyArn: aws.String(arn)}))(t)
	}

	// IAMReadOnlyAccess: list and read, nothing else.
	attach("bob", awsIAMReadOnlyARN)
	must(bob.iam.ListUsers(ctx, &iam.ListUsersInput{}))(t)
	must(bob.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)}))(t)
	_, err := bob.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	wantDenied(t, err, "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/mallory because no identity-based policy allows the iam:CreateUser action")
	attached := must(root.iam.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("bob")}))(t)
	if len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyArn) != awsIAMReadOnlyARN ||
		aws.ToString(attached.AttachedPolicies[0].PolicyName) != "IAMReadOnlyAccess" {
		t.Fatalf("ListAttachedUserPolicies = %+v", attached.AttachedPolicies)
	}

	// AdministratorAccess: everything, from the next request on.
	attach("bob", awsAdminARN)
	must(bob.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")}))(t)

	all := listAWSPolicies(t, root.iam, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws})
	if len(all) < awsManagedPolicyMin {
		t.Fatalf("ListPolicies(AWS) = %d policies, want the whole catalogue", len(all))
	}
	for _, arn := range []string{awsAdminARN, awsIAMReadOnlyARN} {
		if p := findPolicy(all, arn); p == nil || aws.ToInt32(p.AttachmentCount) != 1 {
			t.Errorf("ListPolicies(AWS) %s = %+v, want AttachmentCount 1", arn, p)
		}
	}
	if p := findPolicy(all, awsPowerUserARN); p == nil || aws.ToInt32(p.AttachmentCount) != 0 {
		t.Errorf("ListPolicies(AWS) PowerUserAccess = %+v, want AttachmentCount 0", p)
	}
	onlyAttached := listAWSPolicies(t, root.iam, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAws, OnlyAttached: true})
	if len(onlyAttached) != 2 || findPolicy(onlyAttached, awsAdminARN) == nil || findPolicy(onlyAttached, awsIAMReadOnlyARN) == nil {
		t.Errorf("ListPolicies(AWS, OnlyAttached) = %d policies, want AdministratorAccess and IAMReadOnlyAccess", len(onlyAttached))
	}
	if n := len(listAWSPolicies(t, root.iam, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeAll})); n != len(all) {
		t.Errorf("ListPolicies(All) = %d policies, want %d (no local ones)", n, len(all))
	}

	// Detaching takes the permission away again, and the count back down.
	must(root.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: aws.String(awsAdminARN)}))(t)
	_, err = bob.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("trent")})
	wantCode(t, err, "AccessDenied")
	if p := must(root.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(awsAdminARN)}))(t).Policy; aws.ToInt32(p.AttachmentCount) != 0 {
		t.Errorf("AdministratorAccess AttachmentCount after detaching = %d", aws.ToInt32(p.AttachmentCount))
	}

	// PowerUserAccess allows everything but IAM, less a few IAM reads such as ListRoles.
	carol := scenarioUser(t, s, "carol")
	attach("carol", awsPowerUserARN)
	must(carol.iam.ListRoles(ctx, &iam.ListRolesInput{}))(t)
	_, err = carol.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")

	// AWS documents may name resources in any partition ("arn:*:ssm:*:*:session/*"); they
	// are enforced like the rest, and the user stays manageable.
	attach("carol", "arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole")
	must(carol.iam.ListRoles(ctx, &iam.ListRolesInput{}))(t)
	must(root.iam.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("carol"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonSSMAutomationRole")}))(t)

	_, err = root.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("carol"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")})
	wantCode(t, err, "NoSuchEntity")
}

// TestLongestAWSManagedPolicyIsEnforced attaches the AWS managed policy longer than IAM's
// policy document parameter: the user's requests are still decided (not InternalFailure).
func TestLongestAWSManagedPolicyIsEnforced(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	u := scenarioUser(t, s, "support")
	must(root.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("support"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy")}))(t)
	_, err := u.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("x")})
	wantCode(t, err, "AccessDenied")
	must(u.iam.ListRoles(ctx, &iam.ListRolesInput{}))(t) // the policy allows iam:List* among its reads
}
