package app

import (
	"errors"
	"net/http"
	"strings"

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
	d, err := policy.Parse(doc, k, opts...)
	if err == nil {
		if kind == iam.DocTrust {
			return checkTrustActions(d)
		}
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

// checkTrustActions enforces IAM's rule that a role trust policy names only STS actions
// (sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession,
// sts:SetSourceIdentity, ...). AWS answers anything else, NotAction included, with this message
// (recorded from IAM in LocalStack's parity snapshot test_update_assume_role_policy_errors).
func checkTrustActions(d *policy.Document) error {
	for _, st := range d.Statements {
		ok := !st.Action.Not
		for _, a := range st.Action.Values {
			if len(a.Text) < 4 || !strings.EqualFold(a.Text[:4], "sts:") {
				ok = false
			}
		}
		if !ok {
			return &awserr.Error{Code: "MalformedPolicyDocument", Status: http.StatusBadRequest,
				Message: "AssumeRole policy may only specify STS AssumeRole actions."}
		}
	}
	return nil
}

var _ iam.PrincipalLister = policyValidator{}

// PrincipalARNs implements iam.PrincipalLister: the IAM user and role ARNs the document's
// Principal elements name as "AWS" principals (NotPrincipal is not a grant and is left
// out). A document that does not parse names none; Validate reports it.
func (policyValidator) PrincipalARNs(doc string) []string {
	d, err := policy.Parse(doc, policy.KindTrust)
	if err != nil {
		return nil
	}
	var out []string
	for _, st := range d.Statements {
		if st.Principal.Not {
			continue
		}
		for _, e := range st.Principal.Entries {
			if e.Type != policy.PrincipalAWS {
				continue
			}
			for _, v := range e.Values {
				if strings.HasPrefix(v.Text, "arn:") && (strings.Contains(v.Text, ":user/") || strings.Contains(v.Text, ":role/")) {
					out = append(out, v.Text)
				}
			}
		}
	}
	return out
}
