package main

// emitDecodeQuery writes DecodeQuery for a structure under an awsQuery input.
func (g *gen) emitDecodeQuery(s *Shape) {
	g.p("// DecodeQuery reads the structure from form parameters under prefix.")
	g.p("func (s *%s) DecodeQuery(d *awsquery.Decoder, prefix string) error {", s.GoName)
	for _, mem := range s.Members {
		f := "s." + fieldName(mem)
		g.decQueryValue(mem, "awsquery.Join(prefix, "+strconvQuote(wireName(mem))+")", func(x string) {
			if isPointer(mem.Shape) {
				g.p("%s = &%s", f, x)
			} else {
				g.p("%s = %s", f, x)
			}
		})
	}
	g.p("return nil")
	g.p("}")
}

// decQueryValue writes code that reads the parameter named by the expression name as mem's
// shape, calling assign when it is present.
func (g *gen) decQueryValue(mem *Member, name string, assign func(string)) {
	s := mem.Shape
	x := g.tmp("x")
	scalar := func(fn string) {
		g.p("if %s, ok, err := d.%s(%s); err != nil { return err } else if ok {", x, fn, name)
		assign(x)
		g.p("}")
	}
	switch s.Type {
	case "string":
		g.p("if %s, ok := d.Lookup(%s); ok {", x, name)
		assign(x)
		g.p("}")
	case "integer":
		scalar("Int32")
	case "long":
		scalar("Int64")
	case "double", "float":
		scalar("Float")
	case "boolean":
		scalar("Bool")
	case "timestamp":
		scalar("Time")
	case "blob":
		scalar("Blob")
	case "structure":
		p := g.tmp("p")
		g.p("if %s := %s; d.Has(%s) {", p, name, p)
		g.p("var %s %s", x, s.GoName)
		g.p("if err := %s.DecodeQuery(d, %s); err != nil { return err }", x, p)
		assign(x)
		g.p("}")
	case "list":
		p, i := g.tmp("p"), g.tmp("i")
		item := "member"
		if s.Elem.LocationName != "" {
			item = s.Elem.LocationName
		}
		g.p("if %s := %s; d.Has(%s) {", p, name, p)
		g.p("%s := %s{}", x, goType(s))
		if s.Flattened {
			g.p("for %s := 1; d.Has(awsquery.Index(%s, %s)); %s++ {", i, p, i, i)
			g.decQueryValue(s.Elem, "awsquery.Index("+p+", "+i+")", func(y string) { g.p("%s = append(%s, %s)", x, x, y) })
		} else {
			g.p("for %s := 1; d.Has(awsquery.Index(%s+%q, %s)); %s++ {", i, p, "."+item, i, i)
			g.decQueryValue(s.Elem, "awsquery.Index("+p+"+"+strconvQuote("."+item)+", "+i+")", func(y string) { g.p("%s = append(%s, %s)", x, x, y) })
		}
		g.p("}")
		assign(x)
		g.p("}")
	case "map":
		p, i, k := g.tmp("p"), g.tmp("i"), g.tmp("k")
		g.p("if %s := %s; d.Has(%s) {", p, name, p)
		g.p("%s := %s{}", x, goType(s))
		g.p("for %s := 1; d.Has(awsquery.Index(%s+\".entry\", %s)); %s++ {", i, p, i, i)
		g.p("%s, _ := d.Lookup(awsquery.Index(%s+\".entry\", %s) + \".key\")", k, p, i)
		g.decQueryValue(s.Val, "awsquery.Index("+p+"+\".entry\", "+i+")+\".value\"", func(y string) { g.p("%s[%s] = %s", x, k, y) })
		g.p("}")
		assign(x)
		g.p("}")
	}
}

// emitEncodeXML writes EncodeXML for a structure under an awsQuery output.
func (g *gen) emitEncodeXML(s *Shape) {
	g.p("// EncodeXML writes the structure's members as XML elements.")
	g.p("func (s *%s) EncodeXML(w *awsquery.XMLWriter) {", s.GoName)
	g.p("if s == nil { return }")
	for _, mem := range s.Members {
		f := "s." + fieldName(mem)
		g.p("if %s != nil {", f)
		if isPointer(mem.Shape) && mem.Shape.Type != "structure" {
			f = "*" + f
		}
		g.encXMLValue(mem, wireName(mem), f)
		g.p("}")
	}
	g.p("}")
}

// encXMLValue writes code that encodes expr (a pointer for structures) as element name.
func (g *gen) encXMLValue(mem *Member, name, expr string) {
	s := mem.Shape
	q := strconvQuote(name)
	switch s.Type {
	case "string":
		g.p("w.String(%s, %s)", q, expr)
	case "integer", "long":
		g.p("w.Int(%s, int64(%s))", q, expr)
	case "double", "float":
		g.p("w.Float(%s, %s)", q, expr)
	case "boolean":
		g.p("w.Bool(%s, %s)", q, expr)
	case "timestamp":
		g.p("w.Time(%s, %s)", q, expr)
	case "blob":
		g.p("w.Blob(%s, %s)", q, expr)
	case "structure":
		g.p("w.Start(%s); %s.EncodeXML(w); w.End(%s)", q, expr, q)
	case "list":
		v := g.tmp("v")
		item := "member"
		if s.Elem.LocationName != "" {
			item = s.Elem.LocationName
		}
		if s.Flattened {
			item = name
		} else {
			g.p("w.Start(%s)", q)
		}
		if s.Elem.Shape.Type == "structure" {
			g.p("for i := range %s { %s := &%s[i]", expr, v, expr)
		} else {
			g.p("for _, %s := range %s {", v, expr)
		}
		g.encXMLValue(s.Elem, item, v)
		g.p("}")
		if !s.Flattened {
			g.p("w.End(%s)", q)
		}
	case "map":
		k, v := g.tmp("k"), g.tmp("v")
		g.p("w.Start(%s)", q)
		g.p("for _, %s := range jsonv.SortedKeys(%s) {", k, expr)
		g.p("w.Start(\"entry\"); w.String(\"key\", %s)", k)
		if s.Val.Shape.Type == "structure" {
			g.p("%s := %s[%s]", v, expr, k)
			g.encXMLValue(s.Val, "value", "(&"+v+")")
		} else {
			g.encXMLValue(s.Val, "value", expr+"["+k+"]")
		}
		g.p("w.End(\"entry\")")
		g.p("}")
		g.p("w.End(%s)", q)
	}
}
