package main

import (
	"sort"
	"strings"
	"unicode"
)

// exported turns a model name into an exported Go identifier.
func exported(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" || unicode.IsDigit(rune(out[0])) {
		out = "X" + out
	}
	return out
}

// lowerCamel is the audit trail's spelling of a member name: "UserName" -> "userName",
// "SSEKMSKeyId" -> "sSEKMSKeyId" (CloudTrail lowercases only the first letter).
func lowerCamel(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// singular guesses the item name of a list member: "Users" -> "User", "Policies" -> "Policy".
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "List") && len(s) > 4:
		return strings.TrimSuffix(s, "List")
	case strings.HasSuffix(s, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "uses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"):
		return s + "Item"
	case strings.HasSuffix(s, "s") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s + "Item"
}

// nameShapes gives every structure a Go type name: shared shapes take the name their
// references use most; inline ones take their member's name, or are qualified by their parent
// when that name is taken.
func nameShapes(m *Model) {
	taken := map[string]bool{"Handler": true, "Service": true, "Unimplemented": true}
	for _, op := range m.Ops {
		taken[op.Input.GoName] = true
		taken[op.Output.GoName] = true
		taken[op.Name+"Handler"] = true
	}
	// Collect candidates for every structure reachable from the operations.
	var inline []*Shape
	seen, visited := map[*Shape]bool{}, map[*Shape]bool{}
	var visit func(parent string, s *Shape)
	addCand := func(s *Shape, parent, name string) {
		s.cands = append(s.cands, exported(name))
		if s.ID == "" && !seen[s] {
			seen[s] = true
			inline = append(inline, s)
			s.cands = append(s.cands, parent+exported(name))
		}
	}
	var visitMember func(parent string, mem *Member, name string)
	visitMember = func(parent string, mem *Member, name string) {
		s := mem.Shape
		switch s.Type {
		case "structure":
			addCand(s, parent, name)
			if visited[s] {
				return
			}
			visited[s] = true
			visit(parent+exported(name), s)
		case "list":
			visitMember(parent, s.Elem, singular(name))
		case "map":
			visitMember(parent, s.Val, singular(name)+"Value")
		}
	}
	visit = func(parent string, s *Shape) {
		for _, mem := range s.Members {
			visitMember(parent, mem, mem.Name)
		}
	}
	for _, op := range m.Ops {
		visit(op.Name, op.Input)
		visit(op.Name, op.Output)
	}
	// Named structures first, in ID order, by their most used candidate.
	ids := make([]string, 0, len(m.Named))
	for id, s := range m.Named {
		if s.Type == "structure" && len(s.cands) > 0 {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := m.Named[ids[i]], m.Named[ids[j]]
		if len(a.cands) != len(b.cands) {
			return len(a.cands) > len(b.cands)
		}
		return ids[i] < ids[j]
	})
	pick := func(s *Shape, cands []string) {
		for _, c := range cands {
			if !taken[c] {
				s.GoName = c
				taken[c] = true
				return
			}
		}
		base := cands[len(cands)-1]
		for i := 2; ; i++ {
			c := base + itoa(i)
			if !taken[c] {
				s.GoName = c
				taken[c] = true
				return
			}
		}
	}
	for _, id := range ids {
		pick(m.Named[id], byFrequency(m.Named[id].cands))
	}
	for _, s := range inline {
		pick(s, s.cands)
	}
}

func byFrequency(c []string) []string {
	count := map[string]int{}
	var order []string
	for _, x := range c {
		if count[x] == 0 {
			order = append(order, x)
		}
		count[x]++
	}
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] > count[order[j]] })
	return order
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
