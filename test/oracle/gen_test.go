package oracle_test

// The case generator: a seeded, deterministic source of well-formed policies and
// requests that iam-simulate's validated mode accepts (real actions, resource ARNs that
// fit the action's resource types, global condition keys only).

import (
	"encoding/base64"
	"fmt"
	"math/rand"
	"strings"
)

const (
	acctA = "111111111111" // the caller's usual account
	acctB = "222222222222" // the other account (cross-account cases)
)

// stmt is one policy statement; fields are written in this order.
type stmt struct {
	Sid          string         `json:"Sid,omitempty"`
	Effect       string         `json:"Effect"`
	Principal    any            `json:"Principal,omitempty"`
	NotPrincipal any            `json:"NotPrincipal,omitempty"`
	Action       any            `json:"Action,omitempty"`
	NotAction    any            `json:"NotAction,omitempty"`
	Resource     any            `json:"Resource,omitempty"`
	NotResource  any            `json:"NotResource,omitempty"`
	Condition    map[string]any `json:"Condition,omitempty"`
}

type doc struct {
	Version   string `json:"Version"`
	Statement []stmt `json:"Statement"`
}

// actionSpec is one real AWS action with the resources it may name.
type actionSpec struct {
	action  string
	service string
	// resource builds a concrete resource ARN for the owner account.
	resource func(r *rand.Rand, acct string) string
	// patterns are resource patterns (wildcards, variables) that policies may name.
	patterns func(r *rand.Rand, acct string) []string
	// hasResourcePolicy: the resource type can carry a resource-based policy.
	hasResourcePolicy bool
	// kms: the key policy must allow (RequireResourcePolicy).
	kms bool
	// s3: the resource ARN carries no account; the owner account comes from the case.
	s3 bool
}

var services = []string{"sns.amazonaws.com", "lambda.amazonaws.com", "s3.amazonaws.com"}

var buckets = []string{"reports", "logs", "shared-data"}
var keys = []string{"alice/q3.csv", "bob/notes.txt", "red/plan.doc", "public/index.html"}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.Intn(len(xs))] }

func s3Object(r *rand.Rand, _ string) string {
	return "arn:aws:s3:::" + pick(r, buckets) + "/" + pick(r, keys)
}

func s3ObjectPatterns(r *rand.Rand, _ string) []string {
	b := pick(r, buckets)
	return []string{
		"arn:aws:s3:::" + b + "/*",
		"arn:aws:s3:::" + b + "/" + pick(r, keys),
		"arn:aws:s3:::*/*",
		"arn:aws:s3:::" + b[:3] + "*/*",
		"arn:aws:s3:::" + b + "/${aws:username}/*",
		"arn:aws:s3:::" + b + "/${aws:PrincipalTag/team}/*",
		"arn:aws:s3:::" + b + "/${aws:PrincipalTag/team, 'red'}/*",
		"arn:aws:s3:::" + b + "/a?ice/*",
		"*",
	}
}

