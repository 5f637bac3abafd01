// Package authz decides whether a caller may run an operation, for every request of every
// service: handlers never authorize. For each request it takes the operation's IAM action,
// resource types and condition keys from the action catalogue (internal/actions), binds
// the resource ARNs from the input, builds the request context (global and service
// condition keys), gathers the policies that apply to the caller (identity-based,
// permissions boundary, session policies, and the resource-based policy where one
// decides, such as a role's trust policy) and evaluates them with the policy engine,
// following AWS's policy evaluation logic. A denial is AWS's AccessDenied with AWS's
// wording; the pipeline audits it like any failed call.
package authz

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/bulwarkhq/bulwark/internal/actions"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/policy"
)

// ErrNoSuchPrincipal is returned by a Directory when a user or role does not exist.
var ErrNoSuchPrincipal = errors.New("no such principal")

// Enforcer authorizes requests with the policy engine. It is safe for concurrent use.
type Enforcer struct {
	dir             Directory
	partition       string // of the resource ARNs the enforcer builds
	logger          *slog.Logger
	subjects        *subjectCache
	compiled        *compileCache
	sessionCompiled *compileCache // session policies, bounded apart
	// ops memoizes what each operation needs (*protocol.Operation -> *operationInfo).
	ops sync.Map
	// requests recycles policy requests, so their contexts' arrays are reused.
	requests sync.Pool
}

// operationInfo is what authorization needs of one operation, worked out once.
type operationInfo struct {
	act    *actions.Action // nil when the catalogue has no action for it
	action string          // "iam:CreateUser"
	free   bool            // AWS never authorizes it
}

// operation returns the operation's action, from the catalogue, once per operation.
func (e *Enforcer) operation(op *protocol.Operation) *operationInfo {
	if v, ok := e.ops.Load(op); ok {
		return v.(*operationInfo)
	}
	svc := op.Service.SigningName
	info := &operationInfo{action: svc + ":" + op.Name, free: actions.PermissionFree(svc, op.Name)}
	if act, ok := actions.ForOperation(svc, op.Name); ok {
		info.act, info.action = act, act.String()
	}
	v, _ := e.ops.LoadOrStore(op, info)
	return v.(*operationInfo)
}

// New returns an Enforcer reading principals and policies from dir. A nil logger
// discards.
func New(dir Directory, logger *slog.Logger) *Enforcer {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Enforcer{dir: dir, partition: dir.Partition(), logger: logger, subjects: newSubjectCache(), compiled: newCompileCache(maxCompiled),
		sessionCompiled: newCompileCache(maxSessionCompiled)}
	e.requests.New = func() any { return new(policy.Request) }
	return e
}

// Authorize implements server.Authorizer.
func (e *Enforcer) Authorize(ctx context.Context, req *caller.Request, op *protocol.Operation, in protocol.Input) error {
	svc := op.Service.SigningName
	info := e.operation(op)
	if info.free {
		return nil
	}
	act, action := info.act, info.action
	p := req.Principal
	if p.Kind == caller.Root && svc == "sts" && strings.HasPrefix(op.Name, "AssumeRole") {
		// STS API reference, AssumeRole: "You cannot use AWS account root user
		// credentials to call this operation."
		return accessDenied(op, "Roles may not be assumed by root accounts.")
	}
	if p.Kind == caller.WebIdentityUser && (svc != "sts" || op.Name != "AssumeRoleWithWebIdentity") {
		// A web identity token authenticates AssumeRoleWithWebIdentity and nothing else.
		return accessDenied(op, "Not authorized to perform "+action)
	}
	if err := sessionLimits(p, op); err != nil {
		return err
	}
	sub, err := e.subject(ctx, p)
	if errors.Is(err, ErrNoSuchPrincipal) {
		// The user or role behind valid credentials is gone: nothing grants anything.
		return deniedError(p, op, action, "*", policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicyIdentity})
	}
	if err != nil {
		return err
	}
	pr := e.requests.Get().(*policy.Request)
	defer e.requests.Put(pr)
	pr.Principal = sub.caller
	pr.Action = action
	pr.Time = req.Time
	f := gatherFields(in, nil)
	b := binder{ctx: ctx, e: e, req: req, op: op.Name, f: f}
	resources, err := b.resources(act)
	if err != nil {
		return err
	}
	for _, res := range resources {
		pr.Context.Reset()
		addContext(&pr.Context, req, sub, act, in, f)
		if err := e.addResourceTags(ctx, &pr.Context, res); err != nil {
			return err
		}
		pr.Resource = res
		input := policy.Input{Request: pr, Identity: sub.identity, Boundary: sub.boundary, Session: sub.session}
		successor, err := e.addResourcePolicy(ctx, &input, sub, svc, op.Name, res)
		if err != nil {
			return err
		}
		if sub.noSessionPolicy {
			// STS API reference, GetFederationToken: "If you do not pass a policy to
			// this operation, the resulting federated user session has no permissions."
			return deniedError(p, op, action, res, policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicySession})
		}
		d := evaluate(&input, successor)
		if d.Result == policy.ImplicitDeny && d.Policy == policy.PolicyIdentity {
			ok, err := e.passwordSelfService(ctx, p, svc, op.Name)
			if err != nil {
				return err
			}
			if ok {
				continue
			}
		}
		if !d.IsAllowed() {
			e.logger.Debug("request denied", "principal", p.ARN, "action", action, "resource", res, "decision", d.String())
			if p.Kind == caller.WebIdentityUser {
				// AWS names neither the caller nor the role to a web identity caller.
				return accessDenied(op, "Not authorized to perform "+action)
			}
			return deniedError(p, op, action, res, d)
		}
		extra, n := sessionActions(svc, op.Name, p, f, in)
		for _, a := range extra[:n] {
			pr.Action = a
			d := evaluate(&input, successor)
			pr.Action = action
			if !d.IsAllowed() {
				if p.Kind == caller.WebIdentityUser {
					return accessDenied(op, "Not authorized to perform "+a)
				}
				return deniedError(p, op, a, res, d)
			}
		}
	}
	return nil
}

