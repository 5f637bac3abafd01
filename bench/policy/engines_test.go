package policybench

import (
	"context"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/bulwarkhq/bulwark/policy"
)

// Each case builds, for one logical request, the input of every engine once (outside the
// timed loop): a *policy.Input for Bulwark, a policy set + entities + request for cedar-go,
// and a prepared query + parsed input value for OPA. The timed loop only decides.

type bulwarkCase struct{ in *policy.Input }

func (c bulwarkCase) allowed() bool { return policy.Evaluate(c.in).Result == policy.Allowed }

type cedarCase struct {
	ps       *cedar.PolicySet
	entities cedar.EntityMap
	req      cedar.Request
}

func (c cedarCase) allowed() bool {
	d, _ := cedar.Authorize(c.ps, c.entities, c.req)
	return d == cedar.Allow
}

type opaCase struct {
	pq    *rego.PreparedEvalQuery
	input ast.Value
}

func (c opaCase) allowed() bool {
	rs, err := c.pq.Eval(context.Background(), rego.EvalParsedInput(c.input))
	if err != nil || len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return false
	}
	b, ok := rs[0].Expressions[0].Value.(bool)
	return ok && b
}

func mustCompile(tb testing.TB, text string) *policy.Compiled {
	tb.Helper()
	c, err := policy.ParseCompile(text, policy.KindIdentity)
	if err != nil {
		tb.Fatalf("ParseCompile: %v\n%s", err, text)
	}
	return c
}

func mustCedar(tb testing.TB, name, text string) *cedar.PolicySet {
	tb.Helper()
	ps, err := cedar.NewPolicySetFromBytes(name, []byte(text))
	if err != nil {
		tb.Fatalf("cedar: %v", err)
	}
	return ps
}

func mustRego(tb testing.TB, query, module, text string) *rego.PreparedEvalQuery {
	tb.Helper()
	pq, err := rego.New(rego.Query(query), rego.Module(module, text)).PrepareForEval(context.Background())
	if err != nil {
		tb.Fatalf("rego: %v", err)
	}
	return &pq
}

func mustValue(tb testing.TB, v map[string]any) ast.Value {
	tb.Helper()
	val, err := ast.InterfaceToValue(v)
	if err != nil {
		tb.Fatal(err)
	}
	return val
}

// lowerKeys gives OPA the request context with lower-cased keys, as IAM condition keys are
// case-insensitive (Bulwark folds them itself; Rego map lookups are case-sensitive).
func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

func uid(typ, id string) cedar.EntityUID {
	return cedar.NewEntityUID(cedar.EntityType(typ), cedar.String(id))
}
