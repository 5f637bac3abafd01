package policycli

import (
	"fmt"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

const simulateSynopsis = `--action ACTION --resource ARN --principal ARN [flags]

Evaluates one request against the policies given and prints the decision (allowed,
explicitDeny or implicitDeny), the deciding policy and statement, and AWS's reason.
Exit status 0 when allowed, 3 when denied, 1 when a policy is invalid, 2 on usage errors.`

// simulateFlags are simulate's flags.
type simulateFlags struct {
	action, resource, principal, principalType string
	principalID, roleARN, userARN              string
	identity, session                          stringList
	resourcePolicy, resourceOwner, boundary    string
	scps, rcps                                 stringList
	management, at                             string
	context                                    contextFlag
}

// simulate runs `bulwark policy simulate`.
func simulate(args []string, env Env) int {
	var f simulateFlags
	fs := newFlagSet("simulate", simulateSynopsis, env)
	fs.StringVar(&f.action, "action", "", "the action, such as s3:GetObject (required)")
	fs.StringVar(&f.resource, "resource", "", "the resource ARN, or * (required)")
	fs.StringVar(&f.principal, "principal", "", "the caller's ARN: user, root, assumed-role session or federated user (a service name for --principal-type service)")
	fs.StringVar(&f.principalType, "principal-type", "", "the caller's type, read from the ARN when absent: "+principalTypes)
	fs.StringVar(&f.principalID, "principal-id", "", "the caller's unique `ID` (AIDA..., AROA...:SESSION), for aws:userid")
	fs.StringVar(&f.roleARN, "role-arn", "", "the `ARN` of the role behind a role session, with its path (default: built from the session ARN, without a path)")
	fs.StringVar(&f.userARN, "user-arn", "", "the `ARN` of the IAM user behind a federated session")
	fs.Var(&f.identity, "identity", "an identity-based policy `FILE` (repeatable)")
	fs.StringVar(&f.resourcePolicy, "resource-policy", "", "the resource-based policy `FILE` (a trust policy for sts:AssumeRole*)")
	fs.StringVar(&f.resourceOwner, "resource-owner", "", "the `ACCOUNT` that owns the resource (default: the resource ARN's account, else the caller's)")
	fs.StringVar(&f.boundary, "boundary", "", "the permissions boundary `FILE`")
	fs.Var(&f.session, "session-policy", "a session policy `FILE` (repeatable)")
	fs.Var(&f.scps, "scp", "the SCP `FILE[,FILE...]` of one level of the caller's organization; repeat per level, root first")
	fs.Var(&f.rcps, "rcp", "the RCP `FILE[,FILE...]` of one level of the resource's organization; repeat per level, root first")
	fs.StringVar(&f.management, "management-account", "", "the organization's management `ACCOUNT`, exempt from SCPs and RCPs")
	fs.Var(&f.context, "context", "a condition key as `key=type:value`, type "+contextTypes+"; repeat a key for several values")
	fs.StringVar(&f.at, "time", "", "the request time, RFC 3339 (default: now); sets aws:CurrentTime and aws:EpochTime")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "bulwark policy simulate: "+format+"\n", a...)
		return ExitUsage
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if f.action == "" || f.resource == "" || (f.principal == "" && f.principalType != "anonymous") {
		return usageErr("--action, --resource and --principal are required")
	}
	caller, err := parseCaller(f.principal, f.principalType)
	if err != nil {
		return usageErr("--principal: %v", err)
	}
	caller.ID = f.principalID
	if f.roleARN != "" {
		if caller.Kind != policy.CallerRoleSession {
			return usageErr("--role-arn is for a role session")
		}
		caller.RoleARN = f.roleARN
	}
	if f.userARN != "" {
		if caller.Kind != policy.CallerFederatedSession {
			return usageErr("--user-arn is for a federated session")
		}
		caller.UserARN = f.userARN
	}
	at := env.Now()
	if f.at != "" {
		if at, err = time.Parse(time.RFC3339, f.at); err != nil {
			return usageErr("--time: %v", err)
		}
	}
	s, code := f.load(env)
	if code != ExitOK {
		return code
	}
	s.req = newRequest(caller, f.action, f.resource, at)
	for _, k := range f.context.keys {
		s.req.Context.Add(k, f.context.values[k]...)
	}
	s.resourceOwner = f.resourceOwner
	if s.resourceOwner == "" {
		s.resourceOwner = resourceAccount(f.resource)
	}
	s.requireResource = needsResourcePolicy(f.action)
	s.managementAccount = f.management
	d := s.evaluate()
	s.explain(env.Stdout, d, "")
	if d.IsAllowed() {
		return ExitOK
	}
	return ExitDenied
}

// load reads, validates and compiles the policy files the flags name.
func (f *simulateFlags) load(env Env) (*scenario, int) {
	s := &scenario{}
	var failed, unreadable bool
	one := func(name string, kind policy.Kind) *loaded {
		text, err := readInput(name, env)
		if err != nil {
			fmt.Fprintln(env.Stderr, "bulwark policy simulate:", err)
			unreadable = true
			return nil
		}
		l, err := load(name, name, text, kind)
		if err != nil {
			writeLoadError(env.Stderr, err)
			failed = true
			return nil
		}
		for _, w := range l.doc.Warnings {
			fmt.Fprintf(env.Stderr, "%s:%d:%d: warning: %s\n", name, w.Line, w.Column, w.Message)
		}
		return l
	}
	for _, name := range f.identity {
		s.identity = append(s.identity, one(name, policy.KindIdentity))
	}
	if f.resourcePolicy != "" {
		s.resource = one(f.resourcePolicy, resourceKind(f.action))
	}
	if f.boundary != "" {
		s.boundary = one(f.boundary, policy.KindPermissionsBoundary)
	}
	for _, name := range f.session {
		s.session = append(s.session, one(name, policy.KindSession))
	}
	orgLevels := func(specs []string, kind policy.Kind) [][]*loaded {
		var out [][]*loaded
		for _, spec := range specs {
			var lvl []*loaded
			for _, name := range strings.Split(spec, ",") {
				if name = strings.TrimSpace(name); name != "" {
					lvl = append(lvl, one(name, kind))
				}
			}
			out = append(out, lvl)
		}
		return out
	}
	s.scps = orgLevels(f.scps, policy.KindSCP)
	s.rcps = orgLevels(f.rcps, policy.KindRCP)
	switch {
	case unreadable:
		return nil, ExitUsage
	case failed:
		return nil, ExitFailed
	}
	return s, ExitOK
}
