package iam

import (
	"fmt"
	"net/http"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// IAM error codes ("Common Errors" and each action's Errors section in the IAM API Reference).
const (
	CodeNoSuchEntity            = "NoSuchEntity"
	CodeEntityAlreadyExists     = "EntityAlreadyExists"
	CodeDeleteConflict          = "DeleteConflict"
	CodeLimitExceeded           = "LimitExceeded"
	CodeMalformedPolicyDocument = "MalformedPolicyDocument"
	CodeValidationError         = "ValidationError"
	CodeInvalidInput            = "InvalidInput"
	CodePasswordPolicyViolation = "PasswordPolicyViolation"
	CodeConcurrentModification  = "ConcurrentModification"
	CodeServiceFailure          = "ServiceFailure"
	CodeAccessDenied            = "AccessDenied"
)

// Most messages below were recorded from real AWS responses, in the snapshot files of
// LocalStack's IAM parity suite (github.com/localstack/localstack, tests/aws/services/iam/
// *.snapshot.json, recorded 2026-02 against AWS); others are quoted from AWS error reports in
// public issue trackers, cited where used.

func noSuchEntity(format string, args ...any) *awserr.Error {
	return awserr.New(CodeNoSuchEntity, http.StatusNotFound, format, args...)
}

func alreadyExists(format string, args ...any) *awserr.Error {
	return awserr.New(CodeEntityAlreadyExists, http.StatusConflict, format, args...)
}

func deleteConflict(msg string) *awserr.Error {
	return awserr.New(CodeDeleteConflict, http.StatusConflict, "%s", msg)
}

func limitExceeded(format string, args ...any) *awserr.Error {
	return awserr.New(CodeLimitExceeded, http.StatusConflict, format, args...)
}

func invalidInput(format string, args ...any) *awserr.Error {
	return awserr.New(CodeInvalidInput, http.StatusBadRequest, format, args...)
}

func validationError(format string, args ...any) *awserr.Error {
	return awserr.New(CodeValidationError, http.StatusBadRequest, format, args...)
}

func accessDenied(msg string) *awserr.Error {
	return awserr.New(CodeAccessDenied, http.StatusForbidden, "%s", msg)
}

func errConcurrent() *awserr.Error {
	return awserr.New(CodeConcurrentModification, http.StatusConflict,
		"The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.")
}

func errMalformedJSON() *awserr.Error {
	return awserr.New(CodeMalformedPolicyDocument, http.StatusBadRequest, "This policy contains invalid Json")
}

// Entity kinds, as they appear in messages ("The user with name x cannot be found.").
const (
	kindUser  = "user"
	kindGroup = "group"
	kindRole  = "role"
)

func errNoSuchEntity(kind, name string) *awserr.Error {
	return noSuchEntity("The %s with name %s cannot be found.", kind, name)
}

func errUserNotFound(name string) *awserr.Error  { return errNoSuchEntity(kindUser, name) }
func errGroupNotFound(name string) *awserr.Error { return errNoSuchEntity(kindGroup, name) }
func errRoleNotFound(name string) *awserr.Error  { return errNoSuchEntity(kindRole, name) }

func errEntityExists(kind, name string) *awserr.Error {
	// "User with name x already exists.", "Group with name x already exists.", "Role with name x ..."
	return alreadyExists("%s with name %s already exists.", titleKind(kind), name)
}

func titleKind(kind string) string {
	switch kind {
	case kindUser:
		return "User"
	case kindGroup:
		return "Group"
	case kindRole:
		return "Role"
	}
	return kind
}

func errInlineNotFound(kind, policyName string) *awserr.Error {
	return noSuchEntity("The %s policy with name %s cannot be found.", kind, policyName)
}

// Managed policy lookups answer differently depending on the operation (recorded from AWS):
// GetPolicy, DeletePolicy, Detach*Policy, TagPolicy: "Policy <arn> was not found.";
// Attach*Policy, ListEntitiesForPolicy, CreatePolicyVersion: "... does not exist or is not attachable.".
func errPolicyNotFound(policyARN string) *awserr.Error {
	return noSuchEntity("Policy %s was not found.", policyARN)
}

func errPolicyNotAttachable(policyARN string) *awserr.Error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", policyARN)
}

func errPolicyVersionNotFound(policyARN, versionID string) *awserr.Error {
	return noSuchEntity("Policy %s version %s does not exist or is not attachable.", policyARN, versionID)
}

func errBoundaryNotFound(policyARN string) *awserr.Error {
	return noSuchEntity("Scope ARN: %s does not exist or is not attachable.", policyARN)
}

func errQuota(name string, n int) *awserr.Error {
	return limitExceeded("Cannot exceed quota for %s: %d", name, n)
}

func errTagLimit() *awserr.Error {
	return limitExceeded("The number of tags has reached the maximum limit.")
}

// DeleteConflict messages recorded from AWS.
const (
	msgMustDeleteAccessKeys    = "Cannot delete entity, must delete access keys first."
	msgMustDeleteLoginProfile  = "Cannot delete entity, must delete login profile first."
	msgMustRemoveUsersFromGrp  = "Cannot delete entity, must remove users from group first."
	msgMustDetachPolicies      = "Cannot delete entity, must detach all policies first."
	msgMustDeletePolicies      = "Cannot delete entity, must delete policies first."
	msgMustRemoveRolesFromProf = "Cannot delete entity, must remove roles from instance profile first."
	msgPolicyAttached          = "Cannot delete a policy attached to entities."
	msgDeleteDefaultVersion    = "Cannot delete the default version of a policy."
	// Quoted from AWS responses in rebuy-de/aws-nuke#1 and redradrat/aws-iam-operator#13.
	msgPolicyHasVersions = "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
	msgVersionLimit      = "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version."
)

// AccessKeyLastUsedDenied is the error AWS returns from GetAccessKeyLastUsed for an access key
// that does not exist or is not the caller's (recorded from AWS: an AccessDenied, not a
// NoSuchEntity). GetAccessKeyLastUsed returns NoSuchEntity, which the handler, knowing the
// caller's ARN, should turn into this.
func AccessKeyLastUsedDenied(callerARN, accessKeyID string) *awserr.Error {
	return accessDenied(fmt.Sprintf("User: %s is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key %s", callerARN, accessKeyID))
}
