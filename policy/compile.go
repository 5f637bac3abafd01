package policy

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"strings"
)

// This file compiles a parsed Document into the form Evaluate reads. Everything that
// can be decided once is decided here: actions are lower-cased and split into service
// and name, resources and condition values become patterns with their variables parsed,
// condition keys are lower-cased, typed values (numbers, dates, CIDR blocks, Booleans,
// base64) are parsed, principals are sorted by the form they name, and a policy with
// many statements gets an index from action to statements.

// Compiled is a policy ready for evaluation. It is immutable and safe for concurrent
// use by any number of evaluations.
type Compiled struct {
	kind  Kind
	stmts []cStmt
	idx   *actionIndex
}

// Kind returns the kind of policy the document was parsed as.
func (c *Compiled) Kind() Kind { return c.kind }

// Len returns the number of statements.
func (c *Compiled) Len() int { return len(c.stmts) }

// cStmt is a compiled statement.
type cStmt struct {
	effect    Effect
	index     int
	sid       string
	notAction bool
	actions   []actionPat
	hasRes    bool // the statement has a Resource or NotResource element
	notRes    bool
	resources []pattern
	principal cPrincipal
	conds     []cCond
}

// actionPat is a compiled action: lower-case, split at the colon.
type actionPat struct {
	all      bool // "*"
	whole    string
	svc      string
	name     string
	svcWild  bool
	nameWild bool
	noColon  bool // no "service:" part: the pattern is matched against the whole action
	wholeGI  globInfo
	svcGI    globInfo
	nameGI   globInfo
}

// cCond is one condition key of one operator block.
type cCond struct {
	op       Op // the base operator as written
	pos      Op // the positive operator a negated one tests
	neg      bool
	q        Qualifier
	ifExists bool
	mode     matchMode // for the String and ARN operators
	key      string    // lower-cased
	hash     uint32    // keyHash(key)
	vals     []cVal
}

// cVal is one parsed condition value; ok is false when the text is not a value of the
// operator's type, and such a value never matches.
type cVal struct {
	ok   bool
	pat  pattern
	num  float64
	date dateVal
	pfx  netip.Prefix
	b    bool
	bin  string
}

// The index is built for policies with more statements than this.
const indexThreshold = 16

// actionIndex finds the statements that can match an action without testing all. It is
// keyed by a hash of the lower-cased text, so a request needs no lower-cased copy of its
// action; a collision only adds a candidate, and every candidate is matched in full.
type actionIndex struct {
	exact   map[uint64][]int32 // hash("service:action") -> statements naming it
	service map[uint64][]int32 // hash("service") -> statements with a wildcard action in it
	always  []int32            // statements to test for every action
}

// foldHash is FNV-1a over s with ASCII upper case folded to lower case.
func foldHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// ErrCompile matches every Compile error (errors.Is): a document that Parse would not
// have returned, such as a hand-built statement without an Effect.
const ErrCompile sentinel = "policy: cannot compile document"

// Compile turns a parsed document into its evaluation form. Compile it once, when the
// policy is written, and evaluate it many times.
func Compile(d *Document) (*Compiled, error) {
	if d == nil {
		return nil, fmt.Errorf("%w: nil document", ErrCompile)
	}
	c := &Compiled{kind: d.Kind, stmts: make([]cStmt, len(d.Statements))}
	a := newArena(d)
	v2012 := d.EffectiveVersion() == Version2012
	for i := range d.Statements {
		if err := a.statement(&c.stmts[i], &d.Statements[i], i, v2012); err != nil {
			return nil, err
		}
	}
	if len(c.stmts) > indexThreshold {
		c.idx = buildIndex(c.stmts)
	}
	return c, nil
}

// arena hands out the slices and lower-cased strings of one compilation from a few
// large allocations, sized by counting the document first.
type arena struct {
	actions []actionPat
	pats    []pattern
	conds   []cCond
	vals    []cVal
	parts   []tpart
	lower   []byte // lower-cased text; never grows past its capacity once sized
}

