package sessiontoken

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// KeyStorageKey is where the token key lives in the store. The store must encrypt values at
// rest (the barrier does); the key never leaves the process otherwise.
const KeyStorageKey = "sts/token-key"

// LoadOrCreateKey returns the token key kept in b, creating a random one on first use. Nodes
// sharing b race safely: the first to create it wins and the others read it.
func LoadOrCreateKey(ctx context.Context, b storage.Backend) ([]byte, error) {
	for range 3 {
		kv, err := b.Get(ctx, KeyStorageKey)
		if err == nil {
			if len(kv.Value) != KeySize {
				return nil, fmt.Errorf("sessiontoken: stored token key is %d bytes, want %d", len(kv.Value), KeySize)
			}
			return kv.Value, nil
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return nil, fmt.Errorf("sessiontoken: load token key: %w", err)
		}
		key := make([]byte, KeySize)
		_, _ = rand.Read(key)
		_, err = storage.Create(ctx, b, KeyStorageKey, key)
		if err == nil {
			return key, nil
		}
		if !errors.Is(err, storage.ErrConflict) {
			return nil, fmt.Errorf("sessiontoken: store token key: %w", err)
		}
	}
	return nil, errors.New("sessiontoken: token key: too many conflicting writers")
}

// LoadSealer is LoadOrCreateKey followed by NewSealer.
func LoadSealer(ctx context.Context, b storage.Backend) (*Sealer, error) {
	key, err := LoadOrCreateKey(ctx, b)
	if err != nil {
		return nil, err
	}
	return NewSealer(key)
}
