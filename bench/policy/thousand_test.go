package policybench

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"

	"github.com/bulwarkhq/bulwark/policy"
)

// The 1,000-statement case is the scenario of policy/eval_bench_test.go
// (thousandStatements): five identity policies of 200 Allow statements each, over 50
// services, each statement with an exact action (svcS:GetThingN) and a wildcard action
// (svcS:Put*), a resource with ${aws:username}, and a principal-tag condition; the request
// matches statement 997 of the last policy.
//
// Cedar: 1,000 permit policies. The wildcard action is an action group (an action named
// svcS:PutX has parent Action::"svcS:Put*"); thing/N/${aws:username} is "resource in
// ThingDir::\"...thing/N\"" plus "resource.owner == principal.name"; the tag is a principal
// attribute.
//
// Rego: 2,000 rules, two per statement, each checking resource and tag: one with
// input.action == "svcS:getthingn", one with input.service == "svcS" and
// startswith(input.name, "put") for svcS:Put*. Both forms start with an equality on an
// input field, so OPA's rule index selects the few candidate rules instead of evaluating
// all 2,000 (with glob.match("svcS:put*", [], input.action) instead, OPA took ~25x longer
// here: ~650 µs/op). The input therefore carries the action split into service and name.

const thousandN = 1000

func thousandStatement(n int) (action, resource string, team string) {
	return fmt.Sprintf("svc%d:GetThing%d", n%50, n),
		fmt.Sprintf("arn:aws:svc%d:eu-west-1:111122223333:thing/%d/", n%50, n),
		fmt.Sprintf("t%d", n%7)
}

func thousandPolicies(tb testing.TB) []policy.PolicyRef {
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
		refs = append(refs, policy.PolicyRef{ID: fmt.Sprint("p", p), Policy: mustCompile(tb, text)})
	}
	return refs
}

func thousandCedarText() string {
	var sb strings.Builder
	for n := 0; n < thousandN; n++ {
		action, resource, team := thousandStatement(n)
		fmt.Fprintf(&sb, "@id(\"p%d/S%d\")\npermit (principal is User, action in [Action::%q, Action::\"svc%d:Put*\"], resource in ThingDir::%q)\nwhen { resource.owner == principal.name && principal.team == %q };\n",
			n/200, n, action, n%50, strings.TrimSuffix(resource, "/"), team)
	}
	return sb.String()
}

func thousandRegoText() string {
	var sb strings.Builder
	sb.WriteString("package thousand\n\ndefault allow := false\n\n")
	for n := 0; n < thousandN; n++ {
		action, resource, team := thousandStatement(n)
		body := fmt.Sprintf("\tinput.resource == concat(\"\", [%q, input.context[\"aws:username\"]])\n\tinput.context[\"aws:principaltag/team\"] == %q\n", resource, team)
		fmt.Fprintf(&sb, "# S%d\nallow if {\n\tinput.action == %q\n%s}\n\n", n, strings.ToLower(action), body)
		fmt.Fprintf(&sb, "allow if {\n\tinput.service == \"svc%d\"\n\tstartswith(input.name, \"put\")\n%s}\n\n", n%50, body)
	}
	return sb.String()
}

type thousandReq struct {
	name     string
	allowed  bool
	action   string
	resource string
	username string
	team     string
}

func thousandRequests() []thousandReq {
	base := thousandReq{
		name: "allowed", allowed: true, action: "svc47:GetThing997",
		resource: "arn:aws:svc47:eu-west-1:111122223333:thing/997/alice",
		username: "alice", team: fmt.Sprint("t", 997%7),
	}
	with := func(name string, allowed bool, f func(*thousandReq)) thousandReq {
		r := base
		r.name, r.allowed = name, allowed
		f(&r)
		return r
	}
	return []thousandReq{
		base,
		with("denied-other-action", false, func(r *thousandReq) { r.action = "svc47:GetThing996" }),
		with("denied-other-team", false, func(r *thousandReq) { r.team = "t4" }),
		with("denied-other-user", false, func(r *thousandReq) { r.resource = "arn:aws:svc47:eu-west-1:111122223333:thing/997/bob" }),
		with("allowed-put-wildcard", true, func(r *thousandReq) { r.action = "svc47:PutWidget" }),
		with("denied-put-other-service", false, func(r *thousandReq) { r.action = "svc46:PutWidget" }),
		with("allowed-first-statement", true, func(r *thousandReq) {
			r.action, r.resource, r.team = "svc0:GetThing0", "arn:aws:svc0:eu-west-1:111122223333:thing/0/alice", "t0"
		}),
	}
}

