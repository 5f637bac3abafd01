package policy

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// This file holds the matchers: wildcard (glob) matching, ARN segment matching and
// patterns with policy variables. A pattern is compiled once; at evaluation a pattern
// with variables is resolved into a buffer on the caller's stack, with a mask that marks
// the characters that came from a variable or an escape (${*}, ${?}, ${$}): those are
// literal even when they are '*' or '?'.

// matchMode says how a pattern is compared with a value.
type matchMode uint8

const (
	modeEqual     matchMode = iota // exact, case-sensitive
	modeEqualFold                  // exact, case-insensitive (Unicode simple folding)
	modeGlob                       // '*' and '?' wildcards, case-sensitive
	modeARN                        // wildcards, ARN segments matched separately
)

// pattern is a compiled string value of a policy: a resource, a condition value.
type pattern struct {
	text  string   // the text, when the pattern has no variables or escapes
	parts []tpart  // the parts, when it has
	any   bool     // the pattern is "*" in a wildcard mode: it matches everything
	gi    globInfo // where text's wildcards and colons are
}

// globInfo describes a wildcard pattern for glob: the index of its first active
// wildcard (-1 when none), the colons before it, and the colons in all.
type globInfo struct {
	wild  int
	pre   int
	total int
}

// scanGlob computes the globInfo of a pattern without literal (masked) characters.
func scanGlob(p string) globInfo {
	gi := globInfo{wild: -1}
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case ':':
			gi.total++
		case '*', '?':
			if gi.wild < 0 {
				gi.wild, gi.pre = i, gi.total
			}
		}
	}
	return gi
}

// tpart is one part of a pattern with variables: literal text in which wildcards act,
// an escaped character, or a variable.
type tpart struct {
	text   string // literal text, or the escaped character
	key    string // the variable's key, lower-cased; "" for text
	hash   uint32 // keyHash(key)
	def    string // the default value
	hasDef bool
	lit    bool // text is literal: wildcards in it do not act
	gi     globInfo
}

// compilePattern compiles s. With vars, ${...} in s is a policy variable; from is the
// byte offset where variables start to count (Resource takes them only in the resource
// segment of the ARN, after the fifth colon).
func compilePattern(s string, vars bool, from int, mode matchMode) pattern {
	return compilePatternIn(nil, s, vars, from, mode)
}

// compilePatternIn is compilePattern taking its parts from pool when it has room.
func compilePatternIn(pool *[]tpart, s string, vars bool, from int, mode matchMode) pattern {
	if (mode == modeGlob || mode == modeARN) && s == "*" {
		return pattern{text: s, any: true}
	}
	if !vars || !strings.Contains(s[from:], "${") {
		return pattern{text: s, gi: scanGlob(s)}
	}
	n := 2*strings.Count(s[from:], "${") + 1
	var parts []tpart
	if pool != nil && len(*pool)+n <= cap(*pool) {
		parts = take(pool, n)[:0]
	} else {
		parts = make([]tpart, 0, n)
	}
	litStart := 0 // literal text runs from litStart to the next variable
	for i := from; ; {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			break
		}
		j += i
		end, ok := variableEnd(s, j+2)
		if !ok {
			break
		}
		body := s[j+2 : end]
		i = end + 1
		var part tpart
		switch body {
		case "*", "?", "$":
			part = tpart{text: body, lit: true}
		default:
			name, def, hasDef := strings.Cut(body, ",")
			if name == "" || strings.ContainsAny(name, " \t") {
				continue // malformed: literal text, as IAM treats it
			}
			if hasDef {
				def = strings.TrimPrefix(def, " ")
				if !quoted(def) {
					continue
				}
				def = def[1 : len(def)-1]
			}
			key := strings.ToLower(name)
			part = tpart{key: key, hash: keyHash(key), def: def, hasDef: hasDef}
		}
		if j > litStart {
			parts = append(parts, tpart{text: s[litStart:j], gi: scanGlob(s[litStart:j])})
		}
		parts = append(parts, part)
		litStart = i
	}
	if litStart < len(s) {
		parts = append(parts, tpart{text: s[litStart:], gi: scanGlob(s[litStart:])})
	}
	for i := range parts {
		if parts[i].lit || parts[i].key != "" {
			parts[i].gi = globInfo{wild: -1}
		}
	}
	return pattern{text: s, parts: parts}
}

