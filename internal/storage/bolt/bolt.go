// Package bolt is the embedded storage.Backend: one bbolt file, fsynced before every write is
// acknowledged.
//
// # Group commit
//
// Every Txn is handed to a single committer goroutine. While one bbolt transaction is being
// written and fsynced, newly arriving Txns queue up; the committer then applies all of them
// (up to Options.MaxBatch) in one bbolt transaction and one fsync, in arrival order, each
// under its own store revision. A Txn whose condition fails inside a batch is simply skipped;
// it does not roll back the others. An idle store therefore commits a lone Txn immediately
// (one fsync of latency, no batching delay), and a busy one shares each fsync among every
// writer that arrived during the previous one.
//
// This replaces bbolt's DB.Batch, which waits up to MaxBatchDelay (10ms by default) before
// committing a batch, rolls back and re-runs the whole batch for every failing function, and
// runs commit handlers outside the writer lock, so it cannot order watch events.
//
// # File format
//
// Bucket "meta" holds "format" (a uint32, currently 1) and "rev" (the store revision, a
// big-endian uint64). Bucket "kv" maps each key to a 16-byte header (ModRevision then
// CreateRevision, big-endian uint64s) followed by the value.
//
// # Watch
//
// Watch is an in-process fanout (storage.Fanout) fed by the committer after each fsync, in
// revision order, before the writers are acknowledged. A watcher that falls more than
// Options.WatchBuffer events behind is dropped: its channel is closed early and it must watch
// again and re-read with Range. Watchers in other processes see nothing; sharing one store
// between processes needs the etcd driver.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// Defaults for Options fields left zero.
const (
	DefaultWatchBuffer = 1024
	DefaultMaxBatch    = 1024
	DefaultLockTimeout = 5 * time.Second
)

const (
	formatVersion = 1
	headerLen     = 16
)

var (
	bucketMeta = []byte("meta")
	bucketKV   = []byte("kv")
	keyFormat  = []byte("format")
	keyRev     = []byte("rev")
)

// errNothingWritten rolls back a batch in which every Txn failed its conditions, so it costs
// no fsync. It never leaves this package.
var errNothingWritten = errors.New("bolt: nothing written")

// Options tunes a Store. The zero value is a good default.
type Options struct {
	// WatchBuffer is how many events a watcher may fall behind before it is dropped.
	WatchBuffer int
	// MaxBatch is the most Txns committed together in one bbolt transaction.
	MaxBatch int
	// LockTimeout is how long Open waits for another process to release the file lock.
	LockTimeout time.Duration
}

// Store is the bbolt backend. Create it with Open.
type Store struct {
	db       *bbolt.DB
	fanout   *storage.Fanout
	maxBatch int
	reqs     chan *request // to the committer; closed by Close
	done     chan struct{} // closed when the committer has exited

	// mu is held shared by every call for its whole duration and exclusively by Close, so
	// Close waits for in-flight calls and later calls see closed.
	mu     sync.RWMutex
	closed bool
}

var _ storage.Backend = (*Store)(nil)

type request struct {
	conds []storage.Cond
	ops   []storage.Op
	// recs holds the encoded record of each put op (nil for deletes), built by the caller.
	recs [][]byte
	done chan result
}

type result struct {
	rev int64
	err error
}

