package authz

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/actions"
	"github.com/bulwarkhq/bulwark/internal/caller"
)

// binder turns an action's resource types into the ARNs of one request.
type binder struct {
	ctx context.Context
	e   *Enforcer
	req *caller.Request
	op  string
	f   fields
}

// isSelfOperation reports the IAM operations whose UserName is optional and defaults to
// the calling user (IAM API reference: "If you do not specify a user name, IAM determines
// the user name implicitly based on the Amazon Web Services access key ID used to sign
// the request").
func isSelfOperation(op string) bool {
	switch op {
	case "GetUser", "GetMFADevice", "ChangePassword", "ListAccessKeys", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey",
		"ListMFADevices", "ListSigningCertificates", "UploadSigningCertificate", "UpdateSigningCertificate",
		"DeleteSigningCertificate", "ListSSHPublicKeys", "ListServiceSpecificCredentials":
		return true
	}
	return false
}

// resources returns the ARNs the request touches, one per resource type of the action
// that the input names. For each type it first looks for an input member that already
// holds an ARN of the type (PolicyArn, RoleArn, SerialNumber, ...), then fills the type's
// ARN template from the input: ${Partition}, ${Region} and ${Account} from the request,
// any other ${Name} from the member of that name, and ${NameWithPath} from the entity's
// path (or the input's Path when the request creates it). An IAM user that names no user
// acts on itself where IAM says so. An action without resource types, or whose types the input
// does not name, applies to "*".
func (b binder) resources(act *actions.Action) ([]string, error) {
	if act == nil {
		return []string{"*"}, nil
	}
	var out []string
	for _, r := range act.Resources {
		a, ok, err := b.bind(r.Type)
		if err != nil {
			return nil, err
		}
		if ok && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return []string{"*"}, nil
	}
	return out, nil
}

// bind returns the ARN of the resource type the request names.
func (b binder) bind(t *actions.ResourceType) (string, bool, error) {
	for _, tmpl := range t.ARNs {
		for _, x := range b.f {
			if (isARNMember(x.name) || strings.Contains(tmpl, "${"+x.name+"}")) &&
				strings.HasPrefix(x.value, "arn:") && templateMatches(tmpl, x.value) {
				return b.canonicalARN(t, x.value)
			}
		}
	}
	for _, tmpl := range t.ARNs {
		var err error
		a, ok := actions.Bind(tmpl, func(name string) (string, bool) {
			v, ok, e := b.variable(t, name)
			if e != nil {
				err = e
			}
			return v, ok
		})
		if err != nil {
			return "", false, err
		}
		if ok {
			return a, true, nil
		}
	}
	return "", false, nil
}

// isARNMember reports the input members that hold a resource's ARN: RoleArn, PolicyArn,
// PolicySourceArn, OpenIDConnectProviderArn, ... and an MFA device's SerialNumber. Besides
// these, only a member the template names may hold the whole ARN (a KMS KeyId); others (an
// ExternalId that looks like an ARN) never name the resource.
func isARNMember(name string) bool {
	return strings.HasSuffix(name, "Arn") || strings.HasSuffix(name, "ARN") || name == "SerialNumber"
}

// canonicalARN returns the ARN of an existing IAM user or role as IAM spells it. IAM
// names are unique without regard to case and the handlers find entities that way, so a
// re-cased ARN in the input must not dodge a policy written for the real one.
func (b binder) canonicalARN(t *actions.ResourceType, a string) (string, bool, error) {
	acct, kind, name, ok := iamEntityFromARN(a)
	if !ok || t.Service != "iam" && t.Service != "sts" {
		return a, true, nil
	}
	ent, err := b.e.subjects.get(b.ctx, b.e, kind, acct, name)
	if errors.Is(err, ErrNoSuchPrincipal) {
		return a, true, nil
	}
	if err != nil {
		return "", false, err
	}
	if strings.EqualFold(ent.arn, a) {
		return ent.arn, true, nil
	}
	return a, true, nil
}

