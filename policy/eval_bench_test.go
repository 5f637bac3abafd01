package policy_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

// typicalInput is a user with three identity policies (one with a Deny), conditions with
// variables, a tag key, an IP range, a Boolean and a date, and a request they allow.
func typicalInput(tb testing.TB) *policy.Input {
	tb.Helper()
	p1 := mustCompile(tb, `{"Version": "2012-10-17", "Statement": [{
		"Sid": "OwnPrefix", "Effect": "Allow",
		"Action": ["s3:GetObject", "s3:PutObject"],
		"Resource": "arn:aws:s3:::reports/${aws:username}/*",
		"Condition": {
			"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
			"Bool": {"aws:SecureTransport": "true"},
			"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}
		}}, {
		"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports",
		"Condition": {"StringLike": {"s3:prefix": "${aws:username}/*"}}
	}]}`, policy.KindIdentity)
	p2 := mustCompile(tb, `{"Version": "2012-10-17", "Statement": [{
		"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
		"Resource": "arn:aws:dynamodb:*:111122223333:table/orders",
		"Condition": {"StringEquals": {"aws:PrincipalTag/Team": "analytics"}}
	}]}`, policy.KindIdentity)
	p3 := mustCompile(tb, `{"Version": "2012-10-17", "Statement": [{
		"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
		"Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}
	}, {
		"Sid": "NoMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
		"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
	}]}`, policy.KindIdentity)
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice", ID: "AIDAEXAMPLE1234567"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::reports/alice/2026/q3.csv",
		Time:      time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC),
	}
	ctx := &req.Context
	ctx.Add("aws:username", "alice")
	ctx.Add("aws:userid", "AIDAEXAMPLE1234567")
	ctx.Add("aws:PrincipalTag/team", "analytics")
	ctx.AddIP("aws:SourceIp", netip.MustParseAddr("10.1.2.3"))
	ctx.AddBool("aws:SecureTransport", true)
	ctx.Add("aws:RequestedRegion", "eu-west-1")
	ctx.Add("aws:PrincipalAccount", "111122223333")
	return &policy.Input{
		Request:  req,
		Identity: []policy.PolicyRef{{ID: "p1", Policy: p1}, {ID: "p2", Policy: p2}, {ID: "p3", Policy: p3}},
	}
}

func mustCompile(tb testing.TB, text string, kind policy.Kind) *policy.Compiled {
	tb.Helper()
	c, err := policy.ParseCompile(text, kind)
	if err != nil {
		tb.Fatalf("ParseCompile: %v\n%s", err, text)
	}
	return c
}

func TestTypicalInput(t *testing.T) {
	in := typicalInput(t)
	d := policy.Evaluate(in)
	if d.Result != policy.Allowed || d.PolicyID != "p1" || d.Sid != "OwnPrefix" {
		t.Fatalf("typical request: %v", d)
	}
	if n := testing.AllocsPerRun(100, func() { policy.Evaluate(in) }); n != 0 {
		t.Fatalf("Evaluate allocates %v times per run", n)
	}
}

func BenchmarkEvaluateTypical(b *testing.B) {
	in := typicalInput(b)
	b.ReportAllocs()
	for b.Loop() {
		if policy.Evaluate(in).Result != policy.Allowed {
			b.Fatal("not allowed")
		}
	}
}

// BenchmarkEvaluateTypicalLatency reports the median and 99th-percentile latency of the
// typical request (p50-ns/op, p99-ns/op), from batches of evaluations each timed as one:
// a single 200 ns call is too short to time alone, as reading the clock costs tens of ns.
func BenchmarkEvaluateTypicalLatency(b *testing.B) {
	const batch = 32
	in := typicalInput(b)
	var samples []float64
	for b.Loop() {
		start := time.Now()
		for range batch {
			if policy.Evaluate(in).Result != policy.Allowed {
				b.Fatal("not allowed")
			}
		}
		samples = append(samples, float64(time.Since(start).Nanoseconds())/batch)
	}
	slices.Sort(samples)
	b.ReportMetric(samples[len(samples)/2], "p50-ns/op")
	b.ReportMetric(samples[len(samples)*99/100], "p99-ns/op")
	b.ReportMetric(0, "ns/op") // the batches make the default figure per 32 calls
}

// thousandStatements returns five identity policies of 200 statements each, over 50
// services, with exact and wildcard actions, resources with variables and conditions;
// the request matches one statement of the last policy.
func thousandStatements(tb testing.TB) *policy.Input {
	tb.Helper()
	var refs []policy.PolicyRef
	for p := 0; p < 5; p++ {
		var stmts []string
		for s := 0; s < 200; s++ {
			n := p*200 + s
			action := fmt.Sprintf(`"svc%d:GetThing%d", "svc%d:Put*"`, n%50, n, n%50)
			stmts = append(stmts, fmt.Sprintf(`{"Sid": "S%d", "Effect": "Allow", "Action": [%s],
				"Resource": "arn:aws:svc%d:eu-west-1:111122223333:thing/%d/${aws:username}",
				"Condition": {"StringEquals": {"aws:PrincipalTag/team": "t%d"}}}`, n, action, n%50, n, n%7))
		}
		text := `{"Version": "2012-10-17", "Statement": [` + strings.Join(stmts, ",") + `]}`
		refs = append(refs, policy.PolicyRef{ID: fmt.Sprint("p", p), Policy: mustCompile(tb, text, policy.KindIdentity)})
	}
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice"},
		Action:    "svc47:GetThing997",
		Resource:  "arn:aws:svc47:eu-west-1:111122223333:thing/997/alice",
	}
	req.Context.Add("aws:username", "alice")
	req.Context.Add("aws:PrincipalTag/team", fmt.Sprint("t", 997%7))
	return &policy.Input{Request: req, Identity: refs}
}

func TestThousandStatements(t *testing.T) {
	in := thousandStatements(t)
	if d := policy.Evaluate(in); d.Result != policy.Allowed || d.Sid != "S997" {
		t.Fatalf("got %v", d)
	}
	if n := testing.AllocsPerRun(100, func() { policy.Evaluate(in) }); n != 0 {
		t.Fatalf("Evaluate allocates %v times per run", n)
	}
	in.Request.Action = "svc47:GetThing996"
	if d := policy.Evaluate(in); d.Result != policy.ImplicitDeny {
		t.Fatalf("got %v", d)
	}
}

func BenchmarkEvaluate1000Statements(b *testing.B) {
	in := thousandStatements(b)
	b.ReportAllocs()
	for b.Loop() {
		if policy.Evaluate(in).Result != policy.Allowed {
			b.Fatal("not allowed")
		}
	}
}

func BenchmarkCompileManaged6144(b *testing.B) {
	d, err := policy.Parse(managedPolicy(), policy.KindIdentity, policy.Managed())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Compile(d); err != nil {
			b.Fatal(err)
		}
	}
}
