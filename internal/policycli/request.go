package policycli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

// principalTypes lists the --principal-type values.
const principalTypes = "user, role-session, root, federated, service or anonymous"

// parseCaller builds the caller from its ARN and, optionally, its type. The type is
// read from the ARN when it is empty; a service principal names the service
// ("ec2.amazonaws.com") in place of an ARN, and an anonymous caller has none.
func parseCaller(principal, typ string) (policy.Caller, error) {
	switch typ {
	case "service":
		if principal == "" {
			return policy.Caller{}, fmt.Errorf("a service principal needs its name, such as ec2.amazonaws.com")
		}
		return policy.Caller{Kind: policy.CallerService, Service: principal}, nil
	case "anonymous":
		return policy.Caller{Kind: policy.CallerAnonymous}, nil
	case "", "user", "role-session", "root", "federated":
	default:
		return policy.Caller{}, fmt.Errorf("unknown principal type %q (want %s)", typ, principalTypes)
	}
	parts := strings.SplitN(principal, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" {
		return policy.Caller{}, fmt.Errorf("principal %q is not an ARN", principal)
	}
	partition, service, account, res := parts[1], parts[2], parts[4], parts[5]
	if len(account) != 12 || strings.Trim(account, "0123456789") != "" {
		return policy.Caller{}, fmt.Errorf("principal %q: the account must be 12 digits", principal)
	}
	c := policy.Caller{Account: account, ARN: principal}
	var kind string
	switch {
	case service == "iam" && res == "root":
		c.Kind, kind = policy.CallerRoot, "root"
	case service == "iam" && strings.HasPrefix(res, "user/"):
		c.Kind, kind = policy.CallerUser, "user"
	case service == "sts" && strings.HasPrefix(res, "assumed-role/"):
		name, _, ok := strings.Cut(strings.TrimPrefix(res, "assumed-role/"), "/")
		if !ok || name == "" {
			return policy.Caller{}, fmt.Errorf("principal %q: a role session ARN is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION", principal)
		}
		c.Kind, kind = policy.CallerRoleSession, "role-session"
		c.RoleARN = "arn:" + partition + ":iam::" + account + ":role/" + name
	case service == "sts" && strings.HasPrefix(res, "federated-user/"):
		c.Kind, kind = policy.CallerFederatedSession, "federated"
	case service == "iam" && strings.HasPrefix(res, "role/"):
		name := res[strings.LastIndexByte(res, '/')+1:]
		return policy.Caller{}, fmt.Errorf("principal %q: a role does not make requests, its sessions do; use arn:%s:sts::%s:assumed-role/%s/SESSION",
			principal, partition, account, name)
	default:
		return policy.Caller{}, fmt.Errorf("principal %q: want an IAM user, root, role session or federated user ARN", principal)
	}
	if typ != "" && typ != kind {
		return policy.Caller{}, fmt.Errorf("principal %q is a %s ARN, not %s", principal, kind, typ)
	}
	return c, nil
}

// contextTypes lists the types a --context value may name.
const contextTypes = "string, arn, bool, number, date or ip"

// contextFlag is the repeatable --context key=type:value flag. Values given for the
// same key several times make a multi-valued key.
type contextFlag struct {
	keys   []string
	values map[string][]string
}

func (c *contextFlag) String() string { return "" }

func (c *contextFlag) Set(s string) error {
	key, tv, ok := strings.Cut(s, "=")
	typ, val, ok2 := strings.Cut(tv, ":")
	if !ok || !ok2 || key == "" {
		return fmt.Errorf("want key=type:value, such as aws:SourceIp=ip:10.1.2.3")
	}
	v, err := contextValue(typ, val)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if c.values == nil {
		c.values = make(map[string][]string)
	}
	// Key names are case-insensitive: aws:TagKeys and aws:tagkeys are one key, written
	// as it was first given.
	for _, k := range c.keys {
		if strings.EqualFold(k, key) {
			key = k
		}
	}
	if _, seen := c.values[key]; !seen {
		c.keys = append(c.keys, key)
	}
	c.values[key] = append(c.values[key], v)
	return nil
}

// contextValue checks a typed value and returns its text; the engine parses text as
// the condition operator needs.
func contextValue(typ, val string) (string, error) {
	switch typ {
	case "string", "arn":
		return val, nil
	case "bool":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return "", fmt.Errorf("bool value %q: %w", val, err)
		}
		return strconv.FormatBool(b), nil
	case "number":
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return "", fmt.Errorf("number value %q: %w", val, err)
		}
		return val, nil
	case "date":
		if _, err := time.Parse(time.RFC3339, val); err != nil {
			if _, err2 := strconv.ParseInt(val, 10, 64); err2 != nil {
				return "", fmt.Errorf("date value %q (want RFC 3339 or epoch seconds): %w", val, err)
			}
		}
		return val, nil
	case "ip":
		if _, err := netip.ParseAddr(val); err != nil {
			return "", fmt.Errorf("ip value: %w", err)
		}
		return val, nil
	}
	return "", fmt.Errorf("unknown type %q (want %s)", typ, contextTypes)
}

// newRequest builds a request with the caller's global condition keys; the keys added
// afterwards replace them.
func newRequest(c policy.Caller, action, resource string, t time.Time) *policy.Request {
	req := &policy.Request{Principal: c, Action: action, Resource: resource, Time: t}
	req.Context.AddPrincipalKeys(c)
	return req
}

// resourceAccount returns the account field of an ARN, or "" when it has none (as S3
// bucket ARNs have none).
func resourceAccount(resource string) string {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) == 6 && len(parts[4]) == 12 && strings.Trim(parts[4], "0123456789") == "" {
		return parts[4]
	}
	return ""
}

// needsResourcePolicy reports whether the resource-based policy must allow the action:
// a role's trust policy for sts:AssumeRole*, a key policy for KMS.
func needsResourcePolicy(action string) bool {
	a := strings.ToLower(action)
	return strings.HasPrefix(a, "sts:assumerole") || strings.HasPrefix(a, "kms:")
}

// resourceKind is the kind a resource-based policy is read as: a trust policy for
// sts:AssumeRole*.
func resourceKind(action string) policy.Kind {
	if strings.HasPrefix(strings.ToLower(action), "sts:assumerole") {
		return policy.KindTrust
	}
	return policy.KindResource
}
