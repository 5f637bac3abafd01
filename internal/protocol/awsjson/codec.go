// Package awsjson is the awsJson1.1 protocol (KMS, Organizations, WAFv2, Shield, CloudTrail,
// Cost Explorer): POST / with the operation in X-Amz-Target and JSON in and out; errors carry
// "__type" and "message".
package awsjson

import (
	"net/http"
	"strings"
	"sync"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
)

// Decodable is implemented by the generated inputs of JSON services.
type Decodable interface {
	DecodeJSON(v any, path string) error
}

// Codec is the awsJson1.1 protocol.
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
	c.pool.New = func() any { return jsonv.NewEncoder(make([]byte, 0, 2048)) }
	return c
}

// Target returns the service prefix and operation of an X-Amz-Target header.
func Target(r *http.Request) (prefix, op string, ok bool) {
	t := r.Header.Get("X-Amz-Target")
	i := strings.LastIndexByte(t, '.')
	if i <= 0 {
		return "", "", false
	}
	return t[:i], t[i+1:], true
}

// MatchesPrefix reports whether an X-Amz-Target prefix names the service. The model's prefix
// may be qualified ("com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101") while the SDKs
// send its last part ("CloudTrail_20131101"); both are accepted.
func MatchesPrefix(svc *protocol.Service, prefix string) bool {
	t := svc.TargetPrefix
	return t == prefix || (len(t) > len(prefix) && t[len(t)-len(prefix)-1] == '.' && t[len(t)-len(prefix):] == prefix)
}

// Resolve implements protocol.Codec.
func (c *Codec) Resolve(svc *protocol.Service, r *http.Request, body []byte) (*protocol.Operation, protocol.DecodeFunc, error) {
	prefix, name, ok := Target(r)
	if r.Method != http.MethodPost || !ok || !MatchesPrefix(svc, prefix) {
		return nil, nil, awserr.New("UnknownOperationException", http.StatusBadRequest, "the X-Amz-Target header does not name an operation of %s", svc.ID)
	}
	op := c.indexes[svc][name]
	if op == nil {
		return nil, nil, awserr.New("UnknownOperationException", http.StatusBadRequest, "%s has no operation %s", svc.ID, name)
	}
	return op, func() (protocol.Input, error) {
		v, err := jsonv.Parse(body)
		if err != nil {
			return nil, err
		}
		in := op.NewInput()
		if err := in.(Decodable).DecodeJSON(v, ""); err != nil {
			return nil, err
		}
		return in, nil
	}, nil
}

// WriteOutput implements protocol.Codec.
func (c *Codec) WriteOutput(w http.ResponseWriter, op *protocol.Operation, out protocol.Output, requestID string) {
	e := c.pool.Get().(*jsonv.Encoder)
	defer c.pool.Put(e)
	e.Reset()
	out.EncodeJSON(e)
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-"+versionOf(op.Service))
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(e.Bytes())
}

func versionOf(s *protocol.Service) string {
	if s == nil || s.JSONVersion == "" {
		return "1.1"
	}
	return s.JSONVersion
}

// WriteError implements protocol.Codec.
func (c *Codec) WriteError(w http.ResponseWriter, svc *protocol.Service, e *awserr.Error, requestID string) {
	WriteError(w, "application/x-amz-json-"+versionOf(svc), e, requestID)
}

// WriteError writes {"__type": code, "message": message} with the status and the
// X-Amzn-ErrorType header; restjson uses it too.
func WriteError(w http.ResponseWriter, contentType string, e *awserr.Error, requestID string) {
	b := make([]byte, 0, 256)
	b = append(b, `{"__type":`...)
	b = jsonv.AppendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = jsonv.AppendString(b, e.Message)
	b = append(b, '}')
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("X-Amzn-Errortype", e.Code)
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}
