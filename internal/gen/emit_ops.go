package main

import "strconv"

// emitOperations writes the per-operation handler interfaces, Validate and ResultWrapper for
// the inputs and outputs, and Service, the operation table.
func (g *gen) emitOperations(pkg string) {
	m := g.m
	g.p(header+"package %s", pkg)
	g.p(`import (
		"context"

		"github.com/bulwarkhq/bulwark/internal/protocol"
	)`)
	code := "ValidationException"
	if m.Protocol == "query" {
		code = "ValidationError"
	}
	for _, op := range m.Ops {
		g.p("// %sHandler is implemented by a service that builds %s.", op.Name, op.Name)
		g.p("type %sHandler interface {", op.Name)
		g.p("%s(ctx context.Context, in *%s) (*%s, error)", op.Name, op.Input.GoName, op.Output.GoName)
		g.p("}")
		g.p("// Validate checks the members the model marks as required.")
		g.p("func (s *%s) Validate() error { var v protocol.Validator; s.validate(&v); return v.Err(%q) }", op.Input.GoName, code)
		g.emitAuthzAccessors(op.Input)
		if op.Wrapper != "" {
			g.p("// ResultWrapper names the XML element that wraps the result.")
			g.p("func (*%s) ResultWrapper() string { return %q }", op.Output.GoName, op.Wrapper)
		}
	}
	global := m.EndpointPrefix == "iam" || m.EndpointPrefix == "sts" || m.EndpointPrefix == "organizations"
	g.p("// Service returns the %s service description with each operation bound to impl when impl", m.ServiceID)
	g.p("// has the operation's method; the others answer NotImplemented.")
	g.p("func Service(impl any) *protocol.Service {")
	g.p("s := &protocol.Service{ID: %q, SigningName: %q, EndpointPrefix: %q, EventSource: %q, Protocol: %q, APIVersion: %q, TargetPrefix: %q, JSONVersion: %q, XMLNamespace: %q, Global: %v}",
		m.ServiceID, m.SigningName, m.EndpointPrefix, m.EndpointPrefix+".amazonaws.com", m.Protocol, m.APIVersion, m.TargetPrefix, m.JSONVersion, m.XMLNamespace, global)
	g.p("s.Operations = []*protocol.Operation{")
	for _, op := range m.Ops {
		g.p("bind%s(s, impl),", op.Name)
	}
	g.p("}")
	g.p("return s")
	g.p("}")
	for _, op := range m.Ops {
		g.p("func bind%s(s *protocol.Service, impl any) *protocol.Operation {", op.Name)
		g.p("op := &protocol.Operation{Service: s, Name: %q, Method: %q, URI: %q, SuccessCode: %s,", op.Name, op.Method, op.URI, strconv.Itoa(op.Code))
		g.p("NewInput: func() protocol.Input { return new(%s) }}", op.Input.GoName)
		g.p("h, ok := impl.(%sHandler)", op.Name)
		g.p("if !ok { op.Invoke = protocol.NotImplemented(s.ID, op.Name); return op }")
		g.p("op.Implemented = true")
		g.p("op.Invoke = func(ctx context.Context, in protocol.Input) (protocol.Output, error) {")
		g.p("out, err := h.%s(ctx, in.(*%s))", op.Name, op.Input.GoName)
		g.p("if err != nil { return nil, err }")
		g.p("if out == nil { out = new(%s) }", op.Output.GoName)
		g.p("return out, nil")
		g.p("}")
		g.p("return op")
		g.p("}")
	}
}

// emitAuthzAccessors writes the methods authorization reads an input through:
// StringMembers (the top-level, non-sensitive string members, for binding resource ARNs
// and service condition keys), StringLists (the lists of strings, for multi-valued keys)
// and RequestTags (the tags a request sets or removes, for aws:RequestTag/* and
// aws:TagKeys).
func (g *gen) emitAuthzAccessors(in *Shape) {
	g.p("// StringMembers calls yield with the model name and value of each top-level string member that is set, for authorization, until yield returns false; sensitive members are never given.")
	g.p("func (s *%s) StringMembers(yield func(name, value string) bool) {", in.GoName)
	for _, mem := range in.Members {
		if mem.Shape.Type == "string" && !sensitive(mem) {
			g.p("if s.%s != nil && !yield(%q, *s.%s) { return }", fieldName(mem), mem.Name, fieldName(mem))
		}
	}
	g.p("}")
	g.p("// StringLists calls yield with the model name and values of each top-level list-of-strings member that is set, for multi-valued condition keys, until yield returns false.")
	g.p("func (s *%s) StringLists(yield func(name string, values []string) bool) {", in.GoName)
	for _, mem := range in.Members {
		if mem.Shape.Type == "list" && mem.Shape.Elem.Shape.Type == "string" && !sensitive(mem) && !sensitive(mem.Shape.Elem) {
			g.p("if %s != nil && !yield(%q, %s) { return }", "s."+fieldName(mem), mem.Name, "s."+fieldName(mem))
		}
	}
	g.p("}")
	g.p("// RequestTags calls yield with each tag the request sets (key and value) and each tag key it names without a value.")
	g.p("func (s *%s) RequestTags(yield func(key, value string, hasValue bool)) {", in.GoName)
	for _, mem := range in.Members {
		f := "s." + fieldName(mem)
		switch {
		case mem.Name == "Tags" && mem.Shape.Type == "map" && mem.Shape.Val.Shape.Type == "string":
			g.p("for k, v := range %s { yield(k, v, true) }", f)
		case mem.Name == "Tags" && mem.Shape.Type == "list" && mem.Shape.Elem.Shape.Type == "structure":
			key, val := tagMembers(mem.Shape.Elem.Shape)
			if key == nil || val == nil {
				continue
			}
			g.p("for i := range %s {", f)
			g.p("t := &%s[i]", f)
			g.p("if t.%s == nil { continue }", fieldName(key))
			g.p("v := \"\"; if t.%s != nil { v = *t.%s }", fieldName(val), fieldName(val))
			g.p("yield(*t.%s, v, true)", fieldName(key))
			g.p("}")
		case mem.Name == "TagKeys" && mem.Shape.Type == "list" && mem.Shape.Elem.Shape.Type == "string":
			g.p("for _, k := range %s { yield(k, \"\", false) }", f)
		}
	}
	g.p("}")
}

// tagMembers finds the key and value members of a tag structure: Key and Value, or
// TagKey and TagValue.
func tagMembers(s *Shape) (key, val *Member) {
	for _, m := range s.Members {
		if m.Shape.Type != "string" {
			continue
		}
		switch m.Name {
		case "Key", "TagKey":
			key = m
		case "Value", "TagValue":
			val = m
		}
	}
	return key, val
}
