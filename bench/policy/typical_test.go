package policybench

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/bulwarkhq/bulwark/policy"
)

// The typical case is the scenario of policy/eval_bench_test.go (typicalInput): user alice
// with three identity policies, conditions with variables (${aws:username} in a resource
// and a condition value), a principal tag, an IP range, a Boolean, a date, and two Deny
// statements with conditions.

const typicalP1 = `{"Version": "2012-10-17", "Statement": [{
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
}]}`

const typicalP2 = `{"Version": "2012-10-17", "Statement": [{
	"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
	"Resource": "arn:aws:dynamodb:*:111122223333:table/orders",
	"Condition": {"StringEquals": {"aws:PrincipalTag/Team": "analytics"}}
}]}`

const typicalP3 = `{"Version": "2012-10-17", "Statement": [{
	"Sid": "Regions", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
	"Condition": {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}
}, {
	"Sid": "NoMFA", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*",
	"Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
}]}`

// The same three policies in Cedar. Modelling choices (the usual Cedar idioms):
//   - ${aws:username}/* under a bucket becomes an entity hierarchy: an S3 object is in its
//     folders, which are in the bucket, and the user has a "home" folder attribute;
//   - actions are entities whose parent is the service wildcard ("s3:*"), so NotAction
//     iam:*, sts:* is "!(action in [...])";
//   - the principal tag is a principal attribute; the other condition keys are context;
//   - IpAddress uses the ip extension, DateLessThan the datetime extension;
//   - StringNotEquals and BoolIfExists treat a missing key as a match, hence "has".
const typicalCedar = `
@id("p1/OwnPrefix")
permit (principal is User, action in [Action::"s3:GetObject", Action::"s3:PutObject"], resource is S3Object)
when {
  resource in principal.home &&
  (context.sourceIp.isInRange(ip("10.0.0.0/8")) || context.sourceIp.isInRange(ip("2001:db8::/32"))) &&
  context.secureTransport == true &&
  context.currentTime < datetime("2030-01-01T00:00:00Z")
};

@id("p1/List")
permit (principal is User, action == Action::"s3:ListBucket", resource == Bucket::"reports")
when { context has s3prefix && context.s3prefix like "*/*" && context.s3prefixOwner == principal.name };

@id("p2")
permit (principal is User, action in [Action::"dynamodb:GetItem", Action::"dynamodb:Query"], resource is Table)
when { resource.account == "111122223333" && resource.name == "orders" && principal.tags.team == "analytics" };

@id("p3/Regions")
forbid (principal, action, resource)
when {
  !(action in [Action::"iam:*", Action::"sts:*"]) &&
  !(context has requestedRegion && ["eu-west-1", "us-east-1"].contains(context.requestedRegion))
};

@id("p3/NoMFA")
forbid (principal, action == Action::"s3:DeleteObject", resource)
when { !(context has mfaPresent) || context.mfaPresent == false };
`

// The same three policies in Rego (v1 syntax). Input: action lower-cased (IAM actions are
// case-insensitive), the resource ARN, the context with lower-cased keys, and the request
// time in nanoseconds (2030-01-01T00:00:00Z is 1893456000000000000).
const typicalRego = `package typical

default allow := false

allow if {
	permit
	not deny
}

# p1 OwnPrefix
permit if {
	input.action in {"s3:getobject", "s3:putobject"}
	startswith(input.resource, concat("", ["arn:aws:s3:::reports/", input.context["aws:username"], "/"]))
	some cidr in ["10.0.0.0/8", "2001:db8::/32"]
	net.cidr_contains(cidr, input.context["aws:sourceip"])
	input.context["aws:securetransport"] == true
	input.time_ns < 1893456000000000000
}

# p1 List
permit if {
	input.action == "s3:listbucket"
	input.resource == "arn:aws:s3:::reports"
	glob.match(concat("", [input.context["aws:username"], "/*"]), [], input.context["s3:prefix"])
}

# p2
permit if {
	input.action in {"dynamodb:getitem", "dynamodb:query"}
	glob.match("arn:aws:dynamodb:*:111122223333:table/orders", [], input.resource)
	input.context["aws:principaltag/team"] == "analytics"
}

# p3 Regions
deny if {
	not startswith(input.action, "iam:")
	not startswith(input.action, "sts:")
	not input.context["aws:requestedregion"] in {"eu-west-1", "us-east-1"}
}

# p3 NoMFA
deny if {
	input.action == "s3:deleteobject"
	not input.context["aws:multifactorauthpresent"] == true
}
`

