package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/authz"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

// tenPolicyDocument is one of the benchmark user's ten managed policies: four statements
// with wildcards, variables and conditions, the last allowing GetUser on the caller.
func tenPolicyDocument(i int) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
    {"Sid":"Own%[1]d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::team-%[1]d/${aws:username}/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
    {"Sid":"Read%[1]d","Effect":"Allow","Action":["dynamodb:Get*","dynamodb:Query"],"Resource":"arn:aws:dynamodb:*:*:table/t%[1]d","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}},
    {"Sid":"Deny%[1]d","Effect":"Deny","Action":"iam:Delete*","Resource":"arn:aws:iam::*:user/admins/*"},
    {"Sid":"Self%[1]d","Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::*:user/${aws:username}","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","10.%[1]d.0.0/16"]}}}]}`, i)
}

// BenchmarkAuthorizeGetUserTenPolicies measures what enforcement adds to a request: the
// authorization of IAM GetUser for a user with ten attached managed policies, against the
// real IAM domain with its record cache (the in-memory store).
func BenchmarkAuthorizeGetUserTenPolicies(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const acct = "123456789012"
	svc := iam.New(memory.New(), time.Now, policyValidator{})
	svc.CacheRecords(ctx)
	u, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "loadgen"})
	if err != nil {
		b.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		p, err := svc.CreatePolicy(ctx, acct, iam.CreatePolicyInput{PolicyName: fmt.Sprint("p", i), PolicyDocument: tenPolicyDocument(i)})
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.AttachUserPolicy(ctx, acct, "loadgen", p.ARN); err != nil {
			b.Fatal(err)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, live := svc.Generation(); live {
			break // the record cache follows the store: compiled policy sets are cached
		}
		if time.Now().After(deadline) {
			b.Fatal("the record cache did not start")
		}
	}
	e := authz.New(directory{svc}, nil)
	op := apiiam.Service(nil).Operation("GetUser")
	in := &apiiam.GetUserInput{UserName: ptr.Of("loadgen")}
	req := &caller.Request{Principal: caller.Principal{Kind: caller.IAMUser, Account: acct,
		ARN: u.ARN, ID: u.UserID, UserName: "loadgen"},
		Region: "us-east-1", SourceIP: "127.0.0.1", Time: time.Now()}
	if err := e.Authorize(ctx, req, op, in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Authorize(ctx, req, op, in); err != nil {
			b.Fatal(err)
		}
	}
}
