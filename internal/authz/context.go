package authz

import (
	"net/netip"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/actions"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/policy"
)

// addContext sets the request's condition keys (IAM User Guide, "AWS global condition
// context keys"): the request's own (aws:SourceIp, aws:SecureTransport,
// aws:RequestedRegion; aws:CurrentTime and aws:EpochTime come from Request.Time), the
// principal's (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:userid,
// aws:username, aws:PrincipalTag/*), the session's (aws:MultiFactorAuthPresent,
// aws:MultiFactorAuthAge, aws:TokenIssueTime, aws:SourceIdentity), the tags the request
// sets (aws:RequestTag/*, aws:TagKeys) and the service-specific keys the action supports
// whose value is an input member of the same name (iam:PermissionsBoundary,
// iam:PolicyARN, sts:ExternalId, sts:RoleSessionName, ...); for a web identity caller, the
// keys of its verified token. A key without a value is left out, as AWS leaves it out.
func addContext(c *policy.Context, req *caller.Request, sub *subject, act *actions.Action, in protocol.Input, f fields) {
	c.AddPrincipalKeys(sub.caller)
	if ip, err := netip.ParseAddr(req.SourceIP); err == nil {
		c.AddIP("aws:SourceIp", ip)
	}
	c.AddBool("aws:SecureTransport", req.Secure)
	c.Add("aws:RequestedRegion", req.Region)
	c.AddBool("aws:ViaAWSService", false)
	c.AddBool("aws:PrincipalIsAWSService", false)
	for _, t := range sub.tags {
		c.Add("aws:PrincipalTag/"+t.Key, t.Value)
	}
	if w := req.Principal.WebIdentity; w != nil {
		// The token's keys ("<host/path>:sub", ":aud", ":oaud", ":amr"): amr and oaud are
		// multivalued; aud is single-valued unless the token names several audiences.
		for k, v := range w.ConditionKeys {
			c.Add(k, v...)
		}
	}
	if s := sub.sess; s != nil {
		// Long-term credentials carry none of these: "This key is not present when
		// ... long-term credentials" (aws:MultiFactorAuthPresent).
		if !s.IssuedAt.IsZero() {
			c.AddTime("aws:TokenIssueTime", s.IssuedAt)
		}
		c.AddBool("aws:MultiFactorAuthPresent", s.MFA)
		if s.MFA && !s.MFATime.IsZero() {
			age := req.Time.Sub(s.MFATime).Seconds()
			if age < 0 {
				age = 0
			}
			c.AddNumber("aws:MultiFactorAuthAge", float64(int64(age)))
		}
		if s.SourceIdentity != "" {
			c.Add("aws:SourceIdentity", s.SourceIdentity)
		}
	}
	if mfaInRequest(act, f) {
		// AssumeRole with SerialNumber and TokenCode: the trust policy sees the MFA the
		// request presents (STS API reference, AssumeRole: "the trust policy of the role
		// being assumed [can] require MFA"). The handler verifies the code, and refuses
		// the request if it is wrong, before any credentials are issued.
		c.AddBool("aws:MultiFactorAuthPresent", true)
		c.AddNumber("aws:MultiFactorAuthAge", 0)
	}
	var keys []string
	in.RequestTags(func(k, v string, hasValue bool) {
		if hasValue {
			c.Add("aws:RequestTag/"+k, v)
		}
		keys = append(keys, k)
	})
	if len(keys) > 0 {
		c.AddMulti("aws:TagKeys", keys...)
	}
	if act == nil {
		return
	}
	addServiceKeys(c, act.Service, act.ConditionKeys, f, in)
	for _, r := range act.Resources {
		addServiceKeys(c, act.Service, r.ConditionKeys, f, in)
	}
}

// mfaInRequest reports an STS request that authenticates with an MFA code.
func mfaInRequest(act *actions.Action, f fields) bool {
	if act == nil || act.Service != "sts" {
		return false
	}
	_, serial := f.get("SerialNumber")
	_, code := f.get("TokenCode")
	return serial && code
}

// addServiceKeys sets each service-prefixed key whose name is an input member's name
// (compared without case): iam:PolicyARN from PolicyArn, sts:ExternalId from ExternalId,
// and the multi-valued sts:TransitiveTagKeys from the list TransitiveTagKeys.
func addServiceKeys(c *policy.Context, service string, keys []string, f fields, in protocol.Input) {
	for _, key := range keys {
		name, ok := strings.CutPrefix(key, service+":")
		if !ok || strings.Contains(name, "${") || strings.Contains(name, "/") {
			continue
		}
		if v, ok := f.get(name); ok {
			c.Add(key, v)
			continue
		}
		for n, vs := range in.StringLists {
			if strings.EqualFold(n, name) {
				c.AddMulti(key, vs...)
				break
			}
		}
	}
}

// fields are the top-level string members of a request's input, gathered once.
type fields []field

type field struct{ name, value string }

// gatherFields appends the input's non-empty string members to buf. An empty member is
// as good as absent: the handlers treat UserName "" as no user name (the caller).
func gatherFields(in protocol.Input, buf fields) fields {
	for n, v := range in.StringMembers {
		if v != "" {
			buf = append(buf, field{n, v})
		}
	}
	return buf
}

// get returns the member with the name, compared without case.
func (f fields) get(name string) (string, bool) {
	for _, x := range f {
		if strings.EqualFold(x.name, name) {
			return x.value, true
		}
	}
	return "", false
}