// Open opens or creates the store file at path (mode 0600).
func Open(path string, opts Options) (*Store, error) {
	if opts.WatchBuffer <= 0 {
		opts.WatchBuffer = DefaultWatchBuffer
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{
		Timeout:      opts.LockTimeout,
		NoSync:       false, // every commit is fsynced before it is acknowledged
		FreelistType: bbolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	if err := db.Update(initialize); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	s := &Store{
		db:       db,
		fanout:   storage.NewFanout(opts.WatchBuffer),
		maxBatch: opts.MaxBatch,
		reqs:     make(chan *request, opts.MaxBatch),
		done:     make(chan struct{}),
	}
	go s.commitLoop()
	return s, nil
}

// initialize creates the buckets of a new file and checks the format of an existing one.
func initialize(tx *bbolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketKV); err != nil {
		return err
	}
	switch v := meta.Get(keyFormat); {
	case v == nil:
		if err := meta.Put(keyFormat, binary.BigEndian.AppendUint32(nil, formatVersion)); err != nil {
			return err
		}
		return meta.Put(keyRev, binary.BigEndian.AppendUint64(nil, 0))
	case len(v) != 4 || binary.BigEndian.Uint32(v) != formatVersion:
		return fmt.Errorf("unsupported file format %x (want %d)", v, formatVersion)
	}
	return nil
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
	var kv storage.KV
	err := s.db.View(func(tx *bbolt.Tx) error {
		rec := tx.Bucket(bucketKV).Get([]byte(key))
		if rec == nil {
			return storage.ErrNotFound
		}
		var err error
		kv, err = decode(key, rec)
		return err
	})
	if err != nil {
		return storage.KV{}, fmt.Errorf("bolt: get %q: %w", key, err)
	}
	return kv, nil
}

// Txn applies ops atomically if every condition holds; see storage.Backend. It returns once the
// commit is fsynced. A context that ends while the Txn waits to be queued cancels it; once
// queued, the Txn runs to completion regardless of ctx.
func (s *Store) Txn(ctx context.Context, conds []storage.Cond, ops []storage.Op) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	req := &request{conds: conds, ops: ops, recs: make([][]byte, len(ops)), done: make(chan result, 1)}
	for _, c := range conds {
		if err := checkKey(c.Key); err != nil {
			return 0, fmt.Errorf("bolt: txn: condition: %w", err)
		}
	}
	for i, op := range ops {
		if err := checkKey(op.Key); err != nil {
			return 0, fmt.Errorf("bolt: txn: op %d: %w", i, err)
		}
		if op.Delete {
			continue
		}
		if len(op.Value) > bbolt.MaxValueSize-headerLen {
			return 0, fmt.Errorf("bolt: txn: op %d: value of %d bytes is too large", i, len(op.Value))
		}
		// The record copies the value, so the caller may reuse op.Value once we return.
		req.recs[i] = append(make([]byte, headerLen, headerLen+len(op.Value)), op.Value...)
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return 0, storage.ErrClosed
	}
	select {
	case s.reqs <- req:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	res := <-req.done
	return res.rev, res.err
}

func checkKey(key string) error {
	switch {
	case key == "":
		return errors.New("empty key")
	case len(key) > bbolt.MaxKeySize:
		return fmt.Errorf("key of %d bytes is too long", len(key))
	}
	return nil
}

// commitLoop is the single committer: it takes every queued request, commits them together,
// publishes their events and acknowledges them.
func (s *Store) commitLoop() {
	defer close(s.done)
	batch := make([]*request, 0, s.maxBatch)
	for req := range s.reqs {
		batch = append(batch[:0], req)
	fill:
		for len(batch) < s.maxBatch {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

// commit applies batch in one bbolt transaction. Each request is checked against the state
// left by the ones before it and, if its conditions hold, gets the next revision.
func (s *Store) commit(batch []*request) {
	results := make([]result, len(batch))
	var events []storage.Event
	err := s.db.Update(func(tx *bbolt.Tx) error {
		events = events[:0] // bbolt does not re-run Update, but keep this function self-contained
		meta, kvb := tx.Bucket(bucketMeta), tx.Bucket(bucketKV)
		start := int64(binary.BigEndian.Uint64(meta.Get(keyRev)))
		rev := start
		for i, req := range batch {
			if err := checkConds(kvb, req.conds); err != nil {
				results[i] = result{err: err}
				continue
			}
			rev++
			evs, err := apply(kvb, req, rev)
			if err != nil {
				return err
			}
			events = append(events, evs...)
			results[i] = result{rev: rev}
		}
		if rev == start {
			return errNothingWritten
		}
		return meta.Put(keyRev, binary.BigEndian.AppendUint64(nil, uint64(rev)))
	})
	switch {
	case err == nil:
		s.fanout.Publish(events)
	case errors.Is(err, errNothingWritten):
	default:
		for i := range results {
			results[i] = result{err: fmt.Errorf("bolt: commit: %w", err)}
		}
	}
	for i, req := range batch {
		req.done <- results[i]
	}
}

func checkConds(kvb *bbolt.Bucket, conds []storage.Cond) error {
	for _, c := range conds {
		var cur int64
		if rec := kvb.Get([]byte(c.Key)); rec != nil {
			if len(rec) < headerLen {
				return fmt.Errorf("bolt: txn: %q: corrupt record of %d bytes", c.Key, len(rec))
			}
			cur = int64(binary.BigEndian.Uint64(rec[0:8]))
		}
		if cur != c.Revision {
			return fmt.Errorf("bolt: txn: %q at revision %d, not %d: %w", c.Key, cur, c.Revision, storage.ErrConflict)
		}
	}
	return nil
}

// apply writes req's ops at rev and returns their watch events.
func apply(kvb *bbolt.Bucket, req *request, rev int64) ([]storage.Event, error) {
	events := make([]storage.Event, 0, len(req.ops))
	for i, op := range req.ops {
		key := []byte(op.Key)
		old := kvb.Get(key)
		if op.Delete {
			if old == nil {
				continue
			}
			if err := kvb.Delete(key); err != nil {
				return nil, err
			}
			events = append(events, storage.Event{Type: storage.EventDelete, KV: storage.KV{Key: op.Key, ModRevision: rev}})
			continue
		}
		create := rev
		if len(old) >= headerLen {
			create = int64(binary.BigEndian.Uint64(old[8:16]))
		}
		// Each op has its own record and each request is applied once, so filling in the
		// header in place is safe; bbolt keeps a reference to rec until the commit.
		rec := req.recs[i]
		binary.BigEndian.PutUint64(rec[0:8], uint64(rev))
		binary.BigEndian.PutUint64(rec[8:16], uint64(create))
		if err := kvb.Put(key, rec); err != nil {
			return nil, err
		}
		events = append(events, storage.Event{Type: storage.EventPut, KV: storage.KV{
			Key: op.Key, Value: rec[headerLen:], ModRevision: rev, CreateRevision: create,
		}})
	}
	return events, nil
}

// decode copies a stored record out of bbolt's memory map.
func decode(key string, rec []byte) (storage.KV, error) {
	if len(rec) < headerLen {
		return storage.KV{}, fmt.Errorf("corrupt record of %d bytes", len(rec))
	}
	return storage.KV{
		Key:            key,
		Value:          bytes.Clone(rec[headerLen:]),
		ModRevision:    int64(binary.BigEndian.Uint64(rec[0:8])),
		CreateRevision: int64(binary.BigEndian.Uint64(rec[8:16])),
	}, nil
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
	var page storage.Page
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketKV).Cursor()
		k, v := c.Seek([]byte(start))
		if exclusive && k != nil && string(k) == start {
			k, v = c.Next()
		}
		for ; k != nil && strings.HasPrefix(string(k), prefix); k, v = c.Next() {
			if limit > 0 && len(page.KVs) == limit {
				page.More = true
				return nil
			}
			kv, err := decode(string(k), v)
			if err != nil {
				return fmt.Errorf("%q: %w", k, err)
			}
			page.KVs = append(page.KVs, kv)
		}
		return nil
	})
	if err != nil {
		return storage.Page{}, fmt.Errorf("bolt: range %q: %w", prefix, err)
	}
	return page, nil
}

// Watch streams changes to keys with the prefix; see the package documentation for how slow
// watchers are dropped.
func (s *Store) Watch(ctx context.Context, prefix string) (<-chan storage.Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, storage.ErrClosed
	}
	return s.fanout.Subscribe(ctx, prefix)
}

// Close waits for in-flight calls, stops the committer, ends every watch and closes the file.
// Later calls return storage.ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return storage.ErrClosed
	}
	s.closed = true
	close(s.reqs)
	<-s.done
	s.fanout.Close()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("bolt: close: %w", err)
	}
	return nil
}
