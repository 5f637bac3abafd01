package app

import (
	"errors"
	"net/http"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/policy"
)

// policyValidator checks IAM policy documents with the policy package and answers with IAM's
// errors: MalformedPolicyDocument (400) or LimitExceeded (409).
type policyValidator struct{}

var _ iam.PolicyValidator = policyValidator{}

// Validate implements iam.PolicyValidator.
func (policyValidator) Validate(doc string, kind iam.DocKind) error {
	var opts []policy.Option
	k := policy.KindIdentity
	switch kind {
	case iam.DocManaged:
		opts = append(opts, policy.Managed())
	case iam.DocUserInline, iam.DocGroupInline, iam.DocRoleInline:
		// The inline quotas apply to the sum of an entity's inline policies; internal/iam
		// enforces them.
	case iam.DocTrust:
		k = policy.KindTrust
		opts = append(opts, policy.WithLimit(policy.LimitTrustPolicy))
	}
	_, err := policy.Parse(doc, k, opts...)
	if err == nil {
		return nil
	}
	var size *policy.SizeError
	if errors.As(err, &size) {
		return &awserr.Error{Code: size.Code, Status: http.StatusConflict, Message: size.Message, Cause: err}
	}
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		status := http.StatusBadRequest
		return &awserr.Error{Code: ve.Code, Status: status, Message: ve.Message, Cause: err}
	}
	return &awserr.Error{Code: "MalformedPolicyDocument", Status: http.StatusBadRequest, Message: "Syntax errors in policy.", Cause: err}
}
