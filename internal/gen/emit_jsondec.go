package main

// emitDecodeJSON writes DecodeJSON for a structure under an input of a JSON protocol. With
// bodyOnly, members bound to the URI, query string or headers are skipped.
func (g *gen) emitDecodeJSON(s *Shape, bodyOnly bool) {
	g.p("// DecodeJSON reads the structure from a decoded JSON value.")
	g.p("func (s *%s) DecodeJSON(v any, path string) error {", s.GoName)
	g.p("if v == nil { return nil }")
	g.p("m, err := jsonv.Object(v, path)")
	g.p("if err != nil { return err }")
	var body []*Member
	for _, mem := range s.Members {
		if bodyOnly && mem.Location != "" {
			continue
		}
		body = append(body, mem)
	}
	if len(body) == 0 {
		g.p("_ = m")
		g.p("return nil")
		g.p("}")
		return
	}
	g.p("for k, val := range m {")
	g.p("if val == nil { continue }")
	g.p("switch k {")
	for _, mem := range body {
		g.p("case %q:", wireName(mem))
		f := "s." + fieldName(mem)
		g.decJSONValue(mem, "val", strconvQuote(wireName(mem)), func(x string) {
			if isPointer(mem.Shape) {
				g.p("%s = &%s", f, x)
			} else {
				g.p("%s = %s", f, x)
			}
		})
	}
	g.p("}")
	g.p("}")
	g.p("return nil")
	g.p("}")
}

func strconvQuote(s string) string { return `"` + s + `"` }

// decJSONValue writes code that decodes src (an any) as mem's shape and calls assign with
// the name of a variable holding the value.
func (g *gen) decJSONValue(mem *Member, src, path string, assign func(string)) {
	s := mem.Shape
	x := g.tmp("x")
	simple := func(fn string) {
		g.p("%s, err := jsonv.%s(%s, %s)", x, fn, src, path)
		g.p("if err != nil { return err }")
		assign(x)
	}
	g.p("{")
	switch s.Type {
	case "string":
		simple("String")
	case "integer":
		simple("Int32")
	case "long":
		simple("Int64")
	case "double", "float":
		simple("Float")
	case "boolean":
		simple("Bool")
	case "blob":
		simple("Blob")
	case "timestamp":
		if tsFormat(g.m, mem, "unixTimestamp") == "iso8601" {
			simple("ISO8601")
		} else {
			simple("EpochSeconds")
		}
	case "structure":
		g.p("var %s %s", x, s.GoName)
		g.p("if err := %s.DecodeJSON(%s, %s); err != nil { return err }", x, src, path)
		assign(x)
	case "list":
		arr, it := g.tmp("arr"), g.tmp("it")
		g.p("%s, err := jsonv.Array(%s, %s)", arr, src, path)
		g.p("if err != nil { return err }")
		g.p("%s := make(%s, 0, len(%s))", x, goType(s), arr)
		g.p("for _, %s := range %s {", it, arr)
		g.p("if %s == nil { continue }", it)
		g.decJSONValue(s.Elem, it, path, func(y string) { g.p("%s = append(%s, %s)", x, x, y) })
		g.p("}")
		assign(x)
	case "map":
		obj, k, it := g.tmp("obj"), g.tmp("k"), g.tmp("it")
		g.p("%s, err := jsonv.Object(%s, %s)", obj, src, path)
		g.p("if err != nil { return err }")
		g.p("%s := make(%s, len(%s))", x, goType(s), obj)
		g.p("for %s, %s := range %s {", k, it, obj)
		g.p("if %s == nil { continue }", it)
		g.decJSONValue(s.Val, it, path, func(y string) { g.p("%s[%s] = %s", x, k, y) })
		g.p("}")
		assign(x)
	}
	g.p("}")
}
