package policy_test

import (
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// TestIndexAgreesWithScan evaluates the same statements as one large policy (which
// gets an action index) and as one policy per statement (which is scanned), for many
// actions, and expects the same decisions.
func TestIndexAgreesWithScan(t *testing.T) {
	stmts := []string{
		`"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"`,
		`"Sid": "B", "Effect": "Allow", "Action": ["s3:Put*", "sqs:SendMessage"], "Resource": "*"`,
		`"Sid": "C", "Effect": "Deny", "Action": "s3:PutBucketPolicy", "Resource": "*"`,
		`"Sid": "D", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"`,
		`"Sid": "E", "Effect": "Deny", "NotAction": ["ec2:*", "s3:*", "sqs:*", "iam:Get*"], "Resource": "*"`,
		`"Sid": "F", "Effect": "Allow", "Action": "iam:Get?ser", "Resource": "*"`,
		`"Sid": "G", "Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::open/*"`,
		`"Sid": "H", "Effect": "Allow", "Action": "s*:List*", "Resource": "*"`,
		`"Sid": "I", "Effect": "Deny", "Action": "ec2:DescribeSecrets", "Resource": "*"`,
		`"Sid": "J", "Effect": "Allow", "Action": "DynamoDB:Query", "Resource": "*"`,
	}
	for i := 0; i < 12; i++ { // enough statements for the policy to get an index
		stmts = append(stmts, `"Effect": "Allow", "Action": "filler`+strings.Repeat("x", i)+`:Nothing", "Resource": "*"`)
	}
	big := identity(t, stmts...)
	var small []policy.PolicyRef
	for _, s := range stmts {
		small = append(small, ref("", identity(t, s)))
	}
	actions := []string{"s3:GetObject", "S3:GETOBJECT", "s3:PutObject", "s3:PutBucketPolicy", "sqs:SendMessage", "sqs:ReceiveMessage",
		"ec2:DescribeInstances", "ec2:DescribeSecrets", "ec2:RunInstances", "iam:GetUser", "iam:GetRole", "iam:CreateUser",
		"sns:ListTopics", "s3:ListBucket", "dynamodb:Query", "kms:Decrypt", "noservice", strings.Repeat("x", 200) + ":Get"}
	for _, a := range actions {
		for _, res := range []string{"arn:aws:s3:::open/x", "arn:aws:s3:::closed/x"} {
			req := &policy.Request{Principal: alice, Action: a, Resource: res}
			d1 := policy.Evaluate(&policy.Input{Request: req, Identity: []policy.PolicyRef{ref("", big)}})
			d2 := policy.Evaluate(&policy.Input{Request: req, Identity: small})
			if d1.Result != d2.Result {
				t.Errorf("%s on %s: indexed %v, scanned %v", a, res, d1, d2)
			}
		}
	}
}

// TestConcurrentEvaluate evaluates shared compiled policies from many goroutines; run it
// with -race.
func TestConcurrentEvaluate(t *testing.T) {
	in := typicalInput(t)
	big := thousandStatements(t)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for i := 0; i < 200; i++ {
				ok = ok && policy.Evaluate(in).IsAllowed() && policy.Evaluate(big).IsAllowed()
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Error("a concurrent evaluation was not allowed")
		}
	}
}
