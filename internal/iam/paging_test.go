package iam_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

func TestPagingInput(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		f.user(fmt.Sprintf("u%d", i))
	}
	runErrCases(t, []errCase{
		{"max items too big", func() error { return errOf(f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{MaxItems: 1001})) }, badInput, 400,
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"max items negative", func() error { return errOf(f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{MaxItems: -1})) }, badInput, 400,
			"1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"garbage marker", func() error {
			return errOf(f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{Marker: "!!not-a-marker!!"}))
		}, badInput, 400, "Invalid Marker."},
		{"garbage marker on slice", func() error { return errOf(f.svc.ListAccountAliases(f.ctx, acct, iam.PageInput{Marker: "%%%"})) }, badInput, 400, "Invalid Marker."},
	})
	// Every page of 1 holds one user, and the walk visits each exactly once.
	seen := map[string]bool{}
	page := iam.PageInput{MaxItems: 1}
	for {
		p, err := f.svc.ListUsers(f.ctx, acct, "", page)
		f.ok(err)
		for _, u := range p.Items {
			if seen[u.UserName] {
				t.Fatalf("%s listed twice", u.UserName)
			}
			seen[u.UserName] = true
		}
		if !p.IsTruncated {
			break
		}
		page.Marker = p.Marker
	}
	if len(seen) != 3 {
		t.Fatalf("seen %v", seen)
	}
	// A marker survives the deletion of the item it points at.
	p, err := f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{MaxItems: 1})
	f.ok(err)
	f.ok(f.svc.DeleteUser(f.ctx, acct, p.Items[0].UserName))
	rest, err := f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{Marker: p.Marker})
	f.ok(err)
	if len(rest.Items) != 2 {
		t.Fatalf("after delete = %+v", rest.Items)
	}
}

// failing is a Backend whose every call fails, to show that storage faults surface as
// ServiceFailure without their internal text.
type failing struct{ storage.Backend }

var errDisk = errors.New("disk on fire")

func (failing) Get(context.Context, string) (storage.KV, error) { return storage.KV{}, errDisk }
func (failing) Txn(context.Context, []storage.Cond, []storage.Op) (int64, error) {
	return 0, errDisk
}
func (failing) Range(context.Context, string, string, int) (storage.Page, error) {
	return storage.Page{}, errDisk
}

func TestStorageFailure(t *testing.T) {
	svc := iam.New(failing{}, (&clock{}).Now, nil)
	ctx := context.Background()
	for name, err := range map[string]error{
		"create": errOf(svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "u"})),
		"list":   errOf(svc.ListUsers(ctx, acct, "", iam.PageInput{})),
		"lookup": errOf(svc.LookupAccessKey(ctx, "AKIAIOSFODNN7EXAMPLE")),
		"sum":    errOf(svc.GetAccountSummary(ctx, acct)),
	} {
		wantErr(t, err, "ServiceFailure", 500, "The request processing has failed because of an unknown error, exception or failure.")
		if !errors.Is(err, errDisk) {
			t.Errorf("%s: cause lost: %v", name, err)
		}
	}
}

// conflicting is a Backend whose transactions always lose, to show the retry bound.
type conflicting struct{ storage.Backend }

func (conflicting) Get(context.Context, string) (storage.KV, error) {
	return storage.KV{}, storage.ErrNotFound
}
func (conflicting) Txn(context.Context, []storage.Cond, []storage.Op) (int64, error) {
	return 0, storage.ErrConflict
}

func TestConcurrentModificationAfterRetries(t *testing.T) {
	svc := iam.New(conflicting{}, (&clock{}).Now, nil)
	wantErr(t, errOf(svc.CreateUser(context.Background(), acct, iam.CreateUserInput{UserName: "u"})), "ConcurrentModification", 409, "")
}
