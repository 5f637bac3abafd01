package restjson

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsjson"
	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
)

// Decodable is implemented by the generated inputs of rest-json operations.
type Decodable interface {
	DecodeREST(r *Request) error
}

// Encodable is implemented by the generated outputs of rest-json operations.
type Encodable interface {
	EncodeREST(r *Response, e *jsonv.Encoder)
}

// segment is one part of a URI template: a literal, a {label} or a greedy {label+}.
type segment struct {
	literal string
	label   string
	greedy  bool
}

type route struct {
	op       *protocol.Operation
	segs     []segment
	literals int
}

// Codec is the rest-json protocol.
type Codec struct {
	routes map[*protocol.Service][]route
}

var _ protocol.Codec = (*Codec)(nil)

// NewCodec returns the codec for the services.
func NewCodec(services ...*protocol.Service) *Codec {
	c := &Codec{routes: map[*protocol.Service][]route{}}
	for _, s := range services {
		for _, op := range s.Operations {
			c.routes[s] = append(c.routes[s], compile(op))
		}
	}
	return c
}

func compile(op *protocol.Operation) route {
	rt := route{op: op}
	path, _, _ := strings.Cut(op.URI, "?")
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if p == "" {
			continue
		}
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			name := p[1 : len(p)-1]
			greedy := strings.HasSuffix(name, "+")
			rt.segs = append(rt.segs, segment{label: strings.TrimSuffix(name, "+"), greedy: greedy})
			continue
		}
		rt.segs = append(rt.segs, segment{literal: p})
		rt.literals++
	}
	return rt
}

// match binds the path's segments (still escaped) to the route's template.
func (rt *route) match(parts []string) (map[string]string, bool) {
	var labels map[string]string
	for i, s := range rt.segs {
		if i >= len(parts) {
			return nil, false
		}
		if s.greedy {
			v, err := url.PathUnescape(strings.Join(parts[i:], "/"))
			if err != nil || v == "" {
				return nil, false
			}
			if labels == nil {
				labels = map[string]string{}
			}
			labels[s.label] = v
			return labels, true
		}
		if s.label != "" {
			v, err := url.PathUnescape(parts[i])
			if err != nil || v == "" {
				return nil, false
			}
			if labels == nil {
				labels = map[string]string{}
			}
			labels[s.label] = v
			continue
		}
		if parts[i] != s.literal {
			return nil, false
		}
	}
	return labels, len(parts) == len(rt.segs)
}

// Resolve implements protocol.Codec: the most specific template that matches the method and
// path wins.
func (c *Codec) Resolve(svc *protocol.Service, r *http.Request, body []byte) (*protocol.Operation, protocol.DecodeFunc, error) {
	var parts []string
	for _, p := range strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	var best *route
	var bestLabels map[string]string
	for i := range c.routes[svc] {
		rt := &c.routes[svc][i]
		if rt.op.Method != r.Method {
			continue
		}
		labels, ok := rt.match(parts)
		if ok && (best == nil || rt.literals > best.literals) {
			best, bestLabels = rt, labels
		}
	}
	if best == nil {
		return nil, nil, awserr.New("UnknownOperationException", http.StatusNotFound, "%s has no operation at %s %s", svc.ID, r.Method, r.URL.Path)
	}
	op := best.op
	return op, func() (protocol.Input, error) {
		v, err := jsonv.Parse(body)
		if err != nil {
			return nil, err
		}
		req := &Request{Labels: bestLabels, Query: r.URL.Query(), Header: r.Header, Body: v}
		in := op.NewInput()
		if err := in.(Decodable).DecodeREST(req); err != nil {
			return nil, err
		}
		return in, nil
	}, nil
}

// WriteOutput implements protocol.Codec.
func (c *Codec) WriteOutput(w http.ResponseWriter, op *protocol.Operation, out protocol.Output, requestID string) {
	e := jsonv.NewEncoder(make([]byte, 0, 1024))
	h := w.Header()
	out.(Encodable).EncodeREST(&Response{Header: h}, e)
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-Requestid", requestID)
	code := op.SuccessCode
	if code == 0 {
		code = http.StatusOK
	}
	w.WriteHeader(code)
	_, _ = w.Write(e.Bytes())
}

// WriteError implements protocol.Codec: the X-Amzn-ErrorType header names the error.
func (c *Codec) WriteError(w http.ResponseWriter, svc *protocol.Service, e *awserr.Error, requestID string) {
	awsjson.WriteError(w, "application/json", e, requestID)
}
