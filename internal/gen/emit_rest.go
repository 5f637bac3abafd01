package main

import "fmt"

// emitDecodeREST writes DecodeREST for a rest-json operation input: the JSON body, then the
// members bound to the URI, the query string and headers.
func (g *gen) emitDecodeREST(s *Shape) error {
	g.p("// DecodeREST reads the input from a rest-json request.")
	g.p("func (s *%s) DecodeREST(r *restjson.Request) error {", s.GoName)
	g.p("if err := s.DecodeJSON(r.Body, \"\"); err != nil { return err }")
	for _, mem := range s.Members {
		if mem.Location == "" {
			continue
		}
		f := "s." + fieldName(mem)
		name := strconvQuote(wireName(mem))
		assign := func(x string) {
			if isPointer(mem.Shape) {
				g.p("%s = &%s", f, x)
			} else {
				g.p("%s = %s", f, x)
			}
		}
		var getter string
		switch mem.Location {
		case "uri":
			getter = "r.PathValue"
		case "querystring":
			getter = "r.QueryValue"
		case "header":
			getter = "r.HeaderValue"
		default:
			return fmt.Errorf("%s.%s: unsupported location %q", s.GoName, mem.Name, mem.Location)
		}
		if mem.Shape.Type == "list" {
			if mem.Location != "querystring" {
				return fmt.Errorf("%s.%s: list in %s", s.GoName, mem.Name, mem.Location)
			}
			g.p("if vs, ok := r.QueryValues(%s); ok {", name)
			x := g.tmp("x")
			g.p("%s := make(%s, 0, len(vs))", x, goType(mem.Shape))
			g.p("for _, raw := range vs {")
			if err := g.restScalar(mem.Shape.Elem, "raw", name, "query", func(y string) { g.p("%s = append(%s, %s)", x, x, y) }); err != nil {
				return err
			}
			g.p("}")
			assign(x)
			g.p("}")
			continue
		}
		g.p("if raw, ok := %s(%s); ok {", getter, name)
		if err := g.restScalar(mem, "raw", name, mem.Location, assign); err != nil {
			return err
		}
		g.p("}")
	}
	g.p("return nil")
	g.p("}")
	return nil
}

// restScalar converts the string raw to mem's scalar shape.
func (g *gen) restScalar(mem *Member, raw, name, where string, assign func(string)) error {
	x := g.tmp("x")
	conv := func(fn string) {
		g.p("%s, err := restjson.%s(%s, %s)", x, fn, raw, name)
		g.p("if err != nil { return err }")
		assign(x)
	}
	switch mem.Shape.Type {
	case "string":
		assign(raw)
	case "integer":
		conv("ParseInt32")
	case "long":
		conv("ParseInt64")
	case "double", "float":
		conv("ParseFloat")
	case "boolean":
		conv("ParseBool")
	case "timestamp":
		if where == "header" && tsFormat(g.m, mem, "") != "iso8601" {
			conv("ParseHTTPDate")
		} else {
			conv("ParseISO8601")
		}
	case "blob":
		conv("ParseBase64")
	default:
		return fmt.Errorf("%s: %s bound to %s", mem.Name, mem.Shape.Type, where)
	}
	return nil
}

// emitEncodeREST writes EncodeREST for a rest-json operation output: headers, then the body.
func (g *gen) emitEncodeREST(s *Shape) error {
	g.p("// EncodeREST writes the output's headers and JSON body.")
	g.p("func (s *%s) EncodeREST(r *restjson.Response, e *jsonv.Encoder) {", s.GoName)
	for _, mem := range s.Members {
		if mem.Location == "" {
			continue
		}
		if mem.Location != "header" {
			return fmt.Errorf("%s.%s: output location %q", s.GoName, mem.Name, mem.Location)
		}
		f := "s." + fieldName(mem)
		name := strconvQuote(wireName(mem))
		g.p("if %s != nil {", f)
		switch mem.Shape.Type {
		case "string":
			g.p("r.Header.Set(%s, *%s)", name, f)
		case "integer", "long":
			g.p("r.Header.Set(%s, strconv.FormatInt(int64(*%s), 10))", name, f)
		case "boolean":
			g.p("r.Header.Set(%s, strconv.FormatBool(*%s))", name, f)
		case "timestamp":
			g.p("r.Header.Set(%s, %s.UTC().Format(http.TimeFormat))", name, f)
		default:
			return fmt.Errorf("%s.%s: %s header", s.GoName, mem.Name, mem.Shape.Type)
		}
		g.p("}")
	}
	g.p("s.encodeRESTBody(e)")
	g.p("}")
	g.emitEncodeJSON(s, true)
	return nil
}
