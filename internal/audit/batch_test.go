package audit_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

// hookBackend calls hook before every Txn; a hook error fails the Txn.
type hookBackend struct {
	storage.Backend
	hook  func() error
	calls atomic.Int64
}

func (h *hookBackend) Txn(ctx context.Context, conds []storage.Cond, ops []storage.Op) (int64, error) {
	h.calls.Add(1)
	if h.hook != nil {
		if err := h.hook(); err != nil {
			return 0, err
		}
	}
	return h.Backend.Txn(ctx, conds, ops)
}

// waitFor polls cond for up to 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// kmsEvent is an event of acctA in us-east-1 named name, at t (zero: stamped by the store).
func kmsEvent(name string, t time.Time) *audit.Event {
	return &audit.Event{UserIdentity: iamUser(acctA, "alice", "AKIA1"), EventSource: "kms.amazonaws.com",
		EventName: name, AWSRegion: "us-east-1", EventTime: t}
}

// recordBatch records evs concurrently while the writer is held, so that they are written
// together in one drain, and fails the test if any Record fails.
func recordBatch(t *testing.T, s *audit.Store, evs ...*audit.Event) {
	t.Helper()
	release := s.HoldWriter()
	errs := make(chan error, len(evs))
	for _, e := range evs {
		go func() { errs <- s.Record(context.Background(), e) }()
	}
	waitFor(t, "events to queue", func() bool { return s.Queued() == len(evs) })
	release()
	for range evs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// noLeak fails the test if goroutines started during it are still running at its end.
func noLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				t.Errorf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), before,
					buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}

func TestRecordConcurrentBatched(t *testing.T) {
	noLeak(t)
	mem := memory.New()
	defer mem.Close()
	// A slow disk: events queue up while a write is in flight.
	be := &hookBackend{Backend: mem, hook: func() error { time.Sleep(time.Millisecond); return nil }}
	s := audit.New(be, audit.Options{Now: stepClock(time.Microsecond)})
	const workers, each = 64, 25
	var mu sync.Mutex
	times := map[string]time.Time{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				e := kmsEvent(fmt.Sprintf("W%dE%d", w, i), time.Time{})
				if err := s.Record(context.Background(), e); err != nil {
					t.Error(err)
					return
				}
				if e.EventTime.IsZero() {
					t.Error("EventTime not filled")
				}
				mu.Lock()
				times[e.EventID] = e.EventTime
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ids, _ := lookupAll(t, s, audit.LookupQuery{Account: acctA, Region: "us-east-1"})
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			t.Fatalf("event %s returned twice", id)
		}
		seen[id] = true
		if _, ok := times[id]; !ok {
			t.Fatalf("unknown event %s", id)
		}
		if i > 0 && !times[id].Before(times[ids[i-1]]) {
			t.Fatalf("event %d (%v) is not older than event %d (%v)", i, times[id], i-1, times[ids[i-1]])
		}
	}
	if len(ids) != workers*each {
		t.Fatalf("%d events found, want %d", len(ids), workers*each)
	}
	keys, txns := len(allKVs(t, mem)), be.calls.Load()
	t.Logf("%d events in %d keys, %d Txns", len(ids), keys, txns)
	if keys >= len(ids)/4 || txns >= int64(len(ids))/4 {
		t.Errorf("%d keys and %d Txns for %d events: not batched", keys, txns, len(ids))
	}
	if err := s.Record(context.Background(), kmsEvent("Late", time.Time{})); !errors.Is(err, audit.ErrClosed) {
		t.Errorf("Record after Close: err = %v, want ErrClosed", err)
	}
}

