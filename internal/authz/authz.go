// Package authz decides whether a caller may run an operation. Until the policy engine is
// wired in, it follows AWS's defaults: the account root user is allowed everything in its own
// account, sts:GetCallerIdentity needs no permission, and every other principal is denied,
// because no policy grants it anything yet.
package authz

import (
	"context"
	"net/http"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
)

// Default is the authorizer used before policies are enforced.
type Default struct{}

// Authorize implements server.Authorizer.
func (Default) Authorize(_ context.Context, req *caller.Request, op *protocol.Operation, _ protocol.Input) error {
	if req.Principal.Kind == caller.Root && req.Principal.Account != "" {
		return nil
	}
	if op.Service.SigningName == "sts" && op.Name == "GetCallerIdentity" {
		return nil
	}
	return Denied(req.Principal, op, "*")
}

// Action returns the IAM action name of an operation, such as "iam:CreateUser".
func Action(op *protocol.Operation) string {
	return op.Service.SigningName + ":" + op.Name
}

// Denied is AWS's implicit-deny error: "User: arn is not authorized to perform: action on
// resource: res because no identity-based policy allows the action action".
func Denied(p caller.Principal, op *protocol.Operation, resource string) *awserr.Error {
	code := "AccessDeniedException"
	if op.Service.Protocol == protocol.Query {
		code = "AccessDenied"
	}
	action := Action(op)
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(p.ARN)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(action)
	b.WriteString(" on resource: ")
	b.WriteString(resource)
	b.WriteString(" because no identity-based policy allows the ")
	b.WriteString(action)
	b.WriteString(" action")
	return &awserr.Error{Code: code, Status: http.StatusForbidden, Message: b.String()}
}