// resolve writes the pattern with its variables replaced into buf. It reports false when
// a variable has no value and no default. The mask, which marks the bytes that are
// literal although they are '*' or '?', is nil unless such a byte exists; it is the
// one thing here that allocates, and only for a variable value holding a wildcard
// character or an escape. gi describes the result for glob.
func (p *pattern) resolve(ec *evalCtx, buf []byte) (out []byte, mask []bool, gi globInfo, ok bool) {
	needMask := false
	gi.wild = -1
	for i := range p.parts {
		t := &p.parts[i]
		text := t.text
		colons := t.gi.total
		if t.key != "" {
			vals, ok := ec.lookup(t.key, t.hash)
			switch {
			case ok && len(vals) == 1:
				text = vals[0].str()
			case t.hasDef && (!ok || len(vals) == 0):
				text = t.def
			default:
				return buf, nil, gi, false
			}
			colons = 0
			for k := 0; k < len(text); k++ {
				switch text[k] {
				case ':':
					colons++
				case '*', '?':
					needMask = true
				}
			}
		} else if t.lit {
			needMask = true
		}
		if gi.wild < 0 && t.gi.wild >= 0 {
			gi.wild, gi.pre = len(buf)+t.gi.wild, gi.total+t.gi.pre
		}
		gi.total += colons
		buf = append(buf, text...)
	}
	if !needMask {
		return buf, nil, gi, true
	}
	mask = make([]bool, 0, len(buf))
	for i := range p.parts {
		t := &p.parts[i]
		n := len(t.text)
		lit := t.lit
		if t.key != "" {
			vals, ok := ec.lookup(t.key, t.hash)
			if ok && len(vals) == 1 {
				n = len(vals[0].str())
			} else {
				n = len(t.def)
			}
			lit = true
		}
		for range n {
			mask = append(mask, lit)
		}
	}
	return buf, mask, gi, true
}

// matchDirect matches a pattern with variables part by part against v, without
// resolving it into a buffer, when its only wildcards are in its last part (as in
// "arn:aws:s3:::bucket/${aws:username}/*"). done is false when it cannot.
func (p *pattern) matchDirect(ec *evalCtx, v string, mode matchMode) (matched, resolved, done bool) {
	rest, colons := v, 0
	for i := range p.parts {
		t := &p.parts[i]
		text := t.text
		if t.key != "" {
			vals, ok := ec.lookup(t.key, t.hash)
			switch {
			case ok && len(vals) == 1:
				text = vals[0].str()
			case t.hasDef && (!ok || len(vals) == 0):
				text = t.def
			default:
				return false, false, true
			}
			if mode == modeARN && colons < 5 { // past the fifth colon, colons no longer matter
				for k := 0; k < len(text); k++ {
					if text[k] == ':' {
						colons++
					}
				}
			}
		} else if !t.lit && t.gi.wild >= 0 {
			if i != len(p.parts)-1 || mode == modeEqual {
				return false, true, false
			}
			gi := globInfo{wild: t.gi.wild, pre: colons + t.gi.pre, total: colons + t.gi.total}
			return glob(text, nil, rest, false, mode == modeARN, gi), true, true
		} else {
			colons += t.gi.total
		}
		if len(rest) < len(text) || rest[:len(text)] != text {
			// A later variable still has to resolve for the answer to be "no match"
			// rather than "unresolved"; only a negated operator cares.
			for j := i + 1; j < len(p.parts); j++ {
				if k := &p.parts[j]; k.key != "" {
					if vals, ok := ec.lookup(k.key, k.hash); !(ok && len(vals) == 1) && !(k.hasDef && (!ok || len(vals) == 0)) {
						return false, false, true
					}
				}
			}
			return false, true, true
		}
		rest = rest[len(text):]
	}
	return rest == "", true, true
}

func hasWildcard(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}

