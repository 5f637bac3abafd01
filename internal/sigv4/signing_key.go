package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"sync"
)

// defaultKeyCacheSize bounds the derived-key cache. A key is good for one (secret, day,
// region, service), so the cache holds a day's working set of active keys; when it is full an
// arbitrary entry makes room.
const defaultKeyCacheSize = 4096

// signingKey is a derived SigV4 signing key, kept as the two HMAC-SHA256 pad blocks so that
// signing a string costs two SHA-256 sums and no allocation.
type signingKey struct {
	ipad, opad [sha256.BlockSize]byte
}

// deriveSigningKey computes kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region),
// service), "aws4_request") and its pad blocks.
func deriveSigningKey(secret, date, region, service string) *signingKey {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4"+secret), date)
	k = mac(k, region)
	k = mac(k, service)
	k = mac(k, "aws4_request")
	sk := &signingKey{}
	copy(sk.ipad[:], k)
	copy(sk.opad[:], k)
	for i := range sk.ipad {
		sk.ipad[i] ^= 0x36
		sk.opad[i] ^= 0x5c
	}
	clear(k)
	return sk
}

// sign returns HMAC-SHA256(key, string to sign), where the string to sign is
// "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(canonical request hash).
// scratch is spare buffer space; its contents are overwritten.
func (k *signingKey) sign(scratch []byte, amzDate, scope string, crHash *[sha256.Size]byte) [sha256.Size]byte {
	start := len(scratch)
	b := append(scratch, k.ipad[:]...)
	b = append(b, Algorithm...)
	b = append(b, '\n')
	b = append(b, amzDate...)
	b = append(b, '\n')
	b = append(b, scope...)
	b = append(b, '\n')
	b = appendHex(b, crHash[:])
	inner := sha256.Sum256(b[start:])

	var outer [sha256.BlockSize + sha256.Size]byte
	copy(outer[:], k.opad[:])
	copy(outer[sha256.BlockSize:], inner[:])
	return sha256.Sum256(outer[:])
}

// keyCacheKey identifies a derived key. The secret is part of the key, so a key whose
// secret changes can never be answered from the cache.
type keyCacheKey struct {
	secret, date, region, service string
}

// keyCache is a bounded map of derived signing keys.
type keyCache struct {
	mu  sync.RWMutex
	m   map[keyCacheKey]*signingKey
	max int
}

func (c *keyCache) init(max int) {
	c.m = make(map[keyCacheKey]*signingKey)
	c.max = max
}

// get returns the signing key for the scope, deriving and caching it on a miss.
func (c *keyCache) get(secret, date, region, service string) *signingKey {
	key := keyCacheKey{secret, date, region, service}
	c.mu.RLock()
	sk, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return sk
	}
	sk = deriveSigningKey(secret, date, region, service)
	// The scope strings point into the request's headers; copy them so that the cache does
	// not keep whole requests alive.
	key = keyCacheKey{secret, strings.Clone(date), strings.Clone(region), strings.Clone(service)}
	c.mu.Lock()
	if len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	c.m[key] = sk
	c.mu.Unlock()
	return sk
}
