package iam

import (
	"fmt"
	"net/url"
	"strings"
)

// Storage key layout. Every key starts with "iam/". Per-account state lives under
// "iam/a/<account>/"; the few indexes that must be global (IAM names them globally) live under
// "iam/g/". Name components are IAM names ([\w+=,.@-], never "/"), lower-cased where AWS treats
// names case-insensitively so that "Alice" and "alice" collide on the same key. Policy ARNs,
// which contain "/", are path-escaped. No key ever contains a secret.
//
//	iam/a/<acct>/meta                         account record (email, root access key IDs)
//	iam/a/<acct>/alias                        the account alias
//	iam/a/<acct>/pwpolicy                     the account password policy
//	iam/a/<acct>/user/<lname>                 user record (groups, attachments, inline names, keys)
//	iam/a/<acct>/group/<lname>                group record (member count, attachments, inline names)
//	iam/a/<acct>/role/<lname>                 role record
//	iam/a/<acct>/roleused/<lname>             role last-used record
//	iam/a/<acct>/policy/<lname>               customer managed policy record (version list, counts)
//	iam/a/<acct>/polver/<policyID>/<n>        policy version document, n zero-padded
//	iam/a/<acct>/awspol/<escaped arn>         usage counts of an AWS managed policy in this account
//	iam/a/<acct>/polatt/<escaped arn>/<kind>/<entityID>   entity the policy is attached to
//	iam/a/<acct>/polbnd/<escaped arn>/<kind>/<entityID>   entity the policy is the boundary of
//	iam/a/<acct>/inline/<kind>/<entityID>/<name>          inline policy document
//	iam/a/<acct>/member/<groupID>/<userID>    group membership (value: the user's name)
//	iam/a/<acct>/login/<userID>               login profile (password hash)
//	iam/a/<acct>/iprof/<lname>                instance profile record
//	iam/a/<acct>/roleprof/<roleLname>/<ipLname>  instance profile that holds the role
//	iam/a/<acct>/vmfa/<escaped path+lname>    virtual MFA device, with its seed (mfa.go)
//	iam/a/<acct>/rootmfa                      the root user's enabled MFA devices (mfa.go)
//	iam/a/<acct>/rootlogin                    the root user's password hash (root_login.go)
//	iam/a/<acct>/credreport                   the last credential report (credential_report.go)
//	iam/a/<acct>/oidc/<escaped host/path>     OpenID Connect provider (oidc_providers.go)
//	iam/g/alias/<alias>                       account alias -> account (aliases are global)
//	iam/g/email/<escaped lower email>         root user email -> account (root_login.go)
//	iam/g/ak/<akid>                           access key: owner and secret (for SigV4 lookups)
//	iam/g/akused/<akid>                       access key last use
//	iam/g/id/<uniqueID>                       unique ID -> account, kind, name
//
// Children of users and groups are keyed by the immutable unique ID, so a rename moves only
// the record itself and the few values that cache the name (access keys, memberships, reverse
// attachment entries). Roles, policies and instance profiles cannot be renamed.
const keyRoot = "iam/"

func acctPrefix(acct string) string { return keyRoot + "a/" + acct + "/" }

func lower(name string) string { return strings.ToLower(name) }

func metaKey(acct string) string     { return acctPrefix(acct) + "meta" }
func aliasKey(acct string) string    { return acctPrefix(acct) + "alias" }
func pwPolicyKey(acct string) string { return acctPrefix(acct) + "pwpolicy" }

func usersPrefix(acct string) string       { return acctPrefix(acct) + "user/" }
func userKey(acct, name string) string     { return usersPrefix(acct) + lower(name) }
func groupsPrefix(acct string) string      { return acctPrefix(acct) + "group/" }
func groupKey(acct, name string) string    { return groupsPrefix(acct) + lower(name) }
func rolesPrefix(acct string) string       { return acctPrefix(acct) + "role/" }
func roleKey(acct, name string) string     { return rolesPrefix(acct) + lower(name) }
func roleUsedKey(acct, name string) string { return acctPrefix(acct) + "roleused/" + lower(name) }
func policiesPrefix(acct string) string    { return acctPrefix(acct) + "policy/" }
func policyKey(acct, name string) string   { return policiesPrefix(acct) + lower(name) }
func awsPoliciesPrefix(acct string) string { return acctPrefix(acct) + "awspol/" }
func awsPolicyKey(acct, arn string) string { return awsPoliciesPrefix(acct) + url.PathEscape(arn) }
func profilesPrefix(acct string) string    { return acctPrefix(acct) + "iprof/" }
func profileKey(acct, name string) string  { return profilesPrefix(acct) + lower(name) }
func loginKey(acct, userID string) string  { return acctPrefix(acct) + "login/" + userID }
func membersPrefix(acct, groupID string) string {
	return acctPrefix(acct) + "member/" + groupID + "/"
}
func memberKey(acct, groupID, userID string) string { return membersPrefix(acct, groupID) + userID }

func roleProfilesPrefix(acct, role string) string {
	return acctPrefix(acct) + "roleprof/" + lower(role) + "/"
}
func roleProfileKey(acct, role, profile string) string {
	return roleProfilesPrefix(acct, role) + lower(profile)
}

// versionKey zero-pads the version number so that versions sort numerically.
func versionsPrefix(acct, policyID string) string {
	return acctPrefix(acct) + "polver/" + policyID + "/"
}
func versionKey(acct, policyID string, n int) string {
	return versionsPrefix(acct, policyID) + fmt.Sprintf("%010d", n)
}

// entity kinds used in keys.
const (
	ekUser  = "user"
	ekGroup = "group"
	ekRole  = "role"
)

func inlinePrefix(acct, kind, entityID string) string {
	return acctPrefix(acct) + "inline/" + kind + "/" + entityID + "/"
}
func inlineKey(acct, kind, entityID, name string) string {
	return inlinePrefix(acct, kind, entityID) + name
}

func attachRevPrefix(acct, policyARN string) string {
	return acctPrefix(acct) + "polatt/" + url.PathEscape(policyARN) + "/"
}
func attachRevKey(acct, policyARN, kind, entityID string) string {
	return attachRevPrefix(acct, policyARN) + kind + "/" + entityID
}
func boundaryRevPrefix(acct, policyARN string) string {
	return acctPrefix(acct) + "polbnd/" + url.PathEscape(policyARN) + "/"
}
func boundaryRevKey(acct, policyARN, kind, entityID string) string {
	return boundaryRevPrefix(acct, policyARN) + kind + "/" + entityID
}

func globalAliasKey(alias string) string  { return keyRoot + "g/alias/" + alias }
func accessKeyKey(akid string) string     { return keyRoot + "g/ak/" + akid }
func accessKeyUsedKey(akid string) string { return keyRoot + "g/akused/" + akid }
func uniqueIDKey(id string) string        { return keyRoot + "g/id/" + id }
