package policycli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

// TestFile is the JSON format `bulwark policy test` runs (see docs/policy-cli.md).
type TestFile struct {
	// Policies names the policies the tests use.
	Policies map[string]TestPolicy `json:"policies"`
	// Defaults holds fields every test takes when it does not set them; its context keys
	// are merged with each test's.
	Defaults TestCase `json:"defaults"`
	// Tests are the requests and their expected decisions.
	Tests []TestCase `json:"tests"`
}

// TestPolicy is one policy of a test file: a file, relative to the test file, or a
// document written in place (a JSON object, or a string holding one).
type TestPolicy struct {
	File     string          `json:"file,omitempty"`
	Document json.RawMessage `json:"document,omitempty"`
	// Type is the policy kind (identity, resource, trust, scp, rcp, boundary, session);
	// when empty, the kind is the one of the place a test uses the policy in.
	Type string `json:"type,omitempty"`
}

// TestPrincipal is a caller written as an object; a test may also give the ARN alone.
type TestPrincipal struct {
	ARN  string `json:"arn,omitempty"`
	Type string `json:"type,omitempty"`
	// ID is the unique ID (AIDA..., AROA...:session), for aws:userid.
	ID string `json:"id,omitempty"`
	// RoleARN is the role behind a role session, with its path; read from the session
	// ARN when empty.
	RoleARN string `json:"roleArn,omitempty"`
	// UserARN is the IAM user behind a federated session.
	UserARN string `json:"userArn,omitempty"`
}

// TestCase is one request and the decision it must get. Policies are named by their
// key in TestFile.Policies.
type TestCase struct {
	Name          string          `json:"name,omitempty"`
	Principal     json.RawMessage `json:"principal,omitempty"`
	Action        string          `json:"action,omitempty"`
	Resource      string          `json:"resource,omitempty"`
	ResourceOwner string          `json:"resourceOwner,omitempty"`
	// Context maps condition keys to a string, a number, a Boolean or an array of them.
	Context map[string]json.RawMessage `json:"context,omitempty"`
	// Time is the request time in RFC 3339.
	Time              string     `json:"time,omitempty"`
	Identity          []string   `json:"identity,omitempty"`
	ResourcePolicy    string     `json:"resourcePolicy,omitempty"`
	Boundary          string     `json:"boundary,omitempty"`
	SessionPolicies   []string   `json:"sessionPolicies,omitempty"`
	SCPs              [][]string `json:"scps,omitempty"`
	RCPs              [][]string `json:"rcps,omitempty"`
	ManagementAccount string     `json:"managementAccount,omitempty"`
	// Expect is allowed, explicitDeny or implicitDeny.
	Expect string `json:"expect,omitempty"`
	// ExpectPolicy and ExpectSid, when set, must name the deciding policy and statement.
	ExpectPolicy string `json:"expectPolicy,omitempty"`
	ExpectSid    string `json:"expectSid,omitempty"`
}

// withDefaults returns t with the fields it leaves unset taken from d.
func (t TestCase) withDefaults(d *TestCase) TestCase {
	if t.Principal == nil {
		t.Principal = d.Principal
	}
	str := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	str(&t.Action, d.Action)
	str(&t.Resource, d.Resource)
	str(&t.ResourceOwner, d.ResourceOwner)
	str(&t.Time, d.Time)
	str(&t.ResourcePolicy, d.ResourcePolicy)
	str(&t.Boundary, d.Boundary)
	str(&t.ManagementAccount, d.ManagementAccount)
	if t.Identity == nil {
		t.Identity = d.Identity
	}
	if t.SessionPolicies == nil {
		t.SessionPolicies = d.SessionPolicies
	}
	if t.SCPs == nil {
		t.SCPs = d.SCPs
	}
	if t.RCPs == nil {
		t.RCPs = d.RCPs
	}
	if len(d.Context) > 0 {
		ctx := make(map[string]json.RawMessage, len(d.Context)+len(t.Context))
		for k, v := range d.Context {
			ctx[strings.ToLower(k)] = v
		}
		for k, v := range t.Context {
			ctx[strings.ToLower(k)] = v // key names are case-insensitive; the test's win
		}
		t.Context = ctx
	}
	return t
}

