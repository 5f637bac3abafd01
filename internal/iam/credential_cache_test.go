package iam_test

import (
	"context"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestCredentialCacheFollowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	cache := f.svc.NewCredentialCache(ctx)
	f.user("alice")
	key, err := f.svc.CreateAccessKey(f.ctx, acct, "alice")
	f.ok(err)

	got, err := cache.LookupAccessKey(f.ctx, key.AccessKeyID)
	f.ok(err)
	if got.Status != iam.StatusActive || got.Secret != key.SecretAccessKey || got.UserName != "alice" {
		t.Fatalf("lookup = %+v", got)
	}
	// Changes made through the Service are visible on the very next lookup.
	f.ok(f.svc.UpdateAccessKey(f.ctx, acct, "alice", key.AccessKeyID, iam.StatusInactive))
	got, err = cache.LookupAccessKey(f.ctx, key.AccessKeyID)
	f.ok(err)
	if got.Status != iam.StatusInactive {
		t.Fatalf("after deactivation: status %s", got.Status)
	}
	f.ok(f.svc.UpdateUser(f.ctx, acct, iam.UpdateUserInput{UserName: "alice", NewUserName: "alicia"}))
	got, err = cache.LookupAccessKey(f.ctx, key.AccessKeyID)
	f.ok(err)
	if got.UserName != "alicia" {
		t.Fatalf("after rename: user %s", got.UserName)
	}
	f.ok(f.svc.DeleteAccessKey(f.ctx, acct, "alicia", key.AccessKeyID))
	if _, err := cache.LookupAccessKey(f.ctx, key.AccessKeyID); err == nil {
		t.Fatal("a deleted key is still served")
	}
}

func TestCredentialCacheSeesChangesFromAnotherNode(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	other := iam.New(f.b, f.clock.Now, nil) // a second node on the same store
	cache := f.svc.NewCredentialCache(ctx)
	f.user("bob")
	key, err := f.svc.CreateAccessKey(f.ctx, acct, "bob")
	f.ok(err)
	if _, err := cache.LookupAccessKey(f.ctx, key.AccessKeyID); err != nil {
		t.Fatal(err)
	}
	f.ok(other.UpdateAccessKey(f.ctx, acct, "bob", key.AccessKeyID, iam.StatusInactive))
	// The other node's change reaches this cache through the watch, asynchronously.
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err := cache.LookupAccessKey(f.ctx, key.AccessKeyID)
		f.ok(err)
		if got.Status == iam.StatusInactive {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache never saw the other node's deactivation")
		}
		time.Sleep(time.Millisecond)
	}
}
