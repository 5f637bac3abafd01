package policy

import (
	"fmt"
	"strings"
)

// This file turns the JSON tree into the syntax tree and reports what breaks the grammar
// (IAM User Guide, "Grammar of the IAM JSON policy language"). Element names are
// case-sensitive; every failure here is "Syntax errors in policy." except an Effect
// written in the wrong case, which only the legacy parser rejects.

func (p *parser) node(i int32) *node { return &p.tree.nodes[i] }

// at converts a byte offset into a position.
func (p *parser) at(off int32) Pos { return p.tree.pos(off) }

// build reads the document object.
func (p *parser) build() {
	root := p.node(0)
	if root.kind != nodeObject {
		p.syntax(p.at(root.off), "the document must be a JSON object")
		return
	}
	stmt := int32(-1)
	for c := root.first; c >= 0; c = p.node(c).next {
		m := p.node(c)
		switch m.key {
		case "Version":
			if m.kind != nodeString {
				p.syntax(p.at(m.off), "Version must be a string")
				continue
			}
			switch v := Version(m.str); v {
			case Version2012, Version2008:
				p.doc.Version, p.doc.VersionPos = v, p.at(m.keyOff)
			default:
				p.syntax(p.at(m.off), fmt.Sprintf("Version must be %q or %q, not %q", Version2012, Version2008, m.str))
			}
		case "Id":
			if m.kind != nodeString {
				p.syntax(p.at(m.off), "Id must be a string")
				continue
			}
			p.doc.ID, p.doc.IDPos = m.str, p.at(m.keyOff)
		case "Statement":
			stmt = c
		default:
			p.syntax(p.at(m.keyOff), fmt.Sprintf("unknown element %q", m.key))
		}
	}
	if stmt < 0 {
		p.syntax(p.at(root.off), "the document has no Statement")
		return
	}
	switch s := p.node(stmt); s.kind {
	case nodeObject:
		p.doc.Statements = make([]Statement, 0, 1)
		p.statement(stmt)
	case nodeArray:
		if s.count == 0 {
			p.syntax(p.at(s.off), "Statement is an empty array")
			return
		}
		p.doc.Statements = make([]Statement, 0, s.count)
		for c := s.first; c >= 0; c = p.node(c).next {
			if p.node(c).kind != nodeObject {
				p.syntax(p.at(p.node(c).off), "a statement must be a JSON object")
				continue
			}
			p.statement(c)
		}
	default:
		p.syntax(p.at(s.off), "Statement must be an object or an array of objects")
	}
}

// statement reads one statement object.
func (p *parser) statement(i int32) {
	n := p.node(i)
	s := Statement{Pos: p.at(n.off)}
	effectSeen := false
	for c := n.first; c >= 0; c = p.node(c).next {
		m := p.node(c)
		switch m.key {
		case "Sid":
			if m.kind != nodeString {
				p.syntax(p.at(m.off), "Sid must be a string")
				continue
			}
			s.Sid, s.SidPos = m.str, p.at(m.keyOff)
		case "Effect":
			effectSeen = true
			p.effect(&s, m)
		case "Principal", "NotPrincipal":
			if s.Principal.Present() {
				p.syntax(p.at(m.keyOff), "a statement may have Principal or NotPrincipal, not both")
				continue
			}
			p.principal(&s.Principal, m, m.key == "NotPrincipal")
		case "Action", "NotAction":
			if s.Action.Present() {
				p.syntax(p.at(m.keyOff), "a statement may have Action or NotAction, not both")
				continue
			}
			p.list(&s.Action, m, m.key == "NotAction")
		case "Resource", "NotResource":
			if s.Resource.Present() {
				p.syntax(p.at(m.keyOff), "a statement may have Resource or NotResource, not both")
				continue
			}
			p.list(&s.Resource, m, m.key == "NotResource")
		case "Condition":
			p.conditions(&s, m)
		default:
			p.syntax(p.at(m.keyOff), fmt.Sprintf("unknown statement element %q", m.key))
		}
	}
	if !effectSeen {
		p.syntax(p.at(n.off), "the statement has no Effect")
	}
	p.doc.Statements = append(p.doc.Statements, s)
}

// effect reads the Effect element. The value is case-sensitive: "allow" passes the
// grammar but fails the legacy parser (moto test_iam_policies.py: "denY", "aLLow").
func (p *parser) effect(s *Statement, m *node) {
	s.EffectPos = p.at(m.keyOff)
	if m.kind != nodeString {
		p.syntax(p.at(m.off), "Effect must be a string")
		return
	}
	switch m.str {
	case "Allow":
		s.Effect = Allow
	case "Deny":
		s.Effect = Deny
	default:
		switch {
		case strings.EqualFold(m.str, "Allow"):
			s.Effect = Allow
		case strings.EqualFold(m.str, "Deny"):
			s.Effect = Deny
		default:
			p.syntax(p.at(m.off), fmt.Sprintf("Effect must be Allow or Deny, not %q", m.str))
			return
		}
		p.failAt(stageLegacy, p.at(m.off), msgLegacy, fmt.Sprintf("Effect is case-sensitive: %q", m.str))
	}
}

