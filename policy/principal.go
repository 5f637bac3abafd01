package policy

import "strings"

// This file checks principal identifiers by their form. Whether a named user or role
// exists is for the service to check (IAM answers a missing role with the same
// "Invalid principal in policy" message); Parse knows only the text.
// Source: IAM User Guide, "AWS JSON policy elements: Principal".

// validPrincipal reports whether v is a well-formed identifier of type t.
func validPrincipal(t PrincipalType, v, partition string, kind Kind) bool {
	switch t {
	case PrincipalAWS:
		return validAWSPrincipal(v, partition)
	case PrincipalService:
		return validServicePrincipal(v)
	case PrincipalFederated:
		return validFederatedPrincipal(v, partition)
	case PrincipalCanonicalUser:
		// Only S3 takes canonical user IDs; IAM role trust policies do not.
		return kind != KindTrust && len(v) == 64 && isHex(v)
	}
	return false
}

// validAWSPrincipal accepts "*", an account ID, an IAM or STS principal ARN, or the
// unique ID IAM stores for a user or role. A wildcard cannot match part of a principal:
// "You cannot use a wildcard to match part of a principal name or ARN".
func validAWSPrincipal(v, partition string) bool {
	if v == "*" {
		return true
	}
	if strings.ContainsAny(v, "*?") {
		return false
	}
	if isAccountID(v) {
		return true
	}
	if strings.HasPrefix(v, "AIDA") || strings.HasPrefix(v, "AROA") {
		return len(v) >= 16 && len(v) <= 128 && isUpperAlnum(v)
	}
	fields := strings.SplitN(v, ":", 6)
	if len(fields) != 6 || fields[0] != "arn" || fields[1] != partition || fields[3] != "" {
		return false
	}
	if fields[4] == "cloudfront" {
		// A CloudFront origin access identity, as S3 bucket policies name it:
		// "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLE".
		return fields[2] == "iam" && strings.HasPrefix(fields[5], "user/CloudFront Origin Access Identity ")
	}
	if !isAccountID(fields[4]) {
		return false
	}
	resource := fields[5]
	switch fields[2] {
	case "iam":
		return resource == "root" || namedPath(resource, "user/") || namedPath(resource, "role/")
	case "sts":
		if name, ok := strings.CutPrefix(resource, "assumed-role/"); ok {
			role, session, ok := strings.Cut(name, "/")
			return ok && role != "" && session != ""
		}
		return namedPath(resource, "federated-user/")
	}
	return false
}

// namedPath reports whether resource is prefix followed by a non-empty name (which may
// carry a path, as in "role/service-role/name").
func namedPath(resource, prefix string) bool {
	name, ok := strings.CutPrefix(resource, prefix)
	return ok && name != "" && !strings.HasSuffix(name, "/")
}

// validServicePrincipal accepts a DNS-style service name such as "ec2.amazonaws.com" or
// "logs.us-east-1.amazonaws.com". IAM rejects a bare suffix: "Invalid principal in
// policy: "SERVICE":"amazonaws.com"" (aws-samples/aws-cdk-examples#801).
func validServicePrincipal(v string) bool {
	return dnsName(v, 3, false)
}

// validFederatedPrincipal accepts a SAML or OIDC provider ARN or a web identity provider
// domain such as "accounts.google.com" (Access Analyzer: "Update the federated principal
// to a domain name or a SAML metadata ARN").
func validFederatedPrincipal(v, partition string) bool {
	if rest, ok := strings.CutPrefix(v, "arn:"+partition+":iam::"); ok {
		account, resource, ok := strings.Cut(rest, ":")
		return ok && isAccountID(account) &&
			(namedPath(resource, "saml-provider/") || namedPath(resource, "oidc-provider/")) &&
			!strings.ContainsAny(resource, "*?")
	}
	return dnsName(v, 2, true)
}

// dnsName reports whether v is at least minLabels dot-separated labels of letters, digits
// and hyphens (upper-case letters only when upper is set).
func dnsName(v string, minLabels int, upper bool) bool {
	labels := 0
	for _, label := range strings.Split(v, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			switch c := label[i]; {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			case upper && c >= 'A' && c <= 'Z':
			default:
				return false
			}
		}
		labels++
	}
	return labels >= minLabels
}

func isAccountID(s string) bool { return len(s) == 12 && allDigits(s) }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func isUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return false
		}
	}
	return true
}

// trustTypeName is how IAM names a principal type in a trust policy error.
func trustTypeName(t PrincipalType) string {
	switch t {
	case PrincipalService:
		return "SERVICE"
	case PrincipalFederated:
		return "FEDERATED"
	case PrincipalCanonicalUser:
		return "CANONICAL_USER"
	}
	return "AWS"
}
