package policy

import (
	"fmt"
	"strconv"
	"strings"
)

// sentinel is an error value that can be a constant.
type sentinel string

func (s sentinel) Error() string { return string(s) }

// Sentinel errors for errors.Is.
const (
	// ErrMalformed matches every *ValidationError: the document is not a valid policy of
	// its kind.
	ErrMalformed sentinel = "policy: malformed policy document"
	// ErrTooLarge matches every *SizeError: the document is over a size quota.
	ErrTooLarge sentinel = "policy: policy document too large"
)

// ValidationError is one reason a document is not a valid policy.
//
// Parse returns every reason it finds as ValidationErrors, ordered as AWS checks them;
// AWS reports only the first, so errors.As(err, &v) with v a *ValidationError yields the
// one to send.
type ValidationError struct {
	// Code is the AWS error code to return: CodeMalformedPolicyDocument (IAM, STS),
	// CodeOrgsMalformedPolicyDocument (Organizations) or CodeValidationError (a character
	// IAM does not accept in a policy document).
	Code string
	// Message is AWS's message for the failure, word for word.
	Message string
	// Detail says precisely what is wrong. It is Bulwark's own text, for logs and
	// operators; AWS sends only Message.
	Detail string
	// Line and Column locate the failure in the document (1-based; Column counts bytes).
	Line   int
	Column int

	stage stage
	off   int
}

// Error returns the position, AWS's message and the detail.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	b.WriteString(", column ")
	b.WriteString(strconv.Itoa(e.Column))
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is ErrMalformed.
func (e *ValidationError) Is(target error) bool { return target == ErrMalformed }

// ValidationErrors holds every failure Parse found, in the order AWS checks for them.
// It is never empty.
type ValidationErrors []*ValidationError

// Error returns the first failure, and how many more there are.
func (e ValidationErrors) Error() string {
	switch len(e) {
	case 0:
		return "policy: no validation errors"
	case 1:
		return e[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", e[0].Error(), len(e)-1)
}

// Unwrap returns the failures, so errors.As finds the first *ValidationError.
func (e ValidationErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, v := range e {
		out[i] = v
	}
	return out
}

// SizeError is a document over a size quota.
type SizeError struct {
	// Limit is the quota that was exceeded.
	Limit Limit
	// Size is the document's size as AWS counts it for Limit; Max is the quota.
	Size int
	Max  int
	// Code and Message are what AWS returns (see Limit.Code).
	Code    string
	Message string
}

// Error returns the sizes and AWS's message.
func (e *SizeError) Error() string {
	return fmt.Sprintf("policy size %d exceeds %d: %s", e.Size, e.Max, e.Message)
}

// Is reports whether target is ErrTooLarge.
func (e *SizeError) Is(target error) bool { return target == ErrTooLarge }