func newArena(d *Document) *arena {
	var nAct, nRes, nCond, nVal, nLower, nParts int
	for i := range d.Statements {
		s := &d.Statements[i]
		nAct += len(s.Action.Values)
		nRes += len(s.Resource.Values)
		for _, v := range s.Resource.Values {
			if v.Vars {
				nParts += 2*strings.Count(v.Text, "${") + 1
			}
		}
		for _, v := range s.Action.Values {
			nLower += len(v.Text)
		}
		for _, c := range s.Conditions {
			nCond += len(c.Keys)
			for _, k := range c.Keys {
				nVal += len(k.Values)
				nLower += len(k.Name)
				for _, v := range k.Values {
					if v.Vars {
						nParts += 2*strings.Count(v.Text, "${") + 1
					}
				}
			}
		}
	}
	return &arena{
		actions: make([]actionPat, 0, nAct),
		pats:    make([]pattern, 0, nRes),
		conds:   make([]cCond, 0, nCond),
		vals:    make([]cVal, 0, nVal),
		parts:   make([]tpart, 0, nParts),
		lower:   make([]byte, 0, nLower),
	}
}

// take returns the next n elements of *pool, or a fresh slice when the pool is spent.
func take[T any](pool *[]T, n int) []T {
	p := *pool
	if len(p)+n > cap(p) {
		return make([]T, n)
	}
	out := p[len(p) : len(p)+n : len(p)+n]
	*pool = p[:len(p)+n]
	return out
}

// toLower returns s in lower case, from the arena when s has upper-case ASCII letters.
func (a *arena) toLower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.ToLower(s)
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
	}
	if !upper {
		return s
	}
	if len(a.lower)+len(s) > cap(a.lower) {
		return strings.ToLower(s)
	}
	start := len(a.lower)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		a.lower = append(a.lower, c)
	}
	// The arena's bytes are written once and never change, so the string stays valid.
	return bytesString(a.lower[start:len(a.lower)])
}

// MustCompile is Compile for policies known to be valid, as in tests; it panics on error.
func MustCompile(d *Document) *Compiled {
	c, err := Compile(d)
	if err != nil {
		panic(err)
	}
	return c
}

// ParseCompile parses and compiles a document in one step.
func ParseCompile(doc string, kind Kind, opts ...Option) (*Compiled, error) {
	d, err := Parse(doc, kind, opts...)
	if err != nil {
		return nil, err
	}
	return Compile(d)
}

// hasEscape reports whether s holds ${*}, ${?} or ${$}, which a 2012-10-17 document
// reads as literal characters even where no variable is used.
func hasEscape(s string) bool {
	return strings.Contains(s, "${") && (strings.Contains(s, "${*}") || strings.Contains(s, "${?}") || strings.Contains(s, "${$}"))
}

func (a *arena) statement(cs *cStmt, s *Statement, i int, v2012 bool) error {
	if s.Effect != Allow && s.Effect != Deny {
		return fmt.Errorf("%w: statement %d has no valid Effect", ErrCompile, i)
	}
	cs.effect, cs.index, cs.sid = s.Effect, i, s.Sid
	cs.notAction = s.Action.Not
	cs.actions = take(&a.actions, len(s.Action.Values))
	for j, v := range s.Action.Values {
		cs.actions[j] = compileAction(a.toLower(v.Text))
	}
	cs.hasRes, cs.notRes = s.Resource.Present() || len(s.Resource.Values) > 0, s.Resource.Not
	cs.resources = take(&a.pats, len(s.Resource.Values))
	for j, v := range s.Resource.Values {
		vars := v.Vars || (v2012 && hasEscape(v.Text))
		cs.resources[j] = compilePatternIn(&a.parts, v.Text, vars, resourceVarStart(v.Text), modeARN)
	}
	cs.principal = compilePrincipal(&s.Principal)
	n := 0
	for _, cond := range s.Conditions {
		n += len(cond.Keys)
	}
	cs.conds = take(&a.conds, n)
	n = 0
	for _, cond := range s.Conditions {
		for ki := range cond.Keys {
			if err := a.condition(&cs.conds[n], cond.Operator, &cond.Keys[ki], v2012); err != nil {
				return fmt.Errorf("%w: statement %d: %w", ErrCompile, i, err)
			}
			n++
		}
	}
	return nil
}

// resourceVarStart returns where policy variables may start in a resource: after the
// fifth colon, in the resource segment of the ARN (IAM User Guide, "IAM policy elements:
// Variables and tags"). A resource with fewer segments takes none.
func resourceVarStart(s string) int {
	colons := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			colons++
			if colons == 5 {
				return i + 1
			}
		}
	}
	return len(s)
}

