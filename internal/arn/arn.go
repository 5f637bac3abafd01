// Package arn parses and formats Amazon Resource Names, and builds the IAM ARNs that carry a
// path (arn:aws:iam::123456789012:user/division/team/alice).
//
// Format: arn:partition:service:region:account-id:resource, where resource may itself contain
// colons and slashes ("Identify AWS resources with Amazon Resource Names",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
package arn

import (
	"errors"
	"fmt"
	"strings"
)

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("arn: malformed")

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string
	Service   string
	Region    string
	AccountID string
	// Resource is everything after the fifth colon, such as "user/path/alice" or "key/1234".
	Resource string
}

// Parse splits s into its parts. It needs the "arn" prefix, a partition, a service and a
// resource; region and account may be empty, as in IAM and S3 ARNs.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, fmt.Errorf("%w: %q is not arn:partition:service:region:account:resource", ErrMalformed, s)
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], AccountID: parts[4], Resource: parts[5]}
	switch {
	case a.Partition == "":
		return ARN{}, fmt.Errorf("%w: %q has no partition", ErrMalformed, s)
	case a.Service == "":
		return ARN{}, fmt.Errorf("%w: %q has no service", ErrMalformed, s)
	case a.Resource == "":
		return ARN{}, fmt.Errorf("%w: %q has no resource", ErrMalformed, s)
	}
	return a, nil
}

// String formats the ARN.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// IAM resource types used in IAM ARNs.
const (
	TypeUser            = "user"
	TypeGroup           = "group"
	TypeRole            = "role"
	TypePolicy          = "policy"
	TypeInstanceProfile = "instance-profile"
	TypeMFA             = "mfa"
)

// AWSAccount is the account field of AWS managed policy ARNs (arn:aws:iam::aws:policy/...).
const AWSAccount = "aws"

// IAM builds an IAM ARN: arn:<partition>:iam::<account>:<type><path><name>. path must begin
// and end with "/" (the IAM default path is "/"); an empty path is treated as "/".
func IAM(partition, account, resourceType, path, name string) string {
	if path == "" {
		path = "/"
	}
	return "arn:" + partition + ":iam::" + account + ":" + resourceType + path + name
}

// Root returns the ARN of an account's root user: arn:<partition>:iam::<account>:root.
func Root(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":root"
}

// SplitIAMResource splits an IAM resource such as "user/division/alice" into its type
// ("user"), path ("/division/") and name ("alice"). A resource without a path gets "/".
func SplitIAMResource(resource string) (resourceType, path, name string, err error) {
	i := strings.IndexByte(resource, '/')
	if i <= 0 {
		return "", "", "", fmt.Errorf("%w: IAM resource %q has no type/name", ErrMalformed, resource)
	}
	resourceType, rest := resource[:i], resource[i:]
	j := strings.LastIndexByte(rest, '/')
	path, name = rest[:j+1], rest[j+1:]
	if name == "" {
		return "", "", "", fmt.Errorf("%w: IAM resource %q has no name", ErrMalformed, resource)
	}
	return resourceType, path, name, nil
}

// ParseIAM parses an IAM ARN and splits its resource. It fails unless the service is "iam".
func ParseIAM(s string) (a ARN, resourceType, path, name string, err error) {
	a, err = Parse(s)
	if err != nil {
		return ARN{}, "", "", "", err
	}
	if a.Service != "iam" {
		return ARN{}, "", "", "", fmt.Errorf("%w: %q is not an IAM ARN", ErrMalformed, s)
	}
	resourceType, path, name, err = SplitIAMResource(a.Resource)
	if err != nil {
		return ARN{}, "", "", "", err
	}
	return a, resourceType, path, name, nil
}