// match reports whether the pattern matches v; resolved is false when a variable in the
// pattern has no value (the pattern then matches nothing).
func (p *pattern) match(ec *evalCtx, v string, mode matchMode) (matched, resolved bool) {
	if p.any {
		return true, true
	}
	if p.parts == nil {
		switch mode {
		case modeEqual:
			return p.text == v, true
		case modeEqualFold:
			return strings.EqualFold(p.text, v), true
		case modeGlob:
			return glob(p.text, nil, v, false, false, p.gi), true
		}
		return glob(p.text, nil, v, false, true, p.gi), true
	}
	if mode != modeEqualFold {
		if m, r, done := p.matchDirect(ec, v, mode); done {
			return m, r
		}
	}
	var bb [256]byte
	b, m, gi, ok := p.resolve(ec, bb[:0])
	if !ok {
		return false, false
	}
	switch mode {
	case modeEqual:
		return string(b) == v, true
	case modeEqualFold:
		return equalFoldBytes(b, v), true
	case modeGlob:
		return glob(bytesString(b), m, v, false, false, gi), true
	}
	return glob(bytesString(b), m, v, false, true, gi), true
}

// glob matches s against the pattern p, in which '*' matches any run of characters and
// '?' any one character, except where mask marks a byte as literal. With fold the
// pattern is lower-case ASCII and s is compared ASCII case-insensitively. With arn, a
// wildcard does not match ':' in the first five segments of the pattern unless it is
// in the pattern's last segment: ARN segments match separately, and a pattern with
// fewer segments lets its last one cover the rest.
func glob(p string, mask []bool, s string, fold, arn bool, gi globInfo) bool {
	total := gi.total
	// The text before the first wildcard compares as a whole.
	w := gi.wild
	if w < 0 {
		if fold {
			return equalFoldASCII(p, s)
		}
		return p == s
	}
	if len(s) < w {
		return false
	}
	if fold {
		if !equalFoldASCII(p[:w], s[:w]) {
			return false
		}
	} else if p[:w] != s[:w] {
		return false
	}
	px, sx := w, w
	colons := gi.pre // pattern colons before px
	starPx, starSx, starColons := -1, 0, 0
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			c := p[px]
			wild := mask == nil || !mask[px]
			switch {
			case wild && c == '*':
				if px == len(p)-1 && (!arn || colons >= 5 || colons == total) {
					return true // a final '*' that may cross colons matches the rest
				}
				starPx, starSx, starColons = px, sx, colons
				px++
				continue
			case wild && c == '?':
				if sx < len(s) && (!arn || s[sx] != ':' || colons >= 5 || colons == total) {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) {
					sc := s[sx]
					if fold && sc >= 'A' && sc <= 'Z' {
						sc += 'a' - 'A'
					}
					if sc == c {
						if c == ':' {
							colons++
						}
						px++
						sx++
						continue
					}
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			if arn && s[starSx] == ':' && starColons < 5 && starColons != total {
				return false
			}
			starSx++
			px, sx, colons = starPx+1, starSx, starColons
			continue
		}
		return false
	}
	return true
}

// bytesString views a resolved pattern buffer as a string for the duration of a match;
// the buffer is not changed while the string is in use.
func bytesString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// equalFoldBytes is strings.EqualFold for a byte slice and a string.
func equalFoldBytes(b []byte, s string) bool {
	for len(b) > 0 && len(s) > 0 {
		r1, n1 := utf8.DecodeRune(b)
		r2, n2 := utf8.DecodeRuneInString(s)
		b, s = b[n1:], s[n2:]
		if r1 == r2 {
			continue
		}
		if r2 < r1 {
			r1, r2 = r2, r1
		}
		r := unicode.SimpleFold(r1)
		for r != r1 && r < r2 {
			r = unicode.SimpleFold(r)
		}
		if r != r2 {
			return false
		}
	}
	return len(b) == len(s)
}

// equalFoldASCII compares a lower-case ASCII pattern with s, ignoring ASCII case in s.
func equalFoldASCII(lower, s string) bool {
	if len(lower) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// str returns the value's text, formatting a value derived from Request.Time.
func (v *ctxValue) str() string {
	if v.flags&lazyText == 0 {
		return v.text
	}
	if v.flags&hasNum != 0 {
		return strconv.FormatInt(v.date.sec, 10)
	}
	return time.Unix(v.date.sec, int64(v.date.nsec)).UTC().Format(time.RFC3339)
}
