package iam_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

type plainErrValidator struct{}

func (plainErrValidator) Validate(string, iam.DocKind) error { return errors.New("parser exploded") }

func TestServiceOptions(t *testing.T) {
	b := memory.New()
	defer b.Close()
	ctx := context.Background()
	svc := iam.New(b, func() time.Time { return time.Unix(0, 0) }, nil,
		iam.WithPartition("aws-cn"), iam.WithKeyUseInterval(time.Hour), iam.WithQuotas(iam.Quotas{AccessKeysPerUser: 3}))
	if svc.Partition() != "aws-cn" || svc.Quotas().AccessKeysPerUser != 3 || svc.Quotas().PoliciesPerUser != 10 {
		t.Fatalf("options: %s %+v", svc.Partition(), svc.Quotas())
	}
	u, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if u.ARN != "arn:aws-cn:iam::123456789012:user/u" {
		t.Fatalf("ARN = %s", u.ARN)
	}
	// The nil validator still refuses malformed JSON.
	wantErr(t, svc.PutUserPolicy(ctx, acct, "u", "p", "{"), malform, 400, "This policy contains invalid Json")
	if err := svc.PutUserPolicy(ctx, acct, "u", "p", "{}"); err != nil {
		t.Fatal(err)
	}
	// A policy ARN in another partition is not found.
	wantErr(t, svc.AttachUserPolicy(ctx, acct, "u", "arn:aws:iam::123456789012:policy/p"), noSuch, 404, "")
	// The key-use interval applies.
	k, err := svc.CreateAccessKey(ctx, acct, "u")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1000, 0)
	if err := svc.RecordAccessKeyUse(ctx, k.AccessKeyID, "s3", "r1", at); err != nil {
		t.Fatal(err)
	}
	if err := svc.RecordAccessKeyUse(ctx, k.AccessKeyID, "s3", "r2", at.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	lu, _ := svc.GetAccessKeyLastUsed(ctx, acct, k.AccessKeyID)
	if lu.Region != "r1" {
		t.Fatalf("interval not applied: %+v", lu)
	}
}

func TestValidatorErrorsAreTyped(t *testing.T) {
	b := memory.New()
	defer b.Close()
	svc := iam.New(b, time.Now, plainErrValidator{})
	err := errOf(svc.CreatePolicy(context.Background(), acct, iam.CreatePolicyInput{PolicyName: "p", PolicyDocument: "{}"}))
	wantErr(t, err, malform, 400, "Syntax errors in policy.")
}

func TestDocKindString(t *testing.T) {
	for k, want := range map[iam.DocKind]string{iam.DocManaged: "managed", iam.DocUserInline: "user-inline",
		iam.DocGroupInline: "group-inline", iam.DocRoleInline: "role-inline", iam.DocTrust: "trust", 99: "DocKind(99)"} {
		if k.String() != want {
			t.Errorf("%d: %q", int(k), k.String())
		}
	}
}
