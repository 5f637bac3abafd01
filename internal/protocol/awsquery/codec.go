package awsquery

import (
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/protocol"
)

// Decodable is implemented by the generated inputs of awsQuery services.
type Decodable interface {
	DecodeQuery(d *Decoder, prefix string) error
}

// Encodable is implemented by the generated outputs of awsQuery services.
type Encodable interface {
	EncodeXML(w *XMLWriter)
}

// Codec is the awsQuery protocol.
type Codec struct {
	indexes map[*protocol.Service]protocol.Index
	pool    sync.Pool
}

var _ protocol.Codec = (*Codec)(nil)

// NewCodec returns the codec for the services.
func NewCodec(services ...*protocol.Service) *Codec {
	c := &Codec{indexes: map[*protocol.Service]protocol.Index{}}
	for _, s := range services {
		c.indexes[s] = protocol.NewIndex(s)
	}
	c.pool.New = func() any { return NewXMLWriter(make([]byte, 0, 2048)) }
	return c
}

// Form returns the request's parameters: the URL query merged with a form body.
func Form(r *http.Request, body []byte) (url.Values, error) {
	q := r.URL.Query()
	if len(body) == 0 {
		return q, nil
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		return nil, awserr.New("InvalidParameterValue", http.StatusBadRequest, "unsupported Content-Type %q: awsQuery requests are form-encoded", ct)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, awserr.New("MalformedQueryString", http.StatusBadRequest, "the request body is not a valid form encoding")
	}
	for k, v := range q {
		form[k] = append(form[k], v...)
	}
	return form, nil
}

// Resolve implements protocol.Codec.
func (c *Codec) Resolve(svc *protocol.Service, r *http.Request, body []byte) (*protocol.Operation, protocol.DecodeFunc, error) {
	form, err := Form(r, body)
	if err != nil {
		return nil, nil, err
	}
	action := form.Get("Action")
	if action == "" {
		return nil, nil, awserr.New("MissingAction", http.StatusBadRequest, "Missing Action")
	}
	op := c.indexes[svc][action]
	if op == nil {
		return nil, nil, awserr.New("InvalidAction", http.StatusBadRequest, "Could not find operation %s for version %s", action, svc.APIVersion)
	}
	return op, func() (protocol.Input, error) {
		in := op.NewInput()
		if err := in.(Decodable).DecodeQuery(NewDecoder(form), ""); err != nil {
			return nil, err
		}
		return in, nil
	}, nil
}

// WriteOutput implements protocol.Codec: <OpResponse><OpResult>…</OpResult><ResponseMetadata>.
func (c *Codec) WriteOutput(w http.ResponseWriter, op *protocol.Operation, out protocol.Output, requestID string) {
	x := c.pool.Get().(*XMLWriter)
	defer c.pool.Put(x)
	x.buf = x.buf[:0]
	x.buf = append(x.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
	resp := op.Name + "Response"
	x.StartNS(resp, op.Service.XMLNamespace)
	if rw, ok := out.(protocol.ResultWrapper); ok {
		x.Start(rw.ResultWrapper())
		out.(Encodable).EncodeXML(x)
		x.End(rw.ResultWrapper())
	}
	x.Start("ResponseMetadata")
	x.String("RequestId", requestID)
	x.End("ResponseMetadata")
	x.End(resp)
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(x.buf)
}

// WriteError implements protocol.Codec: the XML ErrorResponse with Type, Code, Message and
// RequestId.
func (c *Codec) WriteError(w http.ResponseWriter, svc *protocol.Service, e *awserr.Error, requestID string) {
	x := NewXMLWriter(make([]byte, 0, 512))
	x.buf = append(x.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
	ns := ""
	if svc != nil {
		ns = svc.XMLNamespace
	}
	x.StartNS("ErrorResponse", ns)
	x.Start("Error")
	if e.Sender() {
		x.String("Type", "Sender")
	} else {
		x.String("Type", "Receiver")
	}
	x.String("Code", e.Code)
	x.String("Message", e.Message)
	x.End("Error")
	x.String("RequestId", requestID)
	x.End("ErrorResponse")
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(e.Status)
	_, _ = w.Write(x.buf)
}
