package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// AWS's messages, spelled out here so the tests check the wording, not a shared constant.
const (
	syntaxErrors   = "Syntax errors in policy."
	legacy         = "The policy failed legacy parsing"
	orgs           = "The provided policy document does not meet the requirements of the specified policy type."
	noActions      = "Policy statement must contain actions."
	noResources    = "Policy statement must contain resources."
	needsVendor    = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	oneColon       = "Actions/Condition can contain only one colon."
	noPrincipal    = "Policy document should not specify a principal."
	version2012    = "Policy document must be version 2012-10-17 or greater."
	sidUnique      = "Statement IDs (SID) in a single policy must be unique."
	sidAlnum       = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	trustNoPrinc   = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"
	vendorNotQual  = "Resource vendor must be fully qualified and cannot contain regexes."
	invalidPrinc   = "Invalid principal in policy"
	iamPathMessage = `IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`
)

type rejectCase struct {
	name string
	kind policy.Kind
	opts []policy.Option
	doc  string
	code string // "" means CodeMalformedPolicyDocument
	msg  string
}

// rejectCases has one case per rule, each with the message AWS returns.
var rejectCases = []rejectCase{
	// JSON and grammar.
	{name: "not JSON", doc: `{"Version": "2012-10-17", "Statement": [}`, msg: syntaxErrors},
	{name: "trailing comma", doc: `{"Version": "2012-10-17", "Statement": {` + allow + `,}}`, msg: syntaxErrors},
	{name: "JSON null", doc: `null`, msg: syntaxErrors},
	{name: "top level array", doc: `[` + doc(allow) + `]`, msg: syntaxErrors},
	{name: "data after the object", doc: doc(allow) + ` {}`, msg: syntaxErrors},
	{name: "control character in a string", doc: doc(`"Sid": "a` + "\t" + `b", ` + allow), msg: syntaxErrors},
	{name: "invalid escape", doc: doc(`"Sid": "a\qb", ` + allow), msg: syntaxErrors},
	{name: "trust policy that is not JSON", kind: policy.KindTrust, doc: `{"Statement": [` + trust + `]}`, msg: "This policy contains invalid Json"},
	{name: "repeated statement member", doc: doc(`"Effect": "Deny", ` + allow), msg: syntaxErrors},
	{name: "repeated Statement", doc: `{"Version": "2012-10-17", "Statement": {` + allow + `}, "Statement": {` + allow + `}}`, msg: syntaxErrors},
	{name: "unknown top-level element", doc: `{"Version": "2012-10-17", "Statements": [{` + allow + `}]}`, msg: syntaxErrors},
	{name: "element names are case-sensitive", doc: `{"Version": "2012-10-17", "statement": {` + allow + `}}`, msg: syntaxErrors},
	{name: "unknown statement element", doc: doc(allow + `, "Actions": "s3:PutObject"`), msg: syntaxErrors},
	{name: "unknown Version", doc: `{"Version": "2012-10-18", "Statement": {` + allow + `}}`, msg: syntaxErrors},
	{name: "Version as a number", doc: `{"Version": 2012, "Statement": {` + allow + `}}`, msg: syntaxErrors},
	{name: "Id as an array", doc: `{"Version": "2012-10-17", "Id": ["x"], "Statement": {` + allow + `}}`, msg: syntaxErrors},
	{name: "no Statement", doc: `{"Version": "2012-10-17"}`, msg: syntaxErrors},
	{name: "empty Statement array", doc: `{"Version": "2012-10-17", "Statement": []}`, msg: syntaxErrors},
	{name: "statement that is a string", doc: `{"Version": "2012-10-17", "Statement": ["s3:GetObject"]}`, msg: syntaxErrors},
	{name: "no Effect", doc: doc(`"Action": "s3:GetObject", "Resource": "*"`), msg: syntaxErrors},
	{name: "unknown Effect", doc: doc(`"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"`), msg: syntaxErrors},
	{name: "Effect as a Boolean", doc: doc(`"Effect": true, "Action": "s3:GetObject", "Resource": "*"`), msg: syntaxErrors},
	{name: "Action and NotAction", doc: doc(allow + `, "NotAction": "s3:PutObject"`), msg: syntaxErrors},
	{name: "Resource and NotResource", doc: doc(allow + `, "NotResource": []`), msg: syntaxErrors},
	{name: "Principal and NotPrincipal", kind: policy.KindResource, doc: doc(allow + `, "Principal": "*", "NotPrincipal": {"AWS": "111122223333"}`), msg: syntaxErrors},
	{name: "Action as an object", doc: doc(`"Effect": "Allow", "Action": {"s3": "GetObject"}, "Resource": "*"`), msg: syntaxErrors},
	{name: "Action array with a number", doc: doc(`"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": "*"`), msg: syntaxErrors},
	{name: "Resource null", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": null`), msg: syntaxErrors},
	{name: "Sid as an object", doc: doc(`"Sid": {}, ` + allow), msg: syntaxErrors},
	{name: "Condition as an array", doc: doc(allow + `, "Condition": [{"Bool": {"aws:SecureTransport": "true"}}]`), msg: syntaxErrors},
	{name: "operator mapped to a string", doc: doc(allow + `, "Condition": {"Bool": "true"}`), msg: syntaxErrors},
	{name: "unknown operator", doc: doc(allow + `, "Condition": {"StringEqualz": {"aws:username": "ana"}}`), msg: syntaxErrors},
	{name: "operators are case-sensitive", doc: doc(allow + `, "Condition": {"stringequals": {"aws:username": "ana"}}`), msg: syntaxErrors},
	{name: "Null cannot take IfExists", doc: doc(allow + `, "Condition": {"NullIfExists": {"aws:TokenIssueTime": "true"}}`), msg: syntaxErrors},
	{name: "doubled qualifier colon", doc: doc(allow + `, "Condition": {"ForAnyValue::StringLike": {"aws:TagKeys": "team*"}}`), msg: syntaxErrors},
	{name: "unknown qualifier", doc: doc(allow + `, "Condition": {"ForSomeValues:StringLike": {"aws:TagKeys": "team*"}}`), msg: syntaxErrors},
	{name: "condition value object", doc: doc(allow + `, "Condition": {"StringEquals": {"aws:username": {"name": "ana"}}}`), msg: syntaxErrors},
	{name: "condition value null", doc: doc(allow + `, "Condition": {"Null": {"aws:username": null}}`), msg: syntaxErrors},
	{name: "nested condition value array", doc: doc(allow + `, "Condition": {"StringEquals": {"aws:username": [["ana"]]}}`), msg: syntaxErrors},
	{name: "deep nesting", doc: doc(allow + `, "Condition": {"StringEquals": {"aws:username": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}}`), msg: syntaxErrors},
	{name: "Principal string other than *", kind: policy.KindResource, doc: doc(allow + `, "Principal": "111122223333"`), msg: syntaxErrors},
	{name: "unknown principal type", kind: policy.KindResource, doc: doc(allow + `, "Principal": {"User": "ana"}`), msg: syntaxErrors},
	{name: "principal identifier as a number", kind: policy.KindResource, doc: doc(allow + `, "Principal": {"AWS": 111122223333}`), msg: syntaxErrors},

	// Characters and length the IAM and STS parameter models allow.
	{name: "character outside Latin-1", doc: doc(`"Sid": "Caf€", ` + allow), code: policy.CodeValidationError, msg: `Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`},
	{name: "empty document", doc: ``, code: policy.CodeValidationError, msg: "Member must have length greater than or equal to 1"},

	// Version.
	{name: "managed policy without Version", opts: []policy.Option{policy.Managed()}, doc: `{"Statement": {` + allow + `}}`, msg: version2012},
	{name: "managed policy in 2008-10-17", opts: []policy.Option{policy.Managed()}, doc: `{"Version": "2008-10-17", "Statement": {` + allow + `}}`, msg: version2012},
	{name: "permissions boundary without Version", kind: policy.KindPermissionsBoundary, doc: `{"Statement": {` + allow + `}}`, msg: version2012},

	// What each kind forbids or requires.
	{name: "identity policy with Principal", doc: doc(allow + `, "Principal": {"AWS": "111122223333"}`), msg: noPrincipal},
	{name: "identity policy with NotPrincipal", doc: doc(`"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": "111122223333"}`), msg: noPrincipal},
	{name: "identity policy with a malformed Principal", doc: doc(allow + `, "Principal": ["nobody"]`), msg: noPrincipal},
	{name: "version before legacy", opts: []policy.Option{policy.Managed()}, doc: `{"Statement": {"Effect": "allow", "Action": "s3:*", "Resource": "*"}}`, msg: version2012},
	{name: "session policy with Principal", kind: policy.KindSession, doc: doc(allow + `, "Principal": "*"`), msg: noPrincipal},
	{name: "permissions boundary with Principal", kind: policy.KindPermissionsBoundary, doc: doc(allow + `, "Principal": "*"`), msg: noPrincipal},
	{name: "resource policy without Principal", kind: policy.KindResource, doc: doc(allow), msg: "Missing required field Principal"},
	{name: "resource policy NotPrincipal with Allow", kind: policy.KindResource, doc: doc(allow + `, "NotPrincipal": {"AWS": "111122223333"}`), msg: invalidPrinc},
	{name: "trust policy with Resource", kind: policy.KindTrust, doc: doc(trust + `, "Resource": "*"`), msg: "Has prohibited field Resource"},
	{name: "trust policy with NotResource", kind: policy.KindTrust, doc: doc(trust + `, "NotResource": "*"`), msg: "Has prohibited field NotResource"},
	{name: "trust policy with NotPrincipal", kind: policy.KindTrust, doc: doc(`"Effect": "Deny", "Action": "sts:AssumeRole", "NotPrincipal": {"AWS": "111122223333"}`), msg: "Has prohibited field NotPrincipal"},
	{name: "trust policy without Principal", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole"`), msg: trustNoPrinc},
	{name: "trust policy with an empty principal map", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {}`), msg: trustNoPrinc},
	{name: "trust policy with Principal *", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"`), msg: `AssumeRolepolicy contained an invalid principal: "STAR":"*".`},
	{name: "SCP with Principal", kind: policy.KindSCP, doc: doc(`"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Principal": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "SCP without Version", kind: policy.KindSCP, doc: `{"Statement": {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}}`, code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "SCP that is not JSON", kind: policy.KindSCP, doc: `{"Version": "2012-10-17", "Statement": `, code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "SCP without Resource", kind: policy.KindSCP, doc: doc(`"Effect": "Deny", "Action": "ec2:*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "RCP that allows", kind: policy.KindRCP, doc: doc(`"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "RCP naming an account", kind: policy.KindRCP, doc: doc(`"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "RCP without Principal", kind: policy.KindRCP, doc: doc(`"Effect": "Deny", "Action": "s3:*", "Resource": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "RCP with NotPrincipal", kind: policy.KindRCP, doc: doc(`"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},
	{name: "RCP with NotAction", kind: policy.KindRCP, doc: doc(`"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"`), code: policy.CodeOrgsMalformedPolicyDocument, msg: orgs},

	// The legacy parser.
	{name: "Effect in the wrong case", doc: doc(`"Effect": "ALLOW", "Action": "s3:GetObject", "Resource": "*"`), msg: legacy},
	{name: "date that is a word", doc: doc(allow + `, "Condition": {"DateLessThan": {"aws:CurrentTime": "tomorrow"}}`), msg: legacy},
	{name: "date with month 14", doc: doc(allow + `, "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2024-14-01"}}`), msg: legacy},
	{name: "date with a one-digit zone", doc: doc(allow + `, "Condition": {"DateEqualsIfExists": {"aws:CurrentTime": "2024-01-02T03:04:05+2"}}`), msg: legacy},
	{name: "epoch beyond int64", doc: doc(allow + `, "Condition": {"DateLessThan": {"aws:EpochTime": "99999999999999999999"}}`), msg: legacy},
	{name: "date as a Boolean", doc: doc(allow + `, "Condition": {"DateLessThan": {"aws:CurrentTime": true}}`), msg: legacy},
	{name: "ARN with :: and four colons", doc: doc(`"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs::jobs"`), msg: legacy},
	{name: "ARN with an empty service", doc: doc(`"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws::us-east-1:111122223333:jobs"`), msg: legacy},

	// Sid.
	{name: "repeated Sid", doc: docs(`"Sid": "Read", `+allow, `"Sid": "Read", `+allow), msg: sidUnique},
	{name: "Sid with an underscore", doc: doc(`"Sid": "Read_Reports", ` + allow), msg: sidAlnum},
	{name: "trust policy Sid with a space", kind: policy.KindTrust, doc: doc(`"Sid": "EC2 may assume", ` + trust), msg: sidAlnum},

	// Actions and resources must be present.
	{name: "no Action", doc: doc(`"Effect": "Allow", "Resource": "*"`), msg: noActions},
	{name: "empty Action array", doc: doc(`"Effect": "Allow", "Action": [], "Resource": "*"`), msg: noActions},
	{name: "no Resource", doc: doc(`"Effect": "Allow", "Action": "s3:ListAllMyBuckets"`), msg: noResources},
	{name: "empty NotResource array", doc: doc(`"Effect": "Deny", "Action": "s3:*", "NotResource": []`), msg: noResources},
	{name: "session policy without Resource", kind: policy.KindSession, doc: doc(`"Effect": "Allow", "Action": "s3:*"`), msg: noResources},

	// Resource values.
	{name: "resource that is not an ARN", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "reports-bucket"`), msg: `Resource reports-bucket must be in ARN format or "*".`},
	{name: "empty resource", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""`), msg: `Resource  must be in ARN format or "*".`},
	{name: "resource in another partition", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::reports/*"`), msg: `Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:::reports/*".`},
	{name: "partition error rebuilds six fields", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "urn:reports"`), msg: `Partition "reports" is not valid for resource "arn:reports:*:*:*:*".`},
	{name: "partition error keeps extra fields", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "x:p:q:r:s:t:u"`), msg: `Partition "p" is not valid for resource "arn:p:q:r:s:t:u".`},
	{name: "partition checked against the option", opts: []policy.Option{policy.WithPartition("aws-cn")}, doc: doc(allow), msg: `Partition "aws" is not valid for resource "arn:aws:s3:::reports/*".`},
	{name: "ARN without a service", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws"`), msg: vendorNotQual},
	{name: "ARN with a wildcard service", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s*:::reports"`), msg: vendorNotQual},
	{name: "IAM ARN with a region", doc: doc(`"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam:eu-west-1:111122223333:user/ana"`), msg: "IAM resource arn:aws:iam:eu-west-1:111122223333:user/ana cannot contain region information."},
	{name: "S3 ARN with a region", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:eu-west-1::reports"`), msg: "Resource arn:aws:s3:eu-west-1::reports can not contain region information."},
	{name: "IAM ARN of an unknown type", doc: doc(`"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::111122223333:person/ana"`), msg: iamPathMessage},

	// Action values.
	{name: "action without a service", doc: doc(`"Effect": "Allow", "Action": "ListAllMyBuckets", "Resource": "*"`), msg: needsVendor},
	{name: "empty action", doc: doc(`"Effect": "Deny", "NotAction": "", "Resource": "*"`), msg: needsVendor},
	{name: "action with an empty service", doc: doc(`"Effect": "Allow", "Action": ":GetObject", "Resource": "*"`), msg: needsVendor},
	{name: "action with two colons", doc: doc(`"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get:Object"], "Resource": "*"`), msg: oneColon},
	{name: "service with a space", doc: doc(`"Effect": "Allow", "Action": "s 3:GetObject", "Resource": "*"`), msg: "Vendor s 3 is not valid"},

	// Principal values.
	{name: "trust principal with a wildcard", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}`), msg: `Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/*"`},
	{name: "trust principal that is a name", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "ana"}`), msg: `Invalid principal in policy: "AWS":"ana"`},
	{name: "trust service principal without a domain", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda"}`), msg: `Invalid principal in policy: "SERVICE":"lambda"`},
	{name: "trust service principal that is a bare suffix", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ec2.amazonaws.com", "amazonaws.com"]}`), msg: `Invalid principal in policy: "SERVICE":"amazonaws.com"`},
	{name: "trust federated principal", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML", "Principal": {"Federated": "my idp"}`), msg: `Invalid principal in policy: "FEDERATED":"my idp"`},
	{name: "trust canonical user", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"CanonicalUser": "` + strings.Repeat("ab", 32) + `"}`), msg: `Invalid principal in policy: "CANONICAL_USER":"` + strings.Repeat("ab", 32) + `"`},
	{name: "resource policy principal that is a name", kind: policy.KindResource, doc: doc(allow + `, "Principal": {"AWS": "ana"}`), msg: invalidPrinc},

	// AWS reports the first failure in its own order, not in document order.
	{name: "grammar before kind", kind: policy.KindTrust, doc: docs(`"Effect": "Allow", "Action": "sts:AssumeRole"`, `"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "111122223333"}, "Extra": 1`), msg: syntaxErrors},
	{name: "legacy date before a partition error", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::b", "Condition": {"DateLessThan": {"aws:CurrentTime": "soon"}}`), msg: legacy},
	{name: "missing actions before a bad resource", doc: docs(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"`, `"Effect": "Allow", "Resource": "*"`), msg: noActions},
	{name: "Sid before actions", doc: docs(`"Sid": "A", "Effect": "Allow", "Action": "GetObject", "Resource": "*"`, `"Sid": "A", `+allow), msg: sidUnique},
	{name: "a format failure stops the legacy resource test", doc: docs(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::b"`, `"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs::jobs"`), msg: `Partition "aws-cn" is not valid for resource "arn:aws-cn:s3:::b".`},
}

func TestParseRejects(t *testing.T) {
	for _, tc := range rejectCases {
		t.Run(tc.name, func(t *testing.T) {
			kind := tc.kind
			if kind == 0 {
				kind = policy.KindIdentity
			}
			d, err := policy.Parse(tc.doc, kind, tc.opts...)
			if err == nil {
				t.Fatalf("Parse accepted the document; want %q", tc.msg)
			}
			if d != nil {
				t.Errorf("Parse returned a document with an error")
			}
			if !errors.Is(err, policy.ErrMalformed) {
				t.Errorf("errors.Is(err, ErrMalformed) = false for %v", err)
			}
			var verr *policy.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("error %T is not a *ValidationError: %v", err, err)
			}
			code := tc.code
			if code == "" {
				code = policy.CodeMalformedPolicyDocument
			}
			if verr.Message != tc.msg || verr.Code != code {
				t.Errorf("got %s %q\nwant %s %q\n(detail: %s)", verr.Code, verr.Message, code, tc.msg, verr.Detail)
			}
			if verr.Line < 1 || verr.Column < 1 {
				t.Errorf("position %d:%d, want a place in the document", verr.Line, verr.Column)
			}
		})
	}
}

func TestValidationErrorPositions(t *testing.T) {
	text := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n    {\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"*\"}\n  ]\n}"
	_, err := policy.Parse(text, policy.KindIdentity)
	var verr *policy.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Parse: %v", err)
	}
	if verr.Message != needsVendor || verr.Line != 5 || verr.Column != 35 {
		t.Errorf("got %d:%d %q, want 5:35 %q", verr.Line, verr.Column, verr.Message, needsVendor)
	}
	if !strings.HasPrefix(err.Error(), "line 5, column 35: "+needsVendor) {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestValidationErrorsListsEveryFailure(t *testing.T) {
	text := docs(`"Sid": "A_1", "Effect": "Allow", "Action": "GetObject", "Resource": "bucket"`, `"Sid": "B", "Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*"`)
	_, err := policy.Parse(text, policy.KindIdentity)
	var all policy.ValidationErrors
	if !errors.As(err, &all) {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, e := range all {
		got = append(got, e.Message)
	}
	want := []string{sidAlnum, `Resource bucket must be in ARN format or "*".`, needsVendor, oneColon}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasSuffix(err.Error(), "(and 3 more)") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestParseUnknownKind(t *testing.T) {
	if _, err := policy.Parse(doc(allow), policy.Kind(0)); err == nil || errors.Is(err, policy.ErrMalformed) {
		t.Errorf("Parse with kind 0: %v, want a plain error", err)
	}
}
