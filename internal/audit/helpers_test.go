package audit_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

// t0 is the start of every test clock.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// stepClock returns a clock that starts at t0 and advances by step on every call.
func stepClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	next := t0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := next
		next = next.Add(step)
		return t
	}
}

// newStore returns a Store over a fresh memory backend, and the backend.
func newStore(t testing.TB, opts audit.Options) (*audit.Store, *memory.Store) {
	t.Helper()
	b := memory.New()
	t.Cleanup(func() { _ = b.Close() })
	return audit.New(b, opts), b
}

// failingBackend fails every write with err.
type failingBackend struct {
	storage.Backend
	err error
}

func (f failingBackend) Txn(context.Context, []storage.Cond, []storage.Op) (int64, error) {
	return 0, f.err
}

// discardBackend accepts and drops every write; it measures the audit layer alone.
type discardBackend struct {
	storage.Backend
}

func (discardBackend) Txn(context.Context, []storage.Cond, []storage.Op) (int64, error) {
	return 1, nil
}

func (discardBackend) Close() error { return nil }

// iamUser is a userIdentity for an IAM user of account.
func iamUser(account, name, key string) audit.UserIdentity {
	return audit.UserIdentity{
		Type:        audit.IdentityIAMUser,
		PrincipalID: "AIDA" + name,
		ARN:         "arn:aws:iam::" + account + ":user/" + name,
		AccountID:   account,
		AccessKeyID: key,
		UserName:    name,
	}
}

// awsCode returns the AWS code and status of err, or "" when it is not an *awserr.Error.
func awsCode(err error) (string, int) {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Code, e.Status
	}
	return "", 0
}

func ptr[T any](v T) *T { return &v }

// allKVs reads every key of the backend.
func allKVs(t testing.TB, b storage.Backend) []storage.KV {
	t.Helper()
	page, err := b.Range(context.Background(), "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return page.KVs
}
