package e2e

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// simxDoc allows reading S3 and, with a tag condition, starting instances; it denies deletes
// in the prod bucket. Its Deny statement starts on line 4, column 3.
const simxDoc = `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"},
  {"Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}},
  {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod/*"}
]}`

func simxOne(t *testing.T, out []types.EvaluationResult) types.EvaluationResult {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("%d evaluation results, want 1", len(out))
	}
	return out[0]
}

func simxIDs(ms []types.Statement) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, aws.ToString(m.SourcePolicyId))
	}
	return ids
}

func TestIAMSimulateCustomPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	sim := func(in *iam.SimulateCustomPolicyInput) types.EvaluationResult {
		t.Helper()
		return simxOne(t, must(c.SimulateCustomPolicy(ctx, in))(t).EvaluationResults)
	}

	t.Run("allow", func(t *testing.T) {
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"s3:GetObject"},
			ResourceArns: []string{"arn:aws:s3:::dev/k"}})
		iamxEq(t, "decision", r.EvalDecision, types.PolicyEvaluationDecisionTypeAllowed)
		iamxEq(t, "resource", aws.ToString(r.EvalResourceName), "arn:aws:s3:::dev/k")
		iamxList(t, "matched", simxIDs(r.MatchedStatements), []string{"PolicyInputList.1"})
		iamxEq(t, "allowed by organizations", r.OrganizationsDecisionDetail.AllowedByOrganizations, true)
		iamxEq(t, "resource-specific results", len(r.ResourceSpecificResults), 1)
		rs := r.ResourceSpecificResults[0]
		iamxEq(t, "resource-specific decision", rs.EvalResourceDecision, types.PolicyEvaluationDecisionTypeAllowed)
		iamxEq(t, "resource-specific name", aws.ToString(rs.EvalResourceName), "arn:aws:s3:::dev/k")
		iamxList(t, "resource-specific matched", simxIDs(rs.MatchedStatements), []string{"PolicyInputList.1"})
	})
	t.Run("explicit deny with position", func(t *testing.T) {
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"s3:DeleteObject"},
			ResourceArns: []string{"arn:aws:s3:::prod/k"}})
		iamxEq(t, "decision", r.EvalDecision, types.PolicyEvaluationDecisionTypeExplicitDeny)
		iamxList(t, "matched", simxIDs(r.MatchedStatements), []string{"PolicyInputList.1"})
		m := r.MatchedStatements[0]
		iamxEq(t, "type", string(m.SourcePolicyType), "IAM Policy")
		iamxEq(t, "start line", m.StartPosition.Line, 4)
		iamxEq(t, "start column", m.StartPosition.Column, 3)
		iamxEq(t, "end line", m.EndPosition.Line, 4)
		iamxEq(t, "end column", m.EndPosition.Column, 3+int32(len(`{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod/*"}`)))
	})
	t.Run("implicit deny", func(t *testing.T) {
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"iam:CreateUser"}})
		iamxEq(t, "decision", r.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny)
		iamxEq(t, "resource", aws.ToString(r.EvalResourceName), "*")
		iamxEq(t, "matched", len(r.MatchedStatements), 0)
		iamxEq(t, "resource-specific results for *", len(r.ResourceSpecificResults), 0)
	})
	t.Run("condition and missing context", func(t *testing.T) {
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"ec2:StartInstances"}})
		iamxEq(t, "decision without context", r.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny)
		iamxList(t, "missing", r.MissingContextValues, []string{"aws:ResourceTag/env"})
		r = sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"ec2:StartInstances"},
			ContextEntries: []types.ContextEntry{{ContextKeyName: aws.String("aws:ResourceTag/env"), ContextKeyType: types.ContextKeyTypeEnumString,
				ContextKeyValues: []string{"dev"}}}})
		iamxEq(t, "decision with context", r.EvalDecision, types.PolicyEvaluationDecisionTypeAllowed)
		iamxEq(t, "missing with context", len(r.MissingContextValues), 0)
		r = sim(&iam.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"NumericLessThan":{"aws:MultiFactorAuthAge":"300"},"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}}]}`},
			ActionNames:     []string{"s3:GetObject"},
			ContextEntries: []types.ContextEntry{
				{ContextKeyName: aws.String("aws:SourceIp"), ContextKeyType: types.ContextKeyTypeEnumIp, ContextKeyValues: []string{"10.9.8.7"}},
				{ContextKeyName: aws.String("aws:MultiFactorAuthAge"), ContextKeyType: types.ContextKeyTypeEnumNumeric, ContextKeyValues: []string{"42"}},
				{ContextKeyName: aws.String("aws:TagKeys"), ContextKeyType: types.ContextKeyTypeEnumStringList, ContextKeyValues: []string{"cost", "team"}},
			}})
		iamxEq(t, "typed context", r.EvalDecision, types.PolicyEvaluationDecisionTypeAllowed)
	})
	t.Run("boundary blocks", func(t *testing.T) {
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{iamxPolicy("*")},
			PermissionsBoundaryPolicyInputList: []string{iamxPolicy("s3:*")}, ActionNames: []string{"iam:CreateUser"}})
		iamxEq(t, "decision", r.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny)
		iamxEq(t, "allowed by boundary", r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary, false)
	})
	t.Run("resource policy", func(t *testing.T) {
		alice := iamxARN("user", "/", "alice")
		rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + alice + `"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`
		r := sim(&iam.SimulateCustomPolicyInput{PolicyInputList: []string{iamxPolicy("sqs:ListQueues")}, ActionNames: []string{"s3:GetObject"},
			ResourceArns: []string{"arn:aws:s3:::shared/k"}, ResourcePolicy: aws.String(rp), CallerArn: aws.String(alice)})
		iamxEq(t, "decision", r.EvalDecision, types.PolicyEvaluationDecisionTypeAllowed)
		iamxList(t, "matched", simxIDs(r.MatchedStatements), []string{"ResourcePolicy"})
		iamxEq(t, "type", string(r.MatchedStatements[0].SourcePolicyType), "Resource Policy")
		_, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{iamxPolicy("s3:*")},
			ActionNames: []string{"s3:GetObject"}, ResourcePolicy: aws.String(rp)})
		wantCode(t, err, "InvalidInput")
	})
	t.Run("paging", func(t *testing.T) {
		var got []string
		var marker *string
		for pages := 0; ; pages++ {
			out := must(c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc},
				ActionNames: []string{"s3:GetObject", "s3:PutObject", "ec2:StartInstances"}, MaxItems: aws.Int32(2), Marker: marker}))(t)
			for _, r := range out.EvaluationResults {
				got = append(got, aws.ToString(r.EvalActionName)+"="+string(r.EvalDecision))
			}
			if !out.IsTruncated {
				iamxEq(t, "pages", pages, 1)
				break
			}
			marker = out.Marker
		}
		iamxList(t, "results", got, []string{"s3:GetObject=allowed", "s3:PutObject=implicitDeny", "ec2:StartInstances=implicitDeny"})
	})
	t.Run("errors", func(t *testing.T) {
		_, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`},
			ActionNames: []string{"s3:GetObject"}})
		wantCode(t, err, "MalformedPolicyDocument")
		_, err = c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{simxDoc}, ActionNames: []string{"s3:Get*"}})
		wantCode(t, err, "InvalidInput")
	})
}

func TestIAMSimulatePrincipalPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dana")}))(t)
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")}))(t)
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("ops"), UserName: aws.String("dana")}))(t)
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ec2-read"), PolicyDocument: aws.String(iamxPolicy("ec2:Describe*"))}))(t).Policy
	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("ops"), PolicyArn: pol.Arn}))(t)
	s3 := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("s3-all"), PolicyDocument: aws.String(iamxPolicy("s3:*"))}))(t).Policy
	must(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dana"), PolicyArn: s3.Arn}))(t)
	must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("no-delete"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`)}))(t)

	out := must(c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(iamxARN("user", "/", "dana")),
		ActionNames: []string{"ec2:DescribeInstances", "s3:GetObject", "s3:DeleteBucket", "iam:ListUsers"}}))(t)
	var got []string
	for _, r := range out.EvaluationResults {
		got = append(got, aws.ToString(r.EvalActionName)+"="+string(r.EvalDecision)+":"+aws.ToString(firstID(r.MatchedStatements)))
	}
	iamxList(t, "results", got, []string{
		"ec2:DescribeInstances=allowed:ec2-read",
		"s3:GetObject=allowed:s3-all",
		"s3:DeleteBucket=explicitDeny:group_ops_no-delete",
		"iam:ListUsers=implicitDeny:",
	})

	// The group alone has no S3 allow.
	g := simxOne(t, must(c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(iamxARN("group", "/", "ops")),
		ActionNames: []string{"s3:GetObject"}}))(t).EvaluationResults)
	iamxEq(t, "group decision", g.EvalDecision, types.PolicyEvaluationDecisionTypeImplicitDeny)

	_, err := c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(iamxARN("user", "/", "ghost")), ActionNames: []string{"s3:GetObject"}})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String("user/dana"), ActionNames: []string{"s3:GetObject"}})
	wantCode(t, err, "InvalidInput")
}

func firstID(ms []types.Statement) *string {
	if len(ms) == 0 {
		return nil
	}
	return ms[0].SourcePolicyId
}

func TestIAMGetContextKeys(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}`
	out := must(c.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{doc}}))(t)
	iamxList(t, "custom keys", out.ContextKeyNames, []string{"aws:username", "aws:CurrentTime"})

	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("svc"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	must(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("svc"), PolicyName: aws.String("p"), PolicyDocument: aws.String(simxDoc)}))(t)
	pout := must(c.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String(iamxARN("role", "/", "svc")), PolicyInputList: []string{doc}}))(t)
	if want := []string{"aws:ResourceTag/env", "aws:username", "aws:CurrentTime"}; !slices.Equal(pout.ContextKeyNames, want) {
		t.Fatalf("principal keys = %v, want %v", pout.ContextKeyNames, want)
	}
	_, err := c.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{"{"}})
	wantCode(t, err, "MalformedPolicyDocument")
}
