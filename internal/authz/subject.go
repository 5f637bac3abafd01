package authz

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/policy"
)

// subject is the caller of one request with every policy that applies to it.
type subject struct {
	caller   policy.Caller
	identity []policy.PolicyRef
	boundary policy.PolicyRef
	session  []policy.PolicyRef
	// noSessionPolicy marks a federated user session created without a session policy:
	// it has no permissions at all.
	noSessionPolicy bool
	// tags are the principal tags: the user's or role's, overridden by session tags.
	tags []Tag
	// session is the caller's STS session, nil for long-term credentials.
	sess *caller.Session
	// created is when the caller's user or role was created; zero for other callers.
	created time.Time
}

// subject gathers the caller's policies: nothing for the root user; a user's policies;
// a role's policies plus the session policies for a role session; the calling user's
// policies plus the session policies for a federated user session.
func (e *Enforcer) subject(ctx context.Context, p caller.Principal) (*subject, error) {
	s := &subject{sess: p.Session}
	switch p.Kind {
	case caller.Root:
		s.caller = policy.Caller{Kind: policy.CallerRoot, Account: p.Account, ARN: p.ARN, ID: p.Account}
		return s, nil
	case caller.IAMUser:
		ent, err := e.subjects.get(ctx, e, caller.IAMUser, p.Account, p.UserName)
		if err != nil {
			return nil, err
		}
		if p.ID != "" && ent.id != p.ID {
			return nil, ErrNoSuchPrincipal // the credentials' user was deleted; this is another
		}
		s.caller = policy.Caller{Kind: policy.CallerUser, Account: p.Account, ARN: ent.arn, ID: ent.id}
		s.created = ent.created
		s.identity, s.boundary, s.tags = ent.identity, ent.boundary, ent.tags
		return s, nil
	case caller.AssumedRole:
		if p.Session == nil {
			return nil, fmt.Errorf("authz: role session %s without session data", p.ARN)
		}
		acct, name, ok := roleFromARN(p.Session.RoleARN)
		if !ok {
			return nil, fmt.Errorf("authz: role session %s names no role", p.ARN)
		}
		ent, err := e.subjects.get(ctx, e, caller.AssumedRole, acct, name)
		if err != nil {
			return nil, err
		}
		if p.Session.RoleID != "" && ent.id != p.Session.RoleID {
			// The session's role was deleted and a new one made with its name: the
			// session is not the new role's (IAM User Guide, "Unique identifiers").
			return nil, ErrNoSuchPrincipal
		}
		s.caller = policy.Caller{Kind: policy.CallerRoleSession, Account: p.Account, ARN: p.ARN, ID: p.ID, RoleARN: ent.arn}
		s.created = ent.created
		s.identity, s.boundary = ent.identity, ent.boundary
		s.tags = mergeTags(ent.tags, p.Session.Tags)
		if s.session, err = e.sessionPolicies(ctx, p.Account, p.Session); err != nil {
			return nil, err
		}
		return s, nil
	case caller.FederatedUser:
		if p.Session == nil {
			return nil, fmt.Errorf("authz: federated session %s without session data", p.ARN)
		}
		s.caller = policy.Caller{Kind: policy.CallerFederatedSession, Account: p.Account, ARN: p.ARN, ID: p.ID, UserARN: p.Session.UserARN}
		if strings.HasSuffix(p.Session.UserARN, ":root") {
			// The root user's federated session: root has every permission, so the
			// session policies alone limit it.
			all, err := e.compiled.get(allowAll, policy.KindIdentity, false)
			if err != nil {
				return nil, err
			}
			s.identity = []policy.PolicyRef{{ID: p.Session.UserARN, Policy: all}}
		} else {
			userName := p.Session.UserARN[strings.LastIndexByte(p.Session.UserARN, '/')+1:]
			ent, err := e.subjects.get(ctx, e, caller.IAMUser, p.Account, userName)
			if err != nil {
				return nil, err
			}
			if p.Session.UserID != "" && ent.id != p.Session.UserID {
				return nil, ErrNoSuchPrincipal
			}
			s.identity, s.boundary = ent.identity, ent.boundary
		}
		s.tags = mergeTags(nil, p.Session.Tags)
		var err error
		if s.session, err = e.sessionPolicies(ctx, p.Account, p.Session); err != nil {
			return nil, err
		}
		s.noSessionPolicy = len(s.session) == 0
		return s, nil
	case caller.WebIdentityUser:
		// Authenticated by an OIDC provider's token: it has no identity policies, so the
		// role's trust policy alone (the required resource policy) decides.
		if p.WebIdentity == nil {
			return nil, fmt.Errorf("authz: web identity caller without a verified token")
		}
		s.caller = policy.Caller{Kind: policy.CallerWebIdentity, Provider: p.WebIdentity.ProviderARN}
		return s, nil
	}
	return nil, fmt.Errorf("authz: unknown principal kind %q", p.Kind)
}

