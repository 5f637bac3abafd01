package iam_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

const acct = "123456789012"

// fakeValidator accepts well-formed JSON and records the kinds it was asked about. A document
// containing "TOO_BIG" fails with LimitExceeded, to show that validator errors pass through.
type fakeValidator struct {
	mu    sync.Mutex
	kinds []iam.DocKind
}

func (v *fakeValidator) Validate(doc string, kind iam.DocKind) error {
	v.mu.Lock()
	v.kinds = append(v.kinds, kind)
	v.mu.Unlock()
	if !json.Valid([]byte(doc)) {
		return awserr.New("MalformedPolicyDocument", http.StatusBadRequest, "This policy contains invalid Json")
	}
	if strings.Contains(doc, "TOO_BIG") {
		return awserr.New("LimitExceeded", http.StatusConflict, "Cannot exceed quota for PolicySize: 6144")
	}
	return nil
}

func (v *fakeValidator) last() iam.DocKind {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.kinds) == 0 {
		return 0
	}
	return v.kinds[len(v.kinds)-1]
}

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	t     *testing.T
	ctx   context.Context
	svc   *iam.Service
	b     storage.Backend
	clock *clock
	v     *fakeValidator
}

// fastHash keeps argon2id cheap in tests; production uses DefaultHashParams.
var fastHash = iam.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newFixture(t *testing.T, opts ...iam.Option) *fixture {
	t.Helper()
	b := memory.New()
	t.Cleanup(func() { _ = b.Close() })
	c := &clock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	v := &fakeValidator{}
	opts = append([]iam.Option{iam.WithPasswordHashParams(fastHash)}, opts...)
	return &fixture{t: t, ctx: context.Background(), svc: iam.New(b, c.Now, v, opts...), b: b, clock: c, v: v}
}

func (f *fixture) ok(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("unexpected error: %v", err)
	}
}

func (f *fixture) user(name string) iam.User {
	f.t.Helper()
	u, err := f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: name})
	f.ok(err)
	return u
}

func (f *fixture) group(name string) iam.Group {
	f.t.Helper()
	g, err := f.svc.CreateGroup(f.ctx, acct, name, "")
	f.ok(err)
	return g
}

const trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func (f *fixture) role(name string) iam.Role {
	f.t.Helper()
	r, err := f.svc.CreateRole(f.ctx, acct, iam.CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: trustDoc})
	f.ok(err)
	return r
}

func (f *fixture) policy(name string) iam.Policy {
	f.t.Helper()
	p, err := f.svc.CreatePolicy(f.ctx, acct, iam.CreatePolicyInput{PolicyName: name, PolicyDocument: allowAll})
	f.ok(err)
	return p
}

// wantErr asserts that err is an *awserr.Error with the code and status, and, when msg is not
// empty, exactly that message.
func wantErr(t *testing.T, err error, code string, status int, msg string) {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.Code != code || ae.Status != status {
		t.Fatalf("error = %s (%d) %q, want %s (%d)", ae.Code, ae.Status, ae.Message, code, status)
	}
	if msg != "" && ae.Message != msg {
		t.Fatalf("message = %q\n want %q", ae.Message, msg)
	}
}

// errCase is a table row for operations that must fail.
type errCase struct {
	name   string
	call   func() error
	code   string
	status int
	msg    string
}

func runErrCases(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErr(t, tc.call(), tc.code, tc.status, tc.msg)
		})
	}
}

func errOf[T any](_ T, err error) error { return err }

const (
	noSuch   = "NoSuchEntity"
	exists   = "EntityAlreadyExists"
	conflict = "DeleteConflict"
	limit    = "LimitExceeded"
	invalid  = "InvalidInput"
	badInput = "ValidationError"
	malform  = "MalformedPolicyDocument"
)
