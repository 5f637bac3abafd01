package policy

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// This file holds a strict JSON reader (RFC 8259) that keeps the position of every value
// and every object key, which encoding/json does not. It reads the whole document into a
// flat arena of nodes: one allocation that grows, children linked by index.

// maxDepth bounds nesting. A valid policy nests five levels deep at most
// (document, Statement array, statement, Condition, operator, key, value array).
const maxDepth = 32

type nodeKind uint8

const (
	nodeObject nodeKind = iota + 1
	nodeArray
	nodeString
	nodeNumber
	nodeTrue
	nodeFalse
	nodeNull
)

// node is one JSON value. For a member of an object, key and keyOff hold the member
// name. Offsets are bytes from the start of the text; jsonTree.pos turns them into
// positions.
type node struct {
	kind   nodeKind
	off    int32
	keyOff int32
	first  int32  // first child, or -1
	next   int32  // next sibling, or -1
	count  int32  // number of children
	str    string // decoded string, number literal as written, or the literal's text
	key    string
}

// jsonError is the first syntax error in the text; reading stops there.
type jsonError struct {
	off    int32
	detail string
}

// jsonTree is the result of reading a document.
type jsonTree struct {
	nodes []node
	// lines holds the offset at which each line starts; line breaks only occur in white
	// space, where the reader sees them.
	lines []int32
	// line caches the index into lines of the last lookup: lookups mostly move forward.
	line int
	// dups lists the offsets of repeated keys within one object; the grammar forbids
	// them ("Individual elements must not contain multiple instances of the same key").
	dups []int32
}

// pos converts a byte offset into a position.
func (t *jsonTree) pos(off int32) Pos {
	i := t.line // the 0-based line of the last lookup
	if i >= len(t.lines) || t.lines[i] > off || (i+1 < len(t.lines) && t.lines[i+1] <= off) {
		j, _ := slices.BinarySearch(t.lines, off+1) // lines[j-1] <= off < lines[j]
		i = j - 1
		t.line = i
	}
	return Pos{Offset: int(off), Line: i + 1, Column: int(off-t.lines[i]) + 1}
}

type jsonReader struct {
	src  string
	off  int
	tree jsonTree
	err  *jsonError
}

// readJSON reads src as exactly one JSON value surrounded by optional white space. The
// caller bounds len(src) well below 2 GiB, so offsets fit in int32.
func readJSON(src string) (jsonTree, *jsonError) {
	r := jsonReader{src: src}
	// Every value but the first in a container follows a comma, so this bounds the
	// number of nodes and the arena is allocated once.
	n := strings.Count(src, ",") + strings.Count(src, "{") + strings.Count(src, "[") + 1
	r.tree.nodes = make([]node, 0, n)
	r.tree.lines = make([]int32, 1, strings.Count(src, "\n")+1)
	r.skipSpace()
	r.value(0)
	if r.err == nil {
		r.skipSpace()
		if r.off < len(r.src) {
			r.fail("unexpected data after the top-level value")
		}
	}
	return r.tree, r.err
}

func (r *jsonReader) fail(detail string) {
	if r.err == nil {
		r.err = &jsonError{off: int32(r.off), detail: detail}
	}
}

func (r *jsonReader) skipSpace() {
	for r.off < len(r.src) {
		switch r.src[r.off] {
		case ' ', '\t', '\r':
			r.off++
		case '\n':
			r.off++
			r.tree.lines = append(r.tree.lines, int32(r.off))
		default:
			return
		}
	}
}

// add appends a node and returns its index.
func (r *jsonReader) add(n node) int32 {
	n.first, n.next = -1, -1
	r.tree.nodes = append(r.tree.nodes, n)
	return int32(len(r.tree.nodes) - 1)
}