// allowAll stands for the root user's permissions behind a root federated session.
const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// allowNothing stands for a session policy that no longer exists.
const allowNothing = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]}`

// sessionPolicies compiles a session's inline and managed session policies.
func (e *Enforcer) sessionPolicies(ctx context.Context, acct string, sess *caller.Session) ([]policy.PolicyRef, error) {
	var refs []policy.PolicyRef
	for i, text := range sess.Policies {
		c, err := e.sessionCompiled.get(text, policy.KindSession, false)
		if err != nil {
			return nil, err
		}
		refs = append(refs, policy.PolicyRef{ID: fmt.Sprintf("session policy %d", i+1), Policy: c})
	}
	for _, a := range sess.PolicyARNs {
		d, ok, err := e.dir.ManagedPolicy(ctx, acct, a)
		if err != nil {
			return nil, fmt.Errorf("authz: session policy %s: %w", a, err)
		}
		text := d.Text
		if !ok {
			// The policy was deleted since the session began. A session policy only ever
			// narrows, so a missing one must not widen the session: it allows nothing.
			text = allowNothing
		}
		c, err := e.sessionCompiled.get(text, policy.KindSession, ok && d.awsManaged())
		if err != nil {
			return nil, err
		}
		refs = append(refs, policy.PolicyRef{ID: a, Policy: c})
	}
	return refs, nil
}

// mergeTags returns base with the session tags added, a session tag replacing a
// principal tag with the same key (compared case-insensitively, as tag keys are in
// condition keys).
func mergeTags(base []Tag, session map[string]string) []Tag {
	if len(session) == 0 {
		return base
	}
	out := make([]Tag, 0, len(base)+len(session))
	for _, t := range base {
		if !hasKeyFold(session, t.Key) {
			out = append(out, t)
		}
	}
	for k, v := range session {
		out = append(out, Tag{Key: k, Value: v})
	}
	return out
}

func hasKeyFold(m map[string]string, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

// entity is a user or role with its policies compiled, cached under the directory's
// generation.
type entity struct {
	gen        uint64
	arn, id    string
	created    time.Time
	trustSaved time.Time // roles only
	tags       []Tag
	identity   []policy.PolicyRef
	boundary   policy.PolicyRef
	trust      *policy.Compiled // roles only
}

// maxCachedSubjects bounds the subject cache; past it the cache starts over.
const maxCachedSubjects = 50_000

// subjectCache keeps compiled users and roles while the directory's generation holds.
type subjectCache struct {
	mu sync.RWMutex
	m  map[subjectKey]*entity
}

type subjectKey struct {
	kind       caller.Kind
	acct, name string
}

func newSubjectCache() *subjectCache { return &subjectCache{m: map[subjectKey]*entity{}} }

// get returns the user (kind IAMUser) or role (kind AssumedRole) with its compiled
// policies, from the cache while the directory's generation is unchanged.
func (c *subjectCache) get(ctx context.Context, e *Enforcer, kind caller.Kind, acct, name string) (*entity, error) {
	gen, cacheable := e.dir.Generation()
	key := subjectKey{kind, acct, name}
	if cacheable {
		c.mu.RLock()
		ent := c.m[key]
		c.mu.RUnlock()
		if ent != nil && ent.gen == gen {
			return ent, nil
		}
	}
	var pr Principal
	var err error
	if kind == caller.IAMUser {
		pr, err = e.dir.UserPolicies(ctx, acct, name)
	} else {
		pr, err = e.dir.RolePolicies(ctx, acct, name)
	}
	if err != nil {
		return nil, err
	}
	ent := &entity{gen: gen, arn: pr.ARN, id: pr.ID, tags: pr.Tags, created: pr.Created, trustSaved: pr.TrustSaved}
	for _, d := range pr.Identity {
		cp, err := e.compiled.get(d.Text, policy.KindIdentity, d.awsManaged())
		if err != nil {
			return nil, fmt.Errorf("authz: policy %s: %w", d.ID(), err)
		}
		ent.identity = append(ent.identity, policy.PolicyRef{ID: d.ID(), Policy: cp})
	}
	if pr.Boundary != nil {
		cp, err := e.compiled.get(pr.Boundary.Text, policy.KindPermissionsBoundary, pr.Boundary.awsManaged())
		if err != nil {
			return nil, fmt.Errorf("authz: permissions boundary %s: %w", pr.Boundary.ID(), err)
		}
		ent.boundary = policy.PolicyRef{ID: pr.Boundary.ID(), Policy: cp}
	}
	if pr.Trust != "" {
		if ent.trust, err = e.compiled.get(pr.Trust, policy.KindTrust, false); err != nil {
			return nil, fmt.Errorf("authz: trust policy of %s: %w", pr.ARN, err)
		}
	}
	if cacheable {
		c.mu.Lock()
		if len(c.m) >= maxCachedSubjects {
			c.m = map[subjectKey]*entity{}
		}
		c.m[key] = ent
		c.mu.Unlock()
	}
	return ent, nil
}

// maxCompiled bounds the compile cache of identity, boundary and trust policies, and
// maxSessionCompiled that of session policies, which callers choose freely: past its bound
// a cache starts over, and a caller minting sessions with ever new policies can only
// churn the session cache.
const (
	maxCompiled        = 20_000
	maxSessionCompiled = 2_000
)

// compileCache keeps compiled policies by kind and text, so a policy is compiled once
// however many principals it is attached to and however often the generation moves.
type compileCache struct {
	mu  sync.RWMutex
	m   map[compileKey]*policy.Compiled
	max int
}

type compileKey struct {
	kind       policy.Kind
	awsManaged bool
	text       string
}

func newCompileCache(max int) *compileCache {
	return &compileCache{m: map[compileKey]*policy.Compiled{}, max: max}
}

// get compiles text as a policy of the kind; an AWS managed policy is parsed with
// policy.AWSManaged, as AWS's own documents may do what customer policies may not.
func (c *compileCache) get(text string, kind policy.Kind, awsManaged bool) (*policy.Compiled, error) {
	k := compileKey{kind: kind, text: text, awsManaged: awsManaged}
	c.mu.RLock()
	cp := c.m[k]
	c.mu.RUnlock()
	if cp != nil {
		return cp, nil
	}
	var opts []policy.Option
	if k.awsManaged {
		opts = append(opts, policy.AWSManaged())
	}
	cp, err := policy.ParseCompile(text, kind, opts...)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = map[compileKey]*policy.Compiled{}
	}
	c.m[k] = cp
	c.mu.Unlock()
	return cp, nil
}
