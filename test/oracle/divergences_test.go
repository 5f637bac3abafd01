package oracle_test

// Known divergences between Bulwark and iam-simulate (see known_divergences.md).
//
// Every rule is a defect of iam-simulate. Most (iamSimulateDefects) are emulations: the
// rule rewrites the case so that Bulwark, on the rewritten case, computes what
// iam-simulate's defect computes on the original. A disagreement is attributed to such a
// rule only when the pattern is present AND Bulwark on the rewritten case gives exactly
// iam-simulate's answer. One (oracleSideRules) is corrected on iam-simulate's side
// instead: iam-simulate is also asked about a rewrite of the case that has the same
// documented answer and avoids the defect, and Bulwark must give that answer. Any other
// disagreement fails the test. No case is left out of the comparison.

import (
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

type divergenceRule struct {
	name string
	// rewrite changes c in place to emulate iam-simulate and reports whether the pattern
	// occurred.
	rewrite func(c *oracleCase) bool
}

var iamSimulateDefects = []divergenceRule{
	{"iam-simulate/ipv4-zero-prefix-cidr", rewriteZeroPrefix},
	{"iam-simulate/bare-ipv4-value-vs-ipv6-request", rewriteBareIPv4},
	{"iam-simulate/null-on-empty-multivalued-key", rewriteNullEmpty},
	{"iam-simulate/notresource-unresolved-variable", rewriteNotResourceVar},
	{"iam-simulate/arn-condition-variable-outside-resource-segment", rewriteArnVar},
	{"iam-simulate/version-2008-variables-resolved", rewriteVersion2008},
	{"iam-simulate/epoch-seconds-read-as-milliseconds", rewriteEpoch},
	{"iam-simulate/notprincipal-single-identity", rewriteNotPrincipal},
	{"iam-simulate/federated-session-without-session-policy", rewriteFederatedNoSession},
	// Decided by iam-simulate's answer on sessionAloneCase (c.sessionAlone), not by Bulwark.
	{"iam-simulate/session-policy-limits-session-arn-grant", rewriteSessionPolicyLimitsAll},
}

// iam-simulate gives a federated user session (GetFederationToken) created without a
// session policy the permissions of the IAM user's policies; the AWS STS API Reference
// (GetFederationToken, Policy) says "if you do not pass any session policies, then the
// resulting federated user session has no permissions". Emulated with a session policy
// that allows everything, so that Bulwark too applies only the identity-based policies.
func rewriteFederatedNoSession(c *oracleCase) bool {
	if c.Principal.kind != "federated" || c.Session != nil {
		return false
	}
	c.Session = &doc{Version: "2012-10-17", Statement: []stmt{{Effect: "Allow", Action: "*", Resource: "*"}}}
	return true
}

// iam-simulate's own session-policy input (sessionPolicy) makes every request of the
// session fail when the session policy does not allow it, even when a same-account
// resource-based policy grants the session ARN (or "*") directly, which the IAM User
// Guide says a session policy does not limit. Only cases that also have a boundary (or a
// Deny with NotPrincipal) use that input; the others use the boundary translation.
// Emulated, when the session policy alone does not allow the request, by removing the
// resource policy's Allow statements: nothing can then allow, and every explicit Deny
// still applies, which is what iam-simulate computes.
//
// Whether the session policy alone allows the request is iam-simulate's answer, never
// Bulwark's: TestOracle asks iam-simulate about sessionAloneCase(c) and records the
// answer in c.sessionAlone. So a Bulwark bug in evaluating the session policy cannot make
// the rule apply. When the question was not asked (sessionAlone is ""), the rule does not
// apply: that happens only when the original case gave iam-simulate no sessionPolicy (a
// session policy added by iam-simulate/federated-session-without-session-policy), where
// iam-simulate has no session check to fail.
func rewriteSessionPolicyLimitsAll(c *oracleCase) bool {
	if c.Session == nil || c.SessionAsBoundary || c.ResPolicy == nil || c.sessionAlone == "" || c.sessionAlone == "Allowed" {
		return false
	}
	var kept []stmt
	for _, s := range c.ResPolicy.Statement {
		if s.Effect != "Allow" {
			kept = append(kept, s)
		}
	}
	if len(kept) == len(c.ResPolicy.Statement) {
		return false
	}
	if len(kept) == 0 {
		c.ResPolicy = nil
	} else {
		c.ResPolicy.Statement = kept
	}
	return true
}

// sessionAloneCase returns the case on which iam-simulate is asked whether the session
// policy of c alone allows c's request, or nil when c does not have the pattern of
// iam-simulate/session-policy-limits-session-arn-grant (a session policy given to
// iam-simulate as its sessionPolicy, and a resource policy).
//
// iam-simulate evaluates its sessionPolicy input with the code that evaluates identity
// policies (analyzeIdentityPolicies; the two policy types match resources alike), and
// fails the request when the result is not Allowed. The derived case asks that question
// with the session policy as the only identity-based policy: same caller, action,
// resource and request context; no resource policy, boundary, session policy, SCP or
// RCP; and the resource is in the caller's account, so that no cross-account rule
// applies. Two adjustments keep the answer that of the session policy alone:
//
//   - KMS: without a key policy iam-simulate (rightly) ignores identity-based policies for
//     a key, so a KMS case gets the default key policy, which delegates to the account's
//     IAM policies (AWS KMS Developer Guide, "Default key policy").
//   - A federated user session: with no session policy iam-simulate applies the IAM
//     user's policies (iam-simulate/federated-session-without-session-policy), here the
//     session policy; no adjustment is needed.
//
// c is the case whose iam-simulate answer Bulwark is compared with, so an oracle-side
// rewrite (oracleSideRules) is already in it. The derived case is itself compared, like
// any case (TestOracle): Bulwark's answer on it must equal iam-simulate's, or a rule of
// iamSimulateDefects must explain the difference.
func sessionAloneCase(c *oracleCase) *oracleCase {
	if c.Session == nil || c.SessionAsBoundary || c.ResPolicy == nil {
		return nil
	}
	n := cloneCase(c)
	n.Identity = []doc{*n.Session}
	n.Session, n.SessionAsBoundary, n.Boundary, n.ResPolicy, n.SCPs, n.RCPs = nil, false, nil, nil, nil, nil
	n.ResAcct = c.Principal.account
	n.sessionAlone = ""
	n.Tags = []string{"session-alone"}
	if c.Action.kms {
		n.ResPolicy = &doc{Version: "2012-10-17", Statement: []stmt{{Effect: "Allow",
			Principal: map[string]any{"AWS": "arn:aws:iam::" + n.ResAcct + ":root"}, Action: "kms:*", Resource: "*"}}}
	}
	return n
}

// iam-simulate leaves a caller out of a NotPrincipal when any one entry matches it the
// way a Principal entry would (its account, its user or session ARN, its role). The
// IAM User Guide asks for every identity the request carries: the account too, and for
// a role session the role as well. Emulated by listing all of the caller's identities
// when any one entry matches, so that Bulwark leaves the caller out as well.
func rewriteNotPrincipal(c *oracleCase) bool {
	p := c.Principal
	if p.kind == "anonymous" || p.kind == "service" {
		// An anonymous caller matches only "*" and {"AWS": "*"}, a service its Service
		// entry and "*": the same in both engines.
		return false
	}
	root := "arn:aws:iam::" + p.account + ":root"
	all := []string{p.arn(), root}
	if p.kind == "session" {
		all = []string{p.arn(), p.roleARN(), root}
	}
	found := false
	for _, d := range docPtrs(c) {
		for i := range d.Statement {
			s := &d.Statement[i]
			if s.NotPrincipal == nil {
				continue
			}
			var entries []string
			switch v := s.NotPrincipal.(type) {
			case string:
				entries = []string{v}
			case map[string]any:
				entries = valuesOf(v["AWS"])
			}
			for _, e := range entries {
				if e == "*" || e == p.account || e == root || e == p.arn() || (p.kind == "session" && e == p.roleARN()) ||
					(p.kind == "federated" && e == p.userARN()) {
					s.NotPrincipal, found = map[string]any{"AWS": all}, true
					break
				}
			}
		}
	}
	return found
}

// iam-simulate reads an epoch (UNIX time) value of a Date operator as milliseconds;
// AWS's epoch time is seconds. Emulated by writing the instant iam-simulate uses.
func rewriteEpoch(c *oracleCase) bool {
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		if !strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(op, "ForAnyValue:"), "ForAllValues:"), "Date") {
			return
		}
		for k, v := range blk {
			vals := append([]string{}, valuesOf(v)...)
			changed := false
			for i, x := range vals {
				if n, err := strconv.ParseInt(x, 10, 64); err == nil {
					vals[i], changed = time.UnixMilli(n).UTC().Format(time.RFC3339Nano), true
				}
			}
			if changed {
				blk[k], found = vals, true
			}
		}
	})
	return found
}