// sessionActions returns the further actions a request that creates a session needs, on
// the same resource (IAM User Guide, "Passing session tags in AWS STS" and "Monitor and
// control actions taken with assumed roles"): sts:TagSession when it passes session tags,
// and sts:SetSourceIdentity when it sets a source identity.
func sessionActions(svc, op string, p caller.Principal, f fields, in protocol.Input) ([2]string, int) {
	var out [2]string
	n := 0
	if svc != "sts" || (!strings.HasPrefix(op, "AssumeRole") && op != "GetFederationToken") {
		return out, 0
	}
	tagged := false
	in.RequestTags(func(_, _ string, hasValue bool) { tagged = tagged || hasValue })
	if tagged {
		out[n] = "sts:TagSession"
		n++
	}
	_, sourceIdentity := f.get("SourceIdentity")
	if w := p.WebIdentity; w != nil && w.SourceIdentity != "" {
		sourceIdentity = true
	}
	if sourceIdentity {
		out[n] = "sts:SetSourceIdentity"
		n++
	}
	return out, n
}

// passwordSelfService reports whether the account's password policy grants what the
// identity policies did not: with AllowUsersToChangePassword, every IAM user may change
// its own password and read the password policy (IAM User Guide, "Set an account password
// policy for IAM users": "Allow users to change their own password"). An explicit deny
// still wins, as the caller only asks when nothing denied.
func (e *Enforcer) passwordSelfService(ctx context.Context, p caller.Principal, svc, op string) (bool, error) {
	if p.Kind != caller.IAMUser || svc != "iam" || (op != "ChangePassword" && op != "GetAccountPasswordPolicy") {
		return false, nil
	}
	return e.dir.UsersMayChangePassword(ctx, p.Account)
}

// sessionLimits applies what AWS allows the sessions of GetSessionToken and
// GetFederationToken, whatever the policies say (STS API reference, "Comparing the AWS STS
// API operations"): a federated user session cannot call IAM, and a GetSessionToken session
// can call IAM only when it was created with MFA (AWS answers such calls as if the token
// were not valid for them); on STS, a GetSessionToken session may call only AssumeRole and
// GetCallerIdentity, a federated user session only GetCallerIdentity.
func sessionLimits(p caller.Principal, op *protocol.Operation) error {
	s := p.Session
	if s == nil || s.RoleARN != "" {
		return nil
	}
	switch op.Service.SigningName {
	case "iam":
		if p.Kind == caller.FederatedUser || !s.MFA {
			return &awserr.Error{Code: "InvalidClientTokenId", Status: http.StatusForbidden,
				Message: "The security token included in the request is invalid"}
		}
	case "sts":
		// "You cannot call any STS API except AssumeRole or GetCallerIdentity" (a
		// GetSessionToken session); a federated user session only GetCallerIdentity.
		if op.Name == "GetCallerIdentity" || op.Name == "AssumeRole" && p.Kind != caller.FederatedUser {
			return nil
		}
		return accessDenied(op, "Cannot call "+op.Name+" with session credentials")
	}
	return nil
}

