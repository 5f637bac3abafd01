package iam

import "context"

// accessKeyPrefix is the storage prefix of the global access key records (see keys.go).
const accessKeyPrefix = keyRoot + "g/ak/"

// CredentialCache serves LookupAccessKey from memory for the SigV4 verifier, which asks on
// every request. It forgets a key as soon as its record changes (an update, a rename of its
// user, a deactivation or a deletion), on this node or any other sharing the store.
type CredentialCache struct {
	svc   *Service
	cache *watchedCache[AccessKeyCredential]
}

// NewCredentialCache starts a cache over s that lives until ctx ends.
func (s *Service) NewCredentialCache(ctx context.Context) *CredentialCache {
	c := &CredentialCache{svc: s, cache: newWatchedCache[AccessKeyCredential](accessKeyPrefix)}
	s.keyCache.Store(c)
	go c.cache.watch(ctx, s.b)
	return c
}

// LookupAccessKey is Service.LookupAccessKey, from memory when it can be.
func (c *CredentialCache) LookupAccessKey(ctx context.Context, accessKeyID string) (AccessKeyCredential, error) {
	key := accessKeyKey(accessKeyID)
	k, gen, ok := c.cache.get(key)
	if ok {
		return k, nil
	}
	k, err := c.svc.LookupAccessKey(ctx, accessKeyID)
	if err != nil {
		return k, err
	}
	c.cache.put(key, k, gen)
	return k, nil
}
