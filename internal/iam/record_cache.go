package iam

import (
	"context"
	"maps"
	"slices"
)

// accountPrefix is the storage prefix of all per-account IAM records (see keys.go).
const accountPrefix = keyRoot + "a/"

// recordCache keeps user records decoded by read-only operations, each with the revision it
// was read at, so hot reads (GetUser, and the authorizer's lookups) skip the store, the
// barrier and JSON decoding. Read-modify-write transactions never use it; views take a
// private copy.
type recordCache = watchedCache[cachedUser]

type cachedUser struct {
	rev int64
	u   *userRec
}

// CacheRecords starts the record cache for read-only operations; it lives until ctx ends.
func (s *Service) CacheRecords(ctx context.Context) {
	c := newWatchedCache[cachedUser](accountPrefix)
	s.records.Store(c)
	go c.watch(ctx, s.b)
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
