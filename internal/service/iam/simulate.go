package iam

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/policy"
)

// The IAM policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy and the two
// GetContextKeysFor...Policy operations (IAM API Reference). The simulator evaluates with the
// same engine that authorizes requests (package policy); it adds what the API reports on top of
// a decision: every statement that matched, with its place in its document, and the context
// keys that candidate statements need but the caller did not supply. It reads no clock and
// adds no condition keys of its own: the request context holds exactly the ContextEntries.

var (
	_ api.SimulateCustomPolicyHandler             = (*Service)(nil)
	_ api.SimulatePrincipalPolicyHandler          = (*Service)(nil)
	_ api.GetContextKeysForCustomPolicyHandler    = (*Service)(nil)
	_ api.GetContextKeysForPrincipalPolicyHandler = (*Service)(nil)
)

// MatchedStatement.SourcePolicyType values as the simulator reports them, the
// EvalDecision values, and the MaxItems range.
const (
	simTypeIdentity    = "IAM Policy"
	simTypeResource    = "Resource Policy"
	simTypeBoundary    = "PermissionsBoundaryPolicy"
	evalAllowed        = "allowed"
	evalExplicitDeny   = "explicitDeny"
	evalImplicitDeny   = "implicitDeny"
	simDefaultMaxItems = 100
	simMaxMaxItems     = 1000
)

// simStmt is one statement of a simulated policy, compiled alone so that the simulator can tell
// which statements match a request.
type simStmt struct {
	effect policy.Effect
	// full is the statement as written; bare is the statement without its conditions (and with
	// a Resource that holds policy variables widened to "*"): it matches when the statement is a
	// candidate for the request, whatever the context holds.
	full, bare *policy.Compiled
	// keys are the context keys the statement reads, as written, in document order.
	keys       []string
	start, end policy.Pos
}

// simPolicy is one policy of a simulation.
type simPolicy struct {
	id, typ string
	doc     *policy.Document
	whole   *policy.Compiled
	stmts   []simStmt
}

// simInput is a simulation ready to run.
type simInput struct {
	identity  []*simPolicy
	boundary  []*simPolicy
	resource  *simPolicy
	caller    policy.Caller
	resOwner  string
	actions   []string
	resources []string
	ctx       policy.Context
	allowAll  *policy.Compiled
	maxItems  int
	start     int
}

// SimulateCustomPolicy evaluates policies given as text.
func (s *Service) SimulateCustomPolicy(ctx context.Context, in *api.SimulateCustomPolicyInput) (*api.SimulateCustomPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	sim := &simInput{}
	if err := sim.common(acct, in.ActionNames, in.ResourceArns, in.ContextEntries, in.MaxItems, in.Marker); err != nil {
		return nil, err
	}
	if err := sim.addInputs(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList); err != nil {
		return nil, err
	}
	callerARN := ptr.Value(in.CallerArn)
	if in.ResourcePolicy != nil && callerARN == "" {
		return nil, simInvalid("Invalid input: CallerArn is required when a ResourcePolicy is provided.")
	}
	if err := sim.setCaller(callerARN); err != nil {
		return nil, err
	}
	if err := sim.setResourcePolicy(in.ResourcePolicy, ptr.Value(in.ResourceOwner)); err != nil {
		return nil, err
	}
	results, truncated, marker := sim.run()
	t, m := pageOut(truncated, marker)
	return &api.SimulateCustomPolicyOutput{EvaluationResults: results, IsTruncated: t, Marker: m}, nil
}

