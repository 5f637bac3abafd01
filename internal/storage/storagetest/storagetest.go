// Package storagetest is the conformance suite that every storage.Backend driver (and every
// wrapper such as the barrier) must pass. A driver's test calls Run with a function that opens
// a fresh, empty backend.
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Run runs the conformance suite. open must return a new, empty backend for every call; it
// should register a cleanup that closes the backend and ignores storage.ErrClosed, because some
// subtests close the backend themselves.
func Run(t *testing.T, open func(t *testing.T) storage.Backend) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, b storage.Backend)
	}{
		{"GetMissing", testGetMissing},
		{"CRUD", testCRUD},
		{"EmptyKeyRejected", testEmptyKey},
		{"BinaryValues", testBinaryValues},
		{"Create", testCreate},
		{"CompareAndSwap", testCompareAndSwap},
		{"TxnAtomicity", testTxnAtomicity},
		{"TxnMultiOp", testTxnMultiOp},
		{"Delete", testDelete},
		{"Revisions", testRevisions},
		{"Range", testRange},
		{"RangePagination", testRangePagination},
		{"RangeMany", testRangeMany},
		{"ValuesAreCopies", testValuesAreCopies},
		{"CanceledContext", testCanceledContext},
		{"Watch", testWatch},
		{"WatchStartsAfterCall", testWatchStartsAfterCall},
		{"WatchEndsWithContext", testWatchEndsWithContext},
		{"WatchConcurrentWritersInOrder", testWatchConcurrentOrder},
		{"ConcurrentCASOneWinner", testConcurrentCASOneWinner},
		{"ConcurrentIncrements", testConcurrentIncrements},
		{"Closed", testClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustPut(t *testing.T, b storage.Backend, key, value string) int64 {
	t.Helper()
	rev, err := storage.Put(ctx(t), b, key, []byte(value))
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return rev
}

func mustGet(t *testing.T, b storage.Backend, key string) storage.KV {
	t.Helper()
	kv, err := b.Get(ctx(t), key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return kv
}

func mustMissing(t *testing.T, b storage.Backend, key string) {
	t.Helper()
	if kv, err := b.Get(ctx(t), key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Get(%q) = %+v, %v; want ErrNotFound", key, kv, err)
	}
}

func wantKV(t *testing.T, got storage.KV, key, value string, mod, create int64) {
	t.Helper()
	if got.Key != key || string(got.Value) != value || got.ModRevision != mod || got.CreateRevision != create {
		t.Fatalf("got {%q %q mod=%d create=%d}, want {%q %q mod=%d create=%d}",
			got.Key, got.Value, got.ModRevision, got.CreateRevision, key, value, mod, create)
	}
}

func testGetMissing(t *testing.T, b storage.Backend) {
	mustMissing(t, b, "nope")
	mustPut(t, b, "nope/child", "x")
	mustMissing(t, b, "nope")
}

func testCRUD(t *testing.T, b storage.Backend) {
	r1 := mustPut(t, b, "users/alice", "v1")
	wantKV(t, mustGet(t, b, "users/alice"), "users/alice", "v1", r1, r1)

	r2 := mustPut(t, b, "users/alice", "v2")
	if r2 <= r1 {
		t.Fatalf("second put revision %d, want > %d", r2, r1)
	}
	wantKV(t, mustGet(t, b, "users/alice"), "users/alice", "v2", r2, r1)

	r3 := mustPut(t, b, "users/alice", "")
	wantKV(t, mustGet(t, b, "users/alice"), "users/alice", "", r3, r1)

	if err := storage.Delete(ctx(t), b, "users/alice"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	mustMissing(t, b, "users/alice")
}

func testEmptyKey(t *testing.T, b storage.Backend) {
	tests := []struct {
		name  string
		conds []storage.Cond
		ops   []storage.Op
	}{
		{"put", nil, []storage.Op{{Key: "", Value: []byte("x")}}},
		{"put after a valid op", nil, []storage.Op{{Key: "ok", Value: []byte("x")}, {Key: "", Value: []byte("x")}}},
		{"delete", nil, []storage.Op{{Key: "", Delete: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Txn(ctx(t), tt.conds, tt.ops)
			if err == nil || errors.Is(err, storage.ErrConflict) {
				t.Fatalf("Txn with an empty key: %v, want a non-conflict error", err)
			}
			mustMissing(t, b, "ok")
		})
	}
}

func testBinaryValues(t *testing.T, b storage.Backend) {
	v := make([]byte, 4096)
	for i := range v {
		v[i] = byte(i * 7)
	}
	rev, err := storage.Put(ctx(t), b, "bin", v)
	if err != nil {
		t.Fatal(err)
	}
	got := mustGet(t, b, "bin")
	if !bytes.Equal(got.Value, v) || got.ModRevision != rev {
		t.Fatalf("binary value did not round-trip (rev %d, want %d)", got.ModRevision, rev)
	}
}

func testCreate(t *testing.T, b storage.Backend) {
	r1, err := storage.Create(ctx(t), b, "k", []byte("first"))
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := storage.Create(ctx(t), b, "k", []byte("second")); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("second Create: %v, want ErrConflict", err)
	}
	wantKV(t, mustGet(t, b, "k"), "k", "first", r1, r1)

	if err := storage.Delete(ctx(t), b, "k"); err != nil {
		t.Fatal(err)
	}
	r2, err := storage.Create(ctx(t), b, "k", []byte("again"))
	if err != nil {
		t.Fatalf("Create after delete: %v", err)
	}
	if r2 <= r1 {
		t.Fatalf("re-create revision %d, want > %d", r2, r1)
	}
	wantKV(t, mustGet(t, b, "k"), "k", "again", r2, r2)
}

func testCompareAndSwap(t *testing.T, b storage.Backend) {
	r1 := mustPut(t, b, "k", "v1")
	r2 := mustPut(t, b, "other", "x") // moves the store revision past k's

	tests := []struct {
		name    string
		key     string
		rev     int64
		wantErr error
	}{
		{"stale revision", "k", r1 - 1, storage.ErrConflict},
		{"store revision is not key revision", "k", r2, storage.ErrConflict},
		{"zero on existing key", "k", 0, storage.ErrConflict},
		{"nonzero on missing key", "missing", r1, storage.ErrConflict},
		{"right revision", "k", r1, nil},
		{"old revision after success", "k", r1, storage.ErrConflict},
		{"zero on missing key", "missing", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, beforeErr := b.Get(ctx(t), tt.key)
			rev, err := storage.CompareAndSwap(ctx(t), b, tt.key, []byte("new:"+tt.name), tt.rev)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("CAS(%q, rev %d) = %d, %v; want %v", tt.key, tt.rev, rev, err, tt.wantErr)
			}
			after, afterErr := b.Get(ctx(t), tt.key)
			if tt.wantErr != nil {
				sameErr := (afterErr == nil) == (beforeErr == nil) &&
					errors.Is(afterErr, storage.ErrNotFound) == errors.Is(beforeErr, storage.ErrNotFound)
				if !sameErr || !bytes.Equal(after.Value, before.Value) || after.ModRevision != before.ModRevision {
					t.Fatalf("failed CAS changed the key: before %+v %v, after %+v %v", before, beforeErr, after, afterErr)
				}
				return
			}
			if afterErr != nil || string(after.Value) != "new:"+tt.name || after.ModRevision != rev {
				t.Fatalf("after CAS: %+v, %v; want value %q at revision %d", after, afterErr, "new:"+tt.name, rev)
			}
		})
	}
}

func testTxnAtomicity(t *testing.T, b storage.Backend) {
	rk := mustPut(t, b, "keep", "original")
	tests := []struct {
		name  string
		conds []storage.Cond
	}{
		{"last condition fails", []storage.Cond{{Key: "keep", Revision: rk}, {Key: "absent", Revision: 99}}},
		{"first condition fails", []storage.Cond{{Key: "keep", Revision: 0}, {Key: "absent"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.Txn(ctx(t), tt.conds, []storage.Op{
				{Key: "new/1", Value: []byte("a")},
				{Key: "keep", Value: []byte("clobbered")},
				{Key: "new/2", Value: []byte("b")},
				{Key: "keep", Delete: true},
			})
			if !errors.Is(err, storage.ErrConflict) {
				t.Fatalf("Txn: %v, want ErrConflict", err)
			}
			mustMissing(t, b, "new/1")
			mustMissing(t, b, "new/2")
			wantKV(t, mustGet(t, b, "keep"), "keep", "original", rk, rk)
			page, err := b.Range(ctx(t), "new/", "", 0)
			if err != nil || len(page.KVs) != 0 {
				t.Fatalf("Range after failed Txn: %+v, %v", page, err)
			}
		})
	}
}

func testTxnMultiOp(t *testing.T, b storage.Backend) {
	ra := mustPut(t, b, "a", "old")
	mustPut(t, b, "gone", "x")
	rev, err := b.Txn(ctx(t),
		[]storage.Cond{{Key: "a", Revision: ra}, {Key: "b"}},
		[]storage.Op{
			{Key: "a", Value: []byte("A")},
			{Key: "b", Value: []byte("B")},
			{Key: "gone", Delete: true},
			{Key: "never-existed", Delete: true},
		})
	if err != nil {
		t.Fatalf("Txn: %v", err)
	}
	wantKV(t, mustGet(t, b, "a"), "a", "A", rev, ra)
	wantKV(t, mustGet(t, b, "b"), "b", "B", rev, rev)
	mustMissing(t, b, "gone")
	mustMissing(t, b, "never-existed")

	// Conditions on several keys, no ops besides one put.
	rev2, err := b.Txn(ctx(t), []storage.Cond{{Key: "a", Revision: rev}, {Key: "b", Revision: rev}, {Key: "gone"}},
		[]storage.Op{{Key: "c", Value: []byte("C")}})
	if err != nil {
		t.Fatalf("Txn with conditions on keys written together: %v", err)
	}
	if rev2 <= rev {
		t.Fatalf("revision %d, want > %d", rev2, rev)
	}
}

func testDelete(t *testing.T, b storage.Backend) {
	if err := storage.Delete(ctx(t), b, "missing"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	mustPut(t, b, "d/1", "x")
	mustPut(t, b, "d/2", "y")
	if err := storage.Delete(ctx(t), b, "d/1"); err != nil {
		t.Fatal(err)
	}
	mustMissing(t, b, "d/1")
	page, err := b.Range(ctx(t), "d/", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(page); !slices.Equal(got, []string{"d/2"}) {
		t.Fatalf("Range after delete: %q", got)
	}
	// A conditional delete with a stale revision fails; with the current one it succeeds.
	r2 := mustGet(t, b, "d/2").ModRevision
	if _, err := b.Txn(ctx(t), []storage.Cond{{Key: "d/2", Revision: r2 + 1}}, []storage.Op{{Key: "d/2", Delete: true}}); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("conditional delete with wrong revision: %v", err)
	}
	if _, err := b.Txn(ctx(t), []storage.Cond{{Key: "d/2", Revision: r2}}, []storage.Op{{Key: "d/2", Delete: true}}); err != nil {
		t.Fatalf("conditional delete: %v", err)
	}
	mustMissing(t, b, "d/2")
}

func testRevisions(t *testing.T, b storage.Backend) {
	var last int64
	created := map[string]int64{}
	for i := range 20 {
		key := fmt.Sprintf("r/%d", i%3)
		rev := mustPut(t, b, key, fmt.Sprint(i))
		if rev <= last {
			t.Fatalf("write %d: revision %d, want > %d", i, rev, last)
		}
		last = rev
		if _, ok := created[key]; !ok {
			created[key] = rev
		}
		wantKV(t, mustGet(t, b, key), key, fmt.Sprint(i), rev, created[key])
	}
	// A failed Txn does not disturb later revisions' monotonicity.
	if _, err := storage.Create(ctx(t), b, "r/0", nil); !errors.Is(err, storage.ErrConflict) {
		t.Fatal(err)
	}
	if rev := mustPut(t, b, "r/x", "y"); rev <= last {
		t.Fatalf("revision after failed Txn %d, want > %d", rev, last)
	}
}

func keys(p storage.Page) []string {
	out := make([]string, len(p.KVs))
	for i, kv := range p.KVs {
		out[i] = kv.Key
	}
	return out
}

func testRange(t *testing.T, b storage.Backend) {
	all := []string{"a", "a/", "a/1", "a/2", "a/2/x", "a/3", "a/\u00e9", "a0", "a0/1", "b", "b/1", "\u00e9t\u00e9"}
	// Write in a scrambled order; Range must return key order.
	revs := map[string]int64{}
	for _, i := range []int{5, 0, 11, 3, 8, 1, 10, 6, 2, 9, 4, 7} {
		revs[all[i]] = mustPut(t, b, all[i], "v:"+all[i])
	}
	tests := []struct {
		name       string
		prefix     string
		startAfter string
		limit      int
		want       []string
		more       bool
	}{
		{"everything", "", "", 0, all, false},
		{"prefix a/ excludes a0", "a/", "", 0, []string{"a/", "a/1", "a/2", "a/2/x", "a/3", "a/\u00e9"}, false},
		{"prefix a includes a0", "a", "", 0, []string{"a", "a/", "a/1", "a/2", "a/2/x", "a/3", "a/\u00e9", "a0", "a0/1"}, false},
		{"prefix a0", "a0", "", 0, []string{"a0", "a0/1"}, false},
		{"prefix is a full key", "b/1", "", 0, []string{"b/1"}, false},
		{"no match", "c/", "", 0, nil, false},
		{"no match between keys", "a/20", "", 0, nil, false},
		{"limit", "a/", "", 2, []string{"a/", "a/1"}, true},
		{"limit equals count", "a0", "", 2, []string{"a0", "a0/1"}, false},
		{"limit above count", "a0", "", 3, []string{"a0", "a0/1"}, false},
		{"startAfter existing key", "a/", "a/2", 0, []string{"a/2/x", "a/3", "a/\u00e9"}, false},
		{"startAfter between keys", "a/", "a/25", 0, []string{"a/3", "a/\u00e9"}, false},
		{"startAfter equals prefix", "a/", "a/", 0, []string{"a/1", "a/2", "a/2/x", "a/3", "a/\u00e9"}, false},
		{"startAfter before prefix", "a/", "0", 0, []string{"a/", "a/1", "a/2", "a/2/x", "a/3", "a/\u00e9"}, false},
		{"startAfter last key", "a/", "a/\u00e9", 0, nil, false},
		{"startAfter past prefix", "a/", "a0", 0, nil, false},
		{"startAfter and limit", "a/", "a/1", 2, []string{"a/2", "a/2/x"}, true},
		{"startAfter and limit at end", "a/", "a/2/x", 2, []string{"a/3", "a/\u00e9"}, false},
		{"non-ascii order", "", "b/1", 0, []string{"\u00e9t\u00e9"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := b.Range(ctx(t), tt.prefix, tt.startAfter, tt.limit)
			if err != nil {
				t.Fatalf("Range: %v", err)
			}
			if got := keys(page); !slices.Equal(got, tt.want) || page.More != tt.more {
				t.Fatalf("Range(%q, %q, %d) = %q more=%v; want %q more=%v",
					tt.prefix, tt.startAfter, tt.limit, got, page.More, tt.want, tt.more)
			}
			for _, kv := range page.KVs {
				if string(kv.Value) != "v:"+kv.Key || kv.ModRevision != revs[kv.Key] || kv.CreateRevision != revs[kv.Key] {
					t.Fatalf("Range item %+v: want value %q at revision %d", kv, "v:"+kv.Key, revs[kv.Key])
				}
			}
		})
	}
}

// paginate reads every key with the prefix, limit at a time.
func paginate(t *testing.T, b storage.Backend, prefix string, limit int) []string {
	t.Helper()
	var out []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 100000 {
			t.Fatal("pagination does not end")
		}
		page, err := b.Range(ctx(t), prefix, after, limit)
		if err != nil {
			t.Fatalf("Range: %v", err)
		}
		if len(page.KVs) > limit {
			t.Fatalf("page of %d keys, limit %d", len(page.KVs), limit)
		}
		out = append(out, keys(page)...)
		if !page.More {
			return out
		}
		if len(page.KVs) == 0 {
			t.Fatal("empty page with More set")
		}
		after = page.KVs[len(page.KVs)-1].Key
	}
}

func testRangePagination(t *testing.T, b storage.Backend) {
	var want []string
	for i := range 10 {
		k := fmt.Sprintf("p/%02d", i)
		want = append(want, k)
		mustPut(t, b, k, "x")
	}
	mustPut(t, b, "p", "outside")
	mustPut(t, b, "p0", "outside")
	for _, limit := range []int{1, 2, 3, 4, 5, 9, 10, 11} {
		t.Run(fmt.Sprintf("limit=%d", limit), func(t *testing.T) {
			if got := paginate(t, b, "p/", limit); !slices.Equal(got, want) {
				t.Fatalf("paginated %q, want %q", got, want)
			}
		})
	}
}

func testRangeMany(t *testing.T, b storage.Backend) {
	const n = 2000
	ops := make([]storage.Op, 0, n)
	want := make([]string, 0, n)
	for i := range n {
		// Interleave insert order so sorted order differs from write order.
		k := fmt.Sprintf("many/%05d", (i*7919)%n)
		ops = append(ops, storage.Op{Key: k, Value: []byte(k)})
	}
	for i := range n {
		want = append(want, fmt.Sprintf("many/%05d", i))
	}
	// Write in chunks so no single transaction is huge.
	for i := 0; i < n; i += 500 {
		if _, err := b.Txn(ctx(t), nil, ops[i:i+500]); err != nil {
			t.Fatal(err)
		}
	}
	if got := paginate(t, b, "many/", 97); !slices.Equal(got, want) {
		t.Fatalf("paginated %d keys, want %d in order", len(got), len(want))
	}
	page, err := b.Range(ctx(t), "many/", "many/01000", 1)
	if err != nil || len(page.KVs) != 1 || page.KVs[0].Key != "many/01001" || string(page.KVs[0].Value) != "many/01001" || !page.More {
		t.Fatalf("Range from the middle: %+v, %v", page, err)
	}
}

func testValuesAreCopies(t *testing.T, b storage.Backend) {
	in := []byte("original")
	if _, err := storage.Put(ctx(t), b, "k", in); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X' // the caller's slice is theirs after Put returns
	kv := mustGet(t, b, "k")
	if string(kv.Value) != "original" {
		t.Fatalf("store kept the caller's slice: %q", kv.Value)
	}
	kv.Value[0] = 'Y'
	page, err := b.Range(ctx(t), "", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(page.KVs[0].Value) != "original" {
		t.Fatalf("Get returned the stored slice: %q", page.KVs[0].Value)
	}
	page.KVs[0].Value[0] = 'Z'
	if kv := mustGet(t, b, "k"); string(kv.Value) != "original" {
		t.Fatalf("Range returned the stored slice: %q", kv.Value)
	}
}

func testCanceledContext(t *testing.T, b storage.Backend) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	if _, err := storage.Put(c, b, "k", []byte("v")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a canceled context: %v, want context.Canceled", err)
	}
	mustMissing(t, b, "k")
}

// next reads one event, failing if the channel closes.
func next(t *testing.T, ch <-chan storage.Event) storage.Event {
	t.Helper()
	ev, ok := <-ch
	if !ok {
		t.Fatal("watch channel closed early")
	}
	return ev
}

func testWatch(t *testing.T, b storage.Backend) {
	c, cancel := context.WithCancel(ctx(t))
	defer cancel()
	ch, err := b.Watch(c, "w/")
	if err != nil {
		t.Fatalf("Watch: %v", err)
	}
	other, err := b.Watch(c, "w/")
	if err != nil {
		t.Fatalf("second Watch: %v", err)
	}

	type want struct {
		typ   storage.EventType
		key   string
		value string
		rev   int64
	}
	var wants []want
	r := mustPut(t, b, "w/1", "one")
	wants = append(wants, want{storage.EventPut, "w/1", "one", r})
	mustPut(t, b, "x/1", "not watched")
	mustPut(t, b, "w", "not watched: prefix is w/")
	r = mustPut(t, b, "w/2", "two")
	wants = append(wants, want{storage.EventPut, "w/2", "two", r})
	if err := storage.Delete(ctx(t), b, "w/nothing"); err != nil { // no event: nothing deleted
		t.Fatal(err)
	}
	r, err = b.Txn(ctx(t), nil, []storage.Op{{Key: "w/1", Delete: true}, {Key: "x/2", Value: []byte("no")}, {Key: "w/3", Value: []byte("three")}})
	if err != nil {
		t.Fatal(err)
	}
	wants = append(wants, want{storage.EventDelete, "w/1", "", r}, want{storage.EventPut, "w/3", "three", r})
	if _, err := storage.Create(ctx(t), b, "w/2", nil); !errors.Is(err, storage.ErrConflict) { // no event
		t.Fatal(err)
	}
	r = mustPut(t, b, "w/2", "two again")
	wants = append(wants, want{storage.EventPut, "w/2", "two again", r})

	for _, w := range []<-chan storage.Event{ch, other} {
		for i, wt := range wants {
			ev := next(t, w)
			if ev.Type != wt.typ || ev.KV.Key != wt.key || string(ev.KV.Value) != wt.value || ev.KV.ModRevision != wt.rev {
				t.Fatalf("event %d: {%v %q %q rev=%d}, want {%v %q %q rev=%d}",
					i, ev.Type, ev.KV.Key, ev.KV.Value, ev.KV.ModRevision, wt.typ, wt.key, wt.value, wt.rev)
			}
			if ev.Type == storage.EventDelete && ev.KV.Value != nil {
				t.Fatalf("delete event carries a value: %q", ev.KV.Value)
			}
		}
	}
}

func testWatchStartsAfterCall(t *testing.T, b storage.Backend) {
	mustPut(t, b, "s/before", "x")
	ch, err := b.Watch(ctx(t), "s/")
	if err != nil {
		t.Fatal(err)
	}
	r := mustPut(t, b, "s/after", "y")
	if ev := next(t, ch); ev.KV.Key != "s/after" || ev.KV.ModRevision != r {
		t.Fatalf("first event %+v, want s/after at %d", ev, r)
	}
}

func testWatchEndsWithContext(t *testing.T, b storage.Backend) {
	c, cancel := context.WithCancel(ctx(t))
	ch, err := b.Watch(c, "")
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, b, "k", "v")
	cancel()
	// The channel must close; buffered events may still arrive first.
	for range ch {
	}
	// Writes after the watch ended still work.
	mustPut(t, b, "k", "v2")
}

func testWatchConcurrentOrder(t *testing.T, b storage.Backend) {
	// 400 events: well within a watcher's buffer in every driver, so none is dropped.
	const writers, each = 16, 25
	ch, err := b.Watch(ctx(t), "c/")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := storage.Put(ctx(t), b, fmt.Sprintf("c/%d/%d", w, i), []byte("x")); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	seen := map[string]bool{}
	var last int64
	for range writers * each {
		ev := next(t, ch)
		if ev.KV.ModRevision <= last {
			t.Fatalf("event for %q at revision %d after revision %d", ev.KV.Key, ev.KV.ModRevision, last)
		}
		last = ev.KV.ModRevision
		if seen[ev.KV.Key] {
			t.Fatalf("duplicate event for %q", ev.KV.Key)
		}
		seen[ev.KV.Key] = true
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func testConcurrentCASOneWinner(t *testing.T, b storage.Backend) {
	const n = 16
	rev := mustPut(t, b, "lock", "free")
	results := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, results[i] = storage.CompareAndSwap(ctx(t), b, "lock", []byte(fmt.Sprint("held by ", i)), rev)
		})
	}
	close(start)
	wg.Wait()
	winners := 0
	winner := -1
	for i, err := range results {
		switch {
		case err == nil:
			winners++
			winner = i
		case errors.Is(err, storage.ErrConflict):
		default:
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	if winners != 1 {
		t.Fatalf("%d CAS winners, want exactly 1", winners)
	}
	if kv := mustGet(t, b, "lock"); string(kv.Value) != fmt.Sprint("held by ", winner) {
		t.Fatalf("value %q, want the winner's (%d)", kv.Value, winner)
	}
}

func testConcurrentIncrements(t *testing.T, b storage.Backend) {
	const workers, each = 8, 25
	if _, err := storage.Create(ctx(t), b, "counter", []byte("0")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for range each {
				if err := increment(ctx(t), b, "counter"); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if kv := mustGet(t, b, "counter"); string(kv.Value) != fmt.Sprint(workers*each) {
		t.Fatalf("counter = %s, want %d", kv.Value, workers*each)
	}
}

// increment adds one to the decimal counter at key with a read/CAS retry loop.
func increment(c context.Context, b storage.Backend, key string) error {
	for {
		kv, err := b.Get(c, key)
		if err != nil {
			return err
		}
		var n int
		if _, err := fmt.Sscan(string(kv.Value), &n); err != nil {
			return fmt.Errorf("counter value %q: %w", kv.Value, err)
		}
		_, err = storage.CompareAndSwap(c, b, key, []byte(fmt.Sprint(n+1)), kv.ModRevision)
		if errors.Is(err, storage.ErrConflict) {
			continue
		}
		return err
	}
}

func testClosed(t *testing.T, b storage.Backend) {
	mustPut(t, b, "k", "v")
	ch, err := b.Watch(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for range ch { // Close ends open watches
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := b.Get(ctx(t), "k"); return err }},
		{"Txn", func() error { _, err := storage.Put(ctx(t), b, "k", []byte("x")); return err }},
		{"Range", func() error { _, err := b.Range(ctx(t), "", "", 0); return err }},
		{"Watch", func() error { _, err := b.Watch(ctx(t), ""); return err }},
		{"Close", b.Close},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, storage.ErrClosed) {
				t.Fatalf("%s after Close: %v, want ErrClosed", tt.name, err)
			}
		})
	}
}
