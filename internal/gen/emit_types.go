package main

// emitTypes writes the structures with their JSON encoders and required-member validation.
func (g *gen) emitTypes(pkg string, all []*Shape, fromInput map[*Shape]bool) {
	g.p(header+"package %s", pkg)
	g.p(`import (
		"time"

		"github.com/bulwarkhq/bulwark/internal/protocol"
		"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
	)`)
	g.p("var _ = time.Time{}")
	for _, s := range all {
		g.p("// %s is a structure of the %s API.", s.GoName, g.m.ServiceID)
		g.p("type %s struct {", s.GoName)
		for _, mem := range s.Members {
			g.p("%s %s", fieldName(mem), fieldType(mem.Shape))
		}
		g.p("}")
		g.emitEncodeJSON(s, false)
		if fromInput[s] {
			g.emitValidate(s)
		}
	}
}

// emitEncodeJSON writes EncodeJSON (every member, for the JSON protocols and the audit trail)
// or, with bodyOnly, EncodeRESTBody (the members without an HTTP location).
func (g *gen) emitEncodeJSON(s *Shape, bodyOnly bool) {
	name := "EncodeJSON"
	if bodyOnly {
		name = "encodeRESTBody"
		g.p("func (s *%s) %s(e *jsonv.Encoder) {", s.GoName, name)
	} else {
		g.p("// EncodeJSON writes the structure as JSON; with e.Audit set, members take CloudTrail's names and sensitive values are redacted.")
		g.p("func (s *%s) EncodeJSON(e *jsonv.Encoder) {", s.GoName)
	}
	g.p("if s == nil { e.BeginObject(); e.EndObject(); return }")
	g.p("e.BeginObject()")
	for _, mem := range s.Members {
		if bodyOnly && mem.Location != "" {
			continue
		}
		f := "s." + fieldName(mem)
		if isPointer(mem.Shape) {
			g.p("if %s != nil {", f)
			f = "*" + f
			if mem.Shape.Type == "structure" {
				f = "s." + fieldName(mem)
			}
		} else {
			g.p("if %s != nil {", f)
		}
		g.p("e.Field(%q, %q)", wireName(mem), lowerCamel(mem.Name))
		g.encJSONValue(mem, f, sensitive(mem))
		g.p("}")
	}
	g.p("e.EndObject()")
	g.p("}")
}

// encJSONValue writes code that encodes expr, a value of mem's shape (a pointer for
// structures).
func (g *gen) encJSONValue(mem *Member, expr string, sens bool) {
	s := mem.Shape
	switch s.Type {
	case "string":
		if sens {
			g.p("e.Sensitive(%s)", expr)
		} else {
			g.p("e.String(%s)", expr)
		}
	case "integer", "long":
		g.p("e.Int(int64(%s))", expr)
	case "double", "float":
		g.p("e.Float(%s)", expr)
	case "boolean":
		g.p("e.Bool(%s)", expr)
	case "timestamp":
		if tsFormat(g.m, mem, g.defaultTS()) == "iso8601" {
			g.p("e.ISO8601(%s)", expr)
		} else {
			g.p("e.EpochSeconds(%s)", expr)
		}
	case "blob":
		if sens {
			g.p("e.SensitiveBlob(%s)", expr)
		} else {
			g.p("e.Blob(%s)", expr)
		}
	case "structure":
		g.p("%s.EncodeJSON(e)", expr)
	case "list":
		v := g.tmp("v")
		g.p("e.BeginArray()")
		if s.Elem.Shape.Type == "structure" {
			g.p("for i := range %s { %s := &%s[i]", expr, v, expr)
		} else {
			g.p("for _, %s := range %s {", v, expr)
		}
		g.encJSONValue(s.Elem, v, sens || sensitive(s.Elem))
		g.p("}")
		g.p("e.EndArray()")
	case "map":
		k, v := g.tmp("k"), g.tmp("v")
		g.p("e.BeginObject()")
		g.p("for _, %s := range jsonv.SortedKeys(%s) {", k, expr)
		g.p("e.Field(%s, %s)", k, k)
		if s.Val.Shape.Type == "structure" {
			g.p("%s := %s[%s]", v, expr, k)
			g.encJSONValue(s.Val, "(&"+v+")", sens || sensitive(s.Val))
		} else {
			g.encJSONValue(s.Val, expr+"["+k+"]", sens || sensitive(s.Val))
		}
		g.p("}")
		g.p("e.EndObject()")
	}
}

// defaultTS is the protocol's default timestamp format in JSON bodies.
func (g *gen) defaultTS() string {
	if g.m.Protocol == "query" {
		return "iso8601"
	}
	return "unixTimestamp"
}

// emitValidate writes Validate (for inputs) and validate (for every structure under an input).
func (g *gen) emitValidate(s *Shape) {
	if len(s.Members) == 0 {
		g.p("func (s *%s) validate(v *protocol.Validator) {}", s.GoName)
	} else {
		g.p("func (s *%s) validate(v *protocol.Validator) {", s.GoName)
		for _, mem := range s.Members {
			f := "s." + fieldName(mem)
			if s.Required[mem.Name] {
				g.p("if %s == nil { v.Missing(%q) }", f, lowerCamel(wireName(mem)))
			}
			switch mem.Shape.Type {
			case "structure":
				g.p("if %s != nil { v.Push(%q); %s.validate(v); v.Pop() }", f, lowerCamel(wireName(mem)), f)
			case "list":
				if mem.Shape.Elem.Shape.Type == "structure" {
					g.p("for i := range %s { v.PushIndex(%q, i); %s[i].validate(v); v.Pop() }", f, lowerCamel(wireName(mem)), f)
				}
			}
		}
		g.p("}")
	}
}
