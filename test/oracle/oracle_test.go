// Package oracle_test checks Bulwark's policy engine against an independent
// implementation, @cloud-copilot/iam-simulate, run as a separate node process
// (oracle.mjs). iam-simulate is AGPL: nothing of it is imported, vendored or copied;
// npm installs it into test/oracle/node_modules (git-ignored) at test time.
//
//	go test ./test/oracle/                               # 5,000 cases
//	BULWARK_ORACLE_CASES=100000 go test ./test/oracle/   # the full run
//	BULWARK_ORACLE_SEED=7 ...                            # another seed (default 1)
//	go test -short ./...                                 # skips this package's test
//
// Known divergences, and why, are in known_divergences.md.
package oracle_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Short() {
		if _, err := os.Stat("node_modules/@cloud-copilot/iam-simulate/package.json"); err != nil {
			fmt.Fprintln(os.Stderr, "oracle: node_modules missing; running npm ci in test/oracle")
			cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Fprintln(os.Stderr, "oracle: npm ci failed:", err)
				os.Exit(1)
			}
		}
	}
	os.Exit(m.Run())
}

func envInt(name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		if err == nil {
			return n
		}
	}
	return def
}

// simulation is iam-simulate's Simulation input.
type simulation struct {
	Request struct {
		// Principal is an ARN, or {"type": "Anonymous"} for an unauthenticated request.
		Principal any    `json:"principal"`
		Action    string `json:"action"`
		Resource  struct {
			Resource  string `json:"resource"`
			AccountID string `json:"accountId"`
		} `json:"resource"`
		ContextVariables caseCtx `json:"contextVariables"`
	} `json:"request"`
	IdentityPolicies           []named    `json:"identityPolicies"`
	ServiceControlPolicies     []orgLevel `json:"serviceControlPolicies"`
	ResourceControlPolicies    []orgLevel `json:"resourceControlPolicies"`
	ResourcePolicy             *doc       `json:"resourcePolicy,omitempty"`
	PermissionBoundaryPolicies []named    `json:"permissionBoundaryPolicies,omitempty"`
	SessionPolicy              *doc       `json:"sessionPolicy,omitempty"`
}

type named struct {
	Name   string `json:"name"`
	Policy doc    `json:"policy"`
}

type orgLevel struct {
	OrgIdentifier string  `json:"orgIdentifier"`
	Policies      []named `json:"policies"`
}

func levelID(kind string, i, n int) string {
	switch {
	case i == 0:
		return "r-root"
	case i == n-1 && n > 1:
		return "acct"
	}
	return fmt.Sprintf("ou-%s-%d", kind, i)
}

func (c *oracleCase) simulation() *simulation {
	s := &simulation{}
	switch c.Principal.kind {
	case "anonymous":
		s.Request.Principal = map[string]string{"type": "Anonymous"}
	case "service":
		s.Request.Principal = c.Principal.name
	default:
		s.Request.Principal = c.Principal.arn()
	}
	s.Request.Action = c.Action.action
	s.Request.Resource.Resource = c.Resource
	s.Request.Resource.AccountID = c.ResAcct
	s.Request.ContextVariables = caseCtx{}
	for k, v := range c.Ctx {
		if b, ok := v.(binVal); ok {
			// iam-simulate compares BinaryEquals values as text: give it the base64.
			v = base64.StdEncoding.EncodeToString([]byte(b))
		}
		s.Request.ContextVariables[k] = v
	}
	s.IdentityPolicies = []named{}
	for i, d := range c.Identity {
		s.IdentityPolicies = append(s.IdentityPolicies, named{Name: fmt.Sprintf("identity-%d", i), Policy: d})
	}
	s.ResourcePolicy = c.ResPolicy
	if c.Boundary != nil {
		s.PermissionBoundaryPolicies = []named{{Name: "boundary", Policy: *c.Boundary}}
	}
	if c.Session != nil {
		if c.SessionAsBoundary {
			// The translation (known_divergences.md, "Session policies"): for a role or
			// federated session with no boundary, the session policy limits exactly as a
			// boundary does, and iam-simulate's boundary follows the documented
			// principal rules.
			s.PermissionBoundaryPolicies = []named{{Name: "session-as-boundary", Policy: *c.Session}}
		} else {
			s.SessionPolicy = c.Session
		}
	}
	conv := func(kind string, lv [][]doc) []orgLevel {
		out := []orgLevel{}
		for i, ds := range lv {
			l := orgLevel{OrgIdentifier: levelID(kind, i, len(lv)), Policies: []named{}}
			for j, d := range ds {
				l.Policies = append(l.Policies, named{Name: fmt.Sprintf("%s-%d-%d", kind, i, j), Policy: d})
			}
			out = append(out, l)
		}
		return out
	}
	s.ServiceControlPolicies = conv("scp", c.SCPs)
	s.ResourceControlPolicies = conv("rcp", c.RCPs)
	return s
}