func thousandBulwark(tb testing.TB, r thousandReq, refs []policy.PolicyRef) bulwarkCase {
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/" + r.username},
		Action:    r.action,
		Resource:  r.resource,
	}
	req.Context.Add("aws:username", r.username)
	req.Context.Add("aws:PrincipalTag/team", r.team)
	return bulwarkCase{&policy.Input{Request: req, Identity: refs}}
}

func thousandCedarCase(tb testing.TB, r thousandReq, ps *cedar.PolicySet) cedarCase {
	ents := cedar.EntityMap{}
	add := func(e cedar.Entity) { ents[e.UID] = e }
	user := uid("User", r.username)
	add(cedar.Entity{UID: user, Attributes: cedar.NewRecord(cedar.RecordMap{
		"name": cedar.String(r.username),
		"team": cedar.String(r.team),
	})})
	svc, name, _ := strings.Cut(r.action, ":")
	act := uid("Action", r.action)
	var parents cedar.EntityUIDSet
	if strings.HasPrefix(name, "Put") {
		parents = cedar.NewEntityUIDSet(uid("Action", svc+":Put*"))
	}
	add(cedar.Entity{UID: act, Parents: parents})
	i := strings.LastIndexByte(r.resource, '/')
	dir, owner := r.resource[:i], r.resource[i+1:]
	res := uid("Thing", r.resource)
	add(cedar.Entity{UID: uid("ThingDir", dir)})
	add(cedar.Entity{UID: res, Parents: cedar.NewEntityUIDSet(uid("ThingDir", dir)),
		Attributes: cedar.NewRecord(cedar.RecordMap{"owner": cedar.String(owner)})})
	return cedarCase{ps: ps, entities: ents,
		req: cedar.Request{Principal: user, Action: act, Resource: res, Context: cedar.NewRecord(nil)}}
}

func thousandOPA(tb testing.TB, r thousandReq, pq opaCase) opaCase {
	action := strings.ToLower(r.action)
	service, name, _ := strings.Cut(action, ":")
	pq.input = mustValue(tb, map[string]any{
		"action":   action,
		"service":  service,
		"name":     name,
		"resource": r.resource,
		"context": lowerKeys(map[string]any{
			"aws:username":          r.username,
			"aws:PrincipalTag/team": r.team,
		}),
	})
	return pq
}

type thousandSet struct {
	refs []policy.PolicyRef
	ps   *cedar.PolicySet
	opa  opaCase
}

func newThousandSet(tb testing.TB) thousandSet {
	tb.Helper()
	return thousandSet{
		refs: thousandPolicies(tb),
		ps:   mustCedar(tb, "thousand.cedar", thousandCedarText()),
		opa:  opaCase{pq: mustRego(tb, "data.thousand.allow", "thousand.rego", thousandRegoText())},
	}
}

// checkThousand asserts that the three engines agree with the expected decision for every
// request of the 1,000-statement case (the allowed one and its denied variants).
func checkThousand(tb testing.TB, s thousandSet) {
	tb.Helper()
	if n := len(s.ps.Map()); n != thousandN {
		tb.Fatalf("cedar policies: %d", n)
	}
	for _, r := range thousandRequests() {
		b := thousandBulwark(tb, r, s.refs).allowed()
		c := thousandCedarCase(tb, r, s.ps).allowed()
		o := thousandOPA(tb, r, s.opa).allowed()
		if b != r.allowed || c != r.allowed || o != r.allowed {
			tb.Fatalf("%s: want allowed=%v; bulwark=%v cedar=%v opa=%v", r.name, r.allowed, b, c, o)
		}
	}
}

func TestEquivalenceThousand(t *testing.T) { checkThousand(t, newThousandSet(t)) }

func Benchmark1000Statements(b *testing.B) {
	s := newThousandSet(b)
	checkThousand(b, s)
	r := thousandRequests()[0]
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
	b.Run("engine=bulwark", func(b *testing.B) { run(b, thousandBulwark(b, r, s.refs).allowed) })
	b.Run("engine=cedar-go", func(b *testing.B) { run(b, thousandCedarCase(b, r, s.ps).allowed) })
	b.Run("engine=opa", func(b *testing.B) { run(b, thousandOPA(b, r, s.opa).allowed) })
}