// SimulatePrincipalPolicy evaluates the policies of a user (with its groups' policies and its
// permissions boundary), a group or a role, plus any policies given as text.
func (s *Service) SimulatePrincipalPolicy(ctx context.Context, in *api.SimulatePrincipalPolicyInput) (*api.SimulatePrincipalPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	sim := &simInput{}
	if err := sim.common(acct, in.ActionNames, in.ResourceArns, in.ContextEntries, in.MaxItems, in.Marker); err != nil {
		return nil, err
	}
	src, err := s.sourcePolicies(ctx, acct, ptr.Value(in.PolicySourceArn))
	if err != nil {
		return nil, err
	}
	if sim.identity, err = src.parse(); err != nil {
		return nil, err
	}
	if err := sim.addInputs(in.PolicyInputList, in.PermissionsBoundaryPolicyInputList); err != nil {
		return nil, err
	}
	// A boundary given as input replaces the entity's own.
	if len(sim.boundary) == 0 && src.boundary != nil {
		p, err := simParse(src.boundary.text, policy.KindPermissionsBoundary, src.boundary.id, simTypeBoundary)
		if err != nil {
			return nil, err
		}
		sim.boundary = append(sim.boundary, p)
	}
	callerARN := ptr.Value(in.CallerArn)
	if callerARN == "" && src.kind == arn.TypeUser {
		callerARN = src.arn
	}
	if in.ResourcePolicy != nil && callerARN == "" {
		return nil, simInvalid("Invalid input: CallerArn is required when a ResourcePolicy is provided and the PolicySourceArn is not a user.")
	}
	if err := sim.setCaller(callerARN); err != nil {
		return nil, err
	}
	if err := sim.setResourcePolicy(in.ResourcePolicy, ptr.Value(in.ResourceOwner)); err != nil {
		return nil, err
	}
	results, truncated, marker := sim.run()
	t, m := pageOut(truncated, marker)
	return &api.SimulatePrincipalPolicyOutput{EvaluationResults: results, IsTruncated: t, Marker: m}, nil
}

// GetContextKeysForCustomPolicy lists the context keys the given policies read.
func (s *Service) GetContextKeysForCustomPolicy(ctx context.Context, in *api.GetContextKeysForCustomPolicyInput) (*api.GetContextKeysForCustomPolicyOutput, error) {
	if _, err := account(ctx); err != nil {
		return nil, err
	}
	ps, err := parseInputs(in.PolicyInputList, policy.KindIdentity, "PolicyInputList.", simTypeIdentity)
	if err != nil {
		return nil, err
	}
	return &api.GetContextKeysForCustomPolicyOutput{ContextKeyNames: contextKeys(ps)}, nil
}

// GetContextKeysForPrincipalPolicy lists the context keys read by the policies of a user
// (with its groups'), group or role, and by any policies given as text.
func (s *Service) GetContextKeysForPrincipalPolicy(ctx context.Context, in *api.GetContextKeysForPrincipalPolicyInput) (*api.GetContextKeysForPrincipalPolicyOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	src, err := s.sourcePolicies(ctx, acct, ptr.Value(in.PolicySourceArn))
	if err != nil {
		return nil, err
	}
	ps, err := src.parse()
	if err != nil {
		return nil, err
	}
	extra, err := parseInputs(in.PolicyInputList, policy.KindIdentity, "PolicyInputList.", simTypeIdentity)
	if err != nil {
		return nil, err
	}
	ps = append(ps, extra...)
	return &api.GetContextKeysForPrincipalPolicyOutput{ContextKeyNames: contextKeys(ps)}, nil
}

