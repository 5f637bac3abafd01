// Package awserr defines the typed error every service handler returns: an AWS error code, a
// message and an HTTP status. The protocol codecs turn it into each protocol's error shape.
package awserr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is an AWS API error.
type Error struct {
	// Code is AWS's error code, such as "NoSuchEntity".
	Code string
	// Message is the human-readable message sent to the client.
	Message string
	// Status is the HTTP status code.
	Status int
	// Cause is an internal cause; it is never sent to the client.
	Cause error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// Sender reports whether the error is the caller's fault (a 4xx status).
func (e *Error) Sender() bool { return e.Status < 500 }

// New returns an error with the code, status and formatted message.
func New(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// From converts any error to an *Error. A non-AWS error becomes an InternalFailure whose
// message never shows the internal text.
func From(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: "InternalFailure", Status: http.StatusInternalServerError,
		Message: "We encountered an internal error. Please try again.", Cause: err}
}

// NotImplemented is the answer of an operation Bulwark routes but has not built yet.
func NotImplemented(service, operation string) *Error {
	return New("NotImplemented", http.StatusNotImplemented,
		"%s %s is not implemented in Bulwark yet; see docs/coverage.md", service, operation)
}

// The common constructors below use the codes AWS uses across services.

// Validation is a 400 ValidationError (awsQuery services) carrying the message.
func Validation(format string, args ...any) *Error {
	return New("ValidationError", http.StatusBadRequest, format, args...)
}

// Constraints is AWS's 400 answer listing the model constraints a request failed, with the
// code the protocol uses (ValidationError for query services, ValidationException for JSON
// ones): "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint:
// ..." or "N validation errors detected: ...; ...". It returns nil for no failures.
func Constraints(code string, failures []string) *Error {
	switch len(failures) {
	case 0:
		return nil
	case 1:
		return New(code, http.StatusBadRequest, "1 validation error detected: %s", failures[0])
	}
	return New(code, http.StatusBadRequest, "%d validation errors detected: %s", len(failures), strings.Join(failures, "; "))
}

// ValidationException is a 400 ValidationException (JSON services) carrying the message.
func ValidationException(format string, args ...any) *Error {
	return New("ValidationException", http.StatusBadRequest, format, args...)
}

// Serialization is a 400 SerializationException for a body that does not match the shape.
func Serialization(format string, args ...any) *Error {
	return New("SerializationException", http.StatusBadRequest, format, args...)
}

// AccessDenied is a 403 AccessDenied (awsQuery) error.
func AccessDenied(format string, args ...any) *Error {
	return New("AccessDenied", http.StatusForbidden, format, args...)
}

// AccessDeniedException is a 403 AccessDeniedException (JSON services) error.
func AccessDeniedException(format string, args ...any) *Error {
	return New("AccessDeniedException", http.StatusForbidden, format, args...)
}
