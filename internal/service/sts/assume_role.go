package sts

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// AssumeRole returns temporary credentials for a role (STS API Reference, AssumeRole).
//
// The role must exist; a RoleArn naming no role (or naming it with another path or case) is
// the same AccessDenied the authorizer gives for a trust policy that does not allow the
// caller.
// DurationSeconds runs from 900 to the role's MaxSessionDuration (default 3600), and to
// 3600 when the caller is itself a role session (role chaining). A chained session
// inherits the caller's transitive session tags (which the request cannot override) and
// source identity (which it cannot change), and the caller's MFA facts when the request
// brings no MFA code of its own.
func (s *Service) AssumeRole(ctx context.Context, in *api.AssumeRoleInput) (*api.AssumeRoleOutput, error) {
	req, err := who(ctx)
	if err != nil {
		return nil, err
	}
	p := req.Principal
	var c checks
	if in.RoleArn != nil {
		c.length("roleArn", *in.RoleArn, minARNLen, maxRoleARNLen)
	}
	c.name("roleSessionName", in.RoleSessionName, 2, maxSessionNameLen)
	c.duration(in.DurationSeconds, maxRoleDuration)
	c.sessionPolicy(in.Policy, in.PolicyArns, in.Tags)
	if in.ExternalId != nil {
		c.length("externalId", *in.ExternalId, 2, maxExternalIDLen)
		c.pattern("externalId", *in.ExternalId, patternExternalID, func(r rune) bool { return isNameRune(r) || r == ':' || r == '/' })
	}
	c.mfa(in.SerialNumber, in.TokenCode)
	c.name("sourceIdentity", in.SourceIdentity, 2, maxSourceIdentityLen)
	if err := c.err(); err != nil {
		return nil, err
	}
	roleARN, sessionName := ptr.Value(in.RoleArn), ptr.Value(in.RoleSessionName)

	switch p.Kind {
	case caller.Root:
		return nil, awserr.AccessDenied("%s", msgRootAssumeRole)
	case caller.FederatedUser:
		// Federated user sessions can call no STS operation but GetCallerIdentity.
		return nil, notAuthorized(p, "sts:AssumeRole", roleARN)
	}

	parsed, role, err := s.roleToAssume(ctx, roleARN, "", in.DurationSeconds,
		func() error { return notAuthorized(p, "sts:AssumeRole", roleARN) })
	if err != nil {
		return nil, err
	}

	chained := p.Kind == caller.AssumedRole
	d := duration(in.DurationSeconds, defaultRoleDuration)
	// Temporary credentials of any kind count as role chaining for the one-hour cap, those of
	// GetSessionToken included: "Users that use Multi-Factor Authentication (MFA) with the AWS
	// CLI use temporary credentials to assume another role. The temporary credentials use the
	// AWS STS GetSessionToken API and are limited to 1 hour" (AWS Knowledge Center,
	// "iam-role-chaining-limit").
	if p.Session != nil && in.DurationSeconds != nil && *in.DurationSeconds > chainedMaxDuration {
		return nil, awserr.Validation("%s", msgExceedsChainedLimit)
	}

	var prev caller.Session
	if p.Session != nil {
		prev = *p.Session
	}
	sourceIdentity := ptr.Value(in.SourceIdentity)
	if err := checkSourceIdentityPrefix(sourceIdentity); err != nil {
		return nil, err
	}
	if prev.SourceIdentity != "" {
		if in.SourceIdentity != nil && sourceIdentity != prev.SourceIdentity {
			return nil, awserr.AccessDenied("The source identity %s of the calling session cannot be changed to %s in a chained role session.",
				prev.SourceIdentity, sourceIdentity)
		}
		sourceIdentity = prev.SourceIdentity
	}

	policies, policyARNs, policyChars, err := sessionPolicies(in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	var inherited map[string]string
	var inheritedKeys []string
	if chained {
		inherited, inheritedKeys = prev.Tags, prev.TransitiveTagKeys
	}
	tags, transitive, tagChars, err := sessionTags(in.Tags, in.TransitiveTagKeys, inherited, inheritedKeys)
	if err != nil {
		return nil, err
	}
	packed, err := packedSize(policyChars, tagChars)
	if err != nil {
		return nil, err
	}

	now := s.clock()
	sess := &caller.Session{Name: sessionName, Policies: policies, PolicyARNs: policyARNs, Tags: tags,
		TransitiveTagKeys: transitive, SourceIdentity: sourceIdentity, IssuedAt: now, Expires: now.Add(d), Chained: chained}
	if in.SerialNumber != nil || in.TokenCode != nil {
		if err := s.checkMFA(ctx, p, in.SerialNumber, in.TokenCode); err != nil {
			return nil, err
		}
		sess.MFA, sess.MFATime = true, now
	} else if prev.MFA {
		sess.MFA, sess.MFATime = true, prev.MFATime
	}
	creds, user, err := s.issueRoleSession(ctx, req.Region, parsed, role, sess)
	if err != nil {
		return nil, err
	}
	return &api.AssumeRoleOutput{Credentials: creds, AssumedRoleUser: user,
		PackedPolicySize: packedPolicySize(packed, in.Policy != nil || len(in.PolicyArns) > 0 || len(in.Tags) > 0),
		SourceIdentity:   nonEmpty(sourceIdentity)}, nil
}