// contextKeys returns the distinct keys (compared case-insensitively, as AWS compares key
// names) that the policies read, as first written, in document order.
func contextKeys(ps []*simPolicy) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, p := range ps {
		for _, st := range p.stmts {
			for _, k := range st.keys {
				if lk := strings.ToLower(k); !seen[lk] {
					seen[lk] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// sourceDoc is one stored policy of a simulated principal.
type sourceDoc struct{ id, text string }

// sourceSet is the policies of the entity a PolicySourceArn names.
type sourceSet struct {
	kind, arn string
	identity  []sourceDoc
	boundary  *sourceDoc
}

// sourcePolicies reads the policies of the user, group or role that policySourceARN names.
func (s *Service) sourcePolicies(ctx context.Context, acct, policySourceARN string) (sourceSet, error) {
	a, kind, _, name, err := arn.ParseIAM(policySourceARN)
	if err != nil || (kind != arn.TypeUser && kind != arn.TypeGroup && kind != arn.TypeRole) {
		return sourceSet{}, simInvalid("Invalid ARN: %s.", policySourceARN)
	}
	if a.AccountID != acct {
		return sourceSet{}, awserr.New(domain.CodeNoSuchEntity, http.StatusNotFound,
			"The %s with name %s cannot be found.", kind, name)
	}
	var pp domain.PrincipalPolicies
	switch kind {
	case arn.TypeUser:
		pp, err = s.d.UserPolicies(ctx, acct, name)
	case arn.TypeGroup:
		pp, err = s.d.GroupPolicies(ctx, acct, name)
	default:
		pp, err = s.d.RolePolicies(ctx, acct, name)
	}
	if err != nil {
		return sourceSet{}, err
	}
	out := sourceSet{kind: kind, arn: pp.ARN}
	for _, d := range pp.Inline {
		out.identity = append(out.identity, sourceDoc{id: inlineID(d), text: d.Document})
	}
	for _, d := range pp.Managed {
		out.identity = append(out.identity, sourceDoc{id: d.Name, text: d.Document})
	}
	if pp.Boundary != nil {
		out.boundary = &sourceDoc{id: pp.Boundary.Name, text: pp.Boundary.Document}
	}
	return out, nil
}

// inlineID names an inline policy as the simulator does: "user_alice_policy",
// "group_admins_policy", "role_app_policy".
func inlineID(d domain.SourcedDocument) string {
	_, kind, _, name, err := arn.ParseIAM(d.Source)
	if err != nil {
		return d.Name
	}
	return kind + "_" + name + "_" + d.Name
}

// common reads the inputs both Simulate operations share.
func (sim *simInput) common(acct string, actions, resources []string, entries []api.ContextEntry, maxItems *int32, marker *string) error {
	for _, a := range actions {
		svc, name, ok := strings.Cut(a, ":")
		if !ok || svc == "" || name == "" || strings.ContainsAny(a, "*?") {
			return simInvalid("Invalid action name: %s. Actions must be of the form service:action and cannot contain wildcards.", a)
		}
	}
	sim.actions = actions
	sim.resources = resources
	if len(sim.resources) == 0 {
		sim.resources = []string{"*"}
	}
	for i := range entries {
		if err := addContextEntry(&sim.ctx, &entries[i]); err != nil {
			return err
		}
	}
	sim.maxItems = simDefaultMaxItems
	if maxItems != nil {
		n := int(*maxItems)
		switch {
		case n < 1:
			return awserr.Validation("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
		case n > simMaxMaxItems:
			return awserr.Validation("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000", n)
		}
		sim.maxItems = n
	}
	if m := ptr.Value(marker); m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "sim|"))
		if err != nil || err2 != nil || !strings.HasPrefix(string(raw), "sim|") || n < 0 {
			return awserr.Validation("Invalid Marker.")
		}
		sim.start = n
	}
	allowAll, err := policy.ParseCompile(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, policy.KindIdentity)
	if err != nil {
		return err
	}
	sim.allowAll = allowAll
	sim.caller = policy.Caller{Kind: policy.CallerUser, Account: acct}
	return nil
}

// addInputs parses PolicyInputList and PermissionsBoundaryPolicyInputList.
func (sim *simInput) addInputs(identity, boundary []string) error {
	ps, err := parseInputs(identity, policy.KindIdentity, "PolicyInputList.", simTypeIdentity)
	if err != nil {
		return err
	}
	sim.identity = append(sim.identity, ps...)
	bs, err := parseInputs(boundary, policy.KindPermissionsBoundary, "PermissionsBoundaryPolicyInputList.", simTypeBoundary)
	sim.boundary = bs
	return err
}

// parseInputs parses the policies of an input list, named prefix1, prefix2, ...
func parseInputs(texts []string, kind policy.Kind, prefix, typ string) ([]*simPolicy, error) {
	var out []*simPolicy
	for i, text := range texts {
		p, err := simParse(text, kind, prefix+strconv.Itoa(i+1), typ)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// parse parses the entity's identity-based policies.
func (src *sourceSet) parse() ([]*simPolicy, error) {
	var out []*simPolicy
	for _, d := range src.identity {
		p, err := simParse(d.text, policy.KindIdentity, d.id, simTypeIdentity)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// setCaller makes callerARN, which must be an IAM user's ARN, the simulated caller.
func (sim *simInput) setCaller(callerARN string) error {
	if callerARN == "" {
		return nil
	}
	a, kind, _, _, err := arn.ParseIAM(callerARN)
	if err != nil || kind != arn.TypeUser || !isAccountID(a.AccountID) {
		return simInvalid("Invalid CallerArn: %s. The caller must be an IAM user.", callerARN)
	}
	sim.caller = policy.Caller{Kind: policy.CallerUser, Account: a.AccountID, ARN: callerARN}
	return nil
}

// setResourcePolicy parses the resource-based policy and fixes its owner: ResourceOwner
// (arn:aws:iam::ACCOUNT:root, or an account ID), or else the caller's account.
func (sim *simInput) setResourcePolicy(text *string, owner string) error {
	if owner != "" {
		acct := owner
		if a, err := arn.Parse(owner); err == nil {
			acct = a.AccountID
		}
		if !isAccountID(acct) {
			return simInvalid("Invalid ResourceOwner: %s.", owner)
		}
		sim.resOwner = acct
	}
	if text == nil {
		return nil
	}
	p, err := simParse(*text, policy.KindResource, "ResourcePolicy", simTypeResource)
	if err != nil {
		return err
	}
	sim.resource = p
	if sim.resOwner == "" {
		sim.resOwner = sim.caller.Account
	}
	return nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func simInvalid(format string, args ...any) *awserr.Error {
	return awserr.New(domain.CodeInvalidInput, http.StatusBadRequest, format, args...)
}

// simParse parses and compiles one simulated policy, statement by statement.
func simParse(text string, kind policy.Kind, id, typ string) (*simPolicy, error) {
	doc, err := policy.Parse(text, kind)
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return nil, &awserr.Error{Code: domain.CodeMalformedPolicyDocument, Status: http.StatusBadRequest, Message: ve.Message, Cause: err}
		}
		return nil, &awserr.Error{Code: domain.CodeMalformedPolicyDocument, Status: http.StatusBadRequest, Message: "Syntax errors in policy.", Cause: err}
	}
	p := &simPolicy{id: id, typ: typ, doc: doc}
	if p.whole, err = policy.Compile(doc); err != nil {
		return nil, err
	}
	for _, st := range doc.Statements {
		one := *doc
		one.Statements = []policy.Statement{st}
		full, err := policy.Compile(&one)
		if err != nil {
			return nil, err
		}
		b := st
		b.Conditions, b.ConditionPos = nil, policy.Pos{}
		if !b.Resource.Not && hasVars(b.Resource.Values) {
			b.Resource.Values = []policy.Value{{Text: "*", Pos: b.Resource.Pos}}
		}
		one.Statements = []policy.Statement{b}
		bare, err := policy.Compile(&one)
		if err != nil {
			return nil, err
		}
		p.stmts = append(p.stmts, simStmt{effect: st.Effect, full: full, bare: bare,
			keys: statementKeys(&st), start: st.Pos, end: statementEnd(text, st.Pos)})
	}
	return p, nil
}

func hasVars(vs []policy.Value) bool {
	for _, v := range vs {
		if v.Vars {
			return true
		}
	}
	return false
}

// statementKeys lists the context keys a statement reads, as written and in document order:
// the policy variables of its Resource and condition values, and its condition keys.
func statementKeys(st *policy.Statement) []string {
	type at struct {
		off int
		key string
	}
	var ks []at
	for _, v := range st.Resource.Values {
		if v.Vars {
			for _, k := range variableKeys(v.Text) {
				ks = append(ks, at{v.Pos.Offset, k})
			}
		}
	}
	for _, c := range st.Conditions {
		for _, k := range c.Keys {
			ks = append(ks, at{k.Pos.Offset, k.Name})
			for _, v := range k.Values {
				if v.Vars {
					for _, vk := range variableKeys(v.Text) {
						ks = append(ks, at{v.Pos.Offset, vk})
					}
				}
			}
		}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].off < ks[j].off })
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.key
	}
	return out
}

// variableKeys returns the keys of the policy variables in s: "aws:username" for
// ${aws:username}, "aws:PrincipalTag/team" for ${aws:PrincipalTag/team, 'x'}; the escapes
// ${*}, ${?} and ${$} name no key.
func variableKeys(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			return out
		}
		s = s[i+2:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			return out
		}
		body := s[:j]
		s = s[j+1:]
		name, _, _ := strings.Cut(body, ",")
		name = strings.TrimSpace(name)
		switch name {
		case "", "*", "?", "$":
			continue
		}
		out = append(out, name)
	}
}