// runTests runs `bulwark policy test`.
func runTests(args []string, env Env) int {
	fs := newFlagSet("test", "[-v] FILE...", env)
	verbose := fs.Bool("v", false, "list the tests that pass too")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(files) == 0 {
		fmt.Fprintln(env.Stderr, "bulwark policy test: no test files")
		fs.Usage()
		return ExitUsage
	}
	var passed, failed int
	code := ExitOK
	for _, name := range files {
		p, f, err := runTestFile(name, *verbose, env)
		passed, failed = passed+p, failed+f
		if err != nil {
			fmt.Fprintln(env.Stderr, "bulwark policy test:", err)
			code = ExitUsage
		}
	}
	if failed > 0 {
		fmt.Fprintf(env.Stdout, "FAIL: %d of %s failed\n", failed, plural(passed+failed, "test"))
		if code == ExitOK {
			code = ExitFailed
		}
		return code
	}
	if code == ExitOK {
		fmt.Fprintf(env.Stdout, "ok: %s passed\n", plural(passed, "test"))
	} else {
		fmt.Fprintf(env.Stdout, "FAIL: %s passed, but a test file could not be run\n", plural(passed, "test"))
	}
	return code
}

// jsonPos returns ":line:column" for a JSON decoding error that carries an offset.
func jsonPos(text string, err error) string {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	default:
		return ""
	}
	if off < 0 || off > int64(len(text)) {
		return ""
	}
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	col := len(before) - strings.LastIndexByte(before, '\n')
	return fmt.Sprintf(":%d:%d", line, col)
}

// runTestFile runs the tests of one file and returns how many passed and failed; the
// error says why the file could not be run at all.
func runTestFile(name string, verbose bool, env Env) (passed, failed int, err error) {
	text, err := readInput(name, env)
	if err != nil {
		return 0, 0, err
	}
	var tf TestFile
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tf); err != nil {
		return 0, 0, fmt.Errorf("%s%s: %w", name, jsonPos(text, err), err)
	}
	if dec.More() {
		return 0, 0, fmt.Errorf("%s: text after the test file's JSON object", name)
	}
	if len(tf.Tests) == 0 {
		return 0, 0, fmt.Errorf("%s: no tests", name)
	}
	dir := "."
	if name != "-" {
		dir = filepath.Dir(name)
	}
	r := &testRunner{file: &tf, dir: dir, env: env, cache: make(map[string]cached)}
	for i, tc := range tf.Tests {
		tc = tc.withDefaults(&tf.Defaults)
		title := tc.Name
		if title == "" {
			title = "test " + strconv.Itoa(i+1)
		}
		s, err := r.scenario(&tc)
		if err != nil {
			msg := strings.ReplaceAll(err.Error(), "\n", "\n    ")
			fmt.Fprintf(env.Stdout, "--- FAIL: %s (%s)\n    error: %s\n", title, name, msg)
			failed++
			continue
		}
		d := s.evaluate()
		if problem := check(&tc, d); problem != "" {
			fmt.Fprintf(env.Stdout, "--- FAIL: %s (%s)\n    %s\n", title, name, problem)
			s.explain(env.Stdout, d, "    ")
			failed++
			continue
		}
		if verbose {
			fmt.Fprintf(env.Stdout, "--- PASS: %s (%s)\n", title, resultName(d.Result))
		}
		passed++
	}
	return passed, failed, nil
}

