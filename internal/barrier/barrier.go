// Package barrier encrypts everything at rest. A Barrier wraps any storage.Backend and is itself
// a storage.Backend: values are sealed with AES-256-GCM on the way in and opened on the way out
// (Get, Range and Watch alike), with the storage key as additional authenticated data so a
// value cannot be replayed under another key.
//
// Keys: a 32-byte root key, which lives outside the store (see LoadOrCreateRootKey), seals the
// keyring, which is stored in the backend at KeyringKey and holds the data keys that seal
// values. The keyring is created with one random data key on first open. Every ciphertext names
// the term of the data key that sealed it, so Rotate can add a key without re-encrypting.
//
// Storage keys and revisions are not encrypted: nothing secret may be put in a key.
package barrier

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// KeyringKey is the storage key of the sealed keyring. Every key starting with reservedPrefix
// ("\x00barrier/") belongs to the barrier: callers cannot read or write such keys, and Range
// and Watch skip them.
const KeyringKey = reservedPrefix + "keyring"

const reservedPrefix = "\x00barrier/"

// Errors returned by the barrier; they are wrapped with context, test with errors.Is.
var (
	// ErrDecrypt means a stored value failed to authenticate: it was tampered with, moved
	// from another key, or sealed by an unknown key.
	ErrDecrypt = errors.New("barrier: cannot decrypt value")
	// ErrWrongRootKey means the root key does not open the stored keyring.
	ErrWrongRootKey = errors.New("barrier: root key does not open the keyring")
	// ErrReservedKey means the caller used a key reserved for the barrier.
	ErrReservedKey = errors.New("barrier: key is reserved")
)

// Barrier is a storage.Backend that encrypts values at rest in an underlying backend. It is
// safe for concurrent use.
type Barrier struct {
	inner storage.Backend
	root  cipher.AEAD
	ring  atomic.Pointer[keyring]
	// ringMu serializes keyring reloads and rotations.
	ringMu sync.Mutex
}

var _ storage.Backend = (*Barrier)(nil)

// New opens the keyring in inner with rootKey (KeySize bytes), creating it on first use, and
// returns the barrier. It returns an error wrapping ErrWrongRootKey if the keyring exists but
// rootKey does not open it. The barrier owns inner from then on: Close closes it.
func New(ctx context.Context, inner storage.Backend, rootKey []byte) (*Barrier, error) {
	root, err := newAEAD(rootKey)
	if err != nil {
		return nil, fmt.Errorf("barrier: root key: %w", err)
	}
	b := &Barrier{inner: inner, root: root}
	for {
		ring, err := b.loadKeyring(ctx)
		if err == nil {
			b.ring.Store(ring)
			return b, nil
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return nil, err
		}
		ring, err = newKeyring()
		if err != nil {
			return nil, fmt.Errorf("barrier: %w", err)
		}
		sealed, err := ring.marshal(root)
		if err != nil {
			return nil, fmt.Errorf("barrier: seal keyring: %w", err)
		}
		rev, err := storage.Create(ctx, inner, KeyringKey, sealed)
		if errors.Is(err, storage.ErrConflict) {
			continue // another process created it first; load theirs
		}
		if err != nil {
			return nil, fmt.Errorf("barrier: store keyring: %w", err)
		}
		ring.rev = rev
		b.ring.Store(ring)
		return b, nil
	}
}

// loadKeyring reads and opens the stored keyring.
func (b *Barrier) loadKeyring(ctx context.Context) (*keyring, error) {
	kv, err := b.inner.Get(ctx, KeyringKey)
	if err != nil {
		return nil, fmt.Errorf("barrier: load keyring: %w", err)
	}
	ring, err := unmarshalKeyring(b.root, kv.Value, kv.ModRevision)
	if err != nil {
		return nil, fmt.Errorf("barrier: open keyring: %w", err)
	}
	return ring, nil
}

// reload refreshes the cached keyring from the store, keeping whichever is newer.
func (b *Barrier) reload(ctx context.Context) (*keyring, error) {
	b.ringMu.Lock()
	defer b.ringMu.Unlock()
	ring, err := b.loadKeyring(ctx)
	if err != nil {
		return nil, err
	}
	if cur := b.ring.Load(); cur.rev >= ring.rev {
		return cur, nil
	}
	b.ring.Store(ring)
	return ring, nil
}

// Rotate adds a new random data key to the keyring and makes it the one that seals new
// values; older keys stay to open older values. It returns the new key's term. Other
// Barriers over the same store keep sealing with their cached active key until they reload
// the keyring (on open, or on meeting a value sealed by a term they do not know).
//
// A data key must not seal more than 2^32 values (random 96-bit nonces), so a deployment
// that writes heavily must rotate periodically.
func (b *Barrier) Rotate(ctx context.Context) (uint32, error) {
	b.ringMu.Lock()
	defer b.ringMu.Unlock()
	for {
		cur, err := b.loadKeyring(ctx)
		if err != nil {
			return 0, err
		}
		next, err := cur.withNewKey()
		if err != nil {
			return 0, fmt.Errorf("barrier: rotate: %w", err)
		}
		sealed, err := next.marshal(b.root)
		if err != nil {
			return 0, fmt.Errorf("barrier: rotate: seal keyring: %w", err)
		}
		rev, err := storage.CompareAndSwap(ctx, b.inner, KeyringKey, sealed, cur.rev)
		if errors.Is(err, storage.ErrConflict) {
			continue // rotated concurrently elsewhere; start from the new keyring
		}
		if err != nil {
			return 0, fmt.Errorf("barrier: rotate: store keyring: %w", err)
		}
		next.rev = rev
		b.ring.Store(next)
		return next.active, nil
	}
}

