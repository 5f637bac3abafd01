package sts

import (
	"context"
	"strings"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// What AssumeRole and AssumeRoleWithWebIdentity share: finding the role, issuing its
// session, and the parts of their outputs.

// roleToAssume parses roleARN and returns it with the role it names, for an operation that
// starts a session of that role. A malformed ARN is ValidationError; an ARN outside acct
// (when acct is not ""), naming no role, or naming it inexactly (another path or case: a
// re-cased ARN would bind other policies) is the operation's denied error; a requested
// duration above the role's MaxSessionDuration is ValidationError.
func (s *Service) roleToAssume(ctx context.Context, roleARN, acct string, durationSeconds *int32,
	denied func() error) (arn.ARN, iam.Role, error) {
	parsed, typ, _, roleName, err := arn.ParseIAM(roleARN)
	if err != nil || typ != arn.TypeRole || parsed.AccountID == "" {
		return arn.ARN{}, iam.Role{}, awserr.Validation("%s", msgInvalidRoleARN)
	}
	if acct != "" && parsed.AccountID != acct {
		return arn.ARN{}, iam.Role{}, denied()
	}
	role, err := s.iam.GetRole(ctx, parsed.AccountID, roleName)
	if err != nil {
		if isNoSuchEntity(err) {
			return arn.ARN{}, iam.Role{}, denied()
		}
		return arn.ARN{}, iam.Role{}, err
	}
	if role.ARN != roleARN {
		return arn.ARN{}, iam.Role{}, denied()
	}
	if durationSeconds != nil && int(*durationSeconds) > role.MaxSessionDuration {
		return arn.ARN{}, iam.Role{}, awserr.Validation("%s", msgExceedsMaxSession)
	}
	return parsed, role, nil
}

// issueRoleSession issues the credentials of sess (its IssuedAt and Expires set) as a
// session of role, whose ARN roleARN is, and notes the role's use in region. It returns the
// credentials and the assumed-role user: arn:PARTITION:sts::ACCT:assumed-role/ROLE/SESSION
// and ROLEID:SESSION.
func (s *Service) issueRoleSession(ctx context.Context, region string, roleARN arn.ARN, role iam.Role,
	sess *caller.Session) (*api.Credentials, *api.AssumedRoleUser, error) {
	sess.RoleARN, sess.RoleID = role.ARN, role.RoleID
	assumedARN := stsARN(roleARN.Partition, roleARN.AccountID, "assumed-role/"+role.RoleName+"/"+sess.Name)
	assumedID := role.RoleID + ":" + sess.Name
	creds, err := s.issue(caller.Principal{Kind: caller.AssumedRole, Account: roleARN.AccountID, ARN: assumedARN,
		ID: assumedID, Session: sess})
	if err != nil {
		return nil, nil, err
	}
	// Last use is informational (GetRole's RoleLastUsed): a failure to note it does not fail
	// the call, as AWS's own tracking is eventually consistent.
	_ = s.iam.RecordRoleUse(ctx, roleARN.AccountID, role.RoleName, region, sess.IssuedAt)
	return creds, &api.AssumedRoleUser{AssumedRoleId: ptr.Of(assumedID), Arn: ptr.Of(assumedARN)}, nil
}

// checkSourceIdentityPrefix refuses a source identity in the reserved aws: namespace.
func checkSourceIdentityPrefix(si string) error {
	if strings.HasPrefix(strings.ToLower(si), "aws:") {
		return awserr.Validation("SourceIdentity cannot begin with the prefix aws:")
	}
	return nil
}

// packedPolicySize is the PackedPolicySize of an output: packed when the request brought
// session policies or tags (set), nil otherwise.
func packedPolicySize(packed int32, set bool) *int32 {
	if !set {
		return nil
	}
	return ptr.Of(packed)
}

// nonEmpty is s, or nil when s is "".
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return ptr.Of(s)
}
