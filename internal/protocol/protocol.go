// Package protocol holds what the three AWS wire protocols share: the operation table that the
// generated API packages build and the router and codecs read, and the interfaces every
// generated shape implements.
package protocol

import (
	"context"

	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
)

// The protocol names, as the API models spell them.
const (
	Query    = "query"
	JSON     = "json"
	RESTJSON = "rest-json"
)

// Shape is any generated structure. EncodeJSON writes it as JSON with the model's member names;
// with the encoder's Redact set, sensitive members are replaced, as the audit trail needs.
type Shape interface {
	EncodeJSON(e *jsonv.Encoder)
}

// Input is an operation's generated input structure.
type Input interface {
	Shape
	// Validate checks the members the model marks as required.
	Validate() error
	// StringMembers calls yield with each top-level, non-sensitive string member that is
	// set (model name and value) until yield returns false, so authorization can bind
	// resource ARNs and condition keys without knowing the type.
	StringMembers(yield func(name, value string) bool)
	// StringLists is StringMembers for the top-level lists of strings, such as
	// TransitiveTagKeys, for multi-valued condition keys.
	StringLists(yield func(name string, values []string) bool)
	// RequestTags calls yield with each tag the request sets and each tag key it names
	// without a value (aws:RequestTag/* and aws:TagKeys).
	RequestTags(yield func(key, value string, hasValue bool))
}

// Output is an operation's generated output structure.
type Output interface {
	Shape
}

// Invoker runs one operation's handler on a decoded input.
type Invoker func(ctx context.Context, in Input) (Output, error)

// Operation is one entry of a service's operation table.
type Operation struct {
	// Service is the service the operation belongs to.
	Service *Service
	// Name is the operation name, such as "CreateUser".
	Name string
	// Method and URI are the HTTP binding of a rest-json operation (URI is the model's
	// requestUri template); query and json operations are POST "/".
	Method, URI string
	// SuccessCode is the HTTP status of a successful response.
	SuccessCode int
	// NewInput returns a fresh, empty input structure.
	NewInput func() Input
	// Invoke calls the handler. For an operation the service has not built, it returns
	// awserr.NotImplemented.
	Invoke Invoker
	// Implemented reports whether the service provides a handler for the operation.
	Implemented bool
}

// Service describes one AWS service as its model does.
type Service struct {
	// ID is the model's serviceId, such as "IAM".
	ID string
	// SigningName is the SigV4 service name, such as "iam".
	SigningName string
	// EndpointPrefix is the model's endpointPrefix.
	EndpointPrefix string
	// EventSource is the CloudTrail eventSource, such as "iam.amazonaws.com".
	EventSource string
	// Protocol is Query, JSON or RESTJSON.
	Protocol string
	// APIVersion is the model's apiVersion.
	APIVersion string
	// TargetPrefix is the X-Amz-Target prefix of a json service.
	TargetPrefix string
	// JSONVersion is the json protocol version ("1.1").
	JSONVersion string
	// XMLNamespace is the response namespace of a query service.
	XMLNamespace string
	// Global is true for services whose state is global (IAM, STS, Organizations).
	Global bool
	// Operations is the operation table, in model order.
	Operations []*Operation
}

// Operation returns the operation with the name, or nil.
func (s *Service) Operation(name string) *Operation {
	for _, op := range s.Operations {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// ResultWrapper is implemented by query outputs whose XML result is wrapped in an element,
// such as "GetUserResult".
type ResultWrapper interface {
	ResultWrapper() string
}
