package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// node is a JSON value that keeps the key order of objects, so the generated code follows the
// model's member order.
type node struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	keys  []string
	vals  map[string]*node
	items []*node
	str   string
	b     bool
}

func parseNode(data []byte) (*node, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return readNode(d)
}

func readNode(d *json.Decoder) (*node, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: 'o', vals: map[string]*node{}}
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %T", kt)
				}
				v, err := readNode(d)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k)
				n.vals[k] = v
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return n, nil
		case '[':
			n := &node{kind: 'a'}
			for d.More() {
				v, err := readNode(d)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return n, nil
		}
	case string:
		return &node{kind: 's', str: t}, nil
	case json.Number:
		return &node{kind: 'n', str: t.String()}, nil
	case bool:
		return &node{kind: 'b', b: t}, nil
	case nil:
		return &node{kind: 'z'}, nil
	}
	return nil, io.ErrUnexpectedEOF
}

func (n *node) get(k string) *node {
	if n == nil || n.kind != 'o' {
		return nil
	}
	return n.vals[k]
}

func (n *node) s(k string) string {
	if v := n.get(k); v != nil && (v.kind == 's' || v.kind == 'n') {
		return v.str
	}
	return ""
}

func (n *node) flag(k string) bool {
	v := n.get(k)
	return v != nil && v.kind == 'b' && v.b
}

// Model is one parsed API model.
type Model struct {
	Protocol, APIVersion, EndpointPrefix, SigningName, ServiceID, TargetPrefix string
	JSONVersion, XMLNamespace, GlobalEndpoint                                  string
	Ops                                                                        []*Op
	Named                                                                      map[string]*Shape
}

// Op is one operation.
type Op struct {
	Name        string
	Method, URI string
	Code        int
	Input       *Shape
	Output      *Shape
	Wrapper     string
}

// Shape is a type in the model. Named shapes are shared; inline shapes belong to one member.
type Shape struct {
	ID        string // named shapes only
	Type      string
	Members   []*Member
	Required  map[string]bool
	Elem      *Member // list member
	Key, Val  *Member // map key and value
	Sensitive bool
	TSFormat  string
	Flattened bool

	GoName string // structures only
	cands  []string
}

// Member is a reference to a shape with the traits of the reference.
type Member struct {
	Name         string
	Shape        *Shape
	LocationName string
	Location     string
	TSFormat     string
	Sensitive    bool
	Idempotency  bool
}

func loadModel(data []byte) (*Model, error) {
	root, err := parseNode(data)
	if err != nil {
		return nil, err
	}
	md := root.get("metadata")
	m := &Model{
		Protocol: md.s("protocol"), APIVersion: md.s("apiVersion"), EndpointPrefix: md.s("endpointPrefix"),
		SigningName: md.s("signingName"), ServiceID: md.s("serviceId"), TargetPrefix: md.s("targetPrefix"),
		JSONVersion: md.s("jsonVersion"), XMLNamespace: md.s("xmlNamespace"), GlobalEndpoint: md.s("globalEndpoint"),
		Named: map[string]*Shape{},
	}
	if m.SigningName == "" {
		m.SigningName = m.EndpointPrefix
	}
	shapes := root.get("shapes")
	// Two passes: create the named shapes, then fill them, so references resolve.
	for _, id := range shapes.keys {
		m.Named[id] = &Shape{ID: id}
	}
	for _, id := range shapes.keys {
		if err := m.fillShape(m.Named[id], shapes.vals[id]); err != nil {
			return nil, fmt.Errorf("shape %s: %w", id, err)
		}
	}
	ops := root.get("operations")
	names := append([]string(nil), ops.keys...)
	sort.Strings(names)
	for _, name := range names {
		on := ops.vals[name]
		op := &Op{Name: name, Method: "POST", URI: "/", Code: 200}
		if h := on.get("http"); h != nil {
			if v := h.s("method"); v != "" {
				op.Method = v
			}
			if v := h.s("requestUri"); v != "" {
				op.URI = v
			}
			if v := h.s("responseCode"); v != "" {
				fmt.Sscan(v, &op.Code)
			}
		}
		if in := on.get("input"); in != nil {
			mem, err := m.member("", in)
			if err != nil {
				return nil, fmt.Errorf("%s input: %w", name, err)
			}
			op.Input = mem.Shape
		}
		if out := on.get("output"); out != nil {
			op.Wrapper = out.s("resultWrapper")
			mem, err := m.member("", out)
			if err != nil {
				return nil, fmt.Errorf("%s output: %w", name, err)
			}
			op.Output = mem.Shape
		}
		if op.Input == nil {
			op.Input = &Shape{Type: "structure", Required: map[string]bool{}}
		}
		if op.Output == nil {
			op.Output = &Shape{Type: "structure", Required: map[string]bool{}}
		}
		// An input or output may be a shared named shape; each operation gets its own copy so
		// that it has its own Go type.
		if op.Input.ID != "" {
			cp := *op.Input
			cp.ID = ""
			op.Input = &cp
		}
		if op.Output.ID != "" {
			cp := *op.Output
			cp.ID = ""
			op.Output = &cp
		}
		op.Input.GoName = name + "Input"
		op.Output.GoName = name + "Output"
		m.Ops = append(m.Ops, op)
	}
	return m, nil
}

// member reads a member node: a reference to a named shape, or an inline shape.
func (m *Model) member(name string, n *node) (*Member, error) {
	mem := &Member{Name: name, LocationName: n.s("locationName"), Location: n.s("location"),
		TSFormat: n.s("timestampFormat"), Sensitive: n.flag("sensitive"), Idempotency: n.flag("idempotencyToken")}
	if id := n.s("shape"); id != "" {
		s, ok := m.Named[id]
		if !ok {
			return nil, fmt.Errorf("unknown shape %s", id)
		}
		mem.Shape = s
		return mem, nil
	}
	s := &Shape{}
	if err := m.fillShape(s, n); err != nil {
		return nil, err
	}
	mem.Shape = s
	return mem, nil
}

func (m *Model) fillShape(s *Shape, n *node) error {
	s.Type = n.s("type")
	if s.Type == "" {
		s.Type = "string"
	}
	s.Sensitive = n.flag("sensitive")
	s.TSFormat = n.s("timestampFormat")
	s.Flattened = n.flag("flattened")
	s.Required = map[string]bool{}
	if r := n.get("required"); r != nil {
		for _, it := range r.items {
			s.Required[it.str] = true
		}
	}
	var err error
	switch s.Type {
	case "structure":
		ms := n.get("members")
		if ms == nil {
			return nil
		}
		for _, k := range ms.keys {
			mem, err := m.member(k, ms.vals[k])
			if err != nil {
				return fmt.Errorf("member %s: %w", k, err)
			}
			s.Members = append(s.Members, mem)
		}
	case "list":
		s.Elem, err = m.member("member", n.get("member"))
	case "map":
		if s.Key, err = m.member("key", n.get("key")); err == nil {
			s.Val, err = m.member("value", n.get("value"))
		}
	case "string", "integer", "long", "double", "float", "boolean", "timestamp", "blob":
	default:
		return fmt.Errorf("unsupported type %q", s.Type)
	}
	return err
}