func reserved(key string) bool { return strings.HasPrefix(key, reservedPrefix) }

func (b *Barrier) encrypt(key string, plaintext []byte) []byte {
	ring := b.ring.Load()
	return seal(ring.aeads[ring.active], ring.active, key, plaintext)
}

func (b *Barrier) decrypt(ctx context.Context, key string, ciphertext []byte) ([]byte, error) {
	term, err := parseHeader(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("%w: key %q: %w", ErrDecrypt, key, err)
	}
	aead, ok := b.ring.Load().aeads[term]
	if !ok {
		// Perhaps another process rotated; look at the stored keyring once.
		ring, err := b.reload(ctx)
		if err != nil {
			return nil, fmt.Errorf("%w: key %q: %w", ErrDecrypt, key, err)
		}
		if aead, ok = ring.aeads[term]; !ok {
			return nil, fmt.Errorf("%w: key %q: unknown key term %d", ErrDecrypt, key, term)
		}
	}
	pt, err := open(aead, key, ciphertext)
	if err != nil {
		return nil, fmt.Errorf("%w: key %q: %w", ErrDecrypt, key, err)
	}
	return pt, nil
}

// Get returns the key with its value decrypted; see storage.Backend.
func (b *Barrier) Get(ctx context.Context, key string) (storage.KV, error) {
	if reserved(key) {
		return storage.KV{}, fmt.Errorf("get %q: %w", key, ErrReservedKey)
	}
	kv, err := b.inner.Get(ctx, key)
	if err != nil {
		return storage.KV{}, err
	}
	if kv.Value, err = b.decrypt(ctx, key, kv.Value); err != nil {
		return storage.KV{}, err
	}
	return kv, nil
}

// Txn encrypts every value and passes the transaction to the underlying backend; see
// storage.Backend.
func (b *Barrier) Txn(ctx context.Context, conds []storage.Cond, ops []storage.Op) (int64, error) {
	for _, c := range conds {
		if reserved(c.Key) {
			return 0, fmt.Errorf("txn condition on %q: %w", c.Key, ErrReservedKey)
		}
	}
	sealed := make([]storage.Op, len(ops))
	for i, op := range ops {
		if reserved(op.Key) {
			return 0, fmt.Errorf("txn write to %q: %w", op.Key, ErrReservedKey)
		}
		sealed[i] = storage.Op{Key: op.Key, Delete: op.Delete}
		if !op.Delete {
			sealed[i].Value = b.encrypt(op.Key, op.Value)
		}
	}
	return b.inner.Txn(ctx, conds, sealed)
}

// Range returns keys with their values decrypted, skipping the barrier's reserved keys; see
// storage.Backend. A value that fails to decrypt fails the whole call with ErrDecrypt.
func (b *Barrier) Range(ctx context.Context, prefix, startAfter string, limit int) (storage.Page, error) {
	var out storage.Page
	for {
		// Ask for one key more than needed, to learn whether a visible key follows.
		want := 0
		if limit > 0 {
			want = limit - len(out.KVs) + 1
		}
		p, err := b.inner.Range(ctx, prefix, startAfter, want)
		if err != nil {
			return storage.Page{}, err
		}
		for _, kv := range p.KVs {
			if reserved(kv.Key) {
				continue
			}
			if limit > 0 && len(out.KVs) == limit {
				out.More = true
				return out, nil
			}
			if kv.Value, err = b.decrypt(ctx, kv.Key, kv.Value); err != nil {
				return storage.Page{}, err
			}
			out.KVs = append(out.KVs, kv)
		}
		if !p.More || len(p.KVs) == 0 {
			return out, nil
		}
		startAfter = p.KVs[len(p.KVs)-1].Key
	}
}

// Watch streams changes to keys with the prefix, values decrypted, skipping the barrier's
// reserved keys; see storage.Backend. If an event's value fails to decrypt, the channel is
// closed early, as for a watcher that fell behind: the caller re-reads with Range, which
// reports the error.
func (b *Barrier) Watch(ctx context.Context, prefix string) (<-chan storage.Event, error) {
	wctx, cancel := context.WithCancel(ctx)
	in, err := b.inner.Watch(wctx, prefix)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan storage.Event)
	go func() {
		defer close(out)
		defer cancel() // ends the inner watch if we stop first
		for ev := range in {
			if reserved(ev.KV.Key) {
				continue
			}
			if ev.Type == storage.EventPut {
				pt, err := b.decrypt(wctx, ev.KV.Key, ev.KV.Value)
				if err != nil {
					return
				}
				ev.KV.Value = pt
			}
			select {
			case out <- ev:
			case <-wctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Close closes the underlying backend.
func (b *Barrier) Close() error {
	return b.inner.Close()
}
