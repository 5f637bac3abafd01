package policy

// Option adjusts how Parse validates a document.
type Option func(*config)

type config struct {
	managed    bool   // a managed policy: Version 2012-10-17 required
	awsManaged bool   // an AWS managed policy: customer-only rules do not apply
	partition  string // the partition resource ARNs must name
	limit      Limit  // the size quota to check, or 0
	max        int    // the quota's value
}

// defaultPartition is the partition Parse accepts in resource ARNs unless WithPartition
// names another.
const defaultPartition = "aws"

// Managed marks the document as a customer managed policy (CreatePolicy,
// CreatePolicyVersion). IAM then requires "Version": "2012-10-17" (inline policies may
// omit it) and the document must fit LimitManagedPolicy.
func Managed() Option {
	return func(c *config) {
		c.managed = true
		if c.limit == 0 {
			c.limit, c.max = LimitManagedPolicy, MaxManagedPolicySize
		}
	}
}

// AWSManaged marks the document as one AWS itself provides, such as RCPFullAWSAccess:
// rules AWS applies only to the policies customers write (an RCP may only deny; an IAM
// document fits the API's 131,072-character parameter) are skipped.
func AWSManaged() Option {
	return func(c *config) { c.awsManaged = true }
}

// WithPartition sets the partition resource ARNs must name ("aws", "aws-cn",
// "aws-us-gov", ...). The default is "aws". IAM rejects an ARN in another partition:
// "Partition "aws" is not valid for resource ..." in AWS China.
func WithPartition(partition string) Option {
	return func(c *config) { c.partition = partition }
}

// WithLimit checks the document against l's default quota after it validates.
func WithLimit(l Limit) Option {
	return func(c *config) { c.limit, c.max = l, l.Max() }
}

// WithQuota checks the document against l with an adjusted quota, such as a role trust
// policy quota raised to MaxTrustPolicySizeAdjustable.
func WithQuota(l Limit, max int) Option {
	return func(c *config) { c.limit, c.max = l, max }
}
