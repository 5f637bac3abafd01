package iam

import (
	"context"
	"sync"
	"time"
)

// accessKeyPrefix is the storage prefix of the global access key records (see keys.go).
const accessKeyPrefix = keyRoot + "g/ak/"

// CredentialCache serves LookupAccessKey from memory for the SigV4 verifier, which asks on
// every request. It watches the access key records and forgets a key as soon as its record
// changes (an update, a rename of its user, a deactivation or a deletion), on this node or any
// other sharing the store. If the watch ends, the cache empties and watches again.
type CredentialCache struct {
	svc *Service

	mu      sync.RWMutex
	entries map[string]AccessKeyCredential
	gen     uint64 // incremented on every invalidation; guards against caching stale reads
	live    bool   // a watch is running; without one nothing is cached
}

// maxCachedKeys bounds the cache; past it, the cache is emptied and refills on demand.
const maxCachedKeys = 100_000

// NewCredentialCache starts a cache over s that lives until ctx ends.
func (s *Service) NewCredentialCache(ctx context.Context) *CredentialCache {
	c := &CredentialCache{svc: s, entries: map[string]AccessKeyCredential{}}
	s.keyCache.Store(c)
	go c.watch(ctx)
	return c
}

func (c *CredentialCache) watch(ctx context.Context) {
	for ctx.Err() == nil {
		events, err := c.svc.b.Watch(ctx, accessKeyPrefix)
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
			c.forget(ev.KV.Key[len(accessKeyPrefix):])
		}
		c.reset(false)
	}
}

func (c *CredentialCache) reset(live bool) {
	c.mu.Lock()
	c.entries = map[string]AccessKeyCredential{}
	c.gen++
	c.live = live
	c.mu.Unlock()
}

func (c *CredentialCache) forget(akid string) {
	c.mu.Lock()
	delete(c.entries, akid)
	c.gen++
	c.mu.Unlock()
}

// LookupAccessKey is Service.LookupAccessKey, from memory when it can be.
func (c *CredentialCache) LookupAccessKey(ctx context.Context, accessKeyID string) (AccessKeyCredential, error) {
	c.mu.RLock()
	k, ok := c.entries[accessKeyID]
	gen, live := c.gen, c.live
	c.mu.RUnlock()
	if ok {
		return k, nil
	}
	k, err := c.svc.LookupAccessKey(ctx, accessKeyID)
	if err != nil || !live {
		return k, err
	}
	c.mu.Lock()
	if c.gen == gen { // nothing changed while we read: the record we read is current
		if len(c.entries) >= maxCachedKeys {
			c.entries = map[string]AccessKeyCredential{}
		}
		c.entries[accessKeyID] = k
	}
	c.mu.Unlock()
	return k, nil
}
