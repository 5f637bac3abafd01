package oracle_test

// Minimal reproductions of two engine bugs the oracle comparison found, now fixed; they stay
// as regression tests. Each subtest states the answer the AWS documentation gives (see
// known_divergences.md, "Bulwark bugs found and fixed").

import (
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

func TestBulwarkBugs(t *testing.T) {
	// bulwark-bug/negated-operator-unresolved-variable. IAM User Guide, "IAM policy
	// elements: Variables and tags", section "Policy variables with no value":
	// "Inverted condition operators like StringNotEquals or StringNotLike do match
	// against a null value, as the value of the condition key they are testing against
	// is not equal to or like the effectively null value." Its example: a Deny with
	// StringNotEquals s3:ExistingObjectTag/Team "${aws:PrincipalTag/Team}" — "Access is
	// explicitly denied when aws:principaltag/Team is not set."
	for _, tc := range []struct{ op, key, val, ctxVal string }{
		{"StringNotEquals", "aws:RequestTag/owner", "${aws:username}", "alice"},
		{"StringNotLike", "aws:RequestTag/owner", "${aws:username}*", "alice"},
		{"StringNotEqualsIgnoreCase", "aws:RequestTag/owner", "${aws:username}", "alice"},
		{"ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/${aws:username}", "arn:aws:iam::111111111111:role/dev"},
		{"ArnNotEquals", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/${aws:username}", "arn:aws:iam::111111111111:role/dev"},
	} {
		t.Run("negated-operator-unresolved-variable/"+tc.op, func(t *testing.T) {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*",` +
				`"Condition":{"` + tc.op + `":{"` + tc.key + `":"` + tc.val + `"}}}]}`
			p, err := policy.ParseCompile(doc, policy.KindIdentity)
			if err != nil {
				t.Fatal(err)
			}
			req := &policy.Request{
				// A role session: aws:username is not present.
				Principal: policy.Caller{Kind: policy.CallerRoleSession, Account: "111111111111",
					ARN: "arn:aws:sts::111111111111:assumed-role/dev/s1", RoleARN: "arn:aws:iam::111111111111:role/dev"},
				Action:   "sqs:SendMessage",
				Resource: "arn:aws:sqs:us-east-1:111111111111:orders",
			}
			req.Context.Add(tc.key, tc.ctxVal)
			d := policy.Evaluate(&policy.Input{Request: req, Identity: []policy.PolicyRef{{ID: "p", Policy: p}}})
			if d.Result != policy.Allowed {
				t.Errorf("%s with ${aws:username} absent: Bulwark %v (%v); the IAM User Guide says the condition matches, so Allowed\n%s",
					tc.op, d.Result, d, doc)
			}
		})
	}

	// bulwark-bug/notprincipal-deny-ignores-boundary. IAM User Guide, "AWS JSON policy
	// elements: NotPrincipal", Key points: "The NotPrincipal element with a Deny effect
	// will always deny any IAM principal that has a permissions boundary policy attached,
	// regardless of the values specified in the NotPrincipal element."
	t.Run("notprincipal-deny-ignores-boundary", func(t *testing.T) {
		identity, _ := policy.ParseCompile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`, policy.KindIdentity)
		boundary, _ := policy.ParseCompile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`, policy.KindPermissionsBoundary)
		queue, err := policy.ParseCompile(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny",`+
			`"NotPrincipal":{"AWS":["arn:aws:iam::111111111111:user/carol","arn:aws:iam::111111111111:root"]},`+
			`"Action":"sqs:SendMessage","Resource":"*"}]}`, policy.KindResource)
		if err != nil {
			t.Fatal(err)
		}
		req := &policy.Request{
			Principal: policy.Caller{Kind: policy.CallerUser, Account: "111111111111", ARN: "arn:aws:iam::111111111111:user/carol"},
			Action:    "sqs:SendMessage",
			Resource:  "arn:aws:sqs:us-east-1:111111111111:orders",
		}
		d := policy.Evaluate(&policy.Input{Request: req,
			Identity: []policy.PolicyRef{{ID: "identity", Policy: identity}},
			Boundary: policy.PolicyRef{ID: "boundary", Policy: boundary},
			Resource: policy.PolicyRef{ID: "queue", Policy: queue}})
		if d.Result != policy.ExplicitDeny {
			t.Errorf("carol has a permissions boundary: Bulwark %v (%v); the IAM User Guide says the NotPrincipal Deny always denies her", d.Result, d)
		}
	})
}