// addResourcePolicy sets the resource-based policy that takes part in the decision. Today
// that is a role's trust policy for sts:AssumeRole*, which must allow the caller (IAM User
// Guide, "Cross account resource access": a role trust policy is a resource-based policy
// that is always required). It reports whether the caller's user or role is younger than
// the trust policy: then an ARN in the policy names a deleted predecessor, not the caller
// (AWS keeps such principals as unique IDs: "if you delete the role or user, then the
// relationship is broken ... even if you recreate the user or role").
func (e *Enforcer) addResourcePolicy(ctx context.Context, in *policy.Input, sub *subject, svc, op, resource string) (successor bool, err error) {
	if svc != "sts" || !strings.HasPrefix(op, "AssumeRole") {
		return false, nil
	}
	in.RequireResourcePolicy = true
	acct, name, ok := roleFromARN(resource)
	if !ok {
		return false, nil // no role named: the required resource policy is absent, so denied
	}
	in.ResourceAccount = acct
	role, err := e.subjects.get(ctx, e, caller.AssumedRole, acct, name)
	if errors.Is(err, ErrNoSuchPrincipal) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	in.Resource = policy.PolicyRef{ID: role.arn + "#trust", Policy: role.trust}
	return !sub.created.IsZero() && sub.created.After(role.trustSaved), nil
}

// evaluate runs the engine; for a successor (see addResourcePolicy) the caller's own
// ARNs match no principal of the resource policy, while its account still matches.
func evaluate(in *policy.Input, successor bool) policy.Decision {
	if !successor {
		return policy.Evaluate(in)
	}
	saved := in.Request.Principal
	defer func() { in.Request.Principal = saved }()
	in.Request.Principal.ARN += "#successor"
	if in.Request.Principal.RoleARN != "" {
		in.Request.Principal.RoleARN += "#successor"
	}
	return policy.Evaluate(in)
}

// addResourceTags sets aws:ResourceTag/* and iam:ResourceTag/* to the tags of the IAM
// user or role the resource ARN names, for attribute-based access control over IAM
// entities (IAM User Guide, "Controlling access to IAM resources").
func (e *Enforcer) addResourceTags(ctx context.Context, c *policy.Context, resource string) error {
	acct, kind, name, ok := iamEntityFromARN(resource)
	if !ok {
		return nil
	}
	ent, err := e.subjects.get(ctx, e, kind, acct, name)
	if errors.Is(err, ErrNoSuchPrincipal) {
		return nil // a user or role being created has no tags yet
	}
	if err != nil {
		return err
	}
	for _, t := range ent.tags {
		c.Add("aws:ResourceTag/"+t.Key, t.Value)
		c.Add("iam:ResourceTag/"+t.Key, t.Value)
	}
	return nil
}

// iamEntityFromARN splits the ARN of an IAM user or role into its account and name, with
// the cache kind to load it by (IAMUser for users, AssumedRole for roles).
func iamEntityFromARN(a string) (acct string, kind caller.Kind, name string, ok bool) {
	acct, res, ok := splitIAMARN(a)
	if !ok {
		return "", "", "", false
	}
	switch {
	case strings.HasPrefix(res, "user/"):
		kind = caller.IAMUser
	case strings.HasPrefix(res, "role/"):
		kind = caller.AssumedRole
	default:
		return "", "", "", false
	}
	return acct, kind, res[strings.LastIndexByte(res, '/')+1:], true
}

// splitIAMARN splits arn:PARTITION:iam::ACCOUNT:RESOURCE into the account and resource.
func splitIAMARN(a string) (acct, resource string, ok bool) {
	rest, ok := strings.CutPrefix(a, "arn:")
	if !ok {
		return "", "", false
	}
	_, rest, ok = strings.Cut(rest, ":") // partition
	if !ok {
		return "", "", false
	}
	rest, ok = strings.CutPrefix(rest, "iam::")
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, ":")
}

// roleFromARN splits arn:PARTITION:iam::ACCOUNT:role/PATH/NAME into the account and name.
func roleFromARN(a string) (acct, name string, ok bool) {
	acct, res, ok := splitIAMARN(a)
	if !ok || !strings.HasPrefix(res, "role/") {
		return "", "", false
	}
	return acct, res[strings.LastIndexByte(res, '/')+1:], true
}

// deniedError is AWS's AccessDenied for a denied request: "User: ARN is not authorized to
// perform: ACTION on resource: RESOURCE " and the reason, such as "because no
// identity-based policy allows the ACTION action" or "with an explicit deny in a
// permissions boundary" (IAM User Guide, "Troubleshoot access denied error messages").
func deniedError(p caller.Principal, op *protocol.Operation, action, resource string, d policy.Decision) *awserr.Error {
	var b strings.Builder
	b.WriteString("User: ")
	b.WriteString(p.ARN)
	b.WriteString(" is not authorized to perform: ")
	b.WriteString(action)
	b.WriteString(" on resource: ")
	b.WriteString(resource)
	if r := d.Reason(action); r != "" {
		b.WriteString(" ")
		b.WriteString(r)
	}
	return accessDenied(op, b.String())
}

// accessDenied is the protocol's AccessDenied error: AccessDenied for the query
// protocol, AccessDeniedException for the JSON protocols.
func accessDenied(op *protocol.Operation, msg string) *awserr.Error {
	code := "AccessDeniedException"
	if op.Service.Protocol == protocol.Query {
		code = "AccessDenied"
	}
	return &awserr.Error{Code: code, Status: http.StatusForbidden, Message: msg}
}
