package policy

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// This file holds what a request brings to an evaluation: who calls (Caller), what they
// ask for (Request) and the condition keys of the request context (Context). A Context
// is built once per request and read without allocation: its keys are lower-cased, kept
// sorted, and indexed by a small open-addressing table of their hashes (no Go map on the
// request path).

// CallerKind is the kind of principal that makes a request.
type CallerKind uint8

// The caller kinds. Source: IAM User Guide, "Policy evaluation logic" (the root user
// default, role and federated sessions) and "AWS JSON policy elements: Principal".
const (
	// CallerAnonymous is an unauthenticated request; only a resource-based policy that
	// allows "*" can let it through.
	CallerAnonymous CallerKind = iota
	// CallerRoot is the account root user: it has every permission in its own account
	// unless an explicit deny, an SCP or an RCP says otherwise.
	CallerRoot
	// CallerUser is an IAM user.
	CallerUser
	// CallerRoleSession is an assumed-role session (AssumeRole*).
	CallerRoleSession
	// CallerFederatedSession is a federated user session (GetFederationToken).
	CallerFederatedSession
	// CallerService is an AWS service principal such as "ec2.amazonaws.com".
	CallerService
	// CallerWebIdentity is a principal federated through a SAML or OIDC provider before
	// it has a role session (the caller of AssumeRoleWithSAML/WithWebIdentity).
	CallerWebIdentity
)

// String returns the kind's name.
func (k CallerKind) String() string {
	switch k {
	case CallerAnonymous:
		return "Anonymous"
	case CallerRoot:
		return "Root"
	case CallerUser:
		return "IAMUser"
	case CallerRoleSession:
		return "AssumedRole"
	case CallerFederatedSession:
		return "FederatedUser"
	case CallerService:
		return "Service"
	case CallerWebIdentity:
		return "WebIdentity"
	}
	return "CallerKind(?)"
}

// isSession reports whether the caller is a session principal (step 7 of the flow).
func (k CallerKind) isSession() bool {
	return k == CallerRoleSession || k == CallerFederatedSession
}

// Caller is the principal that makes a request, as principal matching needs it.
type Caller struct {
	Kind CallerKind
	// Account is the 12-digit account the principal belongs to; empty for anonymous,
	// service and web identity callers.
	Account string
	// ARN is the principal's own ARN: arn:aws:iam::ACCT:root, arn:aws:iam::ACCT:user/path/name,
	// arn:aws:sts::ACCT:assumed-role/name/session or arn:aws:sts::ACCT:federated-user/name.
	ARN string
	// ID is the principal's unique ID (AIDA... for a user, AROA... for a role; a role
	// session's ID may carry ":session").
	ID string
	// RoleARN is the IAM ARN of the role behind a role session
	// (arn:aws:iam::ACCT:role/path/name).
	RoleARN string
	// UserARN is the ARN of the IAM user who called GetFederationToken, for a federated
	// session.
	UserARN string
	// Service is the service principal name for CallerService ("ec2.amazonaws.com").
	Service string
	// Provider is the identity provider for CallerWebIdentity: a SAML or OIDC provider
	// ARN or a domain such as "accounts.google.com".
	Provider string
	// CanonicalUser is the S3 canonical user ID, when the caller has one.
	CanonicalUser string
}

// Request is one authorization question: may the caller perform the action on the
// resource, given the request context?
type Request struct {
	Principal Caller
	// Action is "service:Action", such as "s3:GetObject"; compared case-insensitively.
	Action string
	// Resource is the ARN of the resource, or "*" for an action without resources.
	// Compared case-sensitively, segment by segment.
	Resource string
	// Context holds the condition keys of the request.
	Context Context
	// Time is when the request was made. When the Context has no aws:CurrentTime or
	// aws:EpochTime key and Time is set, those keys take their value from it. The engine
	// never reads a clock.
	Time time.Time
}

// valueFlags says which typed forms of a context value are set.
type valueFlags uint8

const (
	hasNum valueFlags = 1 << iota
	hasDate
	hasIP
	hasBool
	lazyText // the text form is not computed yet (a value derived from Request.Time)
)

// ctxValue is one value of a context key: its text and the typed forms it was given as.
type ctxValue struct {
	text  string
	flags valueFlags
	b     bool
	num   float64
	date  dateVal
	ip    netip.Addr
}

// ctxKey is one key of a request context; its values are Context.vals[off : off+n].
type ctxKey struct {
	hash   uint32 // keyHash(name)
	name   string // lower-cased
	off, n int32
}