// statementEnd returns the position just after the closing brace of the statement whose
// opening brace is at start.
func statementEnd(text string, start policy.Pos) policy.Pos {
	if !start.IsValid() || start.Offset >= len(text) {
		return policy.Pos{}
	}
	depth, inStr, esc := 0, false, false
	i := start.Offset
	for ; i < len(text); i++ {
		c := text[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	end := i + 1
	line, col := 1, 1
	for k := 0; k < end && k < len(text); k++ {
		if text[k] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return policy.Pos{Offset: end, Line: line, Column: col}
}

// addContextEntry adds one ContextEntry to the simulated request context, checking its values
// against its type.
func addContextEntry(c *policy.Context, e *api.ContextEntry) error {
	name := ptr.Value(e.ContextKeyName)
	if name == "" {
		return simInvalid("Invalid context entry: ContextKeyName is required.")
	}
	typ := ptr.Value(e.ContextKeyType)
	if typ == "" {
		typ = "string"
	}
	base, list := strings.CutSuffix(typ, "List")
	vals := e.ContextKeyValues
	bad := func(v string) error {
		return simInvalid("Invalid value %s for context key %s of type %s.", v, name, typ)
	}
	for _, v := range vals {
		var err error
		switch base {
		case "string":
		case "numeric":
			_, err = strconv.ParseFloat(v, 64)
		case "boolean":
			_, err = strconv.ParseBool(v)
		case "ip":
			if _, e1 := netip.ParseAddr(v); e1 != nil {
				_, err = netip.ParsePrefix(v)
			}
		case "binary":
			_, err = base64.StdEncoding.DecodeString(v)
		case "date":
			_, err = parseSimDate(v)
		default:
			return simInvalid("Invalid ContextKeyType %s for context key %s.", typ, name)
		}
		if err != nil {
			return bad(v)
		}
	}
	if !list && len(vals) > 1 {
		return simInvalid("Context key %s of type %s takes a single value; use %sList for several.", name, typ, typ)
	}
	if base == "date" {
		// Dates go in as RFC 3339 whatever form they came in (epoch seconds included).
		vals = slices.Clone(vals)
		for i, v := range vals {
			t, _ := parseSimDate(v)
			vals[i] = t.Format(time.RFC3339Nano)
		}
	}
	// Numbers, Booleans and IP addresses given as text are parsed by the operators that
	// compare them.
	if list {
		c.AddMulti(name, vals...)
	} else {
		c.Add(name, vals...)
	}
	return nil
}

// parseSimDate reads a date context value: ISO 8601 (RFC 3339, or a date alone) or epoch
// seconds.
func parseSimDate(v string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("iam: %q is not a date", v)
}

// run evaluates every action against every resource and returns the requested page.
func (sim *simInput) run() ([]api.EvaluationResult, bool, string) {
	total := len(sim.actions) * len(sim.resources)
	out := []api.EvaluationResult{}
	i := sim.start
	for ; i < total && len(out) < sim.maxItems; i++ {
		a, r := sim.actions[i/len(sim.resources)], sim.resources[i%len(sim.resources)]
		out = append(out, sim.evaluate(a, r))
	}
	if i < total {
		return out, true, base64.RawURLEncoding.EncodeToString([]byte("sim|" + strconv.Itoa(i)))
	}
	return out, false, ""
}

// evaluate simulates one action on one resource.
func (sim *simInput) evaluate(action, resource string) api.EvaluationResult {
	req := &policy.Request{Principal: sim.caller, Action: action, Resource: resource, Context: sim.ctx}
	in := &policy.Input{Request: req}
	for _, p := range sim.identity {
		in.Identity = append(in.Identity, policy.PolicyRef{ID: p.id, Policy: p.whole})
	}
	if sim.resource != nil {
		in.Resource = policy.PolicyRef{ID: sim.resource.id, Policy: sim.resource.whole}
		if sim.resOwner != sim.caller.Account {
			in.ResourceAccount = sim.resOwner
		}
	}
	var boundary *policy.Compiled
	if len(sim.boundary) > 0 {
		boundary = sim.mergedBoundary()
		in.Boundary = policy.PolicyRef{ID: sim.boundary[0].id, Policy: boundary}
	}
	d := policy.Evaluate(in)

	res := api.EvaluationResult{
		EvalActionName:              ptr.Of(action),
		EvalResourceName:            ptr.Of(resource),
		MatchedStatements:           []api.MatchedStatement{},
		OrganizationsDecisionDetail: &api.OrganizationsDecisionDetail{AllowedByOrganizations: ptr.Of(true)},
	}
	switch d.Result {
	case policy.Allowed:
		res.EvalDecision = ptr.Of(evalAllowed)
		for _, p := range sim.identity {
			res.MatchedStatements = sim.appendMatches(res.MatchedStatements, req, p, policy.Allow, false)
		}
		if sim.resource != nil {
			res.MatchedStatements = sim.appendMatches(res.MatchedStatements, req, sim.resource, policy.Allow, true)
		}
	case policy.ExplicitDeny:
		res.EvalDecision = ptr.Of(evalExplicitDeny)
		for _, p := range sim.identity {
			res.MatchedStatements = sim.appendMatches(res.MatchedStatements, req, p, policy.Deny, false)
		}
		if sim.resource != nil {
			res.MatchedStatements = sim.appendMatches(res.MatchedStatements, req, sim.resource, policy.Deny, true)
		}
		for _, p := range sim.boundary {
			res.MatchedStatements = sim.appendMatches(res.MatchedStatements, req, p, policy.Deny, false)
		}
	default:
		res.EvalDecision = ptr.Of(evalImplicitDeny)
	}
	if boundary != nil {
		bd := policy.Evaluate(&policy.Input{Request: req, Identity: []policy.PolicyRef{{ID: "boundary", Policy: boundary}}})
		res.PermissionsBoundaryDecisionDetail = &api.PermissionsBoundaryDecisionDetail{
			AllowedByPermissionsBoundary: ptr.Of(bd.Result == policy.Allowed)}
	}
	res.MissingContextValues = sim.missing(req)
	res.EvalDecisionDetails = map[string]string{}
	if resource != "*" {
		// For a named resource AWS repeats the outcome per resource (recorded AWS responses).
		res.ResourceSpecificResults = []api.ResourceSpecificResult{{
			EvalResourceName: ptr.Of(resource), EvalResourceDecision: res.EvalDecision,
			MatchedStatements: res.MatchedStatements, MissingContextValues: res.MissingContextValues,
			PermissionsBoundaryDecisionDetail: res.PermissionsBoundaryDecisionDetail,
		}}
	}
	return res
}

// mergedBoundary compiles the boundary inputs as one policy: a statement of any of them
// counts, as if they were one document.
func (sim *simInput) mergedBoundary() *policy.Compiled {
	if len(sim.boundary) == 1 {
		return sim.boundary[0].whole
	}
	merged := *sim.boundary[0].doc
	merged.Statements = nil
	for _, p := range sim.boundary {
		merged.Statements = append(merged.Statements, p.doc.Statements...)
	}
	c, err := policy.Compile(&merged)
	if err != nil {
		return sim.boundary[0].whole
	}
	return c
}

// matches reports whether one compiled statement applies to req with the given effect. A
// statement of a resource-based policy is evaluated as the only resource-based policy, with an
// identity-based policy that allows everything, where the resource-based policy must allow:
// it then decides alone.
func (sim *simInput) matches(req *policy.Request, st *policy.Compiled, effect policy.Effect, resource bool) bool {
	in := &policy.Input{Request: req}
	if resource {
		in.Identity = []policy.PolicyRef{{ID: "all", Policy: sim.allowAll}}
		in.Resource = policy.PolicyRef{ID: "stmt", Policy: st}
		in.RequireResourcePolicy = true
		if sim.resOwner != sim.caller.Account {
			in.ResourceAccount = sim.resOwner
		}
	} else {
		in.Identity = []policy.PolicyRef{{ID: "stmt", Policy: st}}
	}
	r := policy.Evaluate(in).Result
	if effect == policy.Deny {
		return r == policy.ExplicitDeny
	}
	return r == policy.Allowed
}

func (sim *simInput) appendMatches(out []api.MatchedStatement, req *policy.Request, p *simPolicy, effect policy.Effect, resource bool) []api.MatchedStatement {
	for i := range p.stmts {
		st := &p.stmts[i]
		if st.effect != effect || !sim.matches(req, st.full, effect, resource) {
			continue
		}
		m := api.MatchedStatement{SourcePolicyId: ptr.Of(p.id), SourcePolicyType: ptr.Of(p.typ)}
		if st.start.IsValid() {
			m.StartPosition = &api.StartPosition{Line: int32Of(st.start.Line), Column: int32Of(st.start.Column)}
		}
		if st.end.IsValid() {
			m.EndPosition = &api.StartPosition{Line: int32Of(st.end.Line), Column: int32Of(st.end.Column)}
		}
		out = append(out, m)
	}
	return out
}

// missing lists the context keys that statements applying to the action and resource read
// but the request context does not hold, as written, without repeats.
func (sim *simInput) missing(req *policy.Request) []string {
	out := []string{}
	seen := map[string]bool{}
	scan := func(p *simPolicy, resource bool) {
		for i := range p.stmts {
			st := &p.stmts[i]
			if len(st.keys) == 0 || !sim.matches(req, st.bare, st.effect, resource) {
				continue
			}
			for _, k := range st.keys {
				lk := strings.ToLower(k)
				if seen[lk] {
					continue
				}
				if _, ok := req.Context.Get(k); ok {
					continue
				}
				seen[lk] = true
				out = append(out, k)
			}
		}
	}
	for _, p := range sim.identity {
		scan(p, false)
	}
	for _, p := range sim.boundary {
		scan(p, false)
	}
	if sim.resource != nil {
		scan(sim.resource, true)
	}
	return out
}
