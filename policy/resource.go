package policy

import (
	"fmt"
	"strings"
)

// This file checks Resource and NotResource values the way IAM does when a policy is
// written. IAM checks the shape of an ARN, not whether the resource exists. The rules and
// messages follow the IAM behaviour recorded in moto's tests (getmoto/moto,
// tests/test_iam/test_iam_policies.py); see messages.go for each message's sources.

// iamResourceTypes are the IAM resource types an IAM ARN may start with (the list AWS
// gives in msgIAMResourcePath).
var iamResourceTypes = [...]string{
	"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/",
	"report/", "access-report/",
}

// resourceFormat returns AWS's message for a resource that is not "*" or a well-formed
// ARN in the given partition, or "" when the resource is fine. Like IAM, it reads the
// first field as "arn" whatever it says, and it accepts a service it does not know.
func resourceFormat(r, partition string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":")
	if !ok {
		return fmt.Sprintf(fmtResourceNotARN, r)
	}
	part, afterPart, hasService := strings.Cut(rest, ":")
	// IAM User Guide, "IAM JSON policy elements: Resource": wildcards may stand in any
	// segment but the service, so "arn:*:..." (common in AWS managed policies) names the
	// partition too.
	if part != partition && !glob(part, nil, partition, false, false, scanGlob(part)) {
		return fmt.Sprintf(fmtPartition, part, rebuiltARN(part, afterPart))
	}
	if !hasService {
		return msgResourceVendor
	}
	service, afterService, _ := strings.Cut(afterPart, ":")
	if strings.ContainsAny(service, "*?") {
		return msgResourceVendor
	}
	// IAM ARNs, and S3 bucket and object ARNs, carry no region: what follows the service
	// must start with ":".
	if !strings.HasPrefix(afterService, ":") {
		switch service {
		case "iam":
			return fmt.Sprintf(fmtIAMRegion, r)
		case "s3":
			_, afterRegion, _ := strings.Cut(afterService, ":")
			_, resource, _ := strings.Cut(afterRegion, ":")
			if !s3Regional(resource) {
				return fmt.Sprintf(fmtS3Region, r)
			}
		}
	}
	if service == "iam" {
		_, afterRegion, _ := strings.Cut(afterService, ":")
		_, resource, _ := strings.Cut(afterRegion, ":")
		if !iamResource(resource) {
			return msgIAMResourcePath
		}
	}
	return ""
}

func iamResource(resource string) bool {
	// "root" is the account root user (arn:${Partition}:iam::${Account}:root, the resource
	// of sts:AssumeRoot in the Service Authorization Reference), which the root-task AWS
	// managed policies name.
	if resource == "*" || resource == "root" {
		return true
	}
	for _, t := range iamResourceTypes {
		if strings.HasPrefix(resource, t) {
			return true
		}
	}
	return false
}

// s3RegionalTypes are the S3 resource types whose ARNs carry a Region, as the Service
// Authorization Reference gives them: access points, S3 Access Grants, Batch Operations
// jobs, Storage Lens configurations and groups, and Multi-Region Access Point requests.
var s3RegionalTypes = [...]string{
	"accesspoint/", "access-grants/", "job/", "storage-lens/", "storage-lens-group/", "async-request/",
}

// s3Regional reports whether an S3 resource (what follows the account) is, or with its
// wildcards may be, of a type whose ARN carries a Region.
func s3Regional(resource string) bool {
	lit, wild := resource, false
	if i := strings.IndexAny(resource, "*?"); i >= 0 {
		lit, wild = resource[:i], true
	}
	for _, t := range s3RegionalTypes {
		if strings.HasPrefix(resource, t) || wild && strings.HasPrefix(t, lit) {
			return true
		}
	}
	return false
}

// rebuiltARN is the ARN IAM quotes in a partition error: six fields, "*" standing for
// the ones the resource lacks ("a:b:cadfsdf" becomes "arn:b:cadfsdf:*:*:*").
func rebuiltARN(partition, afterPartition string) string {
	rem := strings.Split(afterPartition, ":")
	field := func(i int) string {
		if i < len(rem) {
			return rem[i]
		}
		return "*"
	}
	service := rem[0]
	if service == "" && len(rem) == 1 {
		service = "*"
	}
	last := "*"
	if len(rem) > 3 {
		last = strings.Join(rem[3:], ":")
	}
	return "arn:" + partition + ":" + service + ":" + field(1) + ":" + field(2) + ":" + last
}

// resourceLegacyOK applies the legacy parser's test of a resource: an ARN with "::" must
// have all six fields, and the service field must not be empty ("arn:aws:s3::bucket" and
// "arn:aws::fdsasf" fail).
func resourceLegacyOK(r string) bool {
	if r == "*" {
		return true
	}
	colons := strings.Count(r, ":")
	if colons < 5 && strings.Contains(r, "::") {
		return false
	}
	if colons >= 2 {
		_, afterArn, _ := strings.Cut(r, ":")
		_, afterPartition, _ := strings.Cut(afterArn, ":")
		return afterPartition != "" && afterPartition[0] != ':' // the service field
	}
	return true
}