// keyHash is FNV-1a over a lower-cased key name; lookups compare it before the name.
func keyHash(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h ^= uint32(name[i])
		h *= 16777619
	}
	return h
}

// lowerName returns a key name in lower case. The global keys come as constants, so
// building a context lower-cases them without allocating.
func lowerName(name string) string {
	if !hasUpper(name) {
		return name
	}
	switch name {
	case "aws:SourceIp":
		return "aws:sourceip"
	case "aws:SecureTransport":
		return "aws:securetransport"
	case "aws:RequestedRegion":
		return "aws:requestedregion"
	case "aws:CurrentTime":
		return "aws:currenttime"
	case "aws:EpochTime":
		return "aws:epochtime"
	case "aws:PrincipalArn":
		return "aws:principalarn"
	case "aws:PrincipalAccount":
		return "aws:principalaccount"
	case "aws:PrincipalType":
		return "aws:principaltype"
	case "aws:PrincipalOrgID":
		return "aws:principalorgid"
	case "aws:PrincipalIsAWSService":
		return "aws:principalisawsservice"
	case "aws:ViaAWSService":
		return "aws:viaawsservice"
	case "aws:CalledVia":
		return "aws:calledvia"
	case "aws:MultiFactorAuthPresent":
		return "aws:multifactorauthpresent"
	case "aws:MultiFactorAuthAge":
		return "aws:multifactorauthage"
	case "aws:TokenIssueTime":
		return "aws:tokenissuetime"
	case "aws:SourceIdentity":
		return "aws:sourceidentity"
	case "aws:TagKeys":
		return "aws:tagkeys"
	case "aws:SourceVpc":
		return "aws:sourcevpc"
	case "aws:UserAgent":
		return "aws:useragent"
	}
	return strings.ToLower(name)
}

// hasUpper reports whether s may change when lower-cased: it has an ASCII upper-case
// letter or a non-ASCII byte.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return true
		}
	}
	return false
}

// Context is the set of condition keys of a request, each with one value or several.
// Key names are case-insensitive (tag keys inside names too, as in
// aws:PrincipalTag/Team); values keep their case. The zero Context is empty and ready to
// use. Adding a key that is already present replaces its values.
//
// A key with more than one value, or one added with AddMulti, is multi-valued: the
// ForAllValues: and ForAnyValue: operators test every value. A key added with no values
// is present and empty.
//
// A Context keeps its keys and values in two arrays and indexes the keys with a small
// open-addressing hash table, so building one costs no allocation per key once its
// arrays have grown, and a reused Context (Reset) none at all.
type Context struct {
	keys  []ctxKey
	vals  []ctxValue
	table []uint32 // open-addressing index by hash: 1 + the key's index, 0 when empty
}

// Len returns the number of keys.
func (c *Context) Len() int { return len(c.keys) }

// Reset removes every key, keeping the memory for reuse.
func (c *Context) Reset() {
	c.keys, c.vals = c.keys[:0], c.vals[:0]
	clear(c.table)
}

// set inserts or replaces a key whose values are c.vals[off:].
func (c *Context) set(name string, off int) {
	name = lowerName(name)
	hash := keyHash(name)
	n := int32(len(c.vals) - off)
	if 2*(len(c.keys)+1) > len(c.table) {
		c.grow()
	}
	mask := uint32(len(c.table) - 1)
	j := hash & mask
	for ; c.table[j] != 0; j = (j + 1) & mask {
		if k := &c.keys[c.table[j]-1]; k.hash == hash && k.name == name {
			k.off, k.n = int32(off), n
			return
		}
	}
	c.keys = append(c.keys, ctxKey{hash: hash, name: name, off: int32(off), n: n})
	c.table[j] = uint32(len(c.keys))
}

// grow doubles the hash index (at least 16 slots) and reinserts every key.
func (c *Context) grow() {
	n := 16
	for n < 4*(len(c.keys)+1) {
		n *= 2
	}
	if cap(c.table) >= n {
		c.table = c.table[:n]
		clear(c.table)
	} else {
		c.table = make([]uint32, n)
	}
	mask := uint32(n - 1)
	for i := range c.keys {
		j := c.keys[i].hash & mask
		for c.table[j] != 0 {
			j = (j + 1) & mask
		}
		c.table[j] = uint32(i + 1)
	}
}

// Add sets a string key to the given values. Numbers, dates, IP addresses and Booleans
// given as text are parsed when an operator needs them.
func (c *Context) Add(key string, values ...string) {
	off := len(c.vals)
	for _, v := range values {
		c.vals = append(c.vals, ctxValue{text: v})
	}
	c.set(key, off)
}

