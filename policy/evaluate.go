package policy

import "strconv"

// This file decides a request the way AWS's enforcement code does. Sources: IAM User
// Guide, "Policy evaluation logic" (the flow within an account, with RCPs:
// reference_policies_evaluation-logic_policy-eval-denyallow.html) and "Cross-account
// policy evaluation logic" (reference_policies_evaluation-logic-cross-account.html);
// Organizations User Guide, "RCP evaluation" (orgs_manage_policies_rcps_evaluation).
//
//  1. An explicit Deny in any applicable policy (SCP, RCP, resource-based, identity-based,
//     permissions boundary, session policy) decides: ExplicitDeny.
//  2. RCPs (resources of member accounts): every level root->account needs an Allow;
//     RCPFullAWSAccess, attached everywhere, always gives one, so only Deny counts.
//  3. SCPs (principals of member accounts): every level root->account needs an Allow.
//  4. A resource-based policy in the same account can allow on its own, depending on how
//     it names the caller (see grant).
//  5. Identity-based policies must allow (the root user needs none),
//  6. and the permissions boundary, if any,
//  7. and, for a session principal, the session policies (a federated session without
//     one has no permissions).
//
// Across accounts the identity side (5-7, with SCPs) and the resource side (the
// resource policy, with RCPs) must both allow.

// PolicyType names the kind of policy, or guardrail, that decided.
type PolicyType uint8

// The policy types of a decision.
const (
	// PolicyNone is the zero PolicyType; no decision carries it.
	PolicyNone PolicyType = iota
	PolicyIdentity
	PolicyResource
	PolicyBoundary
	PolicySession
	PolicySCP
	PolicyRCP
	// PolicyRootUser is not a policy: the account root user's default full access.
	PolicyRootUser
)

// String returns the policy type as AWS's denial messages name it.
func (t PolicyType) String() string {
	switch t {
	case PolicyIdentity:
		return "identity-based policy"
	case PolicyResource:
		return "resource-based policy"
	case PolicyBoundary:
		return "permissions boundary"
	case PolicySession:
		return "session policy"
	case PolicySCP:
		return "service control policy"
	case PolicyRCP:
		return "resource control policy"
	case PolicyRootUser:
		return "root user"
	}
	return "none"
}

// Result is the outcome of an evaluation. The zero Result is ImplicitDeny.
type Result uint8

// The three outcomes.
const (
	ImplicitDeny Result = iota
	Allowed
	ExplicitDeny
)

