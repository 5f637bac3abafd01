package signin

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestThrottleIsBounded(t *testing.T) {
	th := newThrottle(Limits{MaxEntries: 100, FreeFailures: 1, SourceBurst: 1})
	now := time.Unix(1e9, 0)
	for i := 0; i < 10000; i++ {
		id := fmt.Sprintf("user\x00%d", i)
		if d := th.admit(fmt.Sprintf("10.0.%d.%d", i/256, i%256), id, now); d != 0 {
			t.Fatalf("admit %d: %v", i, d)
		}
		th.failed(id, now) // one failure: counted, not locked
		th.release(id)
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
	th.release("id")
}

// TestThrottleInFlight: an identity has at most MaxInFlight attempts being checked; the
// others are throttled at admission, before any password work.
func TestThrottleInFlight(t *testing.T) {
	for _, max := range []int{1, 3} {
		th := newThrottle(Limits{MaxInFlight: max, SourceBurst: 100})
		now := time.Unix(1e9, 0)
		for i := 0; i < max; i++ {
			if d := th.admit("10.0.0.1", "id", now); d != 0 {
				t.Fatalf("max %d: attempt %d refused: %v", max, i+1, d)
			}
		}
		if d := th.admit("10.0.0.2", "id", now); d != retryBusy {
			t.Fatalf("max %d: attempt beyond the limit: %v", max, d)
		}
		if d := th.admit("10.0.0.2", "other", now); d != 0 {
			t.Fatalf("max %d: another identity: %v", max, d)
		}
		th.release("id")
		if d := th.admit("10.0.0.2", "id", now); d != 0 {
			t.Fatalf("max %d: after a release: %v", max, d)
		}
		for i := 0; i < max; i++ {
			th.release("id")
		}
		th.release("other")
		if n := th.identities.ll.Len(); n != 0 {
			t.Fatalf("max %d: %d identities left without failures or attempts", max, n)
		}
	}
}

// TestThrottleConcurrentAttemptsAreCounted races attempts of one identity: each admitted one
// fails before the next can be admitted, so no more than FreeFailures+1 are ever checked.
func TestThrottleConcurrentAttemptsAreCounted(t *testing.T) {
	th := newThrottle(Limits{FreeFailures: 3, SourceBurst: 1000})
	now := time.Unix(1e9, 0)
	var checked atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if th.admit("10.0.0.1", "id", now) != 0 {
				return
			}
			defer th.release("id")
			checked.Add(1)
			time.Sleep(time.Millisecond) // the password check
			th.failed("id", now)
		}()
	}
	wg.Wait()
	if n := checked.Load(); n < 1 || n > 4 {
		t.Fatalf("%d attempts were checked, want 1 to 4", n)
	}
}

// TestThrottleKeepsLockouts: crowding the table never drops a locked identity; new identities
// are throttled instead while every entry is locked.
func TestThrottleKeepsLockouts(t *testing.T) {
	th := newThrottle(Limits{MaxEntries: 3, FreeFailures: 1, LockoutBase: time.Minute, SourceBurst: 1000})
	now := time.Unix(1e9, 0)
	lock := func(id string) {
		for i := 0; i < 2; i++ {
			if d := th.admit("10.0.0.1", id, now); d != 0 {
				t.Fatalf("admit %s: %v", id, d)
			}
			th.failed(id, now)
			th.release(id)
		}
	}
	for _, id := range []string{"a", "b", "c"} {
		lock(id)
	}
	for i := 0; i < 100; i++ {
		if d := th.admit("10.0.0.1", fmt.Sprintf("new%d", i), now); d != retryBusy {
			t.Fatalf("new identity with a full table of lockouts: %v", d)
		}
		th.failed(fmt.Sprintf("new%d", i), now) // must not evict either
	}
	for _, id := range []string{"a", "b", "c"} {
		if d := th.admit("10.0.0.1", id, now); d != time.Minute {
			t.Fatalf("%s: lockout %v after crowding, want 1m", id, d)
		}
	}
	// Once the lockouts are over, their entries may make room (they keep their counts until
	// evicted or forgotten).
	later := now.Add(time.Minute)
	if d := th.admit("10.0.0.1", "new", later); d != 0 {
		t.Fatalf("new identity after the lockouts: %v", d)
	}
	th.release("new")
}