// check compares a decision with a test's expectations and says what differs.
func check(tc *TestCase, d policy.Decision) string {
	got := resultName(d.Result)
	switch {
	case tc.Expect != got:
		return fmt.Sprintf("expected %s, got %s", tc.Expect, got)
	case tc.ExpectPolicy != "" && tc.ExpectPolicy != d.PolicyID:
		return fmt.Sprintf("expected %s by policy %q, got policy %q", got, tc.ExpectPolicy, d.PolicyID)
	case tc.ExpectSid != "" && tc.ExpectSid != d.Sid:
		return fmt.Sprintf("expected %s by statement Sid %q, got Sid %q", got, tc.ExpectSid, d.Sid)
	}
	return ""
}

// cached is a loaded policy, or why it could not be loaded.
type cached struct {
	l   *loaded
	err error
}

// testRunner builds the scenarios of one test file, loading each policy once per kind.
type testRunner struct {
	file  *TestFile
	dir   string
	env   Env
	cache map[string]cached
}

// policy returns the named policy read as kind; want lists the types the place it is
// used in accepts.
func (r *testRunner) policy(name string, kind policy.Kind, want ...policy.Kind) (*loaded, error) {
	tp, ok := r.file.Policies[name]
	if !ok {
		return nil, fmt.Errorf("no policy named %q", name)
	}
	if tp.Type != "" {
		k, err := parseKind(tp.Type)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", name, err)
		}
		ok := k == kind
		for _, w := range want {
			ok = ok || k == w
		}
		if !ok {
			return nil, fmt.Errorf("policy %q has type %s, but is used as a policy of type %s", name, tp.Type, kindName(kind))
		}
		kind = k
	}
	key := kindName(kind) + "\x00" + name
	if c, ok := r.cache[key]; ok {
		return c.l, c.err
	}
	l, err := r.read(name, &tp, kind)
	var inv *invalidError
	if errors.As(err, &inv) {
		// The first test that uses the policy shows AWS's findings; the others refer to it.
		var b strings.Builder
		writeFindings(&b, inv.name, inv.err)
		msg := fmt.Sprintf("policy %q is not a valid %s policy", name, kindName(kind))
		r.cache[key] = cached{nil, &findingsError{msg: msg + " (findings above)", err: inv}}
		return nil, &findingsError{msg: msg, err: inv, findings: b.String()}
	}
	r.cache[key] = cached{l, err}
	return l, err
}

// findingsError is a policy a test needs that is invalid, with AWS's findings written
// out when this is the first test to need it.
type findingsError struct {
	msg      string
	err      error
	findings string
}

func (e *findingsError) Error() string {
	if e.findings == "" {
		return e.msg
	}
	return e.msg + "\n" + strings.TrimRight(e.findings, "\n")
}

func (e *findingsError) Unwrap() error { return e.err }

func (r *testRunner) read(name string, tp *TestPolicy, kind policy.Kind) (*loaded, error) {
	switch {
	case tp.File != "" && tp.Document != nil:
		return nil, fmt.Errorf("policy %q has both file and document", name)
	case tp.File != "":
		path := tp.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(r.dir, path)
		}
		text, err := readInput(path, r.env)
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", name, err)
		}
		return load(name, path, text, kind)
	case tp.Document != nil:
		text := string(tp.Document)
		var s string
		if json.Unmarshal(tp.Document, &s) == nil {
			text = s
		}
		return load(name, name+" (document)", text, kind)
	}
	return nil, fmt.Errorf("policy %q has neither file nor document", name)
}