// AddMulti is Add for a multi-valued key (an ArrayOf... key such as aws:TagKeys); it is
// the same as Add, named for clarity at call sites.
func (c *Context) AddMulti(key string, values ...string) { c.Add(key, values...) }

// AddBool sets a Boolean key such as aws:SecureTransport.
func (c *Context) AddBool(key string, v bool) {
	c.add1(key, ctxValue{text: strconv.FormatBool(v), flags: hasBool, b: v})
}

// add1 sets a key with one value.
func (c *Context) add1(key string, v ctxValue) {
	off := len(c.vals)
	c.vals = append(c.vals, v)
	c.set(key, off)
}

// AddNumber sets a numeric key such as aws:MultiFactorAuthAge.
func (c *Context) AddNumber(key string, v float64) {
	c.add1(key, ctxValue{text: strconv.FormatFloat(v, 'f', -1, 64), flags: hasNum, num: v})
}

// AddTime sets a date key such as aws:TokenIssueTime; its text is RFC 3339 in UTC.
func (c *Context) AddTime(key string, t time.Time) {
	c.add1(key, timeValue(t))
}

// AddIP sets an IP address key such as aws:SourceIp.
func (c *Context) AddIP(key string, ip netip.Addr) {
	c.add1(key, ctxValue{text: ip.String(), flags: hasIP, ip: ip})
}

func timeValue(t time.Time) ctxValue {
	t = t.UTC()
	return ctxValue{text: t.Format(time.RFC3339), flags: hasDate, date: dateVal{sec: t.Unix(), nsec: int32(t.Nanosecond())}}
}

// Get returns a key's values as text, and whether the key is present.
func (c *Context) Get(key string) ([]string, bool) {
	name := strings.ToLower(key)
	vals, ok := c.lookup(name, keyHash(name))
	if !ok {
		return nil, false
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v.text
	}
	return out, true
}

// lookup finds a key by its lower-cased name without allocating.
func (c *Context) lookup(name string, hash uint32) ([]ctxValue, bool) {
	if len(c.table) == 0 {
		return nil, false
	}
	mask := uint32(len(c.table) - 1)
	for j := hash & mask; ; j = (j + 1) & mask {
		e := c.table[j]
		if e == 0 {
			return nil, false
		}
		if k := &c.keys[e-1]; k.hash == hash && k.name == name {
			return c.vals[k.off : k.off+k.n : k.off+k.n], true
		}
	}
}

// AddPrincipalKeys sets the global condition keys that describe the caller:
// aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid and, for an IAM
// user, aws:username. Source: IAM User Guide, "AWS global condition context keys" and
// "Policy variables" (the aws:userid and aws:PrincipalType values per principal kind).
// Keys the caller has no value for are left out, as AWS leaves them out.
func (c *Context) AddPrincipalKeys(p Caller) {
	typ := ""
	switch p.Kind {
	case CallerRoot:
		typ = "Account"
	case CallerUser:
		typ = "User"
	case CallerRoleSession:
		typ = "AssumedRole"
	case CallerFederatedSession:
		typ = "FederatedUser"
	case CallerAnonymous:
		typ = "Anonymous"
	}
	if typ != "" {
		c.Add("aws:PrincipalType", typ)
	}
	if p.Kind == CallerAnonymous || p.Kind == CallerService || p.Kind == CallerWebIdentity {
		return
	}
	arn := p.ARN
	if p.Kind == CallerRoleSession && p.RoleARN != "" {
		arn = p.RoleARN // aws:PrincipalArn is the role's ARN, not the session's
	}
	if arn != "" {
		c.Add("aws:PrincipalArn", arn)
	}
	if p.Account != "" {
		c.Add("aws:PrincipalAccount", p.Account)
	}
	switch {
	case p.Kind == CallerRoot && p.Account != "":
		c.Add("aws:userid", p.Account)
	case p.Kind == CallerFederatedSession && p.Account != "":
		// account:caller-specified-name
		name := p.ARN[strings.LastIndexByte(p.ARN, '/')+1:]
		c.Add("aws:userid", p.Account+":"+name)
	case p.ID != "":
		c.Add("aws:userid", p.ID)
	}
	if p.Kind == CallerUser && p.ARN != "" {
		c.Add("aws:username", p.ARN[strings.LastIndexByte(p.ARN, '/')+1:])
	}
}
