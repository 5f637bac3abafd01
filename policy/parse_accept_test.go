package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

type acceptCase struct {
	name string
	kind policy.Kind
	opts []policy.Option
	doc  string
}

// acceptCases are documents AWS accepts although a stricter reading might not.
var acceptCases = []acceptCase{
	{name: "inline policy without Version", doc: `{"Statement": {` + allow + `}}`},
	{name: "inline policy in 2008-10-17", doc: `{"Version": "2008-10-17", "Statement": {` + allow + `}}`},
	{name: "members in any order", doc: `{"Statement": [{"Resource": "*", "Action": "s3:*", "Effect": "Deny"}], "Version": "2012-10-17"}`},
	{name: "Id in an identity policy", doc: `{"Version": "2012-10-17", "Id": "reports-read", "Statement": {` + allow + `}}`},
	{name: "NotAction with NotResource", doc: doc(`"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]`)},
	{name: "empty Sids may repeat", doc: docs(`"Sid": "", `+allow, `"Sid": "", `+allow)},
	{name: "unknown service and action", doc: doc(`"Effect": "Allow", "Action": ["nosuchservice:DoThings", "s3:NoSuchAction"], "Resource": "*"`)},
	{name: "wildcards in service and action", doc: doc(`"Effect": "Allow", "Action": ["s3:*Object?", "*:Get*", "dynamo*:Query"], "Resource": "*"`)},
	{name: "unknown ARN service", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:nosuch:::x", "arn:aws:s3:::reports/*", "*"]`)},
	{name: "IAM ARN forms", doc: doc(`"Effect": "Allow", "Action": "iam:*", "Resource": ["arn:aws:iam::*:role/*", "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::111122223333:*"]`)},
	{name: "wildcard partition", doc: doc(`"Effect": "Allow", "Action": "ec2:*", "Resource": ["arn:*:ec2:*:*:subnet/*", "arn:a?s:ec2:*:*:vpc/*", "arn:*:iam::*:role/x"]`)},
	{name: "wildcard partition matching the option", opts: []policy.Option{policy.WithPartition("aws-cn")}, doc: doc(`"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:aws*:ec2:*:*:subnet/*"`)},
	{name: "S3 ARNs with a Region", doc: doc(`"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:us-west-2:111122223333:accesspoint/reports/object/*", "arn:aws:s3:*:*:access-grants/default/*", "arn:aws:s3:*:111122223333:job/*", "arn:aws:s3:us-east-1:111122223333:storage-lens/x", "arn:aws:s3:*:*:storage-lens-group/*", "arn:aws:s3:us-west-2:111122223333:async-request/mrap/*", "arn:aws:s3:*:111122223333:*", "arn:aws:s3::111122223333:accesspoint/mrap.mrap"]`)},
	{name: "IAM root ARN", doc: doc(`"Effect": "Allow", "Action": "iam:GetLoginProfile", "Resource": ["arn:aws:iam::*:root", "arn:aws:iam::111122223333:root"]`)},
	{name: "AWS managed document over 131072 characters", opts: []policy.Option{policy.AWSManaged()}, doc: doc(`"Sid": "` + strings.Repeat("a", 131072) + `", ` + allow)},
	{name: "ARN with few fields and no ::", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:ec2"`)},
	{name: "empty Condition", doc: doc(allow + `, "Condition": {}`)},
	{name: "operator with an empty block", doc: doc(allow + `, "Condition": {"StringEquals": {}}`)},
	{name: "unknown operator with an empty block", doc: doc(allow + `, "Condition": {"NoSuchOperator": {}}`)},
	{name: "empty array of condition values", doc: doc(allow + `, "Condition": {"StringEquals": {"aws:username": []}}`)},
	{name: "numbers and Booleans as condition values", doc: doc(allow + `, "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true}, "NumericEquals": {"s3:x": [1, 2.5, "3"]}}`)},
	{name: "every operator form", doc: doc(allow + `, "Condition": {"ForAllValues:StringLike": {"aws:TagKeys": ["team*"]}, "ForAnyValue:ArnLikeIfExists": {"aws:SourceArn": "arn:aws:sns:*:*:x"}, "ForAllValues:Null": {"aws:TagKeys": "false"}, "IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}, "BinaryEquals": {"k:b": "QmluYXJ5"}}`)},
	{name: "condition keys without a service", doc: doc(allow + `, "Condition": {"StringEquals": {"username": "ana"}}`)},
	{name: "dates", doc: doc(allow + `, "Condition": {"DateGreaterThan": {"aws:CurrentTime": ["2024-01-02T03:04:05Z", "2024-01-02", "2024", "02T", "1700000000", "2024-01-02T03:04:05.123456789+05:30", "2024-01-02t3:04-08"]}, "DateLessThan": {"aws:EpochTime": 1700000000}}`)},
	{name: "escapes in strings", doc: doc(`"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::caf\u00e9\/x"`)},
	{name: "Latin-1 characters", doc: doc(`"Sid": "Cafe", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::café/*"`)},
	{name: "white space and line breaks", doc: "\n\t{ \"Version\" :\r\n \"2012-10-17\" , \"Statement\" : { " + allow + " } }\n"},
	{name: "managed policy", opts: []policy.Option{policy.Managed()}, doc: doc(allow)},
	{name: "session policy", kind: policy.KindSession, doc: doc(allow)},
	{name: "permissions boundary", kind: policy.KindPermissionsBoundary, doc: doc(allow)},
	{name: "resource policy principal forms", kind: policy.KindResource, doc: doc(allow + `, "Principal": {"AWS": ["*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/team/ana", "arn:aws:sts::111122223333:assumed-role/auditor/session-1", "arn:aws:sts::111122223333:federated-user/carol", "AIDAJQABLZS4A3QDU576Q"], "Service": "cloudtrail.amazonaws.com", "CanonicalUser": "` + strings.Repeat("0f", 32) + `"}`)},
	{name: "S3 bucket policy for a CloudFront origin access identity", kind: policy.KindResource, doc: doc(allow + `, "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE1"}`)},
	{name: "resource policy with Principal *", kind: policy.KindResource, doc: doc(allow + `, "Principal": "*"`)},
	{name: "resource policy without Resource", kind: policy.KindResource, doc: doc(`"Effect": "Allow", "Action": "ecr:BatchGetImage", "Principal": {"AWS": "111122223333"}`)},
	{name: "resource policy NotPrincipal with Deny", kind: policy.KindResource, doc: doc(`"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:user/ana", "111122223333"]}`)},
	{name: "resource policy Sid with spaces", kind: policy.KindResource, doc: doc(`"Sid": "Allow the account", "Effect": "Allow", "Action": "kms:*", "Resource": "*", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}`)},
	{name: "trust policy for a service", kind: policy.KindTrust, doc: doc(trust)},
	{name: "trust policy for everyone through AWS *", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "*"}, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}`)},
	{name: "trust policy for web identity", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": ["accounts.google.com", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]}, "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/*"}}`)},
	{name: "trust policy for SAML", kind: policy.KindTrust, doc: doc(`"Effect": "Allow", "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"], "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}`)},
	{name: "SCP with the full language", kind: policy.KindSCP, doc: docs(`"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::audit/*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}`, `"Sid": "Any_chars are fine", "Effect": "Deny", "Action": "ec2:*Instances", "Resource": "arn:aws:ec2:*:*:instance/*"`)},
	{name: "RCP that denies", kind: policy.KindRCP, doc: doc(`"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}`)},
	{name: "RCPFullAWSAccess", kind: policy.KindRCP, opts: []policy.Option{policy.AWSManaged()}, doc: doc(`"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"`)},
	{name: "resources in another partition", opts: []policy.Option{policy.WithPartition("aws-cn")}, doc: doc(`"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws-cn:s3:::reports/*"`)},
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range acceptCases {
		t.Run(tc.name, func(t *testing.T) {
			kind := tc.kind
			if kind == 0 {
				kind = policy.KindIdentity
			}
			d, err := policy.Parse(tc.doc, kind, tc.opts...)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Text != tc.doc || d.Kind != kind {
				t.Errorf("document keeps Text %q, Kind %v", d.Text, d.Kind)
			}
		})
	}
}

// TestAWSExamples parses the example policies of the AWS documentation (see
// testdata/aws-examples/README.md) as the kind of policy each one is.
func TestAWSExamples(t *testing.T) {
	kinds := map[string]policy.Kind{
		"identity": policy.KindIdentity,
		"resource": policy.KindResource,
		"trust":    policy.KindTrust,
		"scp":      policy.KindSCP,
	}
	total := 0
	for dir, kind := range kinds {
		files, err := filepath.Glob(filepath.Join("testdata", "aws-examples", dir, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no examples in %s: %v", dir, err)
		}
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			total++
			if _, err := policy.Parse(string(text), kind); err != nil {
				t.Errorf("%s as %v: %v", f, kind, err)
			}
		}
	}
	t.Logf("%d AWS example policies accepted", total)
}
