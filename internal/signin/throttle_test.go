package signin

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleIsBounded(t *testing.T) {
	th := newThrottle(Limits{MaxEntries: 100, FreeFailures: 1, SourceBurst: 1})
	now := time.Unix(1e9, 0)
	for i := 0; i < 10000; i++ {
		th.admit(fmt.Sprintf("10.0.%d.%d", i/256, i%256), fmt.Sprintf("user\x00%d", i), now)
		th.failed(fmt.Sprintf("user\x00%d", i), now)
	}
	if n := th.sources.ll.Len(); n != 100 || len(th.sources.m) != 100 {
		t.Fatalf("sources hold %d entries", n)
	}
	if n := th.identities.ll.Len(); n != 100 || len(th.identities.m) != 100 {
		t.Fatalf("identities hold %d entries", n)
	}
	// The most recent entries are the ones kept.
	if th.identities.peek("user\x009999") == nil || th.identities.peek("user\x000") != nil {
		t.Fatal("LRU kept the wrong entries")
	}
}

func TestThrottleLockoutSchedule(t *testing.T) {
	th := newThrottle(Limits{FreeFailures: 2, LockoutBase: time.Second, LockoutMax: 5 * time.Second, ForgetAfter: time.Hour})
	now := time.Unix(1e9, 0)
	var got []time.Duration
	for i := 0; i < 7; i++ {
		got = append(got, th.failed("id", now))
	}
	want := []time.Duration{0, 0, time.Second, 2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("lockouts = %v, want %v", got, want)
		}
	}
	if d := th.admit("src", "id", now); d != 5*time.Second {
		t.Fatalf("admit during lockout = %v", d)
	}
	// Failures are forgotten ForgetAfter after the last one (and once the lockout is over).
	later := now.Add(time.Hour)
	if d := th.admit("src", "id", later); d != 0 {
		t.Fatalf("admit after ForgetAfter = %v", d)
	}
	if d := th.failed("id", later); d != 0 {
		t.Fatalf("first failure after forgetting = %v", d)
	}
}
