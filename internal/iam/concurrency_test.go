package iam_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
)

// race runs n copies of fn at once and returns their errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func codes(t *testing.T, errs []error) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, err := range errs {
		if err == nil {
			out["ok"]++
			continue
		}
		var ae *awserr.Error
		if !errors.As(err, &ae) {
			t.Fatalf("untyped error %v", err)
		}
		out[ae.Code]++
	}
	return out
}

func TestConcurrentCreateSameUser(t *testing.T) {
	for round := range 20 {
		f := newFixture(t)
		name := fmt.Sprintf("Alice%d", round)
		errs := race(8, func(i int) error {
			n := name
			if i%2 == 1 {
				n = "alice" + name[5:] // same name, other case
			}
			return errOf(f.svc.CreateUser(f.ctx, acct, iam.CreateUserInput{UserName: n}))
		})
		got := codes(t, errs)
		if got["ok"] != 1 || got[exists] != 7 {
			t.Fatalf("round %d: outcomes %v", round, got)
		}
		list, err := f.svc.ListUsers(f.ctx, acct, "", iam.PageInput{})
		f.ok(err)
		if len(list.Items) != 1 {
			t.Fatalf("round %d: %d users", round, len(list.Items))
		}
	}
}

func TestConcurrentAttachKeepsCount(t *testing.T) {
	f := newFixture(t)
	p := f.policy("shared")
	for i := range 12 {
		f.role(fmt.Sprintf("r%d", i))
	}
	errs := race(12, func(i int) error { return f.svc.AttachRolePolicy(f.ctx, acct, fmt.Sprintf("r%d", i), p.ARN) })
	if got := codes(t, errs); got["ok"] != 12 {
		t.Fatalf("outcomes %v", got)
	}
	got, _ := f.svc.GetPolicy(f.ctx, acct, p.ARN)
	if got.AttachmentCount != 12 {
		t.Fatalf("AttachmentCount = %d", got.AttachmentCount)
	}
	errs = race(12, func(i int) error { return f.svc.DetachRolePolicy(f.ctx, acct, fmt.Sprintf("r%d", i), p.ARN) })
	if got := codes(t, errs); got["ok"] != 12 {
		t.Fatalf("outcomes %v", got)
	}
	got, _ = f.svc.GetPolicy(f.ctx, acct, p.ARN)
	if got.AttachmentCount != 0 {
		t.Fatalf("AttachmentCount = %d", got.AttachmentCount)
	}
}

func TestConcurrentDeleteGroupVersusAdd(t *testing.T) {
	// Either the member is added and the delete conflicts, or the group is gone and the add
	// fails: never a deleted group with a member.
	for round := range 30 {
		f := newFixture(t)
		f.group("g")
		f.user("u")
		errs := race(2, func(i int) error {
			if i == 0 {
				return f.svc.DeleteGroup(f.ctx, acct, "g")
			}
			return f.svc.AddUserToGroup(f.ctx, acct, "g", "u")
		})
		groups, err := f.svc.ListGroupsForUser(f.ctx, acct, "u", iam.PageInput{})
		f.ok(err)
		switch {
		case errs[0] == nil && errs[1] == nil:
			t.Fatalf("round %d: both succeeded", round)
		case errs[0] == nil:
			wantErr(t, errs[1], noSuch, 404, "The group with name g cannot be found.")
			if len(groups.Items) != 0 {
				t.Fatalf("round %d: member of a deleted group", round)
			}
		default:
			wantErr(t, errs[0], conflict, 409, "")
			if len(groups.Items) != 1 {
				t.Fatalf("round %d: groups = %+v", round, groups.Items)
			}
		}
	}
}

func TestConcurrentAccessKeyQuota(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	errs := race(6, func(int) error { return errOf(f.svc.CreateAccessKey(f.ctx, acct, "u")) })
	if got := codes(t, errs); got["ok"] != 2 || got[limit] != 4 {
		t.Fatalf("outcomes %v", got)
	}
}

func TestConcurrentPolicyVersions(t *testing.T) {
	f := newFixture(t)
	p := f.policy("p")
	errs := race(8, func(i int) error {
		return errOf(f.svc.CreatePolicyVersion(f.ctx, acct, p.ARN, fmt.Sprintf(`{"i":%d}`, i), false))
	})
	if got := codes(t, errs); got["ok"] != 4 || got[limit] != 4 {
		t.Fatalf("outcomes %v", got)
	}
	vs, err := f.svc.ListPolicyVersions(f.ctx, acct, p.ARN, iam.PageInput{})
	f.ok(err)
	seen := map[string]bool{}
	for _, v := range vs.Items {
		if seen[v.VersionID] {
			t.Fatalf("duplicate version %s", v.VersionID)
		}
		seen[v.VersionID] = true
	}
	if len(seen) != 5 {
		t.Fatalf("versions = %v", seen)
	}
}