// list reads Action, NotAction, Resource or NotResource: a string or an array of strings.
func (p *parser) list(l *List, m *node, not bool) {
	l.Not, l.Pos = not, p.at(m.keyOff)
	switch m.kind {
	case nodeString:
		l.Values = []Value{{Text: m.str, Pos: p.at(m.off)}}
	case nodeArray:
		l.Array = true
		l.Values = make([]Value, 0, m.count)
		for c := m.first; c >= 0; c = p.node(c).next {
			v := p.node(c)
			if v.kind != nodeString {
				p.syntax(p.at(v.off), m.key+" values must be strings")
				continue
			}
			l.Values = append(l.Values, Value{Text: v.str, Pos: p.at(v.off)})
		}
	default:
		p.syntax(p.at(m.off), m.key+" must be a string or an array of strings")
	}
}

// principal reads Principal or NotPrincipal: "*" or a map from principal type to a
// string or an array of strings. In a kind that may not name a principal at all, only
// the element's presence matters: IAM answers "Policy document should not specify a
// principal." whatever the value.
func (p *parser) principal(pr *Principal, m *node, not bool) {
	pr.Not, pr.Pos = not, p.at(m.keyOff)
	if p.kind.principalRule() == principalForbidden {
		return
	}
	switch m.kind {
	case nodeString:
		if m.str != "*" {
			p.syntax(p.at(m.off), m.key+` must be "*" or a map of principals`)
			return
		}
		pr.Wildcard = true
	case nodeObject:
		pr.Entries = make([]PrincipalEntry, 0, m.count)
		for c := m.first; c >= 0; c = p.node(c).next {
			e := p.node(c)
			t, ok := principalTypeOf(e.key)
			if !ok {
				p.syntax(p.at(e.keyOff), fmt.Sprintf("unknown principal type %q", e.key))
				continue
			}
			entry := PrincipalEntry{Type: t, Pos: p.at(e.keyOff)}
			switch e.kind {
			case nodeString:
				entry.Values = []Value{{Text: e.str, Pos: p.at(e.off)}}
			case nodeArray:
				entry.Array = true
				entry.Values = make([]Value, 0, e.count)
				for v := e.first; v >= 0; v = p.node(v).next {
					vn := p.node(v)
					if vn.kind != nodeString {
						p.syntax(p.at(vn.off), "principal identifiers must be strings")
						continue
					}
					entry.Values = append(entry.Values, Value{Text: vn.str, Pos: p.at(vn.off)})
				}
			default:
				p.syntax(p.at(e.off), "principal identifiers must be a string or an array of strings")
				continue
			}
			pr.Entries = append(pr.Entries, entry)
		}
	default:
		p.syntax(p.at(m.off), m.key+` must be "*" or a map of principals`)
	}
}

// conditions reads the Condition element: operator -> key -> value or array of values.
// A value is a string, a number or a Boolean. An operator IAM does not know is accepted
// only with an empty block (moto test_iam_policies.py: {"a": {}} passes, {"x": {"a":
// "1"}} does not).
func (p *parser) conditions(s *Statement, m *node) {
	s.ConditionPos = p.at(m.keyOff)
	if m.kind != nodeObject {
		p.syntax(p.at(m.off), "Condition must be an object")
		return
	}
	s.Conditions = make([]Condition, 0, m.count)
	for c := m.first; c >= 0; c = p.node(c).next {
		o := p.node(c)
		if o.kind != nodeObject {
			p.syntax(p.at(o.off), fmt.Sprintf("condition operator %q must map to an object", o.key))
			continue
		}
		op := parseOperator(o.key)
		if op.Op == OpUnknown && o.count > 0 {
			detail := fmt.Sprintf("unknown condition operator %q", o.key)
			if strings.HasSuffix(o.key, "NullIfExists") {
				detail = "the Null operator cannot take IfExists"
			}
			p.syntax(p.at(o.keyOff), detail)
			continue
		}
		cond := Condition{Operator: op, Pos: p.at(o.keyOff), Keys: make([]ConditionKey, 0, o.count)}
		for k := o.first; k >= 0; k = p.node(k).next {
			if key, ok := p.conditionKey(p.node(k)); ok {
				cond.Keys = append(cond.Keys, key)
			}
		}
		s.Conditions = append(s.Conditions, cond)
	}
}

func (p *parser) conditionKey(k *node) (ConditionKey, bool) {
	key := ConditionKey{Name: k.key, Pos: p.at(k.keyOff)}
	if k.kind == nodeArray {
		key.Array = true
		key.Values = make([]ConditionValue, 0, k.count)
		for v := k.first; v >= 0; v = p.node(v).next {
			cv, ok := p.scalar(p.node(v))
			if !ok {
				p.syntax(p.at(p.node(v).off), "condition values must be strings, numbers or Booleans")
				return key, false
			}
			key.Values = append(key.Values, cv)
		}
		return key, true
	}
	cv, ok := p.scalar(k)
	if !ok {
		p.syntax(p.at(k.off), "a condition value must be a string, number, Boolean or an array of them")
		return key, false
	}
	key.Values = []ConditionValue{cv}
	return key, true
}

// scalar converts a string, number or Boolean node to a condition value.
func (p *parser) scalar(n *node) (ConditionValue, bool) {
	switch n.kind {
	case nodeString:
		return ConditionValue{Text: n.str, Type: StringValue, Pos: p.at(n.off)}, true
	case nodeNumber:
		return ConditionValue{Text: n.str, Type: NumberValue, Pos: p.at(n.off)}, true
	case nodeTrue, nodeFalse:
		return ConditionValue{Text: n.str, Type: BoolValue, Pos: p.at(n.off)}, true
	}
	return ConditionValue{}, false
}