var menu = []actionSpec{
	{action: "s3:GetObject", service: "s3", resource: s3Object, patterns: s3ObjectPatterns, hasResourcePolicy: true, s3: true},
	{action: "s3:PutObject", service: "s3", resource: s3Object, patterns: s3ObjectPatterns, hasResourcePolicy: true, s3: true},
	{action: "s3:DeleteObject", service: "s3", resource: s3Object, patterns: s3ObjectPatterns, hasResourcePolicy: true, s3: true},
	{action: "s3:ListBucket", service: "s3", hasResourcePolicy: true, s3: true,
		resource: func(r *rand.Rand, _ string) string { return "arn:aws:s3:::" + pick(r, buckets) },
		patterns: func(r *rand.Rand, _ string) []string {
			return []string{"arn:aws:s3:::" + pick(r, buckets), "arn:aws:s3:::*", "arn:aws:s3:::rep*", "*"}
		}},
	{action: "iam:GetUser", service: "iam",
		resource: func(r *rand.Rand, acct string) string {
			return "arn:aws:iam::" + acct + ":user/" + pick(r, []string{"alice", "bob", "carol"})
		},
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:iam::" + acct + ":user/${aws:username}", "arn:aws:iam::" + acct + ":user/*",
				"arn:aws:iam::*:user/alice", "arn:aws:iam::" + acct + ":user/b*", "*"}
		}},
	{action: "sqs:SendMessage", service: "sqs", hasResourcePolicy: true,
		resource: func(r *rand.Rand, acct string) string {
			return "arn:aws:sqs:us-east-1:" + acct + ":" + pick(r, []string{"orders", "events"})
		},
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:sqs:us-east-1:" + acct + ":orders", "arn:aws:sqs:*:" + acct + ":*",
				"arn:aws:sqs:us-east-1:*:ev*", "arn:aws:sqs:us-west-2:" + acct + ":orders", "*"}
		}},
	{action: "sqs:ReceiveMessage", service: "sqs", hasResourcePolicy: true,
		resource: func(r *rand.Rand, acct string) string { return "arn:aws:sqs:us-east-1:" + acct + ":orders" },
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:sqs:us-east-1:" + acct + ":orders", "arn:aws:sqs:*:*:*", "*"}
		}},
	{action: "kms:Decrypt", service: "kms", hasResourcePolicy: true, kms: true,
		resource: func(r *rand.Rand, acct string) string {
			return "arn:aws:kms:us-east-1:" + acct + ":key/" + pick(r, []string{"1234abcd-12ab-34cd-56ef-1234567890ab", "0987dcba-09fe-87dc-65ba-ab0987654321"})
		},
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:kms:us-east-1:" + acct + ":key/*", "arn:aws:kms:*:" + acct + ":key/1234*", "*"}
		}},
	{action: "dynamodb:GetItem", service: "dynamodb", hasResourcePolicy: true,
		resource: func(r *rand.Rand, acct string) string {
			return "arn:aws:dynamodb:us-east-1:" + acct + ":table/" + pick(r, []string{"Users", "Orders"})
		},
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:dynamodb:us-east-1:" + acct + ":table/Users", "arn:aws:dynamodb:us-east-1:" + acct + ":table/*",
				"arn:aws:dynamodb:*:*:table/Ord*", "*"}
		}},
	{action: "sns:Publish", service: "sns", hasResourcePolicy: true,
		resource: func(r *rand.Rand, acct string) string { return "arn:aws:sns:us-east-1:" + acct + ":alerts" },
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:sns:us-east-1:" + acct + ":alerts", "arn:aws:sns:us-east-1:" + acct + ":*", "*"}
		}},
	{action: "lambda:InvokeFunction", service: "lambda", hasResourcePolicy: true,
		resource: func(r *rand.Rand, acct string) string { return "arn:aws:lambda:us-east-1:" + acct + ":function:resize" },
		patterns: func(r *rand.Rand, acct string) []string {
			return []string{"arn:aws:lambda:us-east-1:" + acct + ":function:resize", "arn:aws:lambda:us-east-1:" + acct + ":function:*", "*"}
		}},
}

// actionPatterns are Action values a statement may name for the request's action.
func actionPatterns(r *rand.Rand, a actionSpec) []string {
	svc, name := a.service, strings.SplitN(a.action, ":", 2)[1]
	other := pick(r, menu).action
	return []string{
		a.action, a.action, svc + ":*", "*", svc + ":" + name[:3] + "*",
		strings.ToLower(a.action), svc + ":" + strings.ToUpper(name[:1]) + "?" + name[2:],
		other, "s3:Get*", "sqs:*",
	}
}

// The request context: key → value (string) or values ([]string, for ArrayOf... keys).
type caseCtx map[string]any

// binVal is the value of a binary condition key: the raw bytes. Bulwark's Context holds
// the bytes (policy values are base64, decoded when compiled); iam-simulate, which has
// no binary values and compares BinaryEquals values as text, is given the standard
// base64 encoding of the bytes. Both then compare the same bytes: a policy value is
// always written in canonical (padded, standard alphabet) base64.
type binVal string

// binaryKey stands in for a binary condition key. AWS has no global condition key of
// type Binary, and neither engine checks a key's type against the operator; a request
// tag is a key that iam-simulate accepts for every action in Strict mode.
const binaryKey = "aws:RequestTag/blob"

var binaries = []string{"BinaryValueInBase64", "\x00\x01\x02\xff", "ab", "a", "\xfe\xed\xfa\xce"}

var arrayKeys = map[string]bool{"aws:tagkeys": true, "aws:principalorgpaths": true, "aws:calledvia": true}

var (
	ips      = []string{"10.0.0.5", "10.20.30.40", "192.168.1.10", "203.0.113.7", "2001:db8::1", "2001:db9::5"}
	teams    = []string{"red", "blue", "Red", "green"}
	envs     = []string{"prod", "dev", "Prod"}
	times    = []string{"2025-06-01T00:00:00Z", "2026-03-15T12:00:00Z", "2026-11-28T08:00:00Z", "2027-01-01T00:00:00Z"}
	tagKeys  = []string{"env", "team", "cost", "Owner"}
	orgPaths = []string{"o-abc/r-root/ou-dev/", "o-abc/r-root/ou-prod/", "o-xyz/r-root/"}
)

// principalSpec is the caller.
type principalSpec struct {
	kind    string // "user" | "session" | "federated" | "anonymous" | "service"
	account string // "" for an anonymous or service caller
	// name is the user name, the role name, the service principal name, or for a
	// federated session (GetFederationToken) the name of both the IAM user who called
	// it and the session: iam-simulate derives the user from the session's name.
	name    string
	session string
}

func (p principalSpec) arn() string {
	switch p.kind {
	case "user":
		return "arn:aws:iam::" + p.account + ":user/" + p.name
	case "federated":
		return "arn:aws:sts::" + p.account + ":federated-user/" + p.name
	case "anonymous", "service":
		return ""
	}
	return "arn:aws:sts::" + p.account + ":assumed-role/" + p.name + "/" + p.session
}

func (p principalSpec) roleARN() string { return "arn:aws:iam::" + p.account + ":role/" + p.name }

// userARN is the IAM user behind a federated session.
func (p principalSpec) userARN() string { return "arn:aws:iam::" + p.account + ":user/" + p.name }

// iamPrincipal: the caller is an IAM principal of an account (it has identity-based
// policies, SCPs apply to it), not an anonymous caller or a service.
func (p principalSpec) iamPrincipal() bool { return p.kind != "anonymous" && p.kind != "service" }

// oracleCase is one generated case.
type oracleCase struct {
	ID        int
	Principal principalSpec
	Action    actionSpec
	Resource  string
	ResAcct   string
	Ctx       caseCtx
	Identity  []doc
	ResPolicy *doc
	Boundary  *doc
	// Session is the session policy of a role session (AssumeRole) or a federated
	// user session (GetFederationToken).
	Session *doc
	// SessionAsBoundary: iam-simulate is given Session as the permissions boundary
	// instead of as its sessionPolicy (the translation in known_divergences.md,
	// "Session policies"); set when the case has no boundary and no Deny with
	// NotPrincipal in the resource policy.
	SessionAsBoundary bool
	SCPs              [][]doc
	RCPs              [][]doc
	Tags              []string // features used, for triage
	// sessionAlone is iam-simulate's answer on sessionAloneCase(c), the question whether
	// the session policy alone allows the request ("" when it was not asked). The rule
	// iam-simulate/session-policy-limits-session-arn-grant reads it (divergences_test.go).
	sessionAlone string
}

type gen struct {
	r    *rand.Rand
	c    *oracleCase
	tags map[string]bool
}

func (g *gen) tag(t string) { g.tags[t] = true }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func generate(r *rand.Rand, id int) *oracleCase {
	g := &gen{r: r, tags: map[string]bool{}}
	c := &oracleCase{ID: id}
	g.c = c
	// Principal.
	p := principalSpec{account: acctA}
	if g.chance(0.15) {
		p.account = acctB
	}
	switch x := r.Float64(); {
	case x < 0.04:
		// An unauthenticated request: only a resource-based policy can allow it.
		p = principalSpec{kind: "anonymous"}
		g.tag("anonymous")
	case x < 0.07:
		// An AWS service principal: only a resource-based policy can allow it.
		p = principalSpec{kind: "service", name: pick(r, services)}
		g.tag("service-principal")
	case x < 0.14:
		// A federated user session (GetFederationToken).
		p.kind, p.name = "federated", pick(r, []string{"alice", "bob"})
		g.tag("federated-session")
	case x < 0.6:
		p.kind, p.name = "user", pick(r, []string{"alice", "bob", "carol"})
	default:
		p.kind, p.name, p.session = "session", pick(r, []string{"dev", "ops"}), pick(r, []string{"s1", "alice"})
		g.tag("role-session")
	}
	c.Principal = p
	c.Action = pick(r, menu)
	for !p.iamPrincipal() && !c.Action.hasResourcePolicy {
		c.Action = pick(r, menu)
	}
	c.ResAcct = p.account
	if !p.iamPrincipal() {
		c.ResAcct = pick(r, []string{acctA, acctB})
	} else if g.chance(0.25) {
		if c.ResAcct == acctA {
			c.ResAcct = acctB
		} else {
			c.ResAcct = acctA
		}
		g.tag("cross-account")
	}
	c.Resource = c.Action.resource(r, c.ResAcct)
	c.Ctx = g.context()

	// Identity policies.
	for i, n := 0, 1+r.Intn(2); i < n; i++ {
		c.Identity = append(c.Identity, g.policy("identity", 1+r.Intn(3)))
	}
	if g.chance(0.1) {
		c.Identity = nil
		g.tag("no-identity")
	}
	noPrincipalPolicies := !p.iamPrincipal() // anonymous or a service
	if noPrincipalPolicies {
		// iam-simulate rejects principal-side policies for an anonymous request, and AWS
		// has none to apply to either caller.
		c.Identity = nil
	}
	if c.Action.hasResourcePolicy && (g.chance(0.5) || c.Action.kms || (noPrincipalPolicies && g.chance(0.8))) {
		d := g.policy("resource", 1+r.Intn(3))
		if c.Action.kms && g.chance(0.7) {
			// The usual key policy: the owner account delegates to IAM.
			d.Statement = append([]stmt{{Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::" + c.ResAcct + ":root"},
				Action: "kms:*", Resource: "*"}}, d.Statement...)
			g.tag("kms-delegation")
		}
		c.ResPolicy = &d
		g.tag("resource-policy")
	}
	if !noPrincipalPolicies && g.chance(0.25) {
		d := g.policy("boundary", 1+r.Intn(2))
		c.Boundary = &d
		g.tag("boundary")
	}
	if (p.kind == "session" && g.chance(0.4)) || (p.kind == "federated" && g.chance(0.85)) {
		d := g.policy("session", 1+r.Intn(2))
		c.Session = &d
		g.tag("session-policy")
		// The translation (known_divergences.md, "Session policies"): with no boundary,
		// iam-simulate gets the session policy as the boundary, whose rules for a
		// role or federated session are the documented session-policy rules. Not when the resource
		// policy has a Deny with NotPrincipal, which a boundary (and not a session
		// policy) makes apply to every principal.
		if c.Boundary == nil && !hasDenyNotPrincipal(c.ResPolicy) {
			c.SessionAsBoundary = true
			g.tag("session-as-boundary")
		} else {
			g.tag("session-native")
		}
	}
	if !noPrincipalPolicies && g.chance(0.4) {
		levels := 1 + r.Intn(3)
		for i := 0; i < levels; i++ {
			c.SCPs = append(c.SCPs, g.orgLevel("scp"))
		}
		g.tag(fmt.Sprintf("scp-%d-levels", levels))
	}
	if g.chance(0.25) {
		levels := 1 + r.Intn(3)
		for i := 0; i < levels; i++ {
			c.RCPs = append(c.RCPs, g.orgLevel("rcp"))
		}
		g.tag(fmt.Sprintf("rcp-%d-levels", levels))
	}
	for t := range g.tags {
		c.Tags = append(c.Tags, t)
	}
	sortStrings(c.Tags)
	return c
}

// hasDenyNotPrincipal reports whether d has a Deny statement with NotPrincipal.
func hasDenyNotPrincipal(d *doc) bool {
	if d == nil {
		return false
	}
	for _, s := range d.Statement {
		if s.Effect == "Deny" && s.NotPrincipal != nil {
			return true
		}
	}
	return false
}

func (g *gen) context() caseCtx {
	r, p := g.r, g.c.Principal
	ctx := caseCtx{}
	if !p.iamPrincipal() {
		// No principal keys: aws:PrincipalArn, aws:PrincipalAccount, aws:userid,
		// aws:PrincipalType, principal tags and org keys come from an IAM principal.
		g.requestKeys(ctx)
		return ctx
	}
	ctx["aws:PrincipalArn"] = p.arn()
	if p.kind == "session" {
		ctx["aws:PrincipalArn"] = p.roleARN()
	}
	ctx["aws:PrincipalAccount"] = p.account
	if p.kind == "user" && g.chance(0.9) {
		ctx["aws:username"] = p.name
	}
	if g.chance(0.5) {
		switch p.kind {
		case "user":
			ctx["aws:PrincipalType"], ctx["aws:userid"] = "User", "AIDA"+strings.ToUpper(p.name)+"EXAMPLE"
		case "federated":
			// IAM User Guide, aws:userid: "account:caller-specified-name" for a federated user.
			ctx["aws:PrincipalType"], ctx["aws:userid"] = "FederatedUser", p.account+":"+p.name
		default:
			ctx["aws:PrincipalType"], ctx["aws:userid"] = "AssumedRole", "AROA"+strings.ToUpper(p.name)+"EXAMPLE:"+p.session
		}
	}
	if g.chance(0.7) {
		ctx["aws:PrincipalTag/team"] = pick(r, teams)
	}
	g.requestKeys(ctx)
	if g.chance(0.5) {
		ctx["aws:MultiFactorAuthAge"] = pick(r, []string{"30", "3600", "86400", "7200.5"})
	}
	if g.chance(0.4) {
		ctx["aws:PrincipalOrgPaths"] = []string{pick(r, orgPaths)}
	}
	return ctx
}

// requestKeys adds the keys that do not depend on the principal.
func (g *gen) requestKeys(ctx caseCtx) {
	r := g.r
	if g.chance(0.8) {
		ctx["aws:SourceIp"] = pick(r, ips)
	}
	if g.chance(0.8) {
		ctx["aws:CurrentTime"] = pick(r, times)
	}
	if g.chance(0.8) {
		ctx["aws:SecureTransport"] = pick(r, []string{"true", "false"})
	}
	if g.chance(0.5) {
		ctx["aws:RequestTag/env"] = pick(r, envs)
	}
	if g.chance(0.3) {
		ctx["aws:RequestTag/owner"] = pick(r, []string{"alice", "bob", "dev"})
	}
	if g.chance(0.6) {
		n := r.Intn(4)
		ks := []string{}
		for _, i := range r.Perm(len(tagKeys))[:n] {
			ks = append(ks, tagKeys[i])
		}
		ctx["aws:TagKeys"] = ks
	}
	if g.chance(0.4) {
		ctx["aws:SourceArn"] = pick(r, []string{"arn:aws:sns:us-east-1:" + acctA + ":alerts", "arn:aws:s3:::reports", "arn:aws:lambda:us-west-2:" + acctB + ":function:resize"})
	}
	if g.chance(0.5) {
		ctx[binaryKey] = binVal(pick(r, binaries))
	}
}

// orgLevel builds one SCP or RCP level.
func (g *gen) orgLevel(kind string) []doc {
	r := g.r
	var ds []doc
	if kind == "scp" {
		switch x := r.Float64(); {
		case x < 0.7:
			ds = append(ds, doc{Version: "2012-10-17", Statement: []stmt{{Effect: "Allow", Action: "*", Resource: "*"}}})
		case x < 0.85:
			g.tag("scp-restricted-allow")
			ds = append(ds, doc{Version: "2012-10-17", Statement: []stmt{{Effect: "Allow",
				Action: []string{pick(r, []string{"s3:*", "sqs:*", "kms:*", "iam:Get*", "dynamodb:*"}), pick(r, []string{"sns:*", "lambda:*", "s3:Get*"})}, Resource: "*"}}})
		default:
			g.tag("scp-no-allow")
		}
		if g.chance(0.5) {
			ds = append(ds, g.policy("scp", 1+r.Intn(2)))
		}
		return ds
	}
	if g.chance(0.7) {
		ds = append(ds, g.policy("rcp", 1+r.Intn(2)))
	}
	return ds
}

// policy builds a policy document of a kind: identity, boundary, resource, scp, rcp.
func (g *gen) policy(kind string, n int) doc {
	d := doc{Version: "2012-10-17"}
	if (kind == "identity" || kind == "resource") && g.chance(0.1) {
		// Under 2008-10-17 policy variables are literal text.
		d.Version = "2008-10-17"
		g.tag("version-2008")
	}
	for i := 0; i < n; i++ {
		d.Statement = append(d.Statement, g.statement(kind))
	}
	return d
}

func (g *gen) statement(kind string) stmt {
	r, c := g.r, g.c
	s := stmt{Effect: "Allow"}
	denyP := 0.2
	if kind == "scp" {
		denyP = 0.8
	}
	if kind == "rcp" || g.chance(denyP) {
		s.Effect = "Deny"
		g.tag(kind + "-deny")
	}
	// Action.
	acts := actionPatterns(r, c.Action)
	var av any = pick(r, acts)
	if g.chance(0.3) {
		av = []string{pick(r, acts), pick(r, acts)}
	}
	if kind != "rcp" && g.chance(0.1) {
		s.NotAction = av
		g.tag("NotAction")
	} else {
		s.Action = av
	}
	if kind == "rcp" {
		// RCPs may name only services that support them; keep to s3/sqs/kms/sts/secretsmanager.
		s.Action = pick(r, []string{"s3:*", "sqs:*", "kms:*", "s3:GetObject", "sqs:SendMessage"})
	}
	// Resource.
	pats := c.Action.patterns(r, c.ResAcct)
	if g.chance(0.1) {
		pats = pick(r, menu).patterns(r, c.ResAcct)
	}
	if kind == "rcp" || kind == "scp" {
		s.Resource = "*"
	} else if g.chance(0.08) {
		s.NotResource = pick(r, pats)
		g.tag("NotResource")
	} else {
		rv := pick(r, pats)
		if c.Action.kms && kind == "resource" {
			rv = "*"
		}
		s.Resource = rv
	}
	if strings.Contains(fmt.Sprint(s.Resource, s.NotResource), "${") {
		g.tag("resource-variable")
	}
	// Principal.
	if kind == "resource" {
		if s.Effect == "Deny" && g.chance(0.25) {
			// NotPrincipal only with Deny, as AWS recommends.
			s.NotPrincipal = g.principal()
			g.tag("NotPrincipal")
			if s.NotPrincipal == "*" {
				acct := c.Principal.account
				if acct == "" {
					acct = c.ResAcct
				}
				s.NotPrincipal = map[string]any{"AWS": "arn:aws:iam::" + acct + ":root"}
			}
		} else {
			s.Principal = g.principal()
		}
	}
	if kind == "rcp" {
		s.Principal = "*"
	}
	// Condition.
	condP := 0.4
	if kind == "scp" && s.Effect == "Allow" {
		condP = 0.1
	}
	if kind == "rcp" {
		condP = 0.9
	}
	if g.chance(condP) {
		s.Condition = map[string]any{}
		for i, n := 0, 1+r.Intn(2); i < n; i++ {
			op, key, vals := g.condition()
			blk, _ := s.Condition[op].(map[string]any)
			if blk == nil {
				blk = map[string]any{}
				s.Condition[op] = blk
			}
			blk[key] = vals
		}
	}
	return s
}

func (g *gen) principal() any {
	r, c := g.r, g.c
	p := c.Principal
	if p.kind == "service" && g.chance(0.5) {
		g.tag("principal-service")
		other := pick(r, services)
		return pick(r, []any{map[string]any{"Service": p.name}, map[string]any{"Service": other},
			map[string]any{"Service": []string{other, p.name}}})
	}
	if !p.iamPrincipal() {
		if g.chance(0.3) {
			// The forms that name any caller, anonymous or a service.
			g.tag("principal-star")
			return pick(r, []any{"*", map[string]any{"AWS": "*"}})
		}
		// Name identities of the resource's account; none of them is the caller.
		p = principalSpec{kind: "user", account: c.ResAcct, name: "alice"}
	}
	other := acctA
	if p.account == acctA {
		other = acctB
	}
	forms := []func() any{
		func() any {
			g.tag("principal-account-root")
			return map[string]any{"AWS": "arn:aws:iam::" + p.account + ":root"}
		},
		func() any { g.tag("principal-account-id"); return map[string]any{"AWS": p.account} },
		func() any {
			g.tag("principal-user")
			return map[string]any{"AWS": "arn:aws:iam::" + p.account + ":user/" + p.name}
		},
		func() any {
			g.tag("principal-role")
			return map[string]any{"AWS": "arn:aws:iam::" + p.account + ":role/" + p.name}
		},
		func() any {
			g.tag("principal-session")
			if p.kind == "federated" {
				return map[string]any{"AWS": "arn:aws:sts::" + p.account + ":federated-user/" + pick(r, []string{"alice", "bob"})}
			}
			return map[string]any{"AWS": "arn:aws:sts::" + p.account + ":assumed-role/" + p.name + "/" + pick(r, []string{"s1", "alice"})}
		},
		func() any { g.tag("principal-star"); return "*" },
		func() any { g.tag("principal-aws-star"); return map[string]any{"AWS": "*"} },
		func() any {
			// Every identity the request carries, as AWS's NotPrincipal guidance asks.
			g.tag("principal-all-identities")
			if p.kind != "session" {
				return map[string]any{"AWS": []string{p.arn(), "arn:aws:iam::" + p.account + ":root"}}
			}
			return map[string]any{"AWS": []string{p.arn(), p.roleARN(), "arn:aws:iam::" + p.account + ":root"}}
		},
		func() any { g.tag("principal-other"); return map[string]any{"AWS": "arn:aws:iam::" + other + ":root"} },
		func() any {
			g.tag("principal-list")
			return map[string]any{"AWS": []string{"arn:aws:iam::" + other + ":user/alice", "arn:aws:iam::" + p.account + ":user/" + pick(r, []string{"alice", "bob"})}}
		},
	}
	return pick(r, forms)()
}

// condition returns one operator, key and value(s), drawing values that often match.
func (g *gen) condition() (string, string, any) {
	r := g.r
	one := func(xs ...string) any {
		if g.chance(0.3) && len(xs) > 1 {
			return []string{pick(r, xs), pick(r, xs)}
		}
		return pick(r, xs)
	}
	ifx := func(op string) string {
		if g.chance(0.2) {
			g.tag("IfExists")
			return op + "IfExists"
		}
		return op
	}
	var op, key string
	var vals any
	switch r.Intn(14) {
	case 0: // String on a principal tag, sometimes with a variable.
		op = ifx(pick(r, []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}))
		key = pick(r, []string{"aws:PrincipalTag/team", "aws:principaltag/Team", "aws:RequestTag/env"})
		vals = one(append(append([]string{}, teams...), "r*", "*e*", "prod", "dev", "b?ue", "${aws:PrincipalTag/team}")...)
	case 1: // Policy variable in a condition value.
		g.tag("condition-variable")
		op = pick(r, []string{"StringEquals", "StringLike", "StringNotEquals"})
		key = "aws:RequestTag/owner"
		vals = one("${aws:username}", "${aws:PrincipalTag/team}", "${aws:username}*", "alice", "${aws:username, 'dev'}", "${aws:PrincipalTag/team, 'bob'}")
		// Rule avoid/default-value-without-space: a default is always written ", '...'"
		// (comma and space), the only syntax the IAM User Guide documents
		// (known_divergences.md).
	case 2:
		g.tag("Numeric")
		op = ifx(pick(r, []string{"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals"}))
		key = "aws:MultiFactorAuthAge"
		vals = one("30", "3600", "7200.5", "100000")
	case 3:
		g.tag("Date")
		op = ifx(pick(r, []string{"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals"}))
		key = "aws:CurrentTime"
		vals = one(append(append([]string{}, times...), "2026-01-01T00:00:00Z", "2026-06-30", "1767225600", "1780000000")...)
	case 4:
		g.tag("Bool")
		op, key = ifx("Bool"), "aws:SecureTransport"
		vals = one("true", "false")
	case 5:
		g.tag("IpAddress")
		op = ifx(pick(r, []string{"IpAddress", "NotIpAddress"}))
		key = pick(r, []string{"aws:SourceIp", "aws:sourceip"})
		vals = one("10.0.0.0/8", "192.168.1.0/24", "203.0.113.7/32", "2001:db8::/32", "0.0.0.0/0", "10.20.30.40")
	case 6:
		g.tag("Arn")
		op = ifx(pick(r, []string{"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}))
		key = pick(r, []string{"aws:SourceArn", "aws:PrincipalArn"})
		vals = one("arn:aws:sns:us-east-1:"+acctA+":alerts", "arn:aws:s3:::rep*", "arn:aws:lambda:*:*:function:*",
			"arn:aws:iam::"+acctA+":user/*", "arn:aws:iam::*:role/dev", "arn:aws:iam::${aws:PrincipalAccount}:user/*",
			"arn:aws:iam::"+acctA+":user/${aws:username}", "arn:aws:sns:*:*:*")
		// Rule avoid/arn-condition-value-fewer-than-six-segments: no value with fewer than
		// six ARN segments (such as "arn:aws:sns:*"); how AWS matches one is undocumented
		// (known_divergences.md).
	case 7:
		g.tag("Null")
		op = "Null"
		key = pick(r, []string{"aws:PrincipalTag/team", "aws:RequestTag/env", "aws:MultiFactorAuthAge", "aws:TagKeys", "aws:username"})
		vals = pick(r, []string{"true", "false"})
	case 8:
		g.tag("ForAllValues")
		op = "ForAllValues:" + pick(r, []string{"StringEquals", "StringLike", "StringEqualsIgnoreCase", "StringNotEquals"})
		key = "aws:TagKeys"
		vals = one("env", "team", "cost", "owner", "t*")
	case 9:
		g.tag("ForAnyValue")
		op = "ForAnyValue:" + pick(r, []string{"StringEquals", "StringLike", "StringEqualsIgnoreCase", "StringNotEquals", "StringNotLike"})
		key = pick(r, []string{"aws:TagKeys", "aws:PrincipalOrgPaths"})
		vals = one("env", "team", "Owner", "o-abc/r-root/ou-dev/", "o-abc/*")
	case 10: // Set operator on a single-valued key.
		g.tag("set-op-single-valued")
		op = pick(r, []string{"ForAllValues:", "ForAnyValue:"}) + pick(r, []string{"StringEquals", "StringLike"})
		key = pick(r, []string{"aws:PrincipalTag/team", "aws:RequestTag/env"})
		vals = one("red", "prod", "dev", "*")
	case 11:
		g.tag("principal-key")
		op = pick(r, []string{"StringEquals", "StringNotEquals", "StringLike"})
		key = pick(r, []string{"aws:PrincipalAccount", "aws:username", "aws:PrincipalType", "aws:userid"})
		vals = one(acctA, acctB, "alice", "b*", "User", "AssumedRole", "AROA*", "*:s1", "AIDAALICEEXAMPLE")
	case 13:
		g.tag("Binary")
		op = ifx("BinaryEquals")
		key = binaryKey
		enc := make([]string, 0, len(binaries)+1)
		for _, b := range binaries {
			enc = append(enc, base64.StdEncoding.EncodeToString([]byte(b)))
		}
		vals = one(append(enc, "QmluYXJ5")...) // "Binary", which no request carries
	default:
		g.tag("org-paths")
		op = pick(r, []string{"ForAnyValue:StringLike", "ForAllValues:StringLike"})
		key = "aws:PrincipalOrgPaths"
		vals = one("o-abc/r-root/ou-dev/*", "o-abc/*", "o-xyz/r-root/")
	}
	return op, key, vals
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}
