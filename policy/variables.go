package policy

import (
	"fmt"
	"strings"
)

// Policy variables: ${key}, ${key, 'default'} and the escapes ${*}, ${?}, ${$}.
// Source: IAM User Guide, "IAM policy elements: Variables and tags". IAM accepts a
// malformed or misplaced variable and treats the text literally, so problems here are
// warnings, worded as IAM Access Analyzer words them.

// varScan is what scanning one string for variables found.
type varScan struct {
	count   int    // well-formed variables; escapes do not count
	first   string // the first well-formed variable as written
	problem string // the first malformed variable's warning, or ""
}

func scanVariables(s string) varScan {
	var r varScan
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		start := i + j
		end, ok := variableEnd(s, start+2)
		if !ok {
			r.note(warnMissingBrace)
			break
		}
		i = end + 1
		body := s[start+2 : end]
		switch body {
		case "*", "?", "$":
			continue
		case "":
			r.note(warnEmpty)
			continue
		}
		name, def, hasDef := strings.Cut(body, ",")
		switch {
		case strings.ContainsAny(name, " \t"):
			r.note(warnSpace)
		case hasDef && !quoted(strings.TrimPrefix(def, " ")):
			r.note(warnMissingQuote)
		default:
			r.count++
			if r.first == "" {
				r.first = s[start : end+1]
			}
		}
	}
	return r
}

func (r *varScan) note(problem string) {
	if r.problem == "" {
		r.problem = problem
	}
}

// variableEnd returns the index of the brace that closes a variable whose text starts at
// from; braces inside a single-quoted default value do not count.
func variableEnd(s string, from int) (int, bool) {
	inQuote := false
	for k := from; k < len(s); k++ {
		switch s[k] {
		case '\'':
			inQuote = !inQuote
		case '}':
			if !inQuote {
				return k, true
			}
		}
	}
	return 0, false
}

func quoted(s string) bool {
	return len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\''
}

// checkVariables sets the Vars flags and records warnings for variables that cannot take
// effect: in a 2008-10-17 document, in an element other than Resource and Condition, or
// with an operator other than the String and ARN operators.
func (p *parser) checkVariables() {
	v2012 := p.doc.EffectiveVersion() == Version2012
	for si := range p.doc.Statements {
		s := &p.doc.Statements[si]
		for i := range s.Resource.Values {
			v := &s.Resource.Values[i]
			v.Vars = p.usable(scanVariables(v.Text), v.Pos, v2012, true, "")
		}
		for i := range s.Action.Values {
			p.usable(scanVariables(s.Action.Values[i].Text), s.Action.Values[i].Pos, v2012, false, "")
		}
		for _, e := range s.Principal.Entries {
			for _, v := range e.Values {
				p.usable(scanVariables(v.Text), v.Pos, v2012, false, "")
			}
		}
		for ci := range s.Conditions {
			c := &s.Conditions[ci]
			for ki := range c.Keys {
				k := &c.Keys[ki]
				for vi := range k.Values {
					v := &k.Values[vi]
					if v.Type != StringValue {
						continue
					}
					opProblem := ""
					if !c.Operator.Op.takesVariables() {
						opProblem = warnOperator
					}
					v.Vars = p.usable(scanVariables(v.Text), v.Pos, v2012, true, opProblem)
				}
			}
		}
	}
}

// usable records the warnings for one scanned string and reports whether its variables
// take effect.
func (p *parser) usable(r varScan, pos Pos, v2012, element bool, opProblem string) bool {
	if r.problem != "" {
		p.warn(pos, r.problem)
	}
	if r.count == 0 {
		return false
	}
	switch {
	case !element:
		p.warn(pos, fmt.Sprintf(fmtWarnElement, r.first))
	case !v2012:
		p.warn(pos, warnVersion)
	case opProblem != "":
		p.warn(pos, opProblem)
	default:
		return true
	}
	return false
}
