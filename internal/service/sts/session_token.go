package sts

import (
	"context"
	"net/http"
	"strings"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
)

// longTermCaller returns the caller of a GetSessionToken or GetFederationToken call, which
// must sign with long-term credentials of an IAM user or the root user.
func longTermCaller(ctx context.Context, msg string) (caller.Principal, error) {
	req, err := who(ctx)
	if err != nil {
		return caller.Principal{}, err
	}
	p := req.Principal
	if p.Session != nil || (p.Kind != caller.IAMUser && p.Kind != caller.Root) {
		return caller.Principal{}, awserr.AccessDenied("%s", msg)
	}
	return p, nil
}

// userDuration is the session length of GetSessionToken and GetFederationToken: the
// requested seconds (default 43200); the root user's sessions last at most an hour, longer
// requests being shortened to an hour as AWS documents.
func userDuration(p caller.Principal, d *int32) time.Duration {
	dur := duration(d, defaultUserDuration)
	if p.Kind == caller.Root && dur > rootMaxDuration*time.Second {
		dur = rootMaxDuration * time.Second
	}
	return dur
}

// GetSessionToken returns temporary credentials for the calling IAM user or root user
// (STS API Reference, GetSessionToken). The session acts as the same user (same kind, ARN and
// ID, Session.UserARN set); with SerialNumber and TokenCode verified it is an MFA session.
func (s *Service) GetSessionToken(ctx context.Context, in *api.GetSessionTokenInput) (*api.GetSessionTokenOutput, error) {
	var c checks
	c.duration(in.DurationSeconds, maxUserDuration)
	c.mfa(in.SerialNumber, in.TokenCode)
	if err := c.err(); err != nil {
		return nil, err
	}
	p, err := longTermCaller(ctx, msgSessionGetSession)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	sess := &caller.Session{UserARN: p.ARN, UserID: p.ID, IssuedAt: now, Expires: now.Add(userDuration(p, in.DurationSeconds))}
	if in.SerialNumber != nil || in.TokenCode != nil {
		if err := s.checkMFA(ctx, p, in.SerialNumber, in.TokenCode); err != nil {
			return nil, err
		}
		sess.MFA, sess.MFATime = true, now
	}
	creds, err := s.issue(caller.Principal{Kind: p.Kind, Account: p.Account, ARN: p.ARN, ID: p.ID,
		UserName: p.UserName, Session: sess})
	if err != nil {
		return nil, err
	}
	return &api.GetSessionTokenOutput{Credentials: creds}, nil
}

// GetFederationToken returns temporary credentials for a federated user of the calling IAM
// user (STS API Reference, GetFederationToken). The session's permissions are the
// intersection of the calling user's policies and the session policies passed here; without
// any session policy it has none (the authorizer's concern). Session tags are allowed; there
// are no transitive keys (federated users cannot chain).
func (s *Service) GetFederationToken(ctx context.Context, in *api.GetFederationTokenInput) (*api.GetFederationTokenOutput, error) {
	var c checks
	c.name("name", in.Name, 2, maxFederatedNameLen)
	c.duration(in.DurationSeconds, maxUserDuration)
	c.sessionPolicy(in.Policy, in.PolicyArns, in.Tags)
	if err := c.err(); err != nil {
		return nil, err
	}
	p, err := longTermCaller(ctx, msgSessionFederation)
	if err != nil {
		return nil, err
	}
	policies, policyARNs, policyChars, err := sessionPolicies(in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	tags, _, tagChars, err := sessionTags(in.Tags, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	packed, err := packedSize(policyChars, tagChars)
	if err != nil {
		return nil, err
	}
	name := ptr.Value(in.Name)
	now := s.clock()
	partition := "aws" // when the caller's ARN cannot tell
	if a, err := arn.Parse(p.ARN); err == nil {
		partition = a.Partition
	}
	fedARN := stsARN(partition, p.Account, "federated-user/"+name)
	fedID := p.Account + ":" + name
	sess := &caller.Session{Name: name, UserARN: p.ARN, UserID: p.ID, Policies: policies, PolicyARNs: policyARNs, Tags: tags,
		IssuedAt: now, Expires: now.Add(userDuration(p, in.DurationSeconds))}
	creds, err := s.issue(caller.Principal{Kind: caller.FederatedUser, Account: p.Account, ARN: fedARN, ID: fedID,
		Session: sess})
	if err != nil {
		return nil, err
	}
	out := &api.GetFederationTokenOutput{Credentials: creds,
		FederatedUser: &api.FederatedUser{FederatedUserId: ptr.Of(fedID), Arn: ptr.Of(fedARN)}}
	if in.Policy != nil || len(in.PolicyArns) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = ptr.Of(packed)
	}
	return out, nil
}

// GetAccessKeyInfo returns the account an access key ID belongs to (STS API Reference,
// GetAccessKeyInfo). Like AWS it needs no permission and is not limited to the caller's
// account. Bulwark's choices: a temporary key ID (ASIA…) is answered from the account
// encoded in the ID itself (sessiontoken.NewAccessKeyID), so no session state is needed; a
// long-term key ID (AKIA…) is looked up in IAM, whether active or inactive. A long-term key
// that Bulwark does not know (never issued, or deleted), or a string that is no access key
// ID, is InvalidParameterValue (400), as AWS's documentation allows ("Providing a deleted
// access key might return an error that the key doesn't exist").
func (s *Service) GetAccessKeyInfo(ctx context.Context, in *api.GetAccessKeyInfoInput) (*api.GetAccessKeyInfoOutput, error) {
	akid := ptr.Value(in.AccessKeyId)
	var c checks
	c.length("accessKeyId", akid, minAccessKeyIDLen, maxAccessKeyIDLen)
	c.pattern("accessKeyId", akid, patternAccessKeyID, func(r rune) bool {
		return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
	})
	if err := c.err(); err != nil {
		return nil, err
	}
	if _, err := who(ctx); err != nil {
		return nil, err
	}
	unknown := awserr.New(codeInvalidParameterValue, http.StatusBadRequest, "The access key ID %s does not exist.", akid)
	if strings.HasPrefix(akid, ids.PrefixTemporaryKey) {
		acct, ok := sessiontoken.AccountOf(akid)
		if !ok {
			return nil, unknown
		}
		return &api.GetAccessKeyInfoOutput{Account: ptr.Of(acct)}, nil
	}
	if !ids.IsAccessKeyID(akid) {
		return nil, unknown
	}
	k, err := s.iam.LookupAccessKey(ctx, akid)
	if err != nil {
		if isNoSuchEntity(err) {
			return nil, unknown
		}
		return nil, err
	}
	return &api.GetAccessKeyInfoOutput{Account: ptr.Of(k.Account)}, nil
}
