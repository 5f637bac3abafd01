package oidc

import (
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
	// fetched, or its TLS certificate matched none of the provider's thumbprints (HTTP 400).
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

func commError(msg string, err error) *Error {
	return &Error{Code: CodeIDPCommunicationError, Message: msg, Err: err}
}
