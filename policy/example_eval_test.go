package policy_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

func ExampleEvaluate() {
	identity, err := policy.ParseCompile(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "OwnFolder",
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reports/${aws:username}/*",
    "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
  }]
}`, policy.KindIdentity)
	if err != nil {
		fmt.Println(err)
		return
	}
	scp, _ := policy.ParseCompile(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}`, policy.KindSCP)

	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::reports/alice/q3.csv",
		Time:      time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC),
	}
	req.Context.Add("aws:username", "alice")
	req.Context.AddIP("aws:SourceIp", netip.MustParseAddr("10.1.2.3"))
	in := &policy.Input{
		Request:  req,
		Identity: []policy.PolicyRef{{ID: "arn:aws:iam::111122223333:policy/reports", Policy: identity}},
		SCPs:     []policy.OrgLevel{{ID: "r-root", Policies: []policy.PolicyRef{{ID: "p-guard", Policy: scp}}}},
	}

	d := policy.Evaluate(in)
	fmt.Println(d.Result, d.PolicyID, d.Sid)

	req.Resource = "arn:aws:s3:::reports/bob/q3.csv"
	d = policy.Evaluate(in)
	fmt.Println(d.Result, d.Reason(req.Action))

	req.Action = "s3:DeleteObject"
	d = policy.Evaluate(in)
	fmt.Println(d.Result, d.PolicyID, d.Sid, d.Reason(req.Action))
	// Output:
	// Allowed arn:aws:iam::111122223333:policy/reports OwnFolder
	// ImplicitDeny because no identity-based policy allows the s3:GetObject action
	// ExplicitDeny p-guard NoDeletes with an explicit deny in a service control policy
}