// iam-simulate resolves policy variables in a policy whose Version is 2008-10-17, where
// AWS treats them as literal text. Emulated by declaring such policies 2012-10-17.
func rewriteVersion2008(c *oracleCase) bool {
	found := false
	for _, d := range docPtrs(c) {
		if d.Version == "2008-10-17" {
			d.Version, found = "2012-10-17", true
		}
	}
	return found
}

// knownDivergence names the documented rules under which Bulwark and iam-simulate may
// disagree on this case (iam-simulate being wrong per the AWS docs), or "".
func knownDivergence(t testing.TB, c *oracleCase, d policy.Decision, oracle string) string {
	n := cloneCase(c)
	var names []string
	for _, r := range iamSimulateDefects {
		if r.rewrite(n) {
			names = append(names, r.name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	if oracleName(n.bulwark(t).Result) != oracle {
		return ""
	}
	sort.Strings(names)
	return strings.Join(names, "+")
}

// oracleSideRules are iam-simulate defects that are corrected on iam-simulate's side
// instead of emulated on Bulwark's. Each rewrites a clone of the case into one whose
// documented answer is the same but on which iam-simulate does not meet its defect; the
// oracle is then asked about the rewrite too (oracleRewrite, TestOracle). A rule is
// credited with a case only when iam-simulate's answer on the rewrite differs from its
// answer on the original. Bulwark must answer the rewrite as it answers the original, and
// its answer must equal iam-simulate's on the rewrite (with the iamSimulateDefects rules
// applied to the rewrite, if needed).
var oracleSideRules = []divergenceRule{
	{"iam-simulate/negated-operator-unresolved-variable", rewriteNegatedUnresolved},
}

// oracleRewrite returns a rewritten clone of c and the names of the oracle-side rules
// whose pattern it holds, or nil when it holds none.
func oracleRewrite(c *oracleCase) (*oracleCase, []string) {
	n := cloneCase(c)
	var names []string
	for _, r := range oracleSideRules {
		if r.rewrite(n) {
			names = append(names, r.name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	return n, names
}

// Values that no request value of the generator matches (no wildcard, no variable; the
// ARN has its six segments, which iam-simulate needs to treat it as an ARN).
const (
	neverMatchString = "no-request-value-is-this"
	neverMatchArn    = "arn:aws:iam::000000000000:user/no-request-value-is-this"
)

// iam-simulate evaluates a negated String or ARN operator (StringNot..., ArnNot..., with
// or without IfExists or a set prefix) as false, in most cases, when a policy value holds
// a variable that has no value in the request. The IAM User Guide, "Policy variables
// with no value": "Inverted condition operators like StringNotEquals or StringNotLike do
// match against a null value, as the value of the condition key they are testing against
// is not equal to or like the effectively null value." Such a value matches no request
// value, so it is replaced, in what iam-simulate is given, by a literal that matches no
// request value either: the documented answer is unchanged, and iam-simulate computes it.
//
// The same replacement is made in a 2008-10-17 policy, where the value is literal text
// (no request value contains "${"), so it matches nothing there too; iam-simulate, which
// resolves variables under 2008-10-17 (iam-simulate/version-2008-variables-resolved),
// would otherwise meet this defect there as well.
func rewriteNegatedUnresolved(c *oracleCase) bool {
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		base := op
		if i := strings.Index(base, ":"); i >= 0 {
			base = base[i+1:] // ForAnyValue:/ForAllValues:
		}
		never := neverMatchString
		switch {
		case strings.HasPrefix(base, "StringNot"):
		case strings.HasPrefix(base, "ArnNot"):
			never = neverMatchArn
		default:
			return
		}
		for k, v := range blk {
			vals := append([]string{}, valuesOf(v)...)
			changed := false
			for i, x := range vals {
				if unresolved(c, x) {
					vals[i], changed = never, true
				}
			}
			if !changed {
				continue
			}
			if _, single := v.(string); single {
				blk[k] = vals[0]
			} else {
				blk[k] = vals
			}
			found = true
		}
	})
	return found
}

// forEachCondition calls f for every condition block of every statement of c.
func forEachCondition(c *oracleCase, f func(op string, blk map[string]any)) {
	for _, d := range docPtrs(c) {
		for _, s := range d.Statement {
			for op, b := range s.Condition {
				if m, ok := b.(map[string]any); ok {
					f(op, m)
				}
			}
		}
	}
}

func valuesOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ctxValue(c *oracleCase, key string) (any, bool) {
	for k, v := range c.Ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func isIPOp(op string) bool {
	op = strings.TrimSuffix(op, "IfExists")
	return op == "IpAddress" || op == "NotIpAddress"
}

// iam-simulate computes an IPv4 /0 mask wrongly: 0.0.0.0/0 matches only 0.0.0.0.
func rewriteZeroPrefix(c *oracleCase) bool {
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		if !isIPOp(op) {
			return
		}
		for k, v := range blk {
			vals := valuesOf(v)
			for i, x := range vals {
				if x == "0.0.0.0/0" {
					vals = append([]string{}, vals...)
					vals[i], found = "0.0.0.0/32", true
					blk[k] = vals
				}
			}
		}
	})
	return found
}

// iam-simulate: a bare IPv4 value (no /prefix) never matches an IPv6 request, in
// either polarity, so NotIpAddress with such a value is false for an IPv6 caller.
// Emulated by adding ::/0 to the NotIpAddress values.
func rewriteBareIPv4(c *oracleCase) bool {
	v, ok := ctxValue(c, "aws:SourceIp")
	if !ok {
		return false
	}
	ip, err := netip.ParseAddr(valuesOf(v)[0])
	if err != nil || !ip.Is6() {
		return false
	}
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		if strings.TrimSuffix(op, "IfExists") != "NotIpAddress" {
			return
		}
		for k, v := range blk {
			vals := valuesOf(v)
			for _, x := range vals {
				if a, err := netip.ParseAddr(x); err == nil && a.Is4() {
					blk[k], found = append(append([]string{}, vals...), "::/0"), true
					break
				}
			}
		}
	})
	return found
}

// iam-simulate: a multivalued key present with no values is "not null". Emulated by
// flipping the Null test for such keys.
func rewriteNullEmpty(c *oracleCase) bool {
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		if op != "Null" {
			return
		}
		for k, v := range blk {
			cv, ok := ctxValue(c, k)
			if !ok || len(valuesOf(cv)) != 0 {
				continue
			}
			if _, isArr := cv.([]string); !isArr {
				continue
			}
			if valuesOf(v)[0] == "true" {
				blk[k] = "false"
			} else {
				blk[k] = "true"
			}
			found = true
		}
	})
	return found
}

