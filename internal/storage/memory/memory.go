// Package memory is an in-process storage.Backend that keeps everything in RAM. It is meant for
// tests and for throwaway development servers: nothing survives Close or a restart.
package memory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// DefaultWatchBuffer is how many events a watcher may fall behind before it is dropped.
const DefaultWatchBuffer = 1024

// Store is the in-memory backend. Keys are kept in a sorted slice next to a map, so Get is a
// map lookup, Range is a binary search plus a scan, and a write of a new key costs one slice
// insert. The zero value is not usable; call New.
type Store struct {
	mu     sync.RWMutex
	closed bool
	rev    int64
	items  map[string]entry
	keys   []string // sorted bytewise; exactly the keys of items
	fanout *storage.Fanout
}

// entry is one stored value. value is never modified after it is stored.
type entry struct {
	value  []byte
	mod    int64
	create int64
}

var _ storage.Backend = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{items: make(map[string]entry), fanout: storage.NewFanout(DefaultWatchBuffer)}
}

// Get returns the key, or storage.ErrNotFound.
func (s *Store) Get(ctx context.Context, key string) (storage.KV, error) {
	if err := ctx.Err(); err != nil {
		return storage.KV{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return storage.KV{}, storage.ErrClosed
	}
	e, ok := s.items[key]
	if !ok {
		return storage.KV{}, fmt.Errorf("memory: get %q: %w", key, storage.ErrNotFound)
	}
	return e.kv(key), nil
}

// Txn applies ops atomically if every condition holds; see storage.Backend.
func (s *Store) Txn(ctx context.Context, conds []storage.Cond, ops []storage.Op) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := validate(conds, ops); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, storage.ErrClosed
	}
	for _, c := range conds {
		var cur int64
		if e, ok := s.items[c.Key]; ok {
			cur = e.mod
		}
		if cur != c.Revision {
			return 0, fmt.Errorf("memory: txn: %q at revision %d, not %d: %w", c.Key, cur, c.Revision, storage.ErrConflict)
		}
	}
	s.rev++
	rev := s.rev
	events := make([]storage.Event, 0, len(ops))
	for _, op := range ops {
		old, exists := s.items[op.Key]
		if op.Delete {
			if !exists {
				continue
			}
			delete(s.items, op.Key)
			i, _ := slices.BinarySearch(s.keys, op.Key)
			s.keys = slices.Delete(s.keys, i, i+1)
			events = append(events, storage.Event{Type: storage.EventDelete, KV: storage.KV{Key: op.Key, ModRevision: rev}})
			continue
		}
		e := entry{value: bytes.Clone(op.Value), mod: rev, create: rev}
		if e.value == nil {
			e.value = []byte{}
		}
		if exists {
			e.create = old.create
		} else {
			i, _ := slices.BinarySearch(s.keys, op.Key)
			s.keys = slices.Insert(s.keys, i, op.Key)
		}
		s.items[op.Key] = e
		// The fanout copies values per watcher, so sharing e.value here is safe.
		events = append(events, storage.Event{Type: storage.EventPut, KV: storage.KV{Key: op.Key, Value: e.value, ModRevision: rev, CreateRevision: e.create}})
	}
	// Publishing under the write lock keeps events in revision order.
	s.fanout.Publish(events)
	return rev, nil
}

// Range returns up to limit keys with the prefix after startAfter; see storage.Backend.
func (s *Store) Range(ctx context.Context, prefix, startAfter string, limit int) (storage.Page, error) {
	if err := ctx.Err(); err != nil {
		return storage.Page{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return storage.Page{}, storage.ErrClosed
	}
	start, exclusive := prefix, false
	if startAfter >= prefix {
		start, exclusive = startAfter, true
	}
	i, found := slices.BinarySearch(s.keys, start)
	if found && exclusive {
		i++
	}
	var page storage.Page
	for ; i < len(s.keys) && strings.HasPrefix(s.keys[i], prefix); i++ {
		if limit > 0 && len(page.KVs) == limit {
			page.More = true
			break
		}
		page.KVs = append(page.KVs, s.items[s.keys[i]].kv(s.keys[i]))
	}
	return page, nil
}

// Watch streams changes to keys with the prefix; see storage.Backend and storage.Fanout for
// how slow watchers are dropped.
func (s *Store) Watch(ctx context.Context, prefix string) (<-chan storage.Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, storage.ErrClosed
	}
	return s.fanout.Subscribe(ctx, prefix)
}

// Close drops all data and ends every watch. Later calls return storage.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return storage.ErrClosed
	}
	s.closed = true
	s.items, s.keys = nil, nil
	s.fanout.Close()
	return nil
}

func (e entry) kv(key string) storage.KV {
	return storage.KV{Key: key, Value: bytes.Clone(e.value), ModRevision: e.mod, CreateRevision: e.create}
}

func validate(conds []storage.Cond, ops []storage.Op) error {
	for _, c := range conds {
		if c.Key == "" {
			return errors.New("memory: txn: condition on an empty key")
		}
	}
	for _, op := range ops {
		if op.Key == "" {
			return errors.New("memory: txn: write to an empty key")
		}
	}
	return nil
}
