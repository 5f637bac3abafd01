package policycli

import (
	"fmt"
	"io"
	"strings"

	"github.com/bulwarkhq/bulwark/policy"
)

// scenario is one request and the policies that apply to it.
type scenario struct {
	req               *policy.Request
	identity          []*loaded
	resource          *loaded
	resourceOwner     string // "" means the caller's account
	requireResource   bool
	boundary          *loaded
	session           []*loaded
	scps, rcps        [][]*loaded
	managementAccount string
}

// refs returns the policy references of loaded policies.
func refs(ls []*loaded) []policy.PolicyRef {
	out := make([]policy.PolicyRef, len(ls))
	for i, l := range ls {
		out[i] = ref(l)
	}
	return out
}

// ref returns a loaded policy's reference; the zero PolicyRef (no policy) for nil.
func ref(l *loaded) policy.PolicyRef {
	if l == nil {
		return policy.PolicyRef{}
	}
	return policy.PolicyRef{ID: l.name, Policy: l.compiled}
}

// levels returns the organization levels, named "SCP level 0" and so on.
func levels(prefix string, ls [][]*loaded) []policy.OrgLevel {
	out := make([]policy.OrgLevel, len(ls))
	for i, l := range ls {
		out[i] = policy.OrgLevel{ID: fmt.Sprintf("%s level %d", prefix, i), Policies: refs(l)}
	}
	return out
}

// evaluate decides the request.
func (s *scenario) evaluate() policy.Decision {
	return policy.Evaluate(&policy.Input{
		Request:               s.req,
		Identity:              refs(s.identity),
		Resource:              ref(s.resource),
		ResourceAccount:       s.resourceOwner,
		RequireResourcePolicy: s.requireResource && s.resource != nil,
		Boundary:              ref(s.boundary),
		Session:               refs(s.session),
		SCPs:                  levels("SCP", s.scps),
		RCPs:                  levels("RCP", s.rcps),
		ManagementAccount:     s.managementAccount,
	})
}

// resultName is the name the command prints for a result and test files expect.
func resultName(r policy.Result) string {
	switch r {
	case policy.Allowed:
		return "allowed"
	case policy.ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// find returns the loaded policy a decision names.
func (s *scenario) find(d policy.Decision) *loaded {
	var set []*loaded
	switch d.Policy {
	case policy.PolicyIdentity:
		set = s.identity
	case policy.PolicyResource:
		set = []*loaded{s.resource}
	case policy.PolicyBoundary:
		set = []*loaded{s.boundary}
	case policy.PolicySession:
		set = s.session
	case policy.PolicySCP:
		if d.Level >= 0 && d.Level < len(s.scps) {
			set = s.scps[d.Level]
		}
	case policy.PolicyRCP:
		if d.Level >= 0 && d.Level < len(s.rcps) {
			set = s.rcps[d.Level]
		}
	}
	for _, l := range set {
		if l != nil && l.name == d.PolicyID {
			return l
		}
	}
	return nil
}

// explain writes the decision, what decided it and AWS's reason, each line prefixed
// with indent.
func (s *scenario) explain(w io.Writer, d policy.Decision, indent string) {
	fmt.Fprintf(w, "%sdecision:  %s\n", indent, resultName(d.Result))
	fmt.Fprintf(w, "%spolicy:    %s\n", indent, s.describePolicy(d))
	if d.Statement >= 0 {
		fmt.Fprintf(w, "%sstatement: %s\n", indent, s.describeStatement(d))
	}
	fmt.Fprintf(w, "%sreason:    %s\n", indent, s.reason(d))
}

// describePolicy says which policy decided, or which had no Allow.
func (s *scenario) describePolicy(d policy.Decision) string {
	where := d.Policy.String()
	if d.Policy == policy.PolicySCP || d.Policy == policy.PolicyRCP {
		where += ", " + d.LevelID
	}
	if d.PolicyID != "" {
		return fmt.Sprintf("%s (%s)", d.PolicyID, where)
	}
	switch d.Policy {
	case policy.PolicyRootUser:
		return "none: the account root user has every permission in its own account"
	case policy.PolicyIdentity:
		if k := s.req.Principal.Kind; k == policy.CallerService || k == policy.CallerAnonymous {
			if s.resource == nil {
				return "only a resource-based policy can allow a service principal or an anonymous caller, and none was given"
			}
			return "only a resource-based policy can allow a service principal or an anonymous caller, and " + s.resource.name + " does not"
		}
		if len(s.identity) == 0 {
			return "no identity-based policy was given"
		}
		return "no identity-based policy allows the request (" + joinNames(s.identity) + ")"
	case policy.PolicyResource:
		if s.resource == nil {
			return "the resource-based policy must allow the request, and there is none"
		}
		if s.requireResource {
			return "the resource-based policy " + s.resource.name + " must allow the request, and does not"
		}
		return fmt.Sprintf("the resource-based policy %s does not allow the request, which crosses accounts (caller %s, resource owner %s)",
			s.resource.name, s.req.Principal.Account, s.resourceOwner)
	case policy.PolicyBoundary:
		return "the permissions boundary " + s.boundary.name + " does not allow the request"
	case policy.PolicySession:
		if len(s.session) == 0 {
			return "a federated session without a session policy has no permissions"
		}
		return "no session policy allows the request (" + joinNames(s.session) + ")"
	case policy.PolicySCP:
		if d.Level >= 0 && d.Level < len(s.scps) {
			return fmt.Sprintf("no service control policy at %s allows the request (%s)", d.LevelID, joinNames(s.scps[d.Level]))
		}
	}
	return where
}

// describeStatement locates the deciding statement: its index, Sid and position.
func (s *scenario) describeStatement(d policy.Decision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", d.Statement)
	if d.Sid != "" {
		fmt.Fprintf(&b, " (Sid %q)", d.Sid)
	} else {
		b.WriteString(" (no Sid)")
	}
	if l := s.find(d); l != nil && d.Statement < len(l.doc.Statements) {
		p := l.doc.Statements[d.Statement].Pos
		fmt.Fprintf(&b, " at %s:%d:%d", l.file, p.Line, p.Column)
	}
	return b.String()
}

// reason is AWS's wording: the AccessDenied message for a denial.
func (s *scenario) reason(d policy.Decision) string {
	r := s.req
	if d.IsAllowed() {
		if d.Policy == policy.PolicyRootUser {
			return "allowed: no policy denies the account root user"
		}
		return "allowed by an Allow statement in " + article(d.Policy) + d.Policy.String() + ", and nothing denies"
	}
	caller := r.Principal.ARN
	if caller == "" {
		caller = r.Principal.Service
	}
	if caller == "" {
		caller = "anonymous"
	}
	return fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s %s",
		caller, r.Action, r.Resource, d.Reason(r.Action))
}

func article(t policy.PolicyType) string {
	if t == policy.PolicyIdentity {
		return "an "
	}
	return "a "
}