func compile(t testing.TB, d doc, kind policy.Kind) *policy.Compiled {
	b, _ := json.Marshal(d)
	c, err := policy.ParseCompile(string(b), kind)
	if err != nil {
		t.Fatalf("Bulwark rejects a generated %v policy: %v\n%s", kind, err, b)
	}
	return c
}

// bulwark evaluates the case with Bulwark's engine.
func (c *oracleCase) bulwark(t testing.TB) policy.Decision {
	in := &policy.Input{Request: c.request(), ResourceAccount: c.ResAcct, RequireResourcePolicy: c.Action.kms}
	for i, d := range c.Identity {
		in.Identity = append(in.Identity, policy.PolicyRef{ID: fmt.Sprintf("identity-%d", i), Policy: compile(t, d, policy.KindIdentity)})
	}
	c.bulwarkPolicies(t, in)
	return policy.Evaluate(in)
}

// request is the case's request for Bulwark.
func (c *oracleCase) request() *policy.Request {
	req := &policy.Request{Action: c.Action.action, Resource: c.Resource}
	p := c.Principal
	req.Principal = policy.Caller{Account: p.account, ARN: p.arn()}
	switch p.kind {
	case "user":
		req.Principal.Kind = policy.CallerUser
	case "anonymous":
		req.Principal.Kind = policy.CallerAnonymous
	case "service":
		req.Principal.Kind, req.Principal.Service = policy.CallerService, p.name
	case "federated":
		req.Principal.Kind, req.Principal.UserARN = policy.CallerFederatedSession, p.userARN()
	default:
		req.Principal.Kind = policy.CallerRoleSession
		req.Principal.RoleARN = p.roleARN()
	}
	keys := make([]string, 0, len(c.Ctx))
	for k := range c.Ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := c.Ctx[k].(type) {
		case string:
			req.Context.Add(k, v)
		case []string:
			req.Context.AddMulti(k, v...)
		case binVal:
			req.Context.Add(k, string(v)) // the raw bytes
		}
	}
	return req
}

// bulwarkPolicies fills in the resource policy, boundary, session policy, SCPs and RCPs.
func (c *oracleCase) bulwarkPolicies(t testing.TB, in *policy.Input) {
	if c.ResPolicy != nil {
		in.Resource = policy.PolicyRef{ID: "resource", Policy: compile(t, *c.ResPolicy, policy.KindResource)}
	}
	if c.Boundary != nil {
		in.Boundary = policy.PolicyRef{ID: "boundary", Policy: compile(t, *c.Boundary, policy.KindPermissionsBoundary)}
	}
	if c.Session != nil {
		in.Session = []policy.PolicyRef{{ID: "session", Policy: compile(t, *c.Session, policy.KindSession)}}
	}
	conv := func(kind string, pk policy.Kind, lv [][]doc) []policy.OrgLevel {
		var out []policy.OrgLevel
		for i, ds := range lv {
			l := policy.OrgLevel{ID: levelID(kind, i, len(lv))}
			for j, d := range ds {
				l.Policies = append(l.Policies, policy.PolicyRef{ID: fmt.Sprintf("%s-%d-%d", kind, i, j), Policy: compile(t, d, pk)})
			}
			out = append(out, l)
		}
		return out
	}
	in.SCPs = conv("scp", policy.KindSCP, c.SCPs)
	in.RCPs = conv("rcp", policy.KindRCP, c.RCPs)
}