// typicalReq is one logical request of the typical case, from which each engine's input is
// built.
type typicalReq struct {
	name     string
	allowed  bool
	action   string // service:Name
	resource string // ARN
	sourceIP string
	secure   bool
	region   string
	mfa      *bool
}

func typicalRequests() []typicalReq {
	base := typicalReq{
		name: "allowed", allowed: true, action: "s3:GetObject",
		resource: "arn:aws:s3:::reports/alice/2026/q3.csv",
		sourceIP: "10.1.2.3", secure: true, region: "eu-west-1",
	}
	with := func(name string, allowed bool, f func(*typicalReq)) typicalReq {
		r := base
		r.name, r.allowed = name, allowed
		f(&r)
		return r
	}
	yes, no := true, false
	return []typicalReq{
		base,
		with("denied-other-user-prefix", false, func(r *typicalReq) { r.resource = "arn:aws:s3:::reports/bob/2026/q3.csv" }),
		with("denied-source-ip", false, func(r *typicalReq) { r.sourceIP = "192.0.2.10" }),
		with("allowed-ipv6", true, func(r *typicalReq) { r.sourceIP = "2001:db8::7" }),
		with("denied-no-tls", false, func(r *typicalReq) { r.secure = false }),
		with("denied-region-explicit", false, func(r *typicalReq) { r.region = "us-west-2" }),
		with("denied-delete-no-mfa", false, func(r *typicalReq) { r.action = "s3:DeleteObject" }),
		with("denied-delete-with-mfa-no-allow", false, func(r *typicalReq) { r.action = "s3:DeleteObject"; r.mfa = &yes }),
		with("allowed-dynamodb", true, func(r *typicalReq) {
			r.action, r.resource = "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"
		}),
		with("denied-dynamodb-table", false, func(r *typicalReq) {
			r.action, r.resource = "dynamodb:GetItem", "arn:aws:dynamodb:eu-west-1:111122223333:table/users"
		}),
		with("allowed-put-mfa-false", true, func(r *typicalReq) { r.action = "s3:PutObject"; r.mfa = &no }),
	}
}

var typicalTime = time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC)

func typicalBulwark(tb testing.TB, r typicalReq) bulwarkCase {
	tb.Helper()
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice", ID: "AIDAEXAMPLE1234567"},
		Action:    r.action,
		Resource:  r.resource,
		Time:      typicalTime,
	}
	ctx := &req.Context
	ctx.Add("aws:username", "alice")
	ctx.Add("aws:userid", "AIDAEXAMPLE1234567")
	ctx.Add("aws:PrincipalTag/team", "analytics")
	ctx.AddIP("aws:SourceIp", netip.MustParseAddr(r.sourceIP))
	ctx.AddBool("aws:SecureTransport", r.secure)
	ctx.Add("aws:RequestedRegion", r.region)
	ctx.Add("aws:PrincipalAccount", "111122223333")
	if r.mfa != nil {
		ctx.AddBool("aws:MultiFactorAuthPresent", *r.mfa)
	}
	return bulwarkCase{&policy.Input{
		Request: req,
		Identity: []policy.PolicyRef{
			{ID: "p1", Policy: mustCompile(tb, typicalP1)},
			{ID: "p2", Policy: mustCompile(tb, typicalP2)},
			{ID: "p3", Policy: mustCompile(tb, typicalP3)},
		},
	}}
}

