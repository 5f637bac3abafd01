package audit

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Limits of one write. A group (one drain of the queue, written in one Backend.Txn) holds at
// most maxBatchEvents events and, past its first event, maxBatchBytes of entries. A stored
// batch (one value) holds events of one account and region whose times lie within
// maxBatchSpan of the newest; Lookup relies on that bound to start a time-range scan.
const (
	maxBatchEvents = 512
	maxBatchBytes  = 1 << 20
	maxBatchSpan   = int64(100 * time.Millisecond)
)

// pending is one queued event. The writer sets time, nanos (when stamping) and err before it
// closes the group's done channel; Record reads them only after that.
type pending struct {
	entry           []byte  // encoded entry; jsonTime is the offset of its JSON eventTime
	buf             *[]byte // pool buffer behind entry
	jsonTime        int
	account, region string
	id              string
	stamp           bool // the batcher sets the time
	time            time.Time
	nanos           int64 // clampNanos(time)
	err             error // this event's own failure
	seq             int   // position in its group, for stable ordering
}

// group is one drain: the events written together in one Txn.
type group struct {
	events []*pending
	bytes  int
	done   chan struct{} // closed when the write is over
	err    error         // the failure of the whole write
}

// partition is the account and region of an event.
type partition struct{ account, region string }

// writerState is scratch reused from one group to the next by whoever writes (the caller
// that leads, or the writer goroutine: one at a time, see Store.running).
type writerState struct {
	parts map[partition]int // index in byPt
	byPt  [][]*pending
	conds []storage.Cond
	ops   []storage.Op
	runs  [][]*pending // the events of each op, newest first
}

// enqueue adds p to the newest queued group with room. When no writer is running, the trail
// is idle: p gets a group of its own that is not queued, lead is true and the caller must
// write it with lead, which costs no goroutine switch. Otherwise a writer is running and will
// write the group.
func (s *Store) enqueue(p *pending) (_ *group, lead bool, _ error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false, ErrClosed
	}
	if !s.running {
		s.running = true
		s.writers.Add(1)
		return &group{events: []*pending{p}, bytes: len(p.entry), done: make(chan struct{})}, true, nil
	}
	var g *group
	if n := len(s.queue); n > 0 {
		if last := s.queue[n-1]; len(last.events) < maxBatchEvents && last.bytes+len(p.entry) <= maxBatchBytes {
			g = last
		}
	}
	if g == nil {
		g = &group{done: make(chan struct{})}
		s.queue = append(s.queue, g)
	}
	p.seq = len(g.events)
	g.events = append(g.events, p)
	g.bytes += len(p.entry)
	return g, false, nil
}

// lead writes g, the group of an event recorded while the trail was idle, on the caller's
// goroutine, then hands what queued meanwhile to a writer goroutine.
func (s *Store) lead(g *group) {
	s.writeGroup(g)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		go s.writer() // inherits running and the writers count
		return
	}
	s.running = false
	s.writers.Done()
}

// writer writes queued groups, oldest first, until the queue is empty. While it writes one
// group, new events gather in the next: group commit without timers.
func (s *Store) writer() {
	defer s.writers.Done()
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.running = false
			s.queue = nil
			s.mu.Unlock()
			return
		}
		g := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		s.mu.Unlock()
		s.writeGroup(g)
	}
}

// writeGroup writes g, releases its buffers and wakes its callers.
func (s *Store) writeGroup(g *group) {
	s.write(g)
	for _, p := range g.events {
		s.release(p.buf, p.entry)
		p.entry, p.buf = nil, nil
	}
	close(g.done)
}

