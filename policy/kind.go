package policy

// Kind is the kind of policy a document is. The rules a document must meet depend on it:
// which elements a statement must or must not have, and which service's error messages
// apply.
type Kind uint8

// The policy kinds.
const (
	// KindIdentity is a policy attached to a user, group or role: an inline policy, or a
	// managed policy (see the Managed option).
	KindIdentity Kind = iota + 1
	// KindResource is a resource-based policy, such as a KMS key policy or an S3 bucket
	// policy. Services differ in what else they require; this kind checks what the IAM
	// policy grammar requires of every resource-based policy.
	KindResource
	// KindTrust is an IAM role trust policy (AssumeRolePolicyDocument).
	KindTrust
	// KindSCP is an AWS Organizations service control policy.
	KindSCP
	// KindRCP is an AWS Organizations resource control policy.
	KindRCP
	// KindPermissionsBoundary is a managed policy used as a permissions boundary.
	KindPermissionsBoundary
	// KindSession is a session policy passed to AWS STS (AssumeRole*, GetFederationToken).
	KindSession
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindIdentity:
		return "Identity"
	case KindResource:
		return "Resource"
	case KindTrust:
		return "Trust"
	case KindSCP:
		return "SCP"
	case KindRCP:
		return "RCP"
	case KindPermissionsBoundary:
		return "PermissionsBoundary"
	case KindSession:
		return "Session"
	}
	return "Kind(?)"
}

func (k Kind) valid() bool { return k >= KindIdentity && k <= KindSession }

// organizations reports whether AWS Organizations, not IAM, validates the kind.
func (k Kind) organizations() bool { return k == KindSCP || k == KindRCP }

// principal tells what a kind allows of the Principal and NotPrincipal elements.
type principalRule uint8

const (
	principalForbidden principalRule = iota + 1 // neither element may appear
	principalRequired                           // Principal or NotPrincipal must appear
	principalOnly                               // Principal must appear; NotPrincipal may not
)

// principalRule: identity-side policies never name a principal; resource-side policies
// must. Sources: IAM User Guide, "Grammar of the IAM JSON policy language" (notes) and
// "AWS JSON policy elements: NotPrincipal" (not in identity policies, not in role trust
// policies, not in SCPs or RCPs); Organizations User Guide, "SCP syntax" and "RCP syntax".
func (k Kind) principalRule() principalRule {
	switch k {
	case KindResource:
		return principalRequired
	case KindTrust, KindRCP:
		return principalOnly
	}
	return principalForbidden
}

// resourceRule tells what a kind allows of the Resource and NotResource elements.
type resourceRule uint8

const (
	resourceRequired  resourceRule = iota + 1 // one of them must appear
	resourceOptional                          // either may appear
	resourceForbidden                         // neither may appear
)

// resourceRule: a role trust policy applies to its role and names no resource (Access
// Analyzer check "Role trust policy syntax error resource"); some resource-based policies
// (for example ECR repository policies) omit Resource, so the generic resource kind does
// not require it.
func (k Kind) resourceRule() resourceRule {
	switch k {
	case KindTrust:
		return resourceForbidden
	case KindResource:
		return resourceOptional
	}
	return resourceRequired
}

// requiresVersion2012 reports whether the kind needs "Version": "2012-10-17" whatever the
// options. Sources: Organizations User Guide, "SCP syntax" and "RCP syntax" ("Every SCP
// must include a Version element with the value 2012-10-17"); a permissions boundary is a
// managed policy (see the Managed option).
func (k Kind) requiresVersion2012() bool {
	return k == KindSCP || k == KindRCP || k == KindPermissionsBoundary
}

// alphanumericSid reports whether IAM's Sid rule applies: "For IAM policies, basic
// alphanumeric characters (A-Z,a-z,0-9) are the only allowed characters in the Sid
// value. Other AWS services that support resource policies may have other requirements"
// (IAM User Guide, "Grammar of the IAM JSON policy language", sid_string).
func (k Kind) alphanumericSid() bool {
	switch k {
	case KindIdentity, KindTrust, KindPermissionsBoundary, KindSession:
		return true
	}
	return false
}