// value reads one value at the current offset and returns its node index, or -1.
func (r *jsonReader) value(depth int) int32 {
	if depth > maxDepth {
		r.fail("document nests too deeply")
		return -1
	}
	if r.off >= len(r.src) {
		r.fail("unexpected end of document")
		return -1
	}
	start := int32(r.off)
	switch c := r.src[r.off]; {
	case c == '{':
		return r.object(depth, start)
	case c == '[':
		return r.array(depth, start)
	case c == '"':
		s, ok := r.str()
		if !ok {
			return -1
		}
		return r.add(node{kind: nodeString, off: start, str: s})
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number(start)
	case c == 't':
		return r.literal("true", nodeTrue, start)
	case c == 'f':
		return r.literal("false", nodeFalse, start)
	case c == 'n':
		return r.literal("null", nodeNull, start)
	default:
		r.fail("unexpected character")
		return -1
	}
}

func (r *jsonReader) literal(word string, kind nodeKind, start int32) int32 {
	if !strings.HasPrefix(r.src[r.off:], word) {
		r.fail("invalid literal")
		return -1
	}
	r.off += len(word)
	return r.add(node{kind: kind, off: start, str: word})
}

func (r *jsonReader) number(start int32) int32 {
	s, i := r.src, r.off
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		r.off = i
		r.fail("invalid number")
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			r.off = i
			r.fail("invalid number")
			return -1
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			r.off = i
			r.fail("invalid number")
			return -1
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	text := s[r.off:i]
	r.off = i
	return r.add(node{kind: nodeNumber, off: start, str: text})
}

func (r *jsonReader) object(depth int, start int32) int32 {
	idx := r.add(node{kind: nodeObject, off: start})
	r.off++ // {
	r.skipSpace()
	if r.off < len(r.src) && r.src[r.off] == '}' {
		r.off++
		return idx
	}
	last := int32(-1)
	var seen map[string]struct{} // built once the object grows past smallObject members
	for {
		if r.off >= len(r.src) || r.src[r.off] != '"' {
			r.fail("expected a quoted member name")
			return -1
		}
		keyOff := int32(r.off)
		key, ok := r.str()
		if !ok {
			return -1
		}
		r.skipSpace()
		if r.off >= len(r.src) || r.src[r.off] != ':' {
			r.fail("expected ':' after a member name")
			return -1
		}
		r.off++
		r.skipSpace()
		if r.seenKey(idx, key, &seen) {
			r.tree.dups = append(r.tree.dups, keyOff)
		}
		child := r.value(depth + 1)
		if child < 0 {
			return -1
		}
		r.tree.nodes[child].key = key
		r.tree.nodes[child].keyOff = keyOff
		r.link(idx, &last, child)
		r.skipSpace()
		if r.off >= len(r.src) {
			r.fail("unexpected end of document in an object")
			return -1
		}
		switch r.src[r.off] {
		case ',':
			r.off++
			r.skipSpace()
		case '}':
			r.off++
			return idx
		default:
			r.fail("expected ',' or '}' in an object")
			return -1
		}
	}
}

// smallObject is the member count up to which repeated keys are found by a linear scan.
const smallObject = 16

