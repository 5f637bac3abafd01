// Package policy is the AWS IAM policy language: it reads a policy document and decides,
// as AWS does when a policy is written, whether the document is valid for its kind.
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
// condition value. A later step compiles it into an evaluator; nothing here is on the
// request path.
//
// Size quotas are counted as AWS counts them: IAM ignores white space, Organizations
// counts every character. Use the WithLimit option, CheckSize, or Limit.Check for the
// aggregate quota on an entity's inline policies.
//
// The package is pure: it does no I/O, reads no clock and imports only the standard
// library.
package policy
