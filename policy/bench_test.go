package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// managedPolicy returns a pretty-printed managed policy whose size, as IAM counts it
// (white space excluded), is exactly policy.MaxManagedPolicySize: statements with
// actions, resources with variables and conditions of several operators.
func managedPolicy() string {
	var stmts []string
	for i := 0; ; i++ {
		stmt := fmt.Sprintf(`    {
      "Sid": "Statement%d",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:Query", "dynamodb:GetItem"],
      "Resource": [
        "arn:aws:s3:::reports-%d/${aws:username}/*",
        "arn:aws:dynamodb:eu-west-1:111122223333:table/orders-%d"
      ],
      "Condition": {
        "StringEquals": {"aws:PrincipalTag/team": ["analytics", "finance"]},
        "IpAddress": {"aws:SourceIp": "10.%d.0.0/16"},
        "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
        "Bool": {"aws:SecureTransport": true}
      }
    }`, i, i, i, i)
		next := append(stmts, stmt)
		text := wrapStatements(next, "")
		if policy.LimitManagedPolicy.Measure(text) > policy.MaxManagedPolicySize {
			break
		}
		stmts = next
	}
	text := wrapStatements(stmts, "")
	pad := policy.MaxManagedPolicySize - policy.LimitManagedPolicy.Measure(text)
	return wrapStatements(stmts, strings.Repeat("x", pad))
}

func wrapStatements(stmts []string, id string) string {
	return "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"" + id + "\",\n  \"Statement\": [\n" + strings.Join(stmts, ",\n") + "\n  ]\n}\n"
}

func TestManagedPolicyFixture(t *testing.T) {
	text := managedPolicy()
	if got := policy.LimitManagedPolicy.Measure(text); got != policy.MaxManagedPolicySize {
		t.Fatalf("fixture measures %d, want %d", got, policy.MaxManagedPolicySize)
	}
	if _, err := policy.Parse(text, policy.KindIdentity, policy.Managed()); err != nil {
		t.Fatalf("Parse: %v", err)
	}
}

func BenchmarkParseManaged(b *testing.B) {
	text := managedPolicy()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Parse(text, policy.KindIdentity, policy.Managed()); err != nil {
			b.Fatal(err)
		}
	}
}
