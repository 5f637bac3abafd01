package iam_test

import (
	"context"
	"errors"
	"testing"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	iamsvc "github.com/bulwarkhq/bulwark/internal/service/iam"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

const (
	acct    = "123456789012"
	rootARN = "arn:aws:iam::123456789012:root"

	allowDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	denyDoc  = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// epoch is the fixed time of every test's clock.
func epoch() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// fixture is a Service over a fresh in-memory backend, called as the account's root user.
type fixture struct {
	t   *testing.T
	dom *domain.Service
	svc *iamsvc.Service
	ctx context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dom := domain.New(memory.New(), epoch, nil,
		domain.WithPasswordHashParams(domain.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}))
	return &fixture{t: t, dom: dom, svc: iamsvc.New(dom), ctx: rootContext()}
}

func rootContext() context.Context {
	return caller.NewContext(context.Background(), &caller.Request{
		Principal: caller.Principal{Kind: caller.Root, Account: acct, ARN: rootARN, ID: acct},
		Region:    "us-east-1",
	})
}

// userContext is a call by the IAM user name of the account.
func userContext(name, id string) context.Context {
	return caller.NewContext(context.Background(), &caller.Request{
		Principal: caller.Principal{Kind: caller.IAMUser, Account: acct, UserName: name, ID: id,
			ARN: "arn:aws:iam::" + acct + ":user/" + name},
		Region: "us-east-1",
	})
}

// roleContext is a call by an assumed role of the account.
func roleContext() context.Context {
	return caller.NewContext(context.Background(), &caller.Request{
		Principal: caller.Principal{Kind: caller.AssumedRole, Account: acct, ID: "AROAEXAMPLE:s",
			ARN: "arn:aws:sts::" + acct + ":assumed-role/r/s"},
		Region: "us-east-1",
	})
}

// errOf keeps the error of a handler call.
func errOf[T any](_ T, err error) error { return err }

// ok fails the test on an error.
func (f *fixture) ok(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("unexpected error: %v", err)
	}
}

func (f *fixture) createUser(name string) *api.User {
	f.t.Helper()
	out, err := f.svc.CreateUser(f.ctx, &api.CreateUserInput{UserName: ptr.Of(name)})
	f.ok(err)
	return out.User
}

func (f *fixture) createGroup(name string) {
	f.t.Helper()
	f.ok(errOf(f.svc.CreateGroup(f.ctx, &api.CreateGroupInput{GroupName: ptr.Of(name)})))
}

func (f *fixture) createRole(name string) *api.Role {
	f.t.Helper()
	out, err := f.svc.CreateRole(f.ctx, &api.CreateRoleInput{RoleName: ptr.Of(name), AssumeRolePolicyDocument: ptr.Of(trustDoc)})
	f.ok(err)
	return out.Role
}

func (f *fixture) createPolicy(name string) string {
	f.t.Helper()
	out, err := f.svc.CreatePolicy(f.ctx, &api.CreatePolicyInput{PolicyName: ptr.Of(name), PolicyDocument: ptr.Of(allowDoc)})
	f.ok(err)
	return *out.Policy.Arn
}

// wantCode checks that err is an *awserr.Error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want an *awserr.Error %s", err, code)
	}
	if ae.Code != code {
		t.Fatalf("error code = %s (%s), want %s", ae.Code, ae.Message, code)
	}
}

// errCase is one row of an error table: a call and the AWS error code it must answer.
type errCase struct {
	name string
	call func() error
	code string
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.call(), tc.code)
		})
	}
}

func str(p *string) string { return ptr.Value(p) }

// rootlessContext carries no caller at all.
func rootlessContext() context.Context { return context.Background() }
