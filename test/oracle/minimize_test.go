package oracle_test

// TestMinimize shrinks one disagreeing case to a minimal reproduction, for triage:
//
//	BULWARK_ORACLE_MINIMIZE=4950 go test ./test/oracle/ -run TestMinimize -v
//
// (with the same BULWARK_ORACLE_SEED and BULWARK_ORACLE_CASES as the failing run). It
// removes policies, levels, statements, condition blocks and keys, and context keys one
// at a time for as long as Bulwark and iam-simulate still give the same two different
// answers. iam-simulate is asked about the case as TestOracle asks it: rewritten by the
// oracle-side rules (oracleSideRules) when it holds their pattern.

import (
	"bufio"
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"strings"
	"testing"
)

type oracleProc struct {
	cmd *exec.Cmd
	w   *bufio.Writer
	r   *bufio.Scanner
}

func startOracle(t *testing.T) *oracleProc {
	cmd := exec.Command("node", "oracle.mjs", "--interactive")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	p := &oracleProc{cmd: cmd, w: bufio.NewWriter(in), r: sc}
	t.Cleanup(func() { in.Close(); cmd.Wait() })
	return p
}

func (p *oracleProc) ask(t *testing.T, s *simulation) oracleOut {
	b, _ := json.Marshal(map[string]any{"id": 0, "simulation": s})
	p.w.Write(append(b, '\n'))
	p.w.Flush()
	if !p.r.Scan() {
		t.Fatal("oracle closed")
	}
	var o oracleOut
	if err := json.Unmarshal(p.r.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	return o
}

func cloneDocs(ds []doc) []doc {
	b, _ := json.Marshal(ds)
	var out []doc
	json.Unmarshal(b, &out)
	return out
}

func cloneCase(c *oracleCase) *oracleCase {
	n := *c
	n.Identity = cloneDocs(c.Identity)
	if c.ResPolicy != nil {
		d := cloneDocs([]doc{*c.ResPolicy})[0]
		n.ResPolicy = &d
	}
	if c.Boundary != nil {
		d := cloneDocs([]doc{*c.Boundary})[0]
		n.Boundary = &d
	}
	if c.Session != nil {
		d := cloneDocs([]doc{*c.Session})[0]
		n.Session = &d
	}
	n.SCPs, n.RCPs = nil, nil
	for _, l := range c.SCPs {
		n.SCPs = append(n.SCPs, cloneDocs(l))
	}
	for _, l := range c.RCPs {
		n.RCPs = append(n.RCPs, cloneDocs(l))
	}
	n.Ctx = caseCtx{}
	for k, v := range c.Ctx {
		n.Ctx[k] = v
	}
	return &n
}

// docPtrs returns pointers to every policy document of the case.
func docPtrs(c *oracleCase) []*doc {
	var ds []*doc
	for i := range c.Identity {
		ds = append(ds, &c.Identity[i])
	}
	if c.ResPolicy != nil {
		ds = append(ds, c.ResPolicy)
	}
	if c.Boundary != nil {
		ds = append(ds, c.Boundary)
	}
	if c.Session != nil {
		ds = append(ds, c.Session)
	}
	for _, l := range c.SCPs {
		for i := range l {
			ds = append(ds, &l[i])
		}
	}
	for _, l := range c.RCPs {
		for i := range l {
			ds = append(ds, &l[i])
		}
	}
	return ds
}

// shrinks lists every one-step reduction of c.
func shrinks(c *oracleCase) []*oracleCase {
	var out []*oracleCase
	try := func(f func(n *oracleCase) bool) {
		n := cloneCase(c)
		if f(n) {
			out = append(out, n)
		}
	}
	for i := range c.Identity {
		try(func(n *oracleCase) bool { n.Identity = append(n.Identity[:i], n.Identity[i+1:]...); return true })
	}
	try(func(n *oracleCase) bool { r := n.ResPolicy != nil; n.ResPolicy = nil; return r })
	try(func(n *oracleCase) bool { r := n.Boundary != nil; n.Boundary = nil; return r })
	try(func(n *oracleCase) bool { r := n.Session != nil; n.Session = nil; return r })
	for _, lv := range []string{"scp", "rcp"} {
		levels := c.SCPs
		if lv == "rcp" {
			levels = c.RCPs
		}
		for i := range levels {
			try(func(n *oracleCase) bool {
				if lv == "scp" {
					n.SCPs = append(n.SCPs[:i], n.SCPs[i+1:]...)
				} else {
					n.RCPs = append(n.RCPs[:i], n.RCPs[i+1:]...)
				}
				return true
			})
			for j := range levels[i] {
				try(func(n *oracleCase) bool {
					if lv == "scp" {
						n.SCPs[i] = append(n.SCPs[i][:j], n.SCPs[i][j+1:]...)
					} else {
						n.RCPs[i] = append(n.RCPs[i][:j], n.RCPs[i][j+1:]...)
					}
					return true
				})
			}
		}
	}
	for di, d := range docPtrs(c) {
		for si, s := range d.Statement {
			if len(d.Statement) > 1 {
				try(func(n *oracleCase) bool {
					nd := docPtrs(n)[di]
					nd.Statement = append(nd.Statement[:si], nd.Statement[si+1:]...)
					return true
				})
			}
			for op, blk := range s.Condition {
				try(func(n *oracleCase) bool {
					ns := &docPtrs(n)[di].Statement[si]
					delete(ns.Condition, op)
					if len(ns.Condition) == 0 {
						ns.Condition = nil
					}
					return true
				})
				if m, ok := blk.(map[string]any); ok && len(m) > 1 {
					for k := range m {
						try(func(n *oracleCase) bool {
							delete(docPtrs(n)[di].Statement[si].Condition[op].(map[string]any), k)
							return true
						})
					}
				}
			}
			for _, f := range []string{"Action", "Resource"} {
				var v any = s.Action
				if f == "Resource" {
					v = s.Resource
				}
				if arr, ok := v.([]any); ok && len(arr) > 1 {
					for k := range arr {
						try(func(n *oracleCase) bool {
							ns := &docPtrs(n)[di].Statement[si]
							a := append(append([]any{}, arr[:k]...), arr[k+1:]...)
							if f == "Action" {
								ns.Action = a
							} else {
								ns.Resource = a
							}
							return true
						})
					}
				}
			}
		}
	}
	for k := range c.Ctx {
		try(func(n *oracleCase) bool { delete(n.Ctx, k); return true })
	}
	return out
}

func TestMinimize(t *testing.T) {
	id := envInt("BULWARK_ORACLE_MINIMIZE", -1)
	if id < 0 || testing.Short() {
		t.Skip("set BULWARK_ORACLE_MINIMIZE=<case id> to minimize a disagreeing case")
	}
	seed := int64(envInt("BULWARK_ORACLE_SEED", 1))
	r := rand.New(rand.NewSource(seed))
	var c *oracleCase
	for i := 0; i <= id; i++ {
		c = generate(r, i)
	}
	// Round-trip the documents through JSON so that Action/Resource arrays are []any.
	c = cloneCase(c)
	p := startOracle(t)
	disagree := func(c *oracleCase) (string, string, bool) {
		// iam-simulate is asked about the oracle-side rewrite when there is one, as in
		// TestOracle (divergences_test.go, oracleSideRules).
		oc := c
		if rc, _ := oracleRewrite(c); rc != nil {
			oc = rc
		}
		o := p.ask(t, oc.simulation())
		if o.Error != "" || len(o.IgnoredContextKeys) > 0 {
			return "", "", false
		}
		b := oracleName(c.bulwark(t).Result)
		return b, o.Result, b != o.Result
	}
	wantB, wantO, ok := disagree(c)
	if !ok {
		t.Fatalf("case %d does not disagree", id)
	}
	for progress := true; progress; {
		progress = false
		for _, n := range shrinks(c) {
			if b, o, ok := disagree(n); ok && b == wantB && o == wantO {
				c, progress = n, true
				break
			}
		}
	}
	b, _ := json.MarshalIndent(c.simulation(), "", "  ")
	note := ""
	if _, names := oracleRewrite(c); names != nil {
		note = " (asked about the case as rewritten by " + strings.Join(names, "+") + ")"
	}
	t.Logf("minimal case %d: Bulwark %s (%v), iam-simulate %s%s\n%s", id, wantB, c.bulwark(t), wantO, note, b)
}
