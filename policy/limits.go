package policy

import (
	"fmt"
	"unicode/utf8"
)

// Default size quotas, in characters.
// Sources: IAM User Guide, "IAM and AWS STS quotas" (managed 6,144; inline per entity,
// aggregate: user 2,048, group 5,120, role 10,240; role trust policy 2,048, adjustable to
// 4,096); Organizations User Guide, "Quotas" (SCP and RCP 5,120 characters); STS API
// Reference, AssumeRole Policy ("The plaintext that you use for both inline and managed
// session policies can't exceed 2,048 characters").
const (
	MaxManagedPolicySize         = 6144
	MaxUserInlineSize            = 2048
	MaxGroupInlineSize           = 5120
	MaxRoleInlineSize            = 10240
	MaxTrustPolicySize           = 2048
	MaxTrustPolicySizeAdjustable = 4096
	MaxSCPSize                   = 5120
	MaxRCPSize                   = 5120
	MaxSessionPolicySize         = 2048
)

// Limit is a size quota on policy text. Each limit knows how AWS counts a document
// against it and how AWS words the error.
type Limit uint8

// The size quotas.
const (
	// LimitManagedPolicy is the quota on one managed policy (CreatePolicy,
	// CreatePolicyVersion). White space does not count. Error: LimitExceeded,
	// "Cannot exceed quota for PolicySize: 6144".
	LimitManagedPolicy Limit = iota + 1
	// LimitUserInline, LimitGroupInline and LimitRoleInline are the quotas on the sum of
	// an entity's inline policies (PutUserPolicy, PutGroupPolicy, PutRolePolicy). White
	// space does not count. Error: LimitExceeded, "Maximum policy size of 2048 bytes
	// exceeded for user alice".
	LimitUserInline
	LimitGroupInline
	LimitRoleInline
	// LimitTrustPolicy is the quota on a role trust policy (CreateRole,
	// UpdateAssumeRolePolicy). White space does not count. Error: LimitExceeded,
	// "Cannot exceed quota for ACLSizePerRole: 2048".
	LimitTrustPolicy
	// LimitSCP and LimitRCP are the Organizations quotas; every character counts,
	// white space included. Error: ConstraintViolationException,
	// "You have exceeded the maximum policy size.".
	LimitSCP
	LimitRCP
	// LimitSessionPolicy is the STS model constraint on an inline session policy; every
	// character counts. Error: ValidationError. (STS's separate packed-size limit,
	// PackedPolicyTooLarge, covers policies and session tags together and is not
	// modelled here.)
	LimitSessionPolicy
)

// String returns the limit's name.
func (l Limit) String() string {
	switch l {
	case LimitManagedPolicy:
		return "ManagedPolicy"
	case LimitUserInline:
		return "UserInline"
	case LimitGroupInline:
		return "GroupInline"
	case LimitRoleInline:
		return "RoleInline"
	case LimitTrustPolicy:
		return "TrustPolicy"
	case LimitSCP:
		return "SCP"
	case LimitRCP:
		return "RCP"
	case LimitSessionPolicy:
		return "SessionPolicy"
	}
	return "Limit(?)"
}

// Max returns the limit's default quota in characters.
func (l Limit) Max() int {
	switch l {
	case LimitManagedPolicy:
		return MaxManagedPolicySize
	case LimitUserInline:
		return MaxUserInlineSize
	case LimitGroupInline:
		return MaxGroupInlineSize
	case LimitRoleInline:
		return MaxRoleInlineSize
	case LimitTrustPolicy:
		return MaxTrustPolicySize
	case LimitSCP:
		return MaxSCPSize
	case LimitRCP:
		return MaxRCPSize
	case LimitSessionPolicy:
		return MaxSessionPolicySize
	}
	return 0
}

// Code returns the AWS error code for a document over the limit.
func (l Limit) Code() string {
	switch l {
	case LimitSCP, LimitRCP:
		return CodeConstraintViolation
	case LimitSessionPolicy:
		return CodeValidationError
	}
	return CodeLimitExceeded
}

// CountsWhiteSpace reports whether white space counts against the limit. IAM: "IAM does
// not count white space when calculating the size of a policy against these limits"
// (IAM User Guide, "IAM and AWS STS quotas"); GetAccountSummary reports these quotas "in
// non-whitespace characters". Organizations: "All characters in your SCP count against
// its maximum size" (Organizations User Guide, "SCP syntax", "RCP syntax").
func (l Limit) CountsWhiteSpace() bool {
	return l == LimitSCP || l == LimitRCP || l == LimitSessionPolicy
}

// Measure returns the size of doc as AWS counts it against l: characters, without white
// space (space, tab, line feed, carriage return) for the IAM quotas.
func (l Limit) Measure(doc string) int {
	ws := l.CountsWhiteSpace()
	n := 0
	for i := 0; i < len(doc); {
		b := doc[i]
		if b < utf8.RuneSelf {
			i++
			if ws || (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				n++
			}
			continue
		}
		_, size := utf8.DecodeRuneInString(doc[i:])
		i += size
		n++
	}
	return n
}

// Check returns a *SizeError when size is over max (use l.Max() for the default quota).
// subject completes AWS's message where it names something: the user, group or role name
// for the inline limits, and the policy text for LimitSessionPolicy; the other limits
// ignore it. For the inline limits, size is the sum of the entity's inline policies,
// each measured with l.Measure.
func (l Limit) Check(size, max int, subject string) error {
	if size <= max {
		return nil
	}
	return &SizeError{Limit: l, Size: size, Max: max, Code: l.Code(), Message: l.message(max, subject)}
}

// message words the error as AWS does; see the sources at fmtQuota, fmtInlineSize,
// msgOrgsSize and fmtSessionLength.
func (l Limit) message(max int, subject string) string {
	switch l {
	case LimitManagedPolicy:
		return fmt.Sprintf(fmtQuota, "PolicySize", max)
	case LimitTrustPolicy:
		return fmt.Sprintf(fmtQuota, "ACLSizePerRole", max)
	case LimitUserInline:
		return inlineMessage(max, "user", subject)
	case LimitGroupInline:
		return inlineMessage(max, "group", subject)
	case LimitRoleInline:
		return inlineMessage(max, "role", subject)
	case LimitSCP, LimitRCP:
		return msgOrgsSize
	case LimitSessionPolicy:
		return fmt.Sprintf(fmtSessionLength, subject, max)
	}
	return fmt.Sprintf("policy size %d is over the limit", max)
}

func inlineMessage(max int, entity, name string) string {
	msg := fmt.Sprintf(fmtInlineSize, max, entity, name)
	if name == "" {
		msg = msg[:len(msg)-1] // no trailing space when the entity name is not known
	}
	return msg
}

// CheckSize measures doc against l's default quota and returns a *SizeError when it is
// over. For an inline policy it checks the one document alone, and the message cannot
// name the entity; the quota applies to the sum of the entity's inline policies, so
// services use Limit.Check.
func CheckSize(doc string, l Limit) error {
	subject := ""
	if l == LimitSessionPolicy {
		subject = doc
	}
	return l.Check(l.Measure(doc), l.Max(), subject)
}
