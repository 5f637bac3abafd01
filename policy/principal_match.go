package policy

import "strings"

// This file matches the caller against a Principal or NotPrincipal element of a
// resource-based policy, a role trust policy or an RCP. How a principal is named decides
// what an Allow can grant on its own (IAM User Guide, "Policy evaluation logic",
// "Determining whether a request is allowed or denied within an account"); see grant.
// Source for the forms: IAM User Guide, "AWS JSON policy elements: Principal".

// grant is how strongly a resource-based policy statement names the caller.
type grant uint8

const (
	// grantNone: the statement does not name the caller.
	grantNone grant = iota
	// grantAccount: the statement names the caller's account (an account ID or
	// arn:aws:iam::ACCT:root). The account delegates: the caller's identity-based
	// policies must allow too.
	grantAccount
	// grantLimited: the statement names the role behind a role session, or the IAM user
	// behind a federated session. An implicit deny in a permissions boundary or a session
	// policy still blocks it.
	grantLimited
	// grantDirect: the statement names the caller itself ("*", an IAM user, a role
	// session, a federated user session, a service): it allows on its own in the same
	// account.
	grantDirect
)

// cPrincipal is a compiled Principal or NotPrincipal element, sorted by form.
type cPrincipal struct {
	present  bool
	not      bool
	all      bool     // "*" or {"AWS": "*"}
	accounts []string // account IDs, from an ID or a root ARN
	users    []string // IAM user ARNs
	roles    []string // IAM role ARNs
	arns     []string // other principal ARNs: role sessions, federated users
	ids      []string // unique IDs (AIDA..., AROA...)
	services []string // lower-case service principals
	provs    []string // Federated: identity providers
	canon    []string // S3 canonical user IDs
}

func compilePrincipal(p *Principal) cPrincipal {
	cp := cPrincipal{present: p.Present() || p.Wildcard || len(p.Entries) > 0, not: p.Not, all: p.Wildcard}
	for _, e := range p.Entries {
		for _, v := range e.Values {
			t := v.Text
			switch e.Type {
			case PrincipalService:
				cp.services = append(cp.services, strings.ToLower(t))
			case PrincipalFederated:
				cp.provs = append(cp.provs, t)
			case PrincipalCanonicalUser:
				cp.canon = append(cp.canon, strings.ToLower(t))
			case PrincipalAWS:
				cp.addAWS(t)
			}
		}
	}
	return cp
}

func (cp *cPrincipal) addAWS(t string) {
	if t == "*" {
		cp.all = true
		return
	}
	if isAccountID(t) {
		cp.accounts = append(cp.accounts, t)
		return
	}
	fields := strings.SplitN(t, ":", 6)
	if len(fields) != 6 || fields[0] != "arn" {
		cp.ids = append(cp.ids, t)
		return
	}
	switch res := fields[5]; {
	case fields[2] == "iam" && res == "root":
		cp.accounts = append(cp.accounts, fields[4])
	case fields[2] == "iam" && strings.HasPrefix(res, "user/"):
		cp.users = append(cp.users, t)
	case fields[2] == "iam" && strings.HasPrefix(res, "role/"):
		cp.roles = append(cp.roles, t)
	default:
		cp.arns = append(cp.arns, t)
	}
}

// match returns how strongly the element names the caller.
func (cp *cPrincipal) match(c *Caller) grant {
	if cp.all {
		return grantDirect
	}
	g := grantNone
	switch c.Kind {
	case CallerService:
		if containsFold(cp.services, c.Service) {
			return grantDirect
		}
		return grantNone
	case CallerWebIdentity:
		if contains(cp.provs, c.Provider) {
			return grantDirect
		}
		return grantNone
	case CallerAnonymous:
		return grantNone
	}
	if c.CanonicalUser != "" && containsFold(cp.canon, c.CanonicalUser) {
		return grantDirect
	}
	if c.ARN != "" && contains(cp.arns, c.ARN) {
		return grantDirect
	}
	switch c.Kind {
	case CallerUser:
		if contains(cp.users, c.ARN) || (c.ID != "" && contains(cp.ids, c.ID)) {
			return grantDirect
		}
	case CallerRoot:
		if c.Account != "" && contains(cp.accounts, c.Account) {
			return grantDirect
		}
	case CallerRoleSession:
		roleID, _, _ := strings.Cut(c.ID, ":")
		if (c.RoleARN != "" && contains(cp.roles, c.RoleARN)) || (roleID != "" && contains(cp.ids, roleID)) {
			g = grantLimited
		}
	case CallerFederatedSession:
		if c.UserARN != "" && contains(cp.users, c.UserARN) {
			g = grantLimited
		}
	}
	if g == grantNone && c.Account != "" && contains(cp.accounts, c.Account) {
		g = grantAccount
	}
	return g
}

// excludes reports whether a NotPrincipal element leaves the caller out. A request is
// checked as every identity it carries: an IAM user as the user and its account, a role
// session as the session, the role and the account, a federated session as the session
// and the account. The caller is left out only when all of them are listed (IAM User
// Guide, "AWS JSON policy elements: NotPrincipal": with Deny, list the account ARN too,
// and for a role session the session ARN, the role ARN and the account).
func (cp *cPrincipal) excludes(c *Caller) bool {
	if cp.all {
		return true
	}
	inAccount := c.Account != "" && contains(cp.accounts, c.Account)
	switch c.Kind {
	case CallerService:
		return containsFold(cp.services, c.Service)
	case CallerWebIdentity:
		return contains(cp.provs, c.Provider)
	case CallerAnonymous:
		return false
	case CallerRoot:
		return inAccount
	case CallerUser:
		named := contains(cp.users, c.ARN) || (c.ID != "" && contains(cp.ids, c.ID)) ||
			(c.CanonicalUser != "" && containsFold(cp.canon, c.CanonicalUser))
		return named && inAccount
	case CallerRoleSession:
		roleID, _, _ := strings.Cut(c.ID, ":")
		role := contains(cp.roles, c.RoleARN) || (roleID != "" && contains(cp.ids, roleID))
		return contains(cp.arns, c.ARN) && role && inAccount
	case CallerFederatedSession:
		return contains(cp.arns, c.ARN) && inAccount
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// containsFold compares with lower-case entries, ignoring ASCII case in s.
func containsFold(lower []string, s string) bool {
	for _, v := range lower {
		if equalFoldASCII(v, s) {
			return true
		}
	}
	return false
}
