package policy_test

import (
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// allows reports whether an identity statement allows the action on the resource.
func allows(t *testing.T, statement, action, resource string, ctx func(*policy.Context)) bool {
	t.Helper()
	p := mustCompile(t, `{"Version": "2012-10-17", "Statement": {`+statement+`}}`, policy.KindIdentity)
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice"},
		Action:    action, Resource: resource,
	}
	if ctx != nil {
		ctx(&req.Context)
	}
	return policy.Evaluate(&policy.Input{Request: req, Identity: []policy.PolicyRef{{Policy: p}}}).IsAllowed()
}

func TestActionMatching(t *testing.T) {
	for _, tc := range []struct {
		actions string
		action  string
		want    bool
	}{
		{`"*"`, "s3:GetObject", true},
		{`"s3:GetObject"`, "s3:GetObject", true},
		{`"s3:GetObject"`, "S3:getobject", true},
		{`"S3:GETOBJECT"`, "s3:GetObject", true},
		{`"s3:GetObject"`, "s3:GetObjectAcl", false},
		{`"s3:Get*"`, "s3:GetObjectAcl", true},
		{`"s3:get*"`, "s3:GetObjectAcl", true},
		{`"s3:*"`, "s3:PutObject", true},
		{`"s3:*"`, "s3control:PutObject", false},
		{`"s3:*Object"`, "s3:PutObject", true},
		{`"s3:*Object"`, "s3:PutObjectAcl", false},
		{`"s3:Get?bject"`, "s3:GetObject", true},
		{`"s3*:List*"`, "s3control:ListJobs", true},
		{`"iam:*"`, "sts:AssumeRole", false},
		{`["iam:CreateUser", "s3:GetObject"]`, "s3:GetObject", true},
		{`"ec2:Describe*"`, "ec2:DescribeInstances", true},
		{`"ec2:Describe*"`, "ec2:RunInstances", false},
	} {
		if got := allows(t, `"Effect": "Allow", "Action": `+tc.actions+`, "Resource": "*"`, tc.action, "*", nil); got != tc.want {
			t.Errorf("Action %s, request %s: got %v, want %v", tc.actions, tc.action, got, tc.want)
		}
	}
	// NotAction allows everything else.
	st := `"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"`
	if !allows(t, st, "s3:GetObject", "*", nil) || allows(t, st, "iam:CreateUser", "*", nil) {
		t.Error("NotAction")
	}
}

func TestResourceMatching(t *testing.T) {
	ctx := func(c *policy.Context) { c.Add("aws:username", "alice") }
	for _, tc := range []struct {
		resources string
		resource  string
		want      bool
	}{
		{`"*"`, "arn:aws:s3:::bucket/key", true},
		{`"*"`, "*", true},
		{`"arn:aws:s3:::bucket/key"`, "arn:aws:s3:::bucket/key", true},
		{`"arn:aws:s3:::bucket/key"`, "arn:aws:s3:::bucket/Key", false},
		{`"arn:aws:s3:::bucket/*"`, "arn:aws:s3:::bucket/a/b/c", true},
		{`"arn:aws:s3:::bucket/*"`, "arn:aws:s3:::bucket", false},
		{`"arn:aws:s3:::bucket*"`, "arn:aws:s3:::bucket-logs", true},
		{`"arn:aws:s3:::bucket/*"`, "arn:aws:s3:::bucket/a:b:c", true},
		{`"arn:aws:dynamodb:*:111122223333:table/orders"`, "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", true},
		{`"arn:aws:dynamodb:*:111122223333:table/orders"`, "arn:aws:dynamodb:eu-west-1:999999999999:table/orders", false},
		{`"arn:aws:dynamodb:eu-west-?:111122223333:table/*"`, "arn:aws:dynamodb:eu-west-1:111122223333:table/x", true},
		// A wildcard does not cross a segment...
		{`"arn:aws:ec2:*:instance/*"`, "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", false},
		{`"arn:aws:ec2:eu-west-1:*"`, "arn:aws:ec2:eu-west-1:111122223333:instance/i-1", true},
		{`"arn:aws:logs:*:*:*"`, "arn:aws:logs:eu-west-1:111122223333:log-group:g:log-stream:s", true},
		{`"arn:aws:s3:::reports/${aws:username}/*"`, "arn:aws:s3:::reports/alice/q3.csv", true},
		{`"arn:aws:s3:::reports/${aws:username}/*"`, "arn:aws:s3:::reports/bob/q3.csv", false},
		{`"arn:aws:s3:::reports/${aws:userid}/*"`, "arn:aws:s3:::reports/alice/q3.csv", false},
		{`"arn:aws:s3:::reports/${aws:userid, 'shared'}/*"`, "arn:aws:s3:::reports/shared/q3.csv", true},
		{`"arn:aws:s3:::reports/${*}"`, "arn:aws:s3:::reports/*", true},
		{`"arn:aws:s3:::reports/${*}"`, "arn:aws:s3:::reports/x", false},
		{`["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]`, "arn:aws:s3:::b/x", true},
	} {
		if got := allows(t, `"Effect": "Allow", "Action": "s3:GetObject", "Resource": `+tc.resources, "s3:GetObject", tc.resource, ctx); got != tc.want {
			t.Errorf("Resource %s, request %s: got %v, want %v", tc.resources, tc.resource, got, tc.want)
		}
	}
	// NotResource allows everything else; an unresolved variable in it excludes nothing.
	st := `"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"`
	if !allows(t, st, "s3:GetObject", "arn:aws:s3:::public/x", nil) || allows(t, st, "s3:GetObject", "arn:aws:s3:::secret/x", nil) {
		t.Error("NotResource")
	}
}

// TestARNSegmentsVersusStringLike is the IAM User Guide's example (Condition operators,
// "Amazon Resource Name (ARN) condition operators"), applied to the Resource element,
// which matches as ArnLike does.
func TestARNSegmentsVersusStringLike(t *testing.T) {
	const pattern = "arn:aws:someservice:*:111122223333:finance/*"
	const resource = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	if allows(t, `"Effect": "Allow", "Action": "someservice:Get", "Resource": "`+pattern+`"`, "someservice:Get", resource, nil) {
		t.Error("Resource matched across ARN segments")
	}
	if !allows(t, `"Effect": "Allow", "Action": "someservice:Get", "Resource": "`+resource+`"`, "someservice:Get", resource, nil) {
		t.Error("Resource does not match itself")
	}
}
