package policy_test

import (
	"errors"
	"fmt"

	"github.com/bulwarkhq/bulwark/policy"
)

func ExampleParse() {
	text := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/${aws:username}/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "true"}}
  }]
}`
	doc, err := policy.Parse(text, policy.KindIdentity, policy.Managed())
	if err != nil {
		fmt.Println(err)
		return
	}
	s := doc.Statements[0]
	fmt.Println(s.Effect, len(s.Action.Values), "actions at line", s.Action.Pos.Line)
	fmt.Println(s.Resource.Values[1].Text, "has variables:", s.Resource.Values[1].Vars)
	fmt.Println(s.Conditions[0].Operator.Op, s.Conditions[0].Keys[0].Name)
	// Output:
	// Allow 2 actions at line 5
	// arn:aws:s3:::reports/${aws:username}/* has variables: true
	// Bool aws:SecureTransport
}

func ExampleParse_rejected() {
	// A role's permissions policy cannot name a principal.
	text := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}}`
	_, err := policy.Parse(text, policy.KindIdentity)
	var verr *policy.ValidationError
	if errors.As(err, &verr) {
		fmt.Println(verr.Code)
		fmt.Println(verr.Message)
		fmt.Println(verr.Line, verr.Column)
	}
	// Output:
	// MalformedPolicyDocument
	// Policy document should not specify a principal.
	// 1 60
}

func ExampleLimit_Check() {
	// The inline policies of a role, measured as IAM measures them, added up.
	total := 0
	for _, text := range []string{
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`,
	} {
		total += policy.LimitRoleInline.Measure(text)
	}
	fmt.Println(total, policy.LimitRoleInline.Check(total, policy.MaxRoleInlineSize, "deploy"))
	fmt.Println(policy.LimitRoleInline.Check(10241, policy.MaxRoleInlineSize, "deploy"))
	// Output:
	// 86 <nil>
	// policy size 10241 exceeds 10240: Maximum policy size of 10240 bytes exceeded for role deploy
}