// variable resolves one ${name} of an ARN template.
func (b binder) variable(t *actions.ResourceType, name string) (string, bool, error) {
	p := b.req.Principal
	switch name {
	case "Partition":
		return b.e.partition, true, nil
	case "Region":
		return b.req.Region, true, nil
	case "Account":
		return p.Account, true, nil
	}
	base, withPath := strings.CutSuffix(name, "WithPath")
	v, ok := b.member(base)
	if !ok && t.Service == "iam" && t.Name == "user" && base == "UserName" && p.Kind == caller.IAMUser &&
		isSelfOperation(b.op) {
		return p.ARN[strings.Index(p.ARN, ":user/")+len(":user/"):], true, nil
	}
	if !ok && t.Service == "iam" && t.Name == "user" && base == "UserName" {
		// GetAccessKeyLastUsed names only the key: the resource is its owner.
		if akid, has := b.f.get("AccessKeyId"); has {
			acct, userARN, found, err := b.e.dir.AccessKeyOwner(b.ctx, akid)
			if err != nil || !found || acct != p.Account {
				return "", false, err
			}
			return userARN[strings.Index(userARN, ":user/")+len(":user/"):], true, nil
		}
	}
	if !ok || !withPath {
		return v, ok, nil
	}
	pathName, found, err := b.pathName(t.Name, v)
	if err != nil {
		return "", false, err
	}
	if !found {
		// The entity does not exist yet (the request creates it) or at all: its path is
		// the one the request gives, or "/".
		path, _ := b.f.get("Path")
		return strings.TrimPrefix(path, "/") + v, true, nil
	}
	return pathName, true, nil
}

// member returns the input member a template variable names: the member of that name, or
// for the variables whose member is named otherwise, that member (the SAR names the OIDC
// provider by ${OidcProviderName}, CreateOpenIDConnectProvider takes its Url).
func (b binder) member(variable string) (string, bool) {
	if v, ok := b.f.get(variable); ok {
		return v, true
	}
	switch variable {
	case "OidcProviderName":
		if u, ok := b.f.get("Url"); ok {
			return strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), true
		}
	case "MfaTokenId":
		return b.f.get("VirtualMFADeviceName")
	case "FederatedUserName", "SamlProviderName":
		return b.f.get("Name")
	case "CertificateName":
		return b.f.get("ServerCertificateName")
	}
	return "", false
}

// pathName returns the path and name of the named IAM entity of the caller's account as
// its ARN spells them ("division/alice"), users and roles from the enforcer's cache,
// other kinds from the directory; false when there is no such entity.
func (b binder) pathName(kind, name string) (string, bool, error) {
	acct := b.req.Principal.Account
	var ck caller.Kind
	switch kind {
	case "user":
		ck = caller.IAMUser
	case "role":
		ck = caller.AssumedRole
	default:
		path, canonical, found, err := b.e.dir.EntityPath(b.ctx, acct, kind, name)
		return strings.TrimPrefix(path, "/") + canonical, found, err
	}
	ent, err := b.e.subjects.get(b.ctx, b.e, ck, acct, name)
	if errors.Is(err, ErrNoSuchPrincipal) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return ent.arn[strings.IndexByte(ent.arn, '/')+1:], true, nil
}

// templateMatches reports whether arn has the shape of the template, each ${...}
// standing for any text.
func templateMatches(tmpl, arn string) bool {
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			return tmpl == arn
		}
		if !strings.HasPrefix(arn, tmpl[:i]) {
			return false
		}
		arn = arn[i:]
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			return false
		}
		tmpl = tmpl[i+j+1:]
		if tmpl == "" {
			return arn != ""
		}
		// The variable takes the shortest text up to the template's next literal, or
		// everything when the template ends with a variable.
		next := tmpl
		if k := strings.Index(next, "${"); k >= 0 {
			next = next[:k]
		}
		if next == "" {
			continue
		}
		k := strings.Index(arn, next)
		if k <= 0 {
			return false
		}
		arn = arn[k:]
	}
}