// scenario builds a test's request and policies.
func (r *testRunner) scenario(tc *TestCase) (*scenario, error) {
	switch tc.Expect {
	case "allowed", "explicitDeny", "implicitDeny":
	default:
		return nil, fmt.Errorf("expect is %q, want allowed, explicitDeny or implicitDeny", tc.Expect)
	}
	if tc.Action == "" || tc.Resource == "" {
		return nil, fmt.Errorf("action and resource are required")
	}
	caller, err := testCaller(tc.Principal)
	if err != nil {
		return nil, err
	}
	at := r.env.Now()
	if tc.Time != "" {
		if at, err = time.Parse(time.RFC3339, tc.Time); err != nil {
			return nil, fmt.Errorf("time: %w", err)
		}
	}
	s := &scenario{
		req:               newRequest(caller, tc.Action, tc.Resource, at),
		resourceOwner:     tc.ResourceOwner,
		requireResource:   needsResourcePolicy(tc.Action),
		managementAccount: tc.ManagementAccount,
	}
	if s.resourceOwner == "" {
		s.resourceOwner = resourceAccount(tc.Resource)
	}
	seen := make(map[string]bool, len(tc.Context))
	for k, raw := range tc.Context {
		if seen[strings.ToLower(k)] {
			return nil, fmt.Errorf("context key %s is given twice (key names are case-insensitive)", k)
		}
		seen[strings.ToLower(k)] = true
		vals, err := contextValues(raw)
		if err != nil {
			return nil, fmt.Errorf("context %s: %w", k, err)
		}
		s.req.Context.Add(k, vals...)
	}
	for _, n := range tc.Identity {
		l, err := r.policy(n, policy.KindIdentity)
		if err != nil {
			return nil, err
		}
		s.identity = append(s.identity, l)
	}
	if tc.ResourcePolicy != "" {
		if s.resource, err = r.policy(tc.ResourcePolicy, resourceKind(tc.Action), policy.KindResource, policy.KindTrust); err != nil {
			return nil, err
		}
	}
	if tc.Boundary != "" {
		if s.boundary, err = r.policy(tc.Boundary, policy.KindPermissionsBoundary, policy.KindIdentity); err != nil {
			return nil, err
		}
	}
	for _, n := range tc.SessionPolicies {
		l, err := r.policy(n, policy.KindSession)
		if err != nil {
			return nil, err
		}
		s.session = append(s.session, l)
	}
	if s.scps, err = r.levels(tc.SCPs, policy.KindSCP); err != nil {
		return nil, err
	}
	if s.rcps, err = r.levels(tc.RCPs, policy.KindRCP); err != nil {
		return nil, err
	}
	return s, nil
}

func (r *testRunner) levels(names [][]string, kind policy.Kind) ([][]*loaded, error) {
	out := make([][]*loaded, len(names))
	for i, lvl := range names {
		for _, n := range lvl {
			l, err := r.policy(n, kind)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], l)
		}
	}
	return out, nil
}

// testCaller reads a test's principal: an ARN, or a TestPrincipal object.
func testCaller(raw json.RawMessage) (policy.Caller, error) {
	if raw == nil {
		return policy.Caller{}, fmt.Errorf("principal is required")
	}
	var p TestPrincipal
	if err := json.Unmarshal(raw, &p.ARN); err != nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return policy.Caller{}, fmt.Errorf("principal: want an ARN or {\"arn\", \"type\", \"id\", \"roleArn\", \"userArn\"}: %w", err)
		}
	}
	c, err := parseCaller(p.ARN, p.Type)
	if err != nil {
		return policy.Caller{}, fmt.Errorf("principal: %w", err)
	}
	c.ID = p.ID
	if p.RoleARN != "" {
		c.RoleARN = p.RoleARN
	}
	c.UserARN = p.UserARN
	return c, nil
}

// contextValues reads a context value: a string, number or Boolean, or an array of them.
func contextValues(raw json.RawMessage) ([]string, error) {
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out = append(out, s)
			continue
		}
		var b bool
		if json.Unmarshal(v, &b) == nil {
			out = append(out, strconv.FormatBool(b))
			continue
		}
		var n json.Number
		if json.Unmarshal(v, &n) == nil {
			out = append(out, n.String())
			continue
		}
		return nil, fmt.Errorf("want a string, number or Boolean, or an array of them, not %s", v)
	}
	return out, nil
}
