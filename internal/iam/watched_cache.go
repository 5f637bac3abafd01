package iam

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// maxCachedEntries bounds a watchedCache; past it, the cache empties and refills on demand.
const maxCachedEntries = 100_000

// watchedCache holds values derived from the storage records under one prefix, keyed by
// storage key. Writes through this Service drop their keys synchronously (forgetWritten);
// writes by other nodes sharing the store arrive through a watch. While no watch runs,
// nothing is cached. A generation counter keeps a read that raced an invalidation from
// being cached.
type watchedCache[V any] struct {
	prefix string

	mu      sync.RWMutex
	entries map[string]V
	gen     uint64 // incremented on every invalidation
	live    bool   // a watch is running
}

func newWatchedCache[V any](prefix string) *watchedCache[V] {
	return &watchedCache[V]{prefix: prefix, entries: map[string]V{}}
}

// watch follows the prefix until ctx ends, watching again whenever the watch stops.
func (c *watchedCache[V]) watch(ctx context.Context, b storage.Backend) {
	for ctx.Err() == nil {
		events, err := b.Watch(ctx, c.prefix)
		if err != nil {
			c.reset(false)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		c.reset(true)
		for ev := range events {
			c.forget(ev.KV.Key)
		}
		c.reset(false)
	}
}

func (c *watchedCache[V]) reset(live bool) {
	c.mu.Lock()
	c.entries = map[string]V{}
	c.gen++
	c.live = live
	c.mu.Unlock()
}

// forget drops key if it is under the cache's prefix.
func (c *watchedCache[V]) forget(key string) {
	if !strings.HasPrefix(key, c.prefix) {
		return
	}
	c.mu.Lock()
	delete(c.entries, key)
	c.gen++
	c.mu.Unlock()
}

// get returns the cached value, or false and the generation to pass to put after reading
// the store.
func (c *watchedCache[V]) get(key string) (V, uint64, bool) {
	c.mu.RLock()
	v, ok := c.entries[key]
	gen, live := c.gen, c.live
	c.mu.RUnlock()
	return v, gen, ok && live
}

// put caches v unless anything was invalidated since gen or no watch runs.
func (c *watchedCache[V]) put(key string, v V, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.gen != gen {
		return
	}
	if len(c.entries) >= maxCachedEntries {
		c.entries = map[string]V{}
	}
	c.entries[key] = v
}

// forgetWritten drops the keys a committed transaction wrote from the caches.
func (s *Service) forgetWritten(t *tx) {
	kc, rc := s.keyCache.Load(), s.records.Load()
	if kc == nil && rc == nil {
		return
	}
	for k := range t.writes {
		if kc != nil {
			kc.cache.forget(k)
		}
		if rc != nil {
			rc.forget(k)
		}
	}
}
