package policycli_test

import "testing"

const (
	alice   = "arn:aws:iam::111122223333:user/alice"
	partner = "arn:aws:sts::444455556666:assumed-role/reader/ci"
)

// sim returns simulate's arguments for a request followed by extra flags.
func sim(principal, action, resource string, extra ...string) []string {
	return append([]string{"simulate", "--principal", principal, "--action", action, "--resource", resource,
		"--time", "2026-11-28T08:00:00Z"}, extra...)
}

func TestSimulate(t *testing.T) {
	dev := []string{"--identity", ex + "developer.json"}
	org := []string{"--scp", ex + "root-scp.json", "--scp", ex + "workloads-scp.json"}
	with := func(sets ...[]string) []string {
		var out []string
		for _, s := range sets {
			out = append(out, s...)
		}
		return out
	}
	runCases(t, []cliCase{
		{name: "allowed by an identity policy", code: 0,
			args: sim(alice, "s3:GetObject", "arn:aws:s3:::team-reports/alice/q3.csv", with(dev, org)...),
			exact: "decision:  allowed\n" +
				"policy:    testdata/example/developer.json (identity-based policy)\n" +
				"statement: 0 (Sid \"OwnReports\") at testdata/example/developer.json:4:5\n" +
				"reason:    allowed by an Allow statement in an identity-based policy, and nothing denies\n"},
		{name: "explicit deny in an identity policy", code: 3,
			args: sim(alice, "s3:DeleteBucket", "arn:aws:s3:::team-reports", with(dev, org)...),
			exact: "decision:  explicitDeny\n" +
				"policy:    testdata/example/developer.json (identity-based policy)\n" +
				"statement: 2 (Sid \"NoBucketDeletes\") at testdata/example/developer.json:16:5\n" +
				"reason:    User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:DeleteBucket on resource: " +
				"arn:aws:s3:::team-reports with an explicit deny in an identity-based policy\n"},
		{name: "implicit deny", code: 3,
			args: sim(alice, "s3:GetObject", "arn:aws:s3:::team-reports/bob/q3.csv", dev...),
			exact: "decision:  implicitDeny\n" +
				"policy:    no identity-based policy allows the request (testdata/example/developer.json)\n" +
				"reason:    User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: " +
				"arn:aws:s3:::team-reports/bob/q3.csv because no identity-based policy allows the s3:GetObject action\n"},
		{name: "no identity policy at all", code: 3,
			args:       sim(alice, "s3:GetObject", "*"),
			wantStdout: []string{"policy:    no identity-based policy was given\n"}},
		{name: "SCP explicit deny with a condition", code: 3,
			args: sim(alice, "ec2:RunInstances", "*", with(dev, org, []string{"--context", "aws:RequestedRegion=string:us-east-1"})...),
			wantStdout: []string{
				"policy:    testdata/example/workloads-scp.json (service control policy, SCP level 1)\n",
				"statement: 1 (Sid \"DenyOutsideEU\") at testdata/example/workloads-scp.json:9:5\n",
				"with an explicit deny in a service control policy\n"}},
		{name: "SCP condition not met", code: 0,
			args:       sim(alice, "ec2:RunInstances", "*", with(dev, org, []string{"--context", "aws:RequestedRegion=string:eu-west-1"})...),
			wantStdout: []string{"decision:  allowed\n", "(Sid \"ManageInstances\")"}},
		{name: "SCP implicit deny", code: 3,
			args: sim(alice, "ec2:DescribeInstances", "*", with(dev, []string{"--scp", ex + "root-scp.json", "--scp", ex + "sandbox-scp.json"})...),
			wantStdout: []string{
				"policy:    no service control policy at SCP level 1 allows the request (testdata/example/sandbox-scp.json)\n",
				"because no service control policy allows the ec2:DescribeInstances action\n"}},
		{name: "several SCPs at one level", code: 0,
			args:       sim(alice, "ec2:DescribeInstances", "*", with(dev, []string{"--scp", ex + "root-scp.json", "--scp", ex + "sandbox-scp.json," + ex + "root-scp.json"})...),
			wantStdout: []string{"decision:  allowed\n"}},
		{name: "management account is exempt from SCPs", code: 0,
			args:       sim(alice, "ec2:DescribeInstances", "*", with(dev, []string{"--scp", ex + "sandbox-scp.json", "--management-account", "111122223333"})...),
			wantStdout: []string{"decision:  allowed\n"}},
		{name: "permissions boundary", code: 3,
			args: sim(alice, "ec2:TerminateInstances", "*", with(dev, []string{"--boundary", ex + "boundary.json"})...),
			wantStdout: []string{
				"policy:    the permissions boundary testdata/example/boundary.json does not allow the request\n",
				"because no permissions boundary allows the ec2:TerminateInstances action\n"}},
		{name: "root user", code: 0, args: sim("arn:aws:iam::111122223333:root", "s3:GetObject", "*"),
			wantStdout: []string{"policy:    none: the account root user has every permission in its own account\n"}},
		{name: "root user and an SCP", code: 3, args: sim("arn:aws:iam::111122223333:root", "ec2:RunInstances", "*", with(org, []string{"--context", "aws:RequestedRegion=string:us-east-1"})...),
			wantStdout: []string{"decision:  explicitDeny\n", "DenyOutsideEU"}},
		{name: "cross-account allowed by both sides", code: 0,
			args:       sim(partner, "s3:GetObject", "arn:aws:s3:::team-reports/shared/prices.csv", "--identity", "testdata/reader.json", "--resource-policy", ex+"bucket.json", "--resource-owner", "111122223333"),
			wantStdout: []string{"decision:  allowed\n", "statement: 0 (Sid \"ReadAnything\") at testdata/reader.json:4:5\n"}},
		{name: "cross-account without the resource policy", code: 3,
			args: sim(partner, "s3:GetObject", "arn:aws:s3:::team-reports/alice/q3.csv", "--identity", "testdata/reader.json", "--resource-policy", ex+"bucket.json", "--resource-owner", "111122223333"),
			wantStdout: []string{
				"policy:    the resource-based policy testdata/example/bucket.json does not allow the request, which crosses accounts (caller 444455556666, resource owner 111122223333)\n",
				"because no resource-based policy allows the s3:GetObject action\n"}},
		{name: "resource owner from the ARN", code: 3,
			args:       sim(alice, "sqs:SendMessage", "arn:aws:sqs:eu-west-1:999999999999:jobs", "--identity", ex+"developer.json"),
			wantStdout: []string{"decision:  implicitDeny\n"}},
		{name: "trust policy", code: 0,
			args:       sim(alice, "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops", "--identity", "testdata/reader.json", "--resource-policy", "testdata/trust.json"),
			wantStdout: []string{"decision:  allowed\n"}},
		{name: "trust policy without an identity allow", code: 3,
			args:       sim(alice, "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops", "--identity", ex+"developer.json", "--resource-policy", "testdata/trust.json"),
			wantStdout: []string{"decision:  implicitDeny\n"}},
		{name: "session policy", code: 3,
			args: sim("arn:aws:sts::111122223333:assumed-role/reader/ci", "s3:GetObject", "*", "--identity", "testdata/reader.json", "--session-policy", "testdata/session.json"),
			wantStdout: []string{"policy:    no session policy allows the request (testdata/session.json)\n",
				"because no session policy allows the s3:GetObject action\n"}},
		{name: "federated user without a session policy", code: 3,
			args:       sim("arn:aws:sts::111122223333:federated-user/bob", "s3:GetObject", "*", "--identity", "testdata/reader.json"),
			wantStdout: []string{"policy:    a federated session without a session policy has no permissions\n"}},
		{name: "multi-valued context", code: 3,
			args: sim(alice, "s3:PutObject", "*", "--identity", "testdata/reader.json", "--context", "aws:MultiFactorAuthPresent=bool:true",
				"--context", "aws:TagKeys=string:team", "--context", "aws:tagkeys=string:secret"),
			wantStdout: []string{"decision:  explicitDeny\n", "(Sid \"TaggedOnly\")"}},
		{name: "Boolean context", code: 0,
			args:       sim(alice, "s3:PutObject", "*", "--identity", "testdata/reader.json", "--context", "aws:MultiFactorAuthPresent=bool:true"),
			wantStdout: []string{"decision:  allowed\n", "(Sid \"MFAForPuts\")"}},
		{name: "Boolean context false", code: 3,
			args:       sim(alice, "s3:PutObject", "*", "--identity", "testdata/reader.json", "--context", "aws:MultiFactorAuthPresent=bool:false"),
			wantStdout: []string{"decision:  implicitDeny\n"}},
		{name: "service principal", code: 0,
			args:       sim("ec2.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops", "--principal-type", "service", "--resource-policy", "testdata/trust.json"),
			wantStdout: []string{"decision:  allowed\n", "statement: 1 (Sid \"EC2\") at testdata/trust.json:10:5\n"}},
		{name: "service principal not trusted", code: 3,
			args: sim("lambda.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111122223333:role/ops", "--principal-type", "service", "--resource-policy", "testdata/trust.json"),
			wantStdout: []string{"policy:    only a resource-based policy can allow a service principal or an anonymous caller, and testdata/trust.json does not\n",
				"reason:    User: lambda.amazonaws.com is not authorized"}},
		{name: "anonymous caller", code: 3,
			args: sim("", "s3:GetObject", "arn:aws:s3:::team-reports/shared/x", "--principal-type", "anonymous", "--resource-policy", ex+"bucket.json"),
			wantStdout: []string{"policy:    only a resource-based policy can allow a service principal or an anonymous caller, and testdata/example/bucket.json does not\n",
				"reason:    User: anonymous is not authorized"}},
		{name: "role with a path", code: 0,
			args: sim("arn:aws:sts::111122223333:assumed-role/ops/ci", "sts:AssumeRole", "arn:aws:iam::111122223333:role/target",
				"--role-arn", "arn:aws:iam::111122223333:role/team/ops", "--principal-id", "AROAEXAMPLE:ci",
				"--identity", "testdata/reader.json", "--resource-policy", "testdata/path-trust.json"),
			wantStdout: []string{"decision:  allowed\n", "(Sid \"TeamOps\") at testdata/path-trust.json:4:5\n"}},
		{name: "role without its path", code: 3,
			args: sim("arn:aws:sts::111122223333:assumed-role/ops/ci", "sts:AssumeRole", "arn:aws:iam::111122223333:role/target",
				"--identity", "testdata/reader.json", "--resource-policy", "testdata/path-trust.json"),
			wantStdout: []string{"policy:    the resource-based policy testdata/path-trust.json must allow the request, and does not\n"}},
		{name: "role-arn for a user", code: 2,
			args:       sim(alice, "s3:GetObject", "*", "--role-arn", "arn:aws:iam::111122223333:role/team/ops"),
			wantStderr: []string{"--role-arn is for a role session"}},
		{name: "user-arn for a user", code: 2,
			args:       sim(alice, "s3:GetObject", "*", "--user-arn", alice),
			wantStderr: []string{"--user-arn is for a federated session"}},
		{name: "federated user", code: 0,
			args: sim("arn:aws:sts::111122223333:federated-user/bob", "s3:GetObject", "*", "--user-arn", "arn:aws:iam::111122223333:user/bob",
				"--identity", "testdata/reader.json", "--session-policy", "testdata/reader.json"),
			wantStdout: []string{"decision:  allowed\n"}},
		{name: "policy warnings", code: 0,
			args:       sim(alice, "s3:GetObject", "arn:aws:s3:::b/alice", "--identity", "testdata/v2008.json"),
			wantStdout: []string{"decision:  allowed\n"},
			wantStderr: []string{"testdata/v2008.json:6:20: warning: Variable unsupported in version"}},
		{name: "invalid policy", code: 1,
			args:       sim(alice, "s3:GetObject", "*", "--identity", ex+"bad-policy.json"),
			wantStderr: []string{"testdata/example/bad-policy.json:6:7: error: MalformedPolicyDocument: Policy document should not specify a principal.\n"}},
	})
}