// TestThrottleEvictsIdleFirst: a forgotten entry goes before an older one with live failures.
func TestThrottleEvictsIdleFirst(t *testing.T) {
	th := newThrottle(Limits{MaxEntries: 2, FreeFailures: 5, ForgetAfter: time.Minute, SourceBurst: 1000})
	now := time.Unix(1e9, 0)
	fail := func(id string, at time.Time) {
		if d := th.admit("10.0.0.1", id, at); d != 0 {
			t.Fatalf("admit %s: %v", id, d)
		}
		th.failed(id, at)
		th.release(id)
	}
	fail("stale", now)                    // forgotten a minute later
	fail("live", now.Add(50*time.Second)) // still counted then
	th.identities.get("stale", nil, nil)  // most recently used, yet the one to go
	fail("new", now.Add(70*time.Second))
	if th.identities.peek("live") == nil || th.identities.peek("stale") != nil || th.identities.peek("new") == nil {
		t.Fatalf("kept %v", th.identities.m)
	}
}

func TestSourceKey(t *testing.T) {
	for in, want := range map[string]string{
		"10.1.2.3":             "10.1.2.3",
		"::ffff:10.1.2.3":      "10.1.2.3",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":      "2001:db8:1:3::/64",
		"fe80::1%eth0":         "fe80::/64",
		"not an address":       "not an address",
	} {
		if got := sourceKey(in); got != want {
			t.Errorf("sourceKey(%q) = %q, want %q", in, got, want)
		}
	}
	// One /64 shares one bucket.
	th := newThrottle(Limits{SourceBurst: 2, SourceEvery: time.Hour})
	now := time.Unix(1e9, 0)
	for i, ip := range []string{"2001:db8::1", "2001:db8::2", "2001:db8::3"} {
		d := th.admit(ip, fmt.Sprintf("id%d", i), now)
		if (i < 2) != (d == 0) {
			t.Fatalf("attempt %d from %s: %v", i+1, ip, d)
		}
	}
	if d := th.admit("2001:db8:0:1::1", "id9", now); d != 0 {
		t.Fatalf("another /64: %v", d)
	}
}

// TestPad: failures are held to FailureFloor, or to the next multiple of it.
func TestPad(t *testing.T) {
	start := time.Unix(1e9, 0)
	for _, tc := range []struct {
		floor, took, want time.Duration
	}{
		{50 * time.Millisecond, 0, 50 * time.Millisecond},
		{50 * time.Millisecond, 12 * time.Millisecond, 38 * time.Millisecond},
		{50 * time.Millisecond, 50 * time.Millisecond, 0},
		{50 * time.Millisecond, 51 * time.Millisecond, 49 * time.Millisecond},
		{50 * time.Millisecond, 130 * time.Millisecond, 20 * time.Millisecond},
		{-1, 10 * time.Millisecond, 0},
	} {
		var slept time.Duration
		h := New(Config{FailureFloor: tc.floor, Now: func() time.Time { return start.Add(tc.took) },
			Sleep: func(_ context.Context, d time.Duration) { slept += d }})
		h.pad(context.Background(), start)
		if slept != tc.want {
			t.Errorf("floor %v, took %v: slept %v, want %v", tc.floor, tc.took, slept, tc.want)
		}
	}
	if h := New(Config{}); h.cfg.FailureFloor != DefaultFailureFloor {
		t.Fatalf("default floor %v", h.cfg.FailureFloor)
	}
}

// TestHashingIsBounded: no more than MaxHashing password checks run at once, and an attempt
// that cannot get a slot within HashWait is refused.
func TestHashingIsBounded(t *testing.T) {
	h := New(Config{Limits: Limits{MaxHashing: 3, HashWait: time.Minute}})
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok := h.hash(context.Background(), func() {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(2 * time.Millisecond)
				running.Add(-1)
			})
			if !ok {
				t.Error("a check was refused")
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p < 1 || p > 3 {
		t.Fatalf("%d checks ran at once, want at most 3", p)
	}

	h = New(Config{Limits: Limits{MaxHashing: 1, HashWait: 10 * time.Millisecond}})
	release := make(chan struct{})
	started := make(chan struct{})
	go h.hash(context.Background(), func() { close(started); <-release })
	<-started
	if h.hash(context.Background(), func() { t.Error("ran without a slot") }) {
		t.Fatal("a check ran beyond MaxHashing")
	}
	close(release)
}
