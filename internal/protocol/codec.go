package protocol

import (
	"net/http"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// DecodeFunc decodes the request's input once the request is authenticated.
type DecodeFunc func() (Input, error)

// Codec is one wire protocol: it resolves a request to an operation of a service, decodes
// the input, and writes outputs and errors in the protocol's shapes.
type Codec interface {
	// Resolve finds the operation the request names. The returned DecodeFunc reads the input.
	Resolve(svc *Service, r *http.Request, body []byte) (*Operation, DecodeFunc, error)
	// WriteOutput writes a successful response.
	WriteOutput(w http.ResponseWriter, op *Operation, out Output, requestID string)
	// WriteError writes an error response.
	WriteError(w http.ResponseWriter, svc *Service, e *awserr.Error, requestID string)
}

// Index maps operation names to operations.
type Index map[string]*Operation

// NewIndex indexes the service's operations by name.
func NewIndex(svc *Service) Index {
	ix := make(Index, len(svc.Operations))
	for _, op := range svc.Operations {
		ix[op.Name] = op
	}
	return ix
}