func typicalCedarCase(tb testing.TB, r typicalReq) cedarCase {
	tb.Helper()
	ents := cedar.EntityMap{}
	add := func(e cedar.Entity) { ents[e.UID] = e }
	alice := uid("User", "alice")
	add(cedar.Entity{UID: alice, Attributes: cedar.NewRecord(cedar.RecordMap{
		"name":    cedar.String("alice"),
		"account": cedar.String("111122223333"),
		"home":    uid("Folder", "reports/alice/"),
		"tags":    cedar.NewRecord(cedar.RecordMap{"team": cedar.String("analytics")}),
	})})
	// Action entities, each in its service wildcard group.
	svc, _, _ := strings.Cut(r.action, ":")
	act := uid("Action", r.action)
	add(cedar.Entity{UID: act, Parents: cedar.NewEntityUIDSet(uid("Action", svc+":*"))})

	var res cedar.EntityUID
	switch {
	case strings.HasPrefix(r.resource, "arn:aws:s3:::"):
		path := strings.TrimPrefix(r.resource, "arn:aws:s3:::")
		bucket, key, _ := strings.Cut(path, "/")
		res = uid("S3Object", path)
		// The object is in every folder above it, up to the bucket.
		parent := uid("Bucket", bucket)
		add(cedar.Entity{UID: parent})
		parts := strings.Split(key, "/")
		prefix := bucket + "/"
		for _, p := range parts[:len(parts)-1] {
			prefix += p + "/"
			f := uid("Folder", prefix)
			add(cedar.Entity{UID: f, Parents: cedar.NewEntityUIDSet(parent)})
			parent = f
		}
		add(cedar.Entity{UID: res, Parents: cedar.NewEntityUIDSet(parent)})
	case strings.HasPrefix(r.resource, "arn:aws:dynamodb:"):
		f := strings.SplitN(r.resource, ":", 6)
		res = uid("Table", r.resource)
		add(cedar.Entity{UID: res, Attributes: cedar.NewRecord(cedar.RecordMap{
			"region":  cedar.String(f[3]),
			"account": cedar.String(f[4]),
			"name":    cedar.String(strings.TrimPrefix(f[5], "table/")),
		})})
	default:
		tb.Fatalf("no Cedar model for %s", r.resource)
	}
	ip, err := types.ParseIPAddr(r.sourceIP)
	if err != nil {
		tb.Fatal(err)
	}
	cm := cedar.RecordMap{
		"username":        cedar.String("alice"),
		"sourceIp":        ip,
		"secureTransport": cedar.Boolean(r.secure),
		"requestedRegion": cedar.String(r.region),
		"currentTime":     types.NewDatetime(typicalTime),
	}
	if r.mfa != nil {
		cm["mfaPresent"] = cedar.Boolean(*r.mfa)
	}
	return cedarCase{
		ps:       mustCedar(tb, "typical.cedar", typicalCedar),
		entities: ents,
		req:      cedar.Request{Principal: alice, Action: act, Resource: res, Context: cedar.NewRecord(cm)},
	}
}

func typicalOPA(tb testing.TB, r typicalReq) opaCase {
	tb.Helper()
	ctx := map[string]any{
		"aws:username":          "alice",
		"aws:userid":            "AIDAEXAMPLE1234567",
		"aws:PrincipalTag/team": "analytics",
		"aws:SourceIp":          r.sourceIP,
		"aws:SecureTransport":   r.secure,
		"aws:RequestedRegion":   r.region,
		"aws:PrincipalAccount":  "111122223333",
	}
	if r.mfa != nil {
		ctx["aws:MultiFactorAuthPresent"] = *r.mfa
	}
	return opaCase{
		pq: mustRego(tb, "data.typical.allow", "typical.rego", typicalRego),
		input: mustValue(tb, map[string]any{
			"action":   strings.ToLower(r.action),
			"resource": r.resource,
			"context":  lowerKeys(ctx),
			"time_ns":  typicalTime.UnixNano(),
		}),
	}
}

// checkTypical asserts that the three engines agree with the expected decision for every
// request of the typical case (the allowed one and its denied variants).
func checkTypical(tb testing.TB) {
	tb.Helper()
	for _, r := range typicalRequests() {
		b, c, o := typicalBulwark(tb, r).allowed(), typicalCedarCase(tb, r).allowed(), typicalOPA(tb, r).allowed()
		if b != r.allowed || c != r.allowed || o != r.allowed {
			tb.Fatalf("%s: want allowed=%v; bulwark=%v cedar=%v opa=%v", r.name, r.allowed, b, c, o)
		}
	}
}

func TestEquivalenceTypical(t *testing.T) { checkTypical(t) }

func BenchmarkTypical(b *testing.B) {
	checkTypical(b)
	r := typicalRequests()[0]
	if !r.allowed {
		b.Fatal("first typical request must be the allowed one")
	}
	run := func(b *testing.B, allowed func() bool) {
		if !allowed() {
			b.Fatal("not allowed")
		}
		b.ReportAllocs()
		for b.Loop() {
			if !allowed() {
				b.Fatal("not allowed")
			}
		}
	}
	b.Run("engine=bulwark", func(b *testing.B) { run(b, typicalBulwark(b, r).allowed) })
	b.Run("engine=cedar-go", func(b *testing.B) { run(b, typicalCedarCase(b, r).allowed) })
	b.Run("engine=opa", func(b *testing.B) { run(b, typicalOPA(b, r).allowed) })
}