// unresolved reports whether s holds a ${key} variable whose key the context lacks
// (and which has no default value).
func unresolved(c *oracleCase, s string) bool {
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return false
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return false
		}
		name := s[i+2 : i+j]
		// ${key, 'default'} always resolves; so do the escapes ${*}, ${?} and ${$}.
		hasDefault := strings.Contains(name, ",")
		escape := name == "*" || name == "?" || name == "$"
		if _, ok := ctxValue(c, name); !ok && !hasDefault && !escape {
			return true
		}
		s = s[i+j+1:]
	}
}

// iam-simulate: a NotResource entry with an unresolved variable, whose partition,
// service, region and account segments match the request's resource, is "unknown"; the
// whole NotResource element then fails to match and the statement never applies. (When
// an earlier segment differs, iam-simulate sees a plain mismatch, as Bulwark does.)
// Emulated with NotResource "*" (which excludes every resource).
func rewriteNotResourceVar(c *oracleCase) bool {
	found := false
	for _, d := range docPtrs(c) {
		for i := range d.Statement {
			s := &d.Statement[i]
			for _, r := range valuesOf(s.NotResource) {
				if unresolved(c, r) && prefixSegmentsMatch(r, c.Resource) {
					s.NotResource, found = "*", true
					break
				}
			}
		}
	}
	return found
}

