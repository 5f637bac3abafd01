package authz

import (
	"context"
	"strings"
	"time"
)

// Directory is what the enforcer reads about principals and resources. The IAM domain
// implements it (through an adapter in internal/app); tests use a fake.
type Directory interface {
	// Partition is the partition of the IAM entities' ARNs ("aws").
	Partition() string
	// Generation changes whenever anything the directory answers may have changed; ok is
	// false when it cannot tell, and then nothing derived from it is cached.
	Generation() (gen uint64, ok bool)
	// UserPolicies returns an IAM user's identity-based policies (its groups' included),
	// boundary and tags. It returns ErrNoSuchPrincipal when there is no such user.
	UserPolicies(ctx context.Context, account, name string) (Principal, error)
	// RolePolicies is UserPolicies for a role; Principal.Trust is its trust policy.
	RolePolicies(ctx context.Context, account, name string) (Principal, error)
	// ManagedPolicy returns the default version of a managed policy, for session
	// policies passed by ARN; false when there is no such policy.
	ManagedPolicy(ctx context.Context, account, policyARN string) (Document, bool, error)
	// EntityPath returns the path and the name as IAM spells it (names are unique
	// without regard to case) of an IAM user, role, group or instance profile (kind
	// "user", "role", "group", "instance-profile"); false when there is none.
	EntityPath(ctx context.Context, account, kind, name string) (path, canonical string, found bool, err error)
	// AccessKeyOwner returns the account and ARN of the IAM user who owns a long-term
	// access key; false for an unknown key or one of a root user.
	AccessKeyOwner(ctx context.Context, accessKeyID string) (account, userARN string, found bool, err error)
	// UsersMayChangePassword reports whether the account's password policy lets IAM users
	// change their own passwords (AllowUsersToChangePassword).
	UsersMayChangePassword(ctx context.Context, account string) (bool, error)
}

// Principal is an IAM user or role as authorization needs it.
type Principal struct {
	ARN, ID string
	// Tags are the principal's tags, in aws:PrincipalTag/key.
	Tags []Tag
	// Identity holds the identity-based policies: inline and attached, and for a user
	// those of its groups.
	Identity []Document
	// Boundary is the permissions boundary; nil when there is none.
	Boundary *Document
	// Trust is a role's trust policy; empty for a user. TrustSaved is when it was last
	// written.
	Trust      string
	TrustSaved time.Time
	// Created is when the user or role was created.
	Created time.Time
}

// Tag is one key and value.
type Tag struct{ Key, Value string }

// Document is a policy document and where it comes from: a managed policy's ARN, or the
// ARN of the principal or group holding an inline policy and the policy's name.
type Document struct {
	Source, Name, Text string
	// Managed reports a managed policy (Source is its ARN).
	Managed bool
}

// awsManaged reports an AWS managed policy (arn:PARTITION:iam::aws:policy/...).
func (d Document) awsManaged() bool {
	return d.Managed && strings.Contains(d.Source, ":iam::aws:policy/")
}

// ID names the document in decisions and logs: the managed policy's ARN, or the
// holder's ARN and the inline policy's name.
func (d Document) ID() string {
	if d.Managed {
		return d.Source
	}
	return d.Source + "#" + d.Name
}
