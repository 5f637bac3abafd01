package iam_test

import (
	"context"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestRecordCacheFollowsLocalWrites(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	f.svc.CacheRecords(ctx)
	f.user("carol")
	for i := 0; i < 2; i++ { // the second read is served from the cache
		u, err := f.svc.GetUser(f.ctx, acct, "carol")
		f.ok(err)
		if u.Path != "/" || len(u.Tags) != 0 {
			t.Fatalf("GetUser = %+v", u)
		}
	}
	f.ok(f.svc.TagUser(f.ctx, acct, "carol", []iam.Tag{{Key: "team", Value: "core"}}))
	u, err := f.svc.GetUser(f.ctx, acct, "carol")
	f.ok(err)
	if len(u.Tags) != 1 || u.Tags[0].Value != "core" {
		t.Fatalf("after TagUser: %+v", u.Tags)
	}
	// A caller that mutates what it got must not change what the cache holds.
	u.Tags[0].Value = "mutated"
	u, err = f.svc.GetUser(f.ctx, acct, "carol")
	f.ok(err)
	if u.Tags[0].Value != "core" {
		t.Fatalf("the cache handed out shared state: %+v", u.Tags)
	}
	f.ok(f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "carol", NewPath: "/ops/"}))
	if u, err = f.svc.GetUser(f.ctx, acct, "carol"); err != nil || u.Path != "/ops/" {
		t.Fatalf("after UpdateUser: %+v, %v", u, err)
	}
	f.ok(f.svc.UntagUser(f.ctx, acct, "carol", []string{"team"}))
	f.ok(f.svc.DeleteUser(f.ctx, acct, "carol"))
	if _, err := f.svc.GetUser(f.ctx, acct, "carol"); err == nil {
		t.Fatal("a deleted user is still served")
	}
}

func TestRecordCacheSeesWritesFromAnotherNode(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	f.svc.CacheRecords(ctx)
	other := iam.New(f.b, f.clock.Now, nil) // a second node on the same store
	f.user("dan")
	if _, err := f.svc.GetUser(f.ctx, acct, "dan"); err != nil {
		t.Fatal(err)
	}
	f.ok(other.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "dan", NewPath: "/moved/"}))
	deadline := time.Now().Add(5 * time.Second)
	for {
		u, err := f.svc.GetUser(f.ctx, acct, "dan")
		f.ok(err)
		if u.Path == "/moved/" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache never saw the other node's change")
		}
		time.Sleep(time.Millisecond)
	}
}
