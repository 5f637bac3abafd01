package iam

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// accountPrefix is the storage prefix of all per-account IAM records (see keys.go).
const accountPrefix = keyRoot + "a/"

// maxCachedRecords bounds the record cache; past it, the cache empties and refills on demand.
const maxCachedRecords = 100_000

// recordCache keeps user records decoded by read-only operations, each with the revision it
// was read at, so hot reads (GetUser, and the authorizer's lookups) skip the store, the
// barrier and JSON decoding. Writes through this Service drop their keys synchronously; writes
// by other nodes sharing the store arrive through a watch. While no watch runs, nothing is
// cached. Read-modify-write transactions never use it.
type recordCache struct {
	mu      sync.RWMutex
	entries map[string]cachedUser
	gen     uint64 // incremented on every invalidation; guards against caching stale reads
	live    bool
}

type cachedUser struct {
	rev int64
	u   *userRec
}

// CacheRecords starts the record cache for read-only operations; it lives until ctx ends.
func (s *Service) CacheRecords(ctx context.Context) {
	c := &recordCache{entries: map[string]cachedUser{}}
	s.records.Store(c)
	go c.watch(ctx, s)
}

func (c *recordCache) watch(ctx context.Context, s *Service) {
	for ctx.Err() == nil {
		events, err := s.b.Watch(ctx, accountPrefix)
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

func (c *recordCache) reset(live bool) {
	c.mu.Lock()
	c.entries = map[string]cachedUser{}
	c.gen++
	c.live = live
	c.mu.Unlock()
}

func (c *recordCache) forget(key string) {
	c.mu.Lock()
	delete(c.entries, key)
	c.gen++
	c.mu.Unlock()
}

// lookup returns a private copy of the cached record, or false, and the generation to pass
// to store after a miss.
func (c *recordCache) lookup(key string) (*userRec, int64, uint64, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	gen, live := c.gen, c.live
	c.mu.RUnlock()
	if !ok || !live {
		return nil, 0, gen, false
	}
	return e.u.clone(), e.rev, gen, true
}

// store caches a copy of u read at rev, unless anything was invalidated since gen.
func (c *recordCache) store(key string, rev int64, u *userRec, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || c.gen != gen {
		return
	}
	if len(c.entries) >= maxCachedRecords {
		c.entries = map[string]cachedUser{}
	}
	c.entries[key] = cachedUser{rev: rev, u: u.clone()}
}

// forgetWritten drops the keys a committed transaction wrote from the caches.
func (s *Service) forgetWritten(t *tx) {
	kc, rc := s.keyCache.Load(), s.records.Load()
	if kc == nil && rc == nil {
		return
	}
	for k := range t.writes {
		switch {
		case kc != nil && strings.HasPrefix(k, accessKeyPrefix):
			kc.forget(k[len(accessKeyPrefix):])
		case rc != nil && strings.HasPrefix(k, accountPrefix):
			rc.forget(k)
		}
	}
}

// clone returns a deep copy of the record.
func (u *userRec) clone() *userRec {
	c := *u
	c.Tags = slices.Clone(u.Tags)
	c.Groups = slices.Clone(u.Groups)
	c.Attached = slices.Clone(u.Attached)
	c.Inline = maps.Clone(u.Inline)
	c.AccessKeys = slices.Clone(u.AccessKeys)
	c.MFA = slices.Clone(u.MFA)
	if u.PasswordLastUsed != nil {
		t := *u.PasswordLastUsed
		c.PasswordLastUsed = &t
	}
	return &c
}