// prefixSegmentsMatch reports whether the first five ARN segments of pattern (arn,
// partition, service, region, account; wildcards allowed) match those of arn.
func prefixSegmentsMatch(pattern, arn string) bool {
	if pattern == "*" {
		return true
	}
	p, a := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(p) < 6 || len(a) < 6 {
		return false
	}
	for i := 0; i < 5; i++ {
		re := "^" + strings.ReplaceAll(strings.ReplaceAll(regexp.QuoteMeta(p[i]), `\*`, ".*"), `\?`, ".") + "$"
		if !regexp.MustCompile(re).MatchString(a[i]) {
			return false
		}
	}
	return true
}

// iam-simulate splits an ARN condition value at every colon, including the one inside
// ${aws:...}, so a variable before the resource segment never matches. Emulated with a
// value that matches nothing.
func rewriteArnVar(c *oracleCase) bool {
	found := false
	forEachCondition(c, func(op string, blk map[string]any) {
		if !strings.HasPrefix(strings.TrimPrefix(strings.TrimPrefix(op, "ForAnyValue:"), "ForAllValues:"), "Arn") {
			return
		}
		for k, v := range blk {
			vals := append([]string{}, valuesOf(v)...)
			changed := false
			for i, x := range vals {
				if j := strings.Index(x, "${"); j >= 0 && strings.Count(x[:j], ":") < 5 {
					vals[i], changed = "arn:aws:iam::000000000000:user/never-matches", true
				}
			}
			if changed {
				blk[k], found = vals, true
			}
		}
	})
	return found
}