func TestRecordIdleWriterExits(t *testing.T) {
	noLeak(t) // no Close: the writer must go away by itself once the queue is empty
	s, _ := newStore(t, audit.Options{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if err := s.Record(context.Background(), kmsEvent("ListKeys", time.Time{})); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestRecordBatchFailure(t *testing.T) {
	noLeak(t)
	mem := memory.New()
	defer mem.Close()
	boom := errors.New("disk on fire")
	entered, unblock := make(chan struct{}), make(chan struct{})
	var n atomic.Int64
	be := &hookBackend{Backend: mem, hook: func() error {
		switch n.Add(1) {
		case 1: // hold the first write so that the next events gather in one batch
			close(entered)
			<-unblock
		case 2:
			return boom
		}
		return nil
	}}
	s := audit.New(be, audit.Options{Now: stepClock(time.Millisecond)})
	defer s.Close()

	first := make(chan error, 1)
	firstEv := kmsEvent("First", time.Time{})
	go func() { first <- s.Record(context.Background(), firstEv) }()
	<-entered
	const doomed = 40
	errs := make(chan error, doomed)
	for range doomed {
		go func() { errs <- s.Record(context.Background(), kmsEvent("Doomed", time.Time{})) }()
	}
	waitFor(t, "events to queue", func() bool { return s.Queued() == doomed })
	close(unblock)
	if err := <-first; err != nil {
		t.Fatalf("first event: %v", err)
	}
	for range doomed {
		if err := <-errs; !errors.Is(err, boom) {
			t.Fatalf("event of the failed batch: err = %v, want %v", err, boom)
		}
	}
	if got := n.Load(); got != 2 {
		t.Fatalf("%d Txns, want 2: the queued events were not written together", got)
	}
	// Later batches still work.
	later := recordN(t, s, 3)
	ids, _ := lookupAll(t, s, audit.LookupQuery{Account: acctA, Region: "us-east-1"})
	if want := append(later, firstEv.EventID); !slices.Equal(ids, want) {
		t.Fatalf("found %v\nwant %v", ids, want)
	}
}

func TestRecordDuplicateInBatch(t *testing.T) {
	noLeak(t)
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Millisecond)})
	defer s.Close()
	orig := kmsEvent("Original", t0.Add(time.Hour))
	orig.EventID = "fixed-id"
	if err := s.Record(context.Background(), orig); err != nil {
		t.Fatal(err)
	}
	// The repeat is the newest event of its batch, so its batch key exists: only it fails.
	dup := *orig
	dup.EventName = "Tampered"
	release := s.HoldWriter()
	dupErr := make(chan error, 1)
	go func() { dupErr <- s.Record(context.Background(), &dup) }()
	others := []*audit.Event{kmsEvent("A", time.Time{}), kmsEvent("B", time.Time{}),
		kmsEvent("C", t0.Add(time.Hour-50*time.Millisecond))}
	errs := make(chan error, len(others))
	for _, e := range others {
		go func() { errs <- s.Record(context.Background(), e) }()
	}
	waitFor(t, "events to queue", func() bool { return s.Queued() == 1+len(others) })
	release()
	if err := <-dupErr; !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("repeated event: err = %v, want ErrConflict", err)
	}
	for range others {
		if err := <-errs; err != nil {
			t.Fatalf("innocent event of the same batch: %v", err)
		}
	}
	res, err := s.Lookup(context.Background(), audit.LookupQuery{Account: acctA, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range res.Events {
		names = append(names, e.EventName)
	}
	if want := []string{"Original", "C", "B", "A"}; !slices.Equal(names, want) && !slices.Equal(names, []string{"Original", "C", "A", "B"}) {
		t.Errorf("found %v, want %v (A and B in either order)", names, want)
	}
}

func TestRecordCanceled(t *testing.T) {
	s, b := newStore(t, audit.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Record(ctx, kmsEvent("ListKeys", time.Time{})); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(allKVs(t, b)); n != 0 {
		t.Errorf("%d keys stored for a canceled Record", n)
	}
}

func TestLookupPaginationAcrossBatches(t *testing.T) {
	s, b := newStore(t, audit.Options{Now: stepClock(time.Millisecond)})
	sizes := []int{5, 1, 7, 3, 12}
	var evs []*audit.Event
	for bi, n := range sizes {
		batch := make([]*audit.Event, n)
		for i := range batch {
			batch[i] = kmsEvent([]string{"Even", "Odd"}[(bi+i)%2], time.Time{})
		}
		recordBatch(t, s, batch...)
		evs = append(evs, batch...)
	}
	if keys := len(allKVs(t, b)); keys != len(sizes) {
		t.Fatalf("%d keys, want one per batch (%d)", keys, len(sizes))
	}
	slices.SortFunc(evs, func(a, b *audit.Event) int { return b.EventTime.Compare(a.EventTime) })
	var all, odd []string
	for _, e := range evs {
		all = append(all, e.EventID)
		if e.EventName == "Odd" {
			odd = append(odd, e.EventID)
		}
	}
	for _, mr := range []int32{1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 27, 28, 29, 50} {
		t.Run(fmt.Sprint("max", mr), func(t *testing.T) {
			q := audit.LookupQuery{Account: acctA, Region: "us-east-1", MaxResults: ptr(mr)}
			ids, pages := lookupAll(t, s, q)
			if !slices.Equal(ids, all) {
				t.Fatalf("ids\n got %v\nwant %v", ids, all)
			}
			for i, p := range pages {
				if (i < len(pages)-1 && p != int(mr)) || p == 0 {
					t.Fatalf("pages = %v", pages)
				}
			}
			q.LookupAttributes = []audit.LookupAttribute{{Key: audit.AttrEventName, Value: "Odd"}}
			if ids, _ := lookupAll(t, s, q); !slices.Equal(ids, odd) {
				t.Fatalf("Odd ids\n got %v\nwant %v", ids, odd)
			}
		})
	}
}

func TestLookupTimeRangeCutsBatches(t *testing.T) {
	s, b := newStore(t, audit.Options{})
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	batch := func(label string, ms ...int) {
		evs := make([]*audit.Event, len(ms))
		for i, m := range ms {
			evs[i] = kmsEvent(fmt.Sprintf("%s%d", label, m), at(m))
		}
		recordBatch(t, s, evs...)
	}
	// A straddles t0+1s; B, written later, overlaps A and is newer; C is later still and D
	// older, both written last.
	batch("A", 950, 1020, 970, 1000)
	batch("B", 960, 1040, 990, 1010)
	batch("C", 2500)
	batch("D", 50, 100)
	if keys := len(allKVs(t, b)); keys != 4 {
		t.Fatalf("%d keys, want 4", keys)
	}
	tests := []struct {
		name       string
		start, end time.Time
		want       []string
	}{
		{"all", time.Time{}, time.Time{},
			[]string{"C2500", "B1040", "B1010", "B990", "B960", "A1020", "A1000", "A970", "A950", "D100", "D50"}},
		{"first second", time.Time{}, at(0), []string{"B990", "B960", "A970", "A950", "D100", "D50"}},
		{"first second bounded", at(0), at(999), []string{"B990", "B960", "A970", "A950", "D100", "D50"}},
		{"second second", at(1000), at(1000), []string{"B1040", "B1010", "A1020", "A1000"}},
		{"from second second", at(1000), time.Time{}, []string{"C2500", "B1040", "B1010", "A1020", "A1000"}},
		{"third second", at(2000), at(2000), []string{"C2500"}},
		{"from third second", at(2000), time.Time{}, []string{"C2500"}},
		{"up to second second", time.Time{}, at(1999),
			[]string{"B1040", "B1010", "B990", "B960", "A1020", "A1000", "A970", "A950", "D100", "D50"}},
		{"empty", at(3000), time.Time{}, nil},
	}
	for _, tt := range tests {
		for _, mr := range []int32{1, 2, 3, 50} {
			t.Run(fmt.Sprintf("%s/max%d", tt.name, mr), func(t *testing.T) {
				var names []string
				q := audit.LookupQuery{Account: acctA, Region: "us-east-1", StartTime: tt.start, EndTime: tt.end,
					MaxResults: ptr(mr)}
				for range 100 {
					res, err := s.Lookup(context.Background(), q)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range res.Events {
						names = append(names, e.EventName)
					}
					if q.NextToken = res.NextToken; q.NextToken == "" {
						break
					}
				}
				if !slices.Equal(names, tt.want) {
					t.Errorf("got  %v\nwant %v", names, tt.want)
				}
			})
		}
	}
}

// TestLookupRandomBatches writes batches of caller-set, out-of-order times and checks every
// time range and page size against a brute-force answer: each event exactly once, batches in
// order of their newest event, events of a batch newest first.
func TestLookupRandomBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mem := memory.New()
	defer mem.Close()
	s := audit.New(mem, audit.Options{})
	tight := audit.New(mem, audit.Options{ScanBudget: 2}) // same trail, tiny scan budget
	span := audit.MaxBatchSpan / int64(time.Millisecond)
	type rec struct {
		name     string
		ms       int64 // event time, ms after t0
		batchMax int64
	}
	var recs []rec
	used := map[int64]bool{}
	for bi := range 25 {
		base := rng.Int64N(10_000) - 1_000
		n := 1 + rng.IntN(8)
		var evs []*audit.Event
		var times []int64
		for len(times) < n {
			ms := base + rng.Int64N(span+1)
			if used[ms] {
				continue
			}
			used[ms] = true
			times = append(times, ms)
			evs = append(evs, kmsEvent(fmt.Sprintf("b%d@%d", bi, ms), t0.Add(time.Duration(ms)*time.Millisecond)))
		}
		recordBatch(t, s, evs...)
		for i, ms := range times {
			recs = append(recs, rec{evs[i].EventName, ms, slices.Max(times)})
		}
	}
	slices.SortFunc(recs, func(a, b rec) int {
		return cmp.Or(cmp.Compare(b.batchMax, a.batchMax), cmp.Compare(b.ms, a.ms))
	})
	sec := func(ms int64) int64 { return t0.Add(time.Duration(ms) * time.Millisecond).Unix() }
	for _, store := range []*audit.Store{s, tight} {
		for range 60 {
			var start, end time.Time
			q := audit.LookupQuery{Account: acctA, Region: "us-east-1", MaxResults: ptr(int32(1 + rng.IntN(8)))}
			if rng.IntN(4) > 0 {
				start = t0.Add(time.Duration(rng.IntN(13)-2) * time.Second)
				q.StartTime = start
			}
			if rng.IntN(4) > 0 {
				end = t0.Add(time.Duration(rng.IntN(13)-2) * time.Second)
				if !start.IsZero() && end.Before(start) {
					end = start
				}
				q.EndTime = end
			}
			var want []string
			for _, r := range recs {
				if (start.IsZero() || sec(r.ms) >= start.Unix()) && (end.IsZero() || sec(r.ms) <= end.Unix()) {
					want = append(want, r.name)
				}
			}
			var got []string
			for range 1000 {
				res, err := store.Lookup(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range res.Events {
					got = append(got, e.EventName)
				}
				if q.NextToken = res.NextToken; q.NextToken == "" {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("start %v end %v max %d:\n got %v\nwant %v", start, end, *q.MaxResults, got, want)
			}
		}
	}
}
