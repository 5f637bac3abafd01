// Package policy is the AWS IAM policy language: it reads a policy document and decides,
// as AWS does when a policy is written, whether the document is valid for its kind; and
// it evaluates requests against compiled policies as AWS's enforcement code does.
//
// # Parsing and validation
//
// Parse takes the text and a Kind (an identity policy, a resource-based policy, a role
// trust policy, an SCP or RCP, a permissions boundary or a session policy) and returns
// either the syntax tree or the reasons the document is invalid. The reasons carry AWS's
// own error code and message, word for word, so a service can return exactly what AWS
// would; see messages.go for where each message was observed.
//
//	doc, err := policy.Parse(text, policy.KindIdentity, policy.Managed())
//	var verr *policy.ValidationError
//	switch {
//	case errors.As(err, &verr):
//		// verr.Code is "MalformedPolicyDocument"; verr.Message is what IAM says.
//	case errors.Is(err, policy.ErrTooLarge):
//		// a *policy.SizeError: "Cannot exceed quota for PolicySize: 6144".
//	}
//
// Parsing is strict where AWS is strict: the text must be one JSON object, element names
// are case-sensitive, no object may repeat a key, values must have the types the grammar
// gives them. It is lenient where AWS is lenient: IAM does not check that a service or an
// action exists, and it accepts an empty array of condition values.
//
// The syntax tree keeps the original text (IAM returns a policy as it was written), the
// position of every statement and value for findings, and the JSON type of every
// condition value.
//
// Size quotas are counted as AWS counts them: IAM ignores white space, Organizations
// counts every character. Use the WithLimit option, CheckSize, or Limit.Check for the
// aggregate quota on an entity's inline policies.
//
// # Compilation
//
// Compile turns a Document into a *Compiled once, when the policy is written: actions
// are lower-cased and split into service and name, resources and ARN condition values
// are split for segment-by-segment matching, condition keys are lower-cased, typed
// values (numbers, dates in ISO 8601 or epoch seconds, IPv4 and IPv6 CIDR blocks,
// Booleans, base64) are parsed, policy variables (${aws:username},
// ${aws:PrincipalTag/team, 'default'}, ${*}, ${?}, ${$}) are parsed where AWS allows them
// (the resource segment of Resource, and String and ARN condition values; never in
// Action), principals are sorted by form, and a policy with many statements gets an
// index from action to statements. A Compiled is immutable and safe for concurrent use.
//
//	c, err := policy.Compile(doc) // or policy.ParseCompile(text, kind, opts...)
//
// # Evaluation
//
// Evaluate decides one Request (a Caller, an action, a resource, the condition keys in a
// Context, and the request time) against an Input: the identity-based policies, the
// resource-based policy and its owner account, the permissions boundary, the session
// policies, and the SCP and RCP paths of the organization, each level root first. It
// follows AWS's documented flow: an explicit Deny anywhere wins; every SCP level must
// allow (the management account is exempt); a resource-based policy can allow on its
// own in the same account, as far as the principal form it names permits (an IAM user
// or a session ARN fully; a role ARN, or the IAM user behind a federated session,
// subject to the boundary and the session policy; an account only by delegating to the
// identity-based policies); the identity-based policies, the boundary and the session
// policies must all allow (a federated session without a session policy has no
// permissions; the account root user needs no identity-based policy). Across accounts
// both sides must allow.
//
//	d := policy.Evaluate(&policy.Input{Request: req, Identity: refs, SCPs: path})
//	if !d.IsAllowed() {
//		msg := "User: " + arn + " is not authorized to perform: " + action +
//			" on resource: " + resource + " " + d.Reason(action)
//	}
//
// The Decision says which policy (by the caller's PolicyRef.ID) and which statement
// (index and Sid) decided, or, for an implicit deny, what had no Allow: the
// identity-based policies, the resource-based policy, or the guardrail that blocked
// (SCP with its level, permissions boundary, session policy).
//
// Condition operators follow the IAM User Guide: all 27 base operators, ...IfExists,
// ForAllValues: and ForAnyValue: (true and false for a missing key), negated operators
// (values ANDed, a missing key is true), keys ANDed and values ORed, key names (tag keys
// included) case-insensitive. See condition_eval.go for the rules with their sources.
//
// Principals in resource-based and trust policies match by form: "*" (everyone,
// anonymous callers included), an account ID or arn:aws:iam::ACCT:root (the account),
// IAM user and role ARNs, role session and federated user ARNs, unique IDs, Service,
// Federated and CanonicalUser. A NotPrincipal leaves a caller out only when every
// identity the request carries is listed (for a role session: the session, the role and
// the account).
//
// Evaluate does no I/O, reads no clock and allocates nothing for a typical request;
// build the Context once per request (Context.Add, AddMulti, AddBool, AddNumber,
// AddTime, AddIP, AddPrincipalKeys). aws:CurrentTime and aws:EpochTime come from
// Request.Time when the Context does not hold them.
//
// The package is pure: it does no I/O, reads no clock and imports only the standard
// library.
package policy