// String returns "ImplicitDeny", "Allowed" or "ExplicitDeny".
func (r Result) String() string {
	switch r {
	case Allowed:
		return "Allowed"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// PolicyRef is a compiled policy with the caller's ID for it (a policy ARN, an inline
// policy name), which a decision reports.
type PolicyRef struct {
	ID     string
	Policy *Compiled
}

// OrgLevel is the set of SCPs or RCPs attached at one level of the organization path:
// the root, an OU, or the account.
type OrgLevel struct {
	// ID names the level (r-..., ou-..., the account ID).
	ID       string
	Policies []PolicyRef
}

// Input is everything one evaluation needs: the request and the policies that apply.
type Input struct {
	Request *Request
	// Identity holds the principal's identity-based policies: for a user its inline and
	// managed policies and those of its groups; for a role session the role's.
	Identity []PolicyRef
	// Resource is the resource-based policy (bucket policy, key policy, role trust
	// policy, ...); Resource.Policy is nil when the resource has none.
	Resource PolicyRef
	// ResourceAccount is the account that owns the resource; "" means the caller's.
	ResourceAccount string
	// RequireResourcePolicy is set where the resource-based policy must allow the
	// principal and an identity-based allow alone is not enough: role trust policies
	// (sts:AssumeRole*) and KMS key policies.
	RequireResourcePolicy bool
	// Boundary is the principal's permissions boundary; Boundary.Policy is nil when it
	// has none.
	Boundary PolicyRef
	// Session holds the session policies of a role or federated session; empty when the
	// session was created without one.
	Session []PolicyRef
	// SCPs is the principal account's SCP path, root first, account last: every level
	// must allow. Empty when SCPs do not apply (no organization, a service principal).
	SCPs []OrgLevel
	// RCPs is the resource account's RCP path, root first. Every level counts as
	// holding RCPFullAWSAccess, which AWS attaches to every level and which cannot be
	// detached: only the Deny statements of RCPs decide.
	RCPs []OrgLevel
	// ManagementAccount is the organization's management account: SCPs do not apply to
	// its principals, nor RCPs to its resources.
	ManagementAccount string
}

// Decision is the outcome of an evaluation and the reason for it.
//
// For ExplicitDeny, Policy, PolicyID, Level, Statement and Sid locate the Deny statement.
// For Allowed they locate the Allow statement that granted (Policy is PolicyRootUser for
// the root user's default). For ImplicitDeny, Policy names what had no Allow: the
// identity-based policies, the resource-based policy (across accounts, or where it must
// allow), or the guardrail that blocked (PolicySCP with Level, PolicyBoundary,
// PolicySession); Statement is -1.
type Decision struct {
	// Result is Allowed, ExplicitDeny or ImplicitDeny.
	Result Result
	// Policy is the kind of policy that decided (see above).
	Policy PolicyType
	// PolicyID is the PolicyRef.ID of the deciding policy.
	PolicyID string
	// Level is the index of the SCP or RCP level in Input.SCPs or Input.RCPs, or -1.
	Level int
	// LevelID is that level's OrgLevel.ID.
	LevelID string
	// Statement is the index of the deciding statement in its policy, or -1.
	Statement int
	// Sid is that statement's Sid.
	Sid string
}

// IsAllowed reports whether the request is allowed.
func (d Decision) IsAllowed() bool { return d.Result == Allowed }

// Reason completes AWS's AccessDenied message "User: ARN is not authorized to perform:
// ACTION on resource: RESOURCE " for a denial, as in "with an explicit deny in a service
// control policy" or "because no identity-based policy allows the iam:CreateUser
// action" (IAM User Guide, "Troubleshoot access denied error messages"). It returns ""
// for an allowed request.
func (d Decision) Reason(action string) string {
	switch d.Result {
	case ExplicitDeny:
		return "with an explicit deny in " + article(d.Policy) + d.Policy.String()
	case ImplicitDeny:
		// IAM User Guide, "Troubleshoot access denied error messages": "because no type
		// policy allows the action action" for every policy type.
		t := d.Policy
		if t == PolicyNone || t == PolicyRootUser {
			t = PolicyIdentity
		}
		return "because no " + t.String() + " allows the " + action + " action"
	}
	return ""
}

func article(t PolicyType) string {
	if t == PolicyIdentity {
		return "an "
	}
	return "a "
}

// String describes the decision for logs.
func (d Decision) String() string {
	s := d.Result.String() + " by " + d.Policy.String()
	if d.PolicyID != "" {
		s += " " + strconv.Quote(d.PolicyID)
	}
	if d.Level >= 0 {
		s += " level " + strconv.Itoa(d.Level)
	}
	if d.Statement >= 0 {
		s += " statement " + strconv.Itoa(d.Statement)
		if d.Sid != "" {
			s += " (" + d.Sid + ")"
		}
	}
	return s
}

// evalCtx is one evaluation's state. It lives on the stack.
type evalCtx struct {
	req       *Request
	action    string // as requested
	svc, name string // split at the first colon
	colon     bool
	hashed    bool        // actHash and svcHash are set
	actHash   uint64      // foldHash(action), for the action index
	svcHash   uint64      // foldHash(svc)
	timeVals  [2]ctxValue // aws:CurrentTime and aws:EpochTime from Request.Time
	hasTime   bool
	// bounded is set when the caller has a permissions boundary: a Deny with NotPrincipal
	// then applies to it whatever the element lists.
	bounded bool
}

func (ec *evalCtx) init(r *Request) {
	ec.req = r
	ec.action = r.Action
	for i := 0; i < len(r.Action); i++ {
		if r.Action[i] == ':' {
			ec.svc, ec.name, ec.colon = r.Action[:i], r.Action[i+1:], true
			break
		}
	}
}

// lookup finds a condition key by its lower-cased name.
func (ec *evalCtx) lookup(key string, hash uint32) ([]ctxValue, bool) {
	if v, ok := ec.req.Context.lookup(key, hash); ok {
		return v, true
	}
	if hash != hashCurrentTime && hash != hashEpochTime {
		return nil, false
	}
	return ec.derived(key)
}

// keyHash of "aws:currenttime" and "aws:epochtime" (checked by a test).
const (
	hashCurrentTime = 1181307096
	hashEpochTime   = 1538623480
)

// derived returns aws:CurrentTime and aws:EpochTime from Request.Time when the context
// does not hold them.
func (ec *evalCtx) derived(key string) ([]ctxValue, bool) {
	if ec.req.Time.IsZero() {
		return nil, false
	}
	switch key {
	case "aws:currenttime", "aws:epochtime":
		if !ec.hasTime {
			t := ec.req.Time
			d := dateVal{sec: t.Unix(), nsec: int32(t.Nanosecond())}
			ec.timeVals[0] = ctxValue{flags: hasDate | lazyText, date: d}
			ec.timeVals[1] = ctxValue{flags: hasNum | hasDate | lazyText, num: float64(d.sec), date: dateVal{sec: d.sec}}
			ec.hasTime = true
		}
		if key == "aws:currenttime" {
			return ec.timeVals[0:1], true
		}
		return ec.timeVals[1:2], true
	}
	return nil, false
}

// setResult is what one set of policies says about a request.
type setResult struct {
	deny     *cStmt
	denyPol  int
	allow    *cStmt
	allowPol int
	grant    grant // the strongest grant of a matching Allow (grantDirect outside resource policies)
}

func (r *setResult) allowed() bool { return r.allow != nil }

// evalSet evaluates a set of policies into r; it stops at the first matching Deny and
// reports whether there was one.
func evalSet(ec *evalCtx, refs []PolicyRef, r *setResult) bool {
	for i := range refs {
		if p := refs[i].Policy; p != nil && p.eval(ec, r, i) {
			return true
		}
	}
	return false
}

// eval evaluates the policy's statements that can match the action; it reports true when
// a Deny matched.
func (c *Compiled) eval(ec *evalCtx, r *setResult, pol int) bool {
	if c.idx == nil {
		for i := range c.stmts {
			if c.stmt(ec, &c.stmts[i], r, pol) {
				return true
			}
		}
		return false
	}
	for _, i := range c.idx.always {
		if c.stmt(ec, &c.stmts[i], r, pol) {
			return true
		}
	}
	if !ec.hashed {
		ec.actHash, ec.svcHash, ec.hashed = foldHash(ec.action), foldHash(ec.svc), true
	}
	if l, ok := c.idx.exact[ec.actHash]; ok {
		for _, i := range l {
			if c.stmt(ec, &c.stmts[i], r, pol) {
				return true
			}
		}
	}
	if ec.colon {
		if l, ok := c.idx.service[ec.svcHash]; ok {
			for _, i := range l {
				if c.stmt(ec, &c.stmts[i], r, pol) {
					return true
				}
			}
		}
	}
	return false
}

// stmt evaluates one statement into r; it reports true when it is a matching Deny.
func (c *Compiled) stmt(ec *evalCtx, s *cStmt, r *setResult, pol int) bool {
	if s.effect == Allow && r.grant == grantDirect {
		return false // nothing an Allow can add
	}
	if !s.matchAction(ec) || !s.matchResource(ec) {
		return false
	}
	g := grantDirect
	switch {
	case !s.principal.present:
	case s.principal.not:
		// IAM User Guide, "AWS JSON policy elements: NotPrincipal": "The NotPrincipal
		// element with a Deny effect will always deny any IAM principal that has a
		// permissions boundary policy attached, regardless of the values specified in the
		// NotPrincipal element."
		if !(s.effect == Deny && ec.bounded) && s.principal.excludes(&ec.req.Principal) {
			return false
		}
	default:
		if g = s.principal.match(&ec.req.Principal); g == grantNone {
			return false
		}
	}
	if s.effect == Allow && g <= r.grant {
		return false
	}
	for i := range s.conds {
		if !s.conds[i].eval(ec) {
			return false
		}
	}
	if s.effect == Deny {
		r.deny, r.denyPol = s, pol
		return true
	}
	r.allow, r.allowPol, r.grant = s, pol, g
	return false
}

func (s *cStmt) matchAction(ec *evalCtx) bool {
	for i := range s.actions {
		if s.actions[i].match(ec) {
			return !s.notAction
		}
	}
	return s.notAction
}

func (a *actionPat) match(ec *evalCtx) bool {
	switch {
	case a.all:
		return true
	case a.noColon:
		return glob(a.whole, nil, ec.action, true, false, a.wholeGI)
	case !ec.colon:
		return false
	}
	if a.svcWild {
		if !glob(a.svc, nil, ec.svc, true, false, a.svcGI) {
			return false
		}
	} else if !equalFoldASCII(a.svc, ec.svc) {
		return false
	}
	if a.nameWild {
		return glob(a.name, nil, ec.name, true, false, a.nameGI)
	}
	return equalFoldASCII(a.name, ec.name)
}

func (s *cStmt) matchResource(ec *evalCtx) bool {
	if !s.hasRes {
		return true
	}
	for i := range s.resources {
		if m, _ := s.resources[i].match(ec, ec.req.Resource, modeARN); m {
			return !s.notRes
		}
	}
	return s.notRes
}

// Evaluate decides a request. It does no I/O, reads no clock and, for requests whose
// patterns resolve within 256 bytes, allocates nothing.
func Evaluate(in *Input) (d Decision) {
	d.Level, d.Statement = -1, -1
	if in == nil || in.Request == nil {
		d.Policy = PolicyIdentity
		return d
	}
	var ec evalCtx
	ec.init(in.Request)
	ec.bounded = in.Boundary.Policy != nil
	decide(&ec, in, &d)
	return d
}

// decide runs the flow and writes the outcome into d, whose Level and Statement are -1.
func decide(ec *evalCtx, in *Input, d *Decision) {
	c := &in.Request.Principal
	mgmt := in.ManagementAccount
	resAccount := in.ResourceAccount
	if resAccount == "" {
		resAccount = c.Account
	}

	// Step 1, with step 3 collected on the way: an explicit deny anywhere decides.
	var r setResult
	scpMissing := -1
	if len(in.SCPs) > 0 && c.Account != "" && !(mgmt != "" && c.Account == mgmt) {
		for li := range in.SCPs {
			lvl := &in.SCPs[li]
			r = setResult{}
			if evalSet(ec, lvl.Policies, &r) {
				d.denied(PolicySCP, lvl.Policies[r.denyPol].ID, r.deny)
				d.Level, d.LevelID = li, lvl.ID
				return
			}
			if !r.allowed() && scpMissing < 0 {
				scpMissing = li
			}
		}
	}
	if len(in.RCPs) > 0 && !(mgmt != "" && resAccount == mgmt) {
		// RCPFullAWSAccess is attached to every level and cannot be detached, so every
		// level has an Allow (step 2 never denies implicitly); customer RCPs can only deny.
		for li := range in.RCPs {
			lvl := &in.RCPs[li]
			r = setResult{}
			if evalSet(ec, lvl.Policies, &r) {
				d.denied(PolicyRCP, lvl.Policies[r.denyPol].ID, r.deny)
				d.Level, d.LevelID = li, lvl.ID
				return
			}
		}
	}
	var res, id, pb, sess setResult
	if in.Resource.Policy != nil && in.Resource.Policy.eval(ec, &res, 0) {
		d.denied(PolicyResource, in.Resource.ID, res.deny)
		return
	}
	if evalSet(ec, in.Identity, &id) {
		d.denied(PolicyIdentity, in.Identity[id.denyPol].ID, id.deny)
		return
	}
	if in.Boundary.Policy != nil && in.Boundary.Policy.eval(ec, &pb, 0) {
		d.denied(PolicyBoundary, in.Boundary.ID, pb.deny)
		return
	}
	if evalSet(ec, in.Session, &sess) {
		d.denied(PolicySession, in.Session[sess.denyPol].ID, sess.deny)
		return
	}

	// Step 3: every SCP level must allow.
	if scpMissing >= 0 {
		d.Policy, d.Level, d.LevelID = PolicySCP, scpMissing, in.SCPs[scpMissing].ID
		return
	}

	// Steps 5 to 7: the identity side.
	identityOK := id.allowed() || c.Kind == CallerRoot
	boundaryOK := in.Boundary.Policy == nil || pb.allowed()
	sessionOK := true
	if c.Kind.isSession() {
		if len(in.Session) > 0 {
			sessionOK = sess.allowed()
		} else {
			sessionOK = c.Kind == CallerRoleSession
		}
	}
	identityPath := identityOK && boundaryOK && sessionOK
	blocked := PolicyIdentity
	switch {
	case !identityOK:
	case !boundaryOK:
		blocked = PolicyBoundary
	case !sessionOK:
		blocked = PolicySession
	}

	// Step 4: the resource-based policy.
	g := grantNone
	if res.allowed() {
		g = res.grant
	}
	cross := c.Account != "" && resAccount != c.Account
	resourceAlone := g == grantDirect || (g == grantLimited && boundaryOK && sessionOK)
	switch {
	case !cross && resourceAlone:
		d.allowed(PolicyResource, in.Resource.ID, res.allow)
	case identityPath && (g >= grantAccount || !(cross || in.RequireResourcePolicy)):
		if id.allowed() {
			d.allowed(PolicyIdentity, in.Identity[id.allowPol].ID, id.allow)
		} else {
			d.Result, d.Policy = Allowed, PolicyRootUser
		}
	case identityPath:
		d.Policy = PolicyResource // across accounts, or where the resource policy must allow
	default:
		if g == grantLimited && !cross {
			// The resource policy allowed the role (or the federating user); what
			// blocked it is the boundary or the session policy.
			if !boundaryOK {
				blocked = PolicyBoundary
			} else if !sessionOK {
				blocked = PolicySession
			}
		}
		d.Policy = blocked
	}
}

func (d *Decision) denied(t PolicyType, id string, s *cStmt) {
	d.Result, d.Policy, d.PolicyID, d.Statement, d.Sid = ExplicitDeny, t, id, s.index, s.sid
}

func (d *Decision) allowed(t PolicyType, id string, s *cStmt) {
	d.Result, d.Policy, d.PolicyID, d.Statement, d.Sid = Allowed, t, id, s.index, s.sid
}