// write stamps the group's events, splits them into batches and stores every batch in one
// Txn. On failure it sets g.err, or each event's err when only some failed.
func (s *Store) write(g *group) {
	w := &s.w
	live := g.events[:0:0]
	for _, p := range g.events {
		if p.stamp {
			t := s.now().UTC()
			if err := stampEntry(p.entry, p.jsonTime, t); err != nil {
				p.err = err
				continue
			}
			p.time, p.nanos = t, clampNanos(t)
		}
		live = append(live, p)
	}
	if len(live) == 0 {
		return
	}

	// Partition by account and region, keeping queue order inside each.
	if w.parts == nil {
		w.parts = make(map[partition]int)
	}
	clear(w.parts)
	w.byPt = w.byPt[:0]
	for _, p := range live {
		k := partition{p.account, p.region}
		i, ok := w.parts[k]
		if !ok {
			i = len(w.byPt)
			w.parts[k] = i
			if len(w.byPt) < cap(w.byPt) {
				w.byPt = w.byPt[:i+1]
				w.byPt[i] = w.byPt[i][:0]
			} else {
				w.byPt = append(w.byPt, nil)
			}
		}
		w.byPt[i] = append(w.byPt[i], p)
	}

	// Newest first (ties: later in the queue first), then cut into runs of maxBatchSpan.
	w.conds, w.ops, w.runs = w.conds[:0], w.ops[:0], w.runs[:0]
	for _, evs := range w.byPt {
		slices.SortFunc(evs, func(a, b *pending) int {
			return cmp.Or(cmp.Compare(b.nanos, a.nanos), cmp.Compare(b.seq, a.seq))
		})
		for start := 0; start < len(evs); {
			end := start + 1
			for end < len(evs) && evs[start].nanos-evs[end].nanos <= maxBatchSpan {
				end++
			}
			run := evs[start:end]
			key, value := encodeBatch(run)
			w.conds = append(w.conds, storage.Cond{Key: key})
			w.ops = append(w.ops, storage.Op{Key: key, Value: value})
			w.runs = append(w.runs, run)
			start = end
		}
	}
	ctx := context.Background() // one caller's cancellation must not fail the others
	_, err := s.backend.Txn(ctx, w.conds, w.ops)
	switch {
	case err == nil:
	case errors.Is(err, storage.ErrConflict):
		// A batch key exists: its newest event repeats the ID and time of a stored one.
		// Write each batch on its own, dropping the repeated event, so only it fails.
		for _, run := range w.runs {
			s.writeAlone(ctx, run)
		}
	default:
		g.err = err
	}
	// Drop the values and the events: the scratch outlives the group.
	clear(w.ops)
	clear(w.runs)
	for _, evs := range w.byPt {
		clear(evs)
	}
}

// writeAlone stores one run in its own Txn, failing its newest event with ErrConflict for as
// long as the key exists.
func (s *Store) writeAlone(ctx context.Context, run []*pending) {
	for len(run) > 0 {
		key, value := encodeBatch(run)
		_, err := storage.Create(ctx, s.backend, key, value)
		switch {
		case err == nil:
			return
		case errors.Is(err, storage.ErrConflict):
			run[0].err = fmt.Errorf("event %s at %s is already recorded: %w",
				run[0].id, run[0].time.Format(time.RFC3339Nano), err)
			run = run[1:]
		default:
			for _, p := range run {
				p.err = err
			}
			return
		}
	}
}

// encodeBatch returns the key and value of a run of one partition, newest first.
func encodeBatch(run []*pending) (string, []byte) {
	newest, oldest := run[0], run[len(run)-1]
	// The header and the entry lengths go to one small buffer, sized so that it never moves;
	// bytes.Join then allocates the value (up to maxBatchBytes) without zeroing it first.
	small := make([]byte, 0, len(recordMagic)+3*binary.MaxVarintLen64+len(run)*binary.MaxVarintLen64)
	small = append(small, recordMagic...)
	small = binary.AppendUvarint(small, uint64(len(run)))
	small = binary.AppendUvarint(small, uint64(oldest.nanos))
	small = binary.AppendUvarint(small, uint64(newest.nanos))
	parts := make([][]byte, 0, 1+2*len(run))
	parts = append(parts, small)
	for _, p := range run {
		mark := len(small)
		small = binary.AppendUvarint(small, uint64(len(p.entry)))
		parts = append(parts, small[mark:], p.entry)
	}
	return batchKey(newest.account, newest.region, newest.nanos, newest.id), bytes.Join(parts, nil)
}
