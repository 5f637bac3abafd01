// Package storage defines the Backend interface that every persistent piece of Bulwark goes
// through, and small helpers built on it. Drivers live in sub-packages (memory, bolt, etcd) and
// all pass the conformance suite in storage/storagetest.
package storage

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Get when the key does not exist.
var ErrNotFound = errors.New("storage: key not found")

// ErrConflict is returned by Txn when one of its conditions does not hold.
var ErrConflict = errors.New("storage: condition failed")

// ErrClosed is returned by every method after Close.
var ErrClosed = errors.New("storage: backend closed")

// KV is one stored key with its value and revisions.
type KV struct {
	Key   string
	Value []byte
	// ModRevision is the store revision of the last write to this key.
	ModRevision int64
	// CreateRevision is the store revision that created this key.
	CreateRevision int64
}

// Cond is a precondition of a transaction: the key's ModRevision must equal Revision.
// Revision 0 means the key must not exist.
type Cond struct {
	Key      string
	Revision int64
}

// Op is one write of a transaction: a put of Value, or a delete when Delete is set.
// Deleting a key that does not exist is not an error.
type Op struct {
	Key    string
	Value  []byte
	Delete bool
}

// EventType says whether a watch event is a put or a delete.
type EventType int

// The watch event types.
const (
	EventPut EventType = iota + 1
	EventDelete
)

// Event is one change seen by a watcher. For a delete, KV.Value is nil and KV.ModRevision is the
// revision of the delete.
type Event struct {
	Type EventType
	KV   KV
}

// Page is one page of a Range.
type Page struct {
	KVs []KV
	// More is true when keys after the last returned one match the prefix.
	More bool
}

// Backend is an ordered, revisioned key-value store. Keys are UTF-8 strings compared bytewise.
// Every acknowledged write is durable (fsync or quorum) before the method returns.
// Store revisions increase monotonically across all keys.
type Backend interface {
	// Get returns the key, or ErrNotFound.
	Get(ctx context.Context, key string) (KV, error)
	// Txn checks every condition and, only if all hold, applies every op atomically under one
	// new store revision, which it returns. A failed condition returns ErrConflict and
	// changes nothing.
	Txn(ctx context.Context, conds []Cond, ops []Op) (int64, error)
	// Range returns up to limit keys with the prefix that sort strictly after startAfter
	// ("" starts at the beginning), in key order. limit <= 0 means no limit.
	Range(ctx context.Context, prefix, startAfter string, limit int) (Page, error)
	// Watch streams every change to keys with the prefix made after the call returns, in
	// revision order, until ctx ends; then the channel is closed.
	//
	// A watcher that falls too far behind is dropped: its channel is closed while ctx is still
	// live (and Close closes every channel). A caller that sees the channel close with ctx not
	// done has missed events and must start a new Watch, then re-read with Range.
	Watch(ctx context.Context, prefix string) (<-chan Event, error)
	// Close releases the store; in-flight calls finish first.
	Close() error
}

// Put writes value under key unconditionally and returns the new revision.
func Put(ctx context.Context, b Backend, key string, value []byte) (int64, error) {
	return b.Txn(ctx, nil, []Op{{Key: key, Value: value}})
}

// Create writes value under key only if the key does not exist; otherwise ErrConflict.
func Create(ctx context.Context, b Backend, key string, value []byte) (int64, error) {
	return b.Txn(ctx, []Cond{{Key: key}}, []Op{{Key: key, Value: value}})
}

// CompareAndSwap writes value under key only if the key's ModRevision is rev; otherwise
// ErrConflict.
func CompareAndSwap(ctx context.Context, b Backend, key string, value []byte, rev int64) (int64, error) {
	return b.Txn(ctx, []Cond{{Key: key, Revision: rev}}, []Op{{Key: key, Value: value}})
}

// Delete removes key unconditionally.
func Delete(ctx context.Context, b Backend, key string) error {
	_, err := b.Txn(ctx, nil, []Op{{Key: key, Delete: true}})
	return err
}