func oracleName(r policy.Result) string {
	switch r {
	case policy.Allowed:
		return "Allowed"
	case policy.ExplicitDeny:
		return "ExplicitlyDenied"
	}
	return "ImplicitlyDenied"
}

type oracleOut struct {
	ID                 int             `json:"id"`
	Result             string          `json:"result"`
	ResultType         string          `json:"resultType"`
	IgnoredContextKeys []string        `json:"ignoredContextKeys"`
	Error              string          `json:"error"`
	Details            json.RawMessage `json:"details"`
}

// runOracle feeds the simulations to node processes (one per CPU, at most 4) and
// returns their answers by index.
func runOracle(t *testing.T, sims []*simulation) map[int]oracleOut {
	procs := runtime.NumCPU()
	if procs > 4 {
		procs = 4
	}
	if procs > len(sims) {
		procs = 1
	}
	type shard struct {
		out map[int]oracleOut
		err error
	}
	ch := make(chan shard, procs)
	for p := 0; p < procs; p++ {
		go func(p int) {
			var ids []int
			var part []*simulation
			for i := p; i < len(sims); i += procs {
				ids = append(ids, i)
				part = append(part, sims[i])
			}
			out, err := runOracleProc(part)
			res := make(map[int]oracleOut, len(out))
			for j, o := range out {
				o.ID = ids[j]
				res[ids[j]] = o
			}
			ch <- shard{res, err}
		}(p)
	}
	all := make(map[int]oracleOut, len(sims))
	for p := 0; p < procs; p++ {
		s := <-ch
		if s.err != nil {
			t.Fatal(s.err)
		}
		for k, v := range s.out {
			all[k] = v
		}
	}
	if len(all) != len(sims) {
		t.Fatalf("oracle answered %d of %d cases", len(all), len(sims))
	}
	return all
}

// runOracleProc runs one node process over sims; answer j is for sims[j].
func runOracleProc(sims []*simulation) (map[int]oracleOut, error) {
	cmd := exec.Command("node", "oracle.mjs")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start the oracle (node oracle.mjs): %v", err)
	}
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(stdin, 1<<16)
		enc := json.NewEncoder(w)
		for i, s := range sims {
			if err := enc.Encode(map[string]any{"id": i, "simulation": s}); err != nil {
				werr <- err
				return
			}
		}
		if err := w.Flush(); err != nil {
			werr <- err
			return
		}
		werr <- stdin.Close()
	}()
	out := make(map[int]oracleOut, len(sims))
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var perr error
	for sc.Scan() {
		var o oracleOut
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			perr = fmt.Errorf("oracle wrote %q: %v", sc.Text(), err)
			break
		}
		out[o.ID] = o
	}
	if err := <-werr; err != nil && perr == nil {
		perr = fmt.Errorf("writing to the oracle: %v", err)
	}
	if err := cmd.Wait(); err != nil && perr == nil {
		perr = fmt.Errorf("oracle exited: %v", err)
	}
	return out, perr
}

func TestOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("the oracle runs node; skipped in -short mode")
	}
	n := envInt("BULWARK_ORACLE_CASES", 5000)
	seed := int64(envInt("BULWARK_ORACLE_SEED", 1))
	start := time.Now()
	r := rand.New(rand.NewSource(seed))
	cases := make([]*oracleCase, 0, n)
	sims := make([]*simulation, 0, n)
	for len(cases) < n {
		c := generate(r, len(cases))
		cases = append(cases, c)
		sims = append(sims, c.simulation())
	}
	// The oracle-side rules (divergences_test.go, oracleSideRules): iam-simulate is also
	// asked about the rewrite of each case that holds such a pattern.
	type rewritten struct {
		c     *oracleCase
		names []string
		sim   int // index of its simulation in sims
	}
	rewrites := map[int]rewritten{}
	oracleRewritten := map[string]int{}
	for i, c := range cases {
		if rc, names := oracleRewrite(c); rc != nil {
			rewrites[i] = rewritten{rc, names, len(sims)}
			sims = append(sims, rc.simulation())
			for _, nm := range names {
				oracleRewritten[nm]++
			}
		}
	}
	// The rule iam-simulate/session-policy-limits-session-arn-grant is decided by
	// iam-simulate: for each case with its pattern, iam-simulate is also asked whether the
	// session policy alone allows the request (divergences_test.go, sessionAloneCase). The
	// question is asked about the case whose answer Bulwark's is compared with: the
	// oracle-side rewrite when there is one.
	type derivedCase struct {
		c   *oracleCase
		sim int // index of its simulation in sims
	}
	sessionAlone := map[int]derivedCase{}
	for i, c := range cases {
		cmp := c
		if rw, ok := rewrites[i]; ok {
			cmp = rw.c
		}
		if dc := sessionAloneCase(cmp); dc != nil {
			sessionAlone[i] = derivedCase{dc, len(sims)}
			sims = append(sims, dc.simulation())
		}
	}
	answers := runOracle(t, sims)
	oracleTime := time.Since(start)

	var disagreements, oracleErrors []string
	known := map[string]int{}
	// On the derived cases of sessionAlone: iam-simulate's answers, and the rules that
	// explained a difference from Bulwark's.
	sessionAloneResults, knownSessionAlone := map[string]int{}, map[string]int{}
	tagCount := map[string]int{}
	results := map[string]int{}
	for i, c := range cases {
		o := answers[i]
		caseJSON, _ := json.MarshalIndent(sims[i], "", "  ")
		if o.Error != "" {
			oracleErrors = append(oracleErrors, fmt.Sprintf("case %d: iam-simulate rejects it: %s %s\n%s", i, o.Error, o.Details, caseJSON))
			continue
		}
		if len(o.IgnoredContextKeys) > 0 {
			oracleErrors = append(oracleErrors, fmt.Sprintf("case %d: iam-simulate ignored context keys %v\n%s", i, o.IgnoredContextKeys, caseJSON))
			continue
		}
		d := c.bulwark(t)
		got := oracleName(d.Result)
		results[o.Result]++
		// cmp is the case whose iam-simulate answer Bulwark's answer is compared with: the
		// oracle-side rewrite when there is one (its documented answer is the original's),
		// otherwise the case itself.
		cmp, want := c, o.Result
		var credited []string
		if rw, ok := rewrites[i]; ok {
			ro := answers[rw.sim]
			rwJSON, _ := json.MarshalIndent(sims[rw.sim], "", "  ")
			if ro.Error != "" || len(ro.IgnoredContextKeys) > 0 {
				oracleErrors = append(oracleErrors, fmt.Sprintf("case %d: iam-simulate rejects the rewrite by %v: %s %s %v\n%s",
					i, rw.names, ro.Error, ro.Details, ro.IgnoredContextKeys, rwJSON))
				continue
			}
			// The rewrite must not change the documented answer: Bulwark must answer it as
			// it answers the original. This is also what makes the comparison below sound,
			// as the iamSimulateDefects rules are then applied to the rewrite (a Bulwark that
			// mishandled the original's pattern would otherwise go unseen whenever another
			// rule's pattern is present).
			if rd := rw.c.bulwark(t); rd.Result != d.Result {
				for _, tg := range c.Tags {
					tagCount[tg]++
				}
				disagreements = append(disagreements, fmt.Sprintf("case %d (seed %d): Bulwark %s (%v) on the case but %s (%v) on its rewrite by %v, which should not change the answer\n%s\nrewrite:\n%s",
					i, seed, got, d, oracleName(rd.Result), rd, rw.names, caseJSON, rwJSON))
				continue
			}
			if ro.Result != o.Result {
				// iam-simulate's answer depends on the defect: the rules are credited
				// with the case if Bulwark gives the corrected answer.
				credited = rw.names
			}
			cmp, want = rw.c, ro.Result
			caseJSON = append(append(caseJSON, "\nas rewritten by "+strings.Join(rw.names, "+")+" for iam-simulate:\n"...), rwJSON...)
		}
		if dc, ok := sessionAlone[i]; ok {
			// Does the session policy alone allow the request? iam-simulate's answer on the
			// derived case decides (rewriteSessionPolicyLimitsAll). The derived case is
			// compared like any case, so its answer is one Bulwark agrees with, up to the
			// documented rules.
			so := answers[dc.sim]
			soJSON, _ := json.MarshalIndent(sims[dc.sim], "", "  ")
			if so.Error != "" || len(so.IgnoredContextKeys) > 0 {
				oracleErrors = append(oracleErrors, fmt.Sprintf("case %d: iam-simulate rejects the session-policy-alone case: %s %s %v\n%s",
					i, so.Error, so.Details, so.IgnoredContextKeys, soJSON))
				continue
			}
			sessionAloneResults[so.Result]++
			cmp.sessionAlone = so.Result
			sd := dc.c.bulwark(t)
			if sg := oracleName(sd.Result); sg != so.Result {
				rule := knownDivergence(t, dc.c, sd, so.Result)
				if rule == "" {
					for _, tg := range c.Tags {
						tagCount[tg]++
					}
					disagreements = append(disagreements, fmt.Sprintf("case %d (seed %d): on the case that asks whether the session policy alone allows the request, Bulwark %s (%v), iam-simulate %s\n%s\nderived from:\n%s",
						i, seed, sg, sd, so.Result, soJSON, caseJSON))
					continue
				}
				for _, r := range strings.Split(rule, "+") {
					knownSessionAlone[r]++
				}
			}
		}
		if got == want {
			for _, r := range credited {
				known[r]++
			}
			continue
		}
		if rule := knownDivergence(t, cmp, d, want); rule != "" {
			for _, r := range append(strings.Split(rule, "+"), credited...) {
				known[r]++
			}
			continue
		}
		for _, tg := range c.Tags {
			tagCount[tg]++
		}
		what := "iam-simulate"
		if cmp != c {
			what = "iam-simulate on the oracle-side rewrite"
		}
		disagreements = append(disagreements, fmt.Sprintf("case %d (seed %d): Bulwark %s (%v), %s %s; features %v\n%s",
			i, seed, got, d, what, want, c.Tags, caseJSON))
	}
	t.Logf("%d cases (seed %d) in %v (generation + oracle %v); oracle results %v; known divergences (cases per rule) %v; "+
		"cases whose input to iam-simulate an oracle-side rule rewrote (asked twice) %v; cases excluded: none",
		len(cases), seed, time.Since(start).Round(time.Millisecond), oracleTime.Round(time.Millisecond), results, known, oracleRewritten)
	t.Logf("iam-simulate/session-policy-limits-session-arn-grant: %d cases with its pattern, on which iam-simulate was asked whether "+
		"the session policy alone allows the request: answers %v; known divergences on those derived cases (cases per rule) %v",
		len(sessionAlone), sessionAloneResults, knownSessionAlone)
	t.Logf("cases per feature (selected): %v", coverage(cases))
	if len(oracleErrors) > 0 {
		t.Errorf("%d generated cases are not valid for iam-simulate (a generator bug); the first:\n%s", len(oracleErrors), strings.Join(first(oracleErrors, 3), "\n\n"))
	}
	if path := os.Getenv("BULWARK_ORACLE_DUMP"); path != "" {
		// Every disagreement, for triage.
		if err := os.WriteFile(path, []byte(strings.Join(disagreements, "\n\n")), 0o644); err != nil {
			t.Error(err)
		}
	}
	if len(disagreements) > 0 {
		t.Errorf("%d disagreements; features of the disagreeing cases: %v\nthe first:\n%s", len(disagreements), tagCount, strings.Join(first(disagreements, 5), "\n\n"))
	}
}

// coverageTags are the generator tags the log counts, to show that each feature the
// issue lists is exercised.
var coverageTags = map[string]bool{
	"role-session": true, "federated-session": true, "anonymous": true, "service-principal": true,
	"cross-account": true, "boundary": true,
	"session-policy": true, "session-as-boundary": true, "session-native": true,
	"resource-policy": true, "NotAction": true, "NotResource": true, "NotPrincipal": true,
	"condition-variable": true, "resource-variable": true, "IfExists": true, "Binary": true,
	"scp-1-levels": true, "scp-2-levels": true, "scp-3-levels": true, "rcp-1-levels": true,
}

func coverage(cases []*oracleCase) map[string]int {
	n := map[string]int{}
	for _, c := range cases {
		for _, tg := range c.Tags {
			if coverageTags[tg] {
				n[tg]++
			}
		}
	}
	return n
}

func first(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}
