package iam

import (
	"context"
	"errors"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// This file holds what the authorizer reads besides the principal's policies: a
// generation number to cache derived data under, the paths that resource ARNs contain,
// and managed policy documents passed as session policies.

// Generation returns a number that changes whenever any per-account IAM record changes,
// and whether it can be relied on: it can while the record cache follows the store
// (CacheRecords). Callers that derive data from IAM records (the authorizer's compiled
// policy sets) may keep it for as long as the generation stays the same.
func (s *Service) Generation() (uint64, bool) {
	c := s.records.Load()
	if c == nil {
		return 0, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen, c.live
}

// EntityPath returns the path and the name as stored (names are unique without regard to
// case) of the user, role, group or instance profile with the name (kind is "user",
// "role", "group" or "instance-profile"), as resource ARNs contain them. It reports false
// when there is no such entity.
func (s *Service) EntityPath(ctx context.Context, acct, kind, name string) (string, string, bool, error) {
	var path, canonical string
	found := false
	err := s.view(ctx, func(t *tx) error {
		var err error
		switch kind {
		case ekUser:
			var u *userRec
			if u, err = s.loadUser(t, acct, name); err == nil {
				path, canonical = u.Path, u.Name
			}
		case ekRole:
			var r *roleRec
			if r, err = s.loadRole(t, acct, name); err == nil {
				path, canonical = r.Path, r.Name
			}
		case ekGroup:
			var g *groupRec
			if g, err = s.loadGroup(t, acct, name); err == nil {
				path, canonical = g.Path, g.Name
			}
		case "instance-profile":
			var p *profileRec
			if p, err = s.loadProfile(t, acct, name); err == nil {
				path, canonical = p.Path, p.Name
			}
		default:
			return nil
		}
		if isNoSuchEntity(err) {
			return nil
		}
		found = err == nil
		return err
	})
	return path, canonical, found, err
}

// ManagedPolicyDocument returns the default version of the managed policy an ARN names
// (a customer managed policy of acct, or an AWS managed policy), as session policies
// passed by ARN need it. It reports false when there is no such policy.
func (s *Service) ManagedPolicyDocument(ctx context.Context, acct, policyARN string) (SourcedDocument, bool, error) {
	var d SourcedDocument
	var ok bool
	err := s.view(ctx, func(t *tx) error {
		var err error
		d, ok, err = s.managedDocument(t, acct, policyARN)
		return err
	})
	return d, ok, err
}

// isNoSuchEntity reports whether err is IAM's NoSuchEntity error.
func isNoSuchEntity(err error) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == CodeNoSuchEntity
}