// seenKey reports whether the object at idx already has a member named key. Small objects
// (every object in a real policy) are scanned; larger ones switch to a set.
func (r *jsonReader) seenKey(idx int32, key string, seen *map[string]struct{}) bool {
	n := &r.tree.nodes[idx]
	if n.count < smallObject {
		for c := n.first; c >= 0; c = r.tree.nodes[c].next {
			if r.tree.nodes[c].key == key {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[string]struct{}, 2*smallObject)
		for c := n.first; c >= 0; c = r.tree.nodes[c].next {
			(*seen)[r.tree.nodes[c].key] = struct{}{}
		}
	}
	if _, ok := (*seen)[key]; ok {
		return true
	}
	(*seen)[key] = struct{}{}
	return false
}

func (r *jsonReader) array(depth int, start int32) int32 {
	idx := r.add(node{kind: nodeArray, off: start})
	r.off++ // [
	r.skipSpace()
	if r.off < len(r.src) && r.src[r.off] == ']' {
		r.off++
		return idx
	}
	last := int32(-1)
	for {
		child := r.value(depth + 1)
		if child < 0 {
			return -1
		}
		r.link(idx, &last, child)
		r.skipSpace()
		if r.off >= len(r.src) {
			r.fail("unexpected end of document in an array")
			return -1
		}
		switch r.src[r.off] {
		case ',':
			r.off++
			r.skipSpace()
		case ']':
			r.off++
			return idx
		default:
			r.fail("expected ',' or ']' in an array")
			return -1
		}
	}
}

func (r *jsonReader) link(parent int32, last *int32, child int32) {
	if *last < 0 {
		r.tree.nodes[parent].first = child
	} else {
		r.tree.nodes[*last].next = child
	}
	*last = child
	r.tree.nodes[parent].count++
}

// str reads a quoted string at the current offset and returns it decoded. A string
// without escapes is returned as a substring of the source, without copying.
func (r *jsonReader) str() (string, bool) {
	s := r.src
	i := r.off + 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			out := s[r.off+1 : i]
			r.off = i + 1
			return out, true
		case c == '\\':
			return r.strSlow()
		case c < 0x20:
			r.off = i
			r.fail("control character in a string")
			return "", false
		case c < utf8.RuneSelf:
			i++
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			if ru == utf8.RuneError && size == 1 {
				r.off = i
				r.fail("invalid UTF-8 in a string")
				return "", false
			}
			i += size
		}
	}
	r.off = len(s)
	r.fail("unterminated string")
	return "", false
}

// strSlow decodes a string that contains escapes.
func (r *jsonReader) strSlow() (string, bool) {
	s := r.src
	var b strings.Builder
	i := r.off + 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			r.off = i + 1
			return b.String(), true
		case c == '\\':
			if i+1 >= len(s) {
				r.off = i
				r.fail("unterminated escape")
				return "", false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
				i += 2
			case 'b':
				b.WriteByte('\b')
				i += 2
			case 'f':
				b.WriteByte('\f')
				i += 2
			case 'n':
				b.WriteByte('\n')
				i += 2
			case 'r':
				b.WriteByte('\r')
				i += 2
			case 't':
				b.WriteByte('\t')
				i += 2
			case 'u':
				ru, n, ok := decodeUnicodeEscape(s[i:])
				if !ok {
					r.off = i
					r.fail("invalid \\u escape")
					return "", false
				}
				b.WriteRune(ru)
				i += n
			default:
				r.off = i
				r.fail("invalid escape")
				return "", false
			}
		case c < 0x20:
			r.off = i
			r.fail("control character in a string")
			return "", false
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			if ru == utf8.RuneError && size == 1 {
				r.off = i
				r.fail("invalid UTF-8 in a string")
				return "", false
			}
			b.WriteString(s[i : i+size])
			i += size
		}
	}
	r.off = len(s)
	r.fail("unterminated string")
	return "", false
}

// decodeUnicodeEscape decodes "\uXXXX", or a surrogate pair "\uXXXX\uXXXX", at the start
// of s. It returns the rune and the number of bytes used. A lone surrogate becomes
// U+FFFD, as encoding/json does.
func decodeUnicodeEscape(s string) (rune, int, bool) {
	hi, ok := hex4(s)
	if !ok {
		return 0, 0, false
	}
	if hi < 0xD800 || hi > 0xDFFF {
		return hi, 6, true
	}
	if hi <= 0xDBFF && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if lo, ok := hex4(s[6:]); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			return (hi-0xD800)<<10 + (lo - 0xDC00) + 0x10000, 12, true
		}
	}
	return utf8.RuneError, 6, true
}

// hex4 reads the four hex digits after "\u" at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 6 {
		return 0, false
	}
	var v rune
	for _, c := range []byte(s[2:6]) {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			v |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			v |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return v, true
}