// compileAction compiles a lower-cased action.
func compileAction(a string) actionPat {
	if a == "*" {
		return actionPat{all: true, whole: a}
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok {
		return actionPat{whole: a, noColon: true, wholeGI: scanGlob(a)}
	}
	return actionPat{
		whole: a, svc: svc, name: name, svcGI: scanGlob(svc), nameGI: scanGlob(name),
		svcWild:  hasWildcard(svc),
		nameWild: hasWildcard(name),
	}
}

// negated maps a negated operator to the positive one it tests.
func negated(o Op) (Op, bool) {
	switch o {
	case OpStringNotEquals:
		return OpStringEquals, true
	case OpStringNotEqualsIgnoreCase:
		return OpStringEqualsIgnoreCase, true
	case OpStringNotLike:
		return OpStringLike, true
	case OpNumericNotEquals:
		return OpNumericEquals, true
	case OpDateNotEquals:
		return OpDateEquals, true
	case OpNotIPAddress:
		return OpIPAddress, true
	case OpArnNotEquals:
		return OpArnEquals, true
	case OpArnNotLike:
		return OpArnLike, true
	}
	return o, false
}

func (a *arena) condition(c *cCond, op Operator, k *ConditionKey, v2012 bool) error {
	if op.Op == OpUnknown || op.Op >= opCount {
		return fmt.Errorf("unknown condition operator %q", op.Name)
	}
	pos, neg := negated(op.Op)
	*c = cCond{op: op.Op, pos: pos, neg: neg, q: op.Qualifier, ifExists: op.IfExists, key: a.toLower(k.Name)}
	c.hash = keyHash(c.key)
	switch pos {
	case OpStringEqualsIgnoreCase:
		c.mode = modeEqualFold
	case OpStringLike:
		c.mode = modeGlob
	case OpArnEquals, OpArnLike:
		c.mode = modeARN
	}
	c.vals = take(&a.vals, len(k.Values))
	for i := range k.Values {
		v := k.Values[i]
		if !v.Vars && v2012 && v.Type == StringValue && op.Op.takesVariables() && hasEscape(v.Text) {
			v.Vars = true
		}
		c.vals[i] = a.value(pos, &v)
	}
	return nil
}

func (a *arena) value(pos Op, v *ConditionValue) cVal {
	var cv cVal
	switch pos {
	case OpStringEquals, OpStringEqualsIgnoreCase:
		cv.pat, cv.ok = compilePatternIn(&a.parts, v.Text, v.Vars, 0, modeEqual), true
	case OpStringLike:
		cv.pat, cv.ok = compilePatternIn(&a.parts, v.Text, v.Vars, 0, modeGlob), true
	case OpArnEquals, OpArnLike:
		cv.pat, cv.ok = compilePatternIn(&a.parts, v.Text, v.Vars, 0, modeARN), true
	case OpNumericEquals, OpNumericLessThan, OpNumericLessThanEquals, OpNumericGreaterThan, OpNumericGreaterThanEquals:
		cv.num, cv.ok = parseNumber(v.Text)
	case OpDateEquals, OpDateLessThan, OpDateLessThanEquals, OpDateGreaterThan, OpDateGreaterThanEquals:
		cv.date, cv.ok = parseDate(v.Text)
	case OpBool, OpNull:
		cv.b, cv.ok = parseBool(v.Text)
	case OpBinaryEquals:
		b, err := base64.StdEncoding.DecodeString(v.Text)
		cv.bin, cv.ok = string(b), err == nil
	case OpIPAddress:
		cv.pfx, cv.ok = parsePrefix(v.Text)
	}
	return cv
}

func buildIndex(stmts []cStmt) *actionIndex {
	idx := &actionIndex{exact: map[uint64][]int32{}, service: map[uint64][]int32{}}
	add := func(m map[uint64][]int32, key string, i int32) {
		h := foldHash(key)
		l := m[h]
		if len(l) > 0 && l[len(l)-1] == i {
			return
		}
		m[h] = append(l, i)
	}
	for i := range stmts {
		s := &stmts[i]
		n := int32(i)
		always := s.notAction
		for _, a := range s.actions {
			if a.all || a.noColon || a.svcWild {
				always = true
			}
		}
		if always {
			idx.always = append(idx.always, n)
			continue
		}
		for _, a := range s.actions {
			if a.nameWild {
				add(idx.service, a.svc, n)
			} else {
				add(idx.exact, a.whole, n)
			}
		}
	}
	return idx
}
