package storage

import (
	"bytes"
	"context"
	"strings"
	"sync"
)

// Fanout delivers committed events to in-process watchers. It is a building block for drivers
// that implement Watch themselves (memory, bolt): Watch calls Subscribe, and the driver calls
// Publish once per committed transaction, in revision order, after the transaction is durable.
//
// Every watcher has a buffered channel of the size given to NewFanout. Publish never blocks: a
// watcher whose buffer is full is dropped, which closes its channel while its context is still
// live, so a stalled reader cannot hold up writers. Such a watcher has missed events and must
// watch again and re-read with Range (see Backend.Watch).
//
// A Fanout is safe for concurrent use.
type Fanout struct {
	buffer int

	mu     sync.Mutex
	closed bool
	subs   map[*subscriber]struct{}
}

type subscriber struct {
	prefix string
	ch     chan Event
	stop   func() bool
}

// NewFanout returns a Fanout whose watchers each buffer up to buffer events (at least 1).
func NewFanout(buffer int) *Fanout {
	return &Fanout{buffer: max(buffer, 1), subs: make(map[*subscriber]struct{})}
}

// Subscribe registers a watcher for keys with the prefix. Its channel receives every event
// published after Subscribe returns, and is closed when ctx ends, when the watcher overflows,
// or when the Fanout is closed. It returns ErrClosed after Close, and ctx's error if ctx has
// already ended.
func (f *Fanout) Subscribe(ctx context.Context, prefix string) (<-chan Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, ErrClosed
	}
	s := &subscriber{prefix: prefix, ch: make(chan Event, f.buffer)}
	f.subs[s] = struct{}{}
	// If ctx ends concurrently, the callback blocks on f.mu until this call has returned.
	s.stop = context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.removeLocked(s)
	})
	return s.ch, nil
}

// Publish delivers events, in order, to every watcher whose prefix matches. Each watcher gets
// its own copy of every value. Callers must publish transactions in revision order.
func (f *Fanout) Publish(events []Event) {
	if len(events) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
next:
	for s := range f.subs {
		for _, ev := range events {
			if !strings.HasPrefix(ev.KV.Key, s.prefix) {
				continue
			}
			ev.KV.Value = bytes.Clone(ev.KV.Value)
			select {
			case s.ch <- ev:
			default:
				// Overflow: drop the watcher rather than block the writer.
				f.removeLocked(s)
				continue next
			}
		}
	}
}

// Close closes every watcher's channel; later Subscribe calls return ErrClosed.
func (f *Fanout) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for s := range f.subs {
		f.removeLocked(s)
	}
}

// removeLocked unregisters s and closes its channel, once. f.mu must be held.
func (f *Fanout) removeLocked(s *subscriber) {
	if _, ok := f.subs[s]; !ok {
		return
	}
	delete(f.subs, s)
	close(s.ch)
	s.stop()
}
