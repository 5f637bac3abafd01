package oidc

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// The STS error codes of AssumeRoleWithWebIdentity that token verification produces (AWS STS
// API Reference, AssumeRoleWithWebIdentity, "Errors").
const (
	// CodeInvalidIdentityToken: the token is malformed, its signature does not verify, or its
	// issuer or audience is not the provider's (HTTP 400).
	CodeInvalidIdentityToken = "InvalidIdentityToken"
	// CodeExpiredToken: the token's exp is in the past (HTTP 400).
	CodeExpiredToken = "ExpiredTokenException"
	// CodeIDPCommunicationError: the provider's discovery document or keys could not be
	// fetched, or its TLS certificate chain was not trusted (HTTP 400).
	CodeIDPCommunicationError = "IDPCommunicationError"
	// CodeIDPRejectedClaim: a claim is not valid yet (nbf, iat in the future) or a required
	// claim (sub) is missing (HTTP 403).
	CodeIDPRejectedClaim = "IDPRejectedClaim"
)

// Error is a verification failure with the STS error code it maps to. Message is safe to
// return to the caller; Err, when set, is the internal cause (never shown to callers).
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "oidc: " + e.Code + ": " + e.Message + ": " + e.Err.Error()
	}
	return "oidc: " + e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrExpiredToken) and the like match any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Err == nil && t.Code == e.Code
}

// Sentinels for errors.Is: each matches every *Error with its code.
var (
	ErrInvalidIdentityToken  = &Error{Code: CodeInvalidIdentityToken}
	ErrExpiredToken          = &Error{Code: CodeExpiredToken}
	ErrIDPCommunicationError = &Error{Code: CodeIDPCommunicationError}
	ErrIDPRejectedClaim      = &Error{Code: CodeIDPRejectedClaim}
)

// AWS returns the error as the STS wire error: the code, its HTTP status and the message.
func (e *Error) AWS() *awserr.Error {
	status := http.StatusBadRequest
	if e.Code == CodeIDPRejectedClaim {
		status = http.StatusForbidden
	}
	return &awserr.Error{Code: e.Code, Status: status, Message: e.Message, Cause: e.Err}
}

func invalidToken(msg string) *Error { return &Error{Code: CodeInvalidIdentityToken, Message: msg} }

func rejected(msg string) *Error { return &Error{Code: CodeIDPRejectedClaim, Message: msg} }

// MsgIDPCommunication is the one message of every IDPCommunicationError, whatever went wrong:
// callers of AssumeRoleWithWebIdentity are unauthenticated, and what the verifier learned
// about the provider's servers (an HTTP status, a dial error, a certificate problem) would
// tell them about hosts they cannot reach themselves. It paraphrases the error's description
// in the AWS STS API Reference. The detail is kept in Err, for the logs.
const MsgIDPCommunication = "The request could not be fulfilled because the identity provider could not be reached."

// commError is an IDPCommunicationError with the generic message; detail (and err, when not
// nil) become its internal cause.
func commError(detail string, err error) *Error {
	cause := errors.New(detail)
	if err != nil {
		cause = fmt.Errorf("%s: %w", detail, err)
	}
	return &Error{Code: CodeIDPCommunicationError, Message: MsgIDPCommunication, Err: cause}
}
