package policy_test

import (
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

const (
	acctA = "111122223333" // the caller's account
	acctB = "444455556666" // another account
)

var (
	alice   = policy.Caller{Kind: policy.CallerUser, Account: acctA, ARN: "arn:aws:iam::" + acctA + ":user/alice", ID: "AIDAALICEEXAMPLE0001"}
	rootA   = policy.Caller{Kind: policy.CallerRoot, Account: acctA, ARN: "arn:aws:iam::" + acctA + ":root", ID: acctA}
	roleSes = policy.Caller{Kind: policy.CallerRoleSession, Account: acctA, ARN: "arn:aws:sts::" + acctA + ":assumed-role/deploy/s1",
		ID: "AROADEPLOYEXAMPLE001:s1", RoleARN: "arn:aws:iam::" + acctA + ":role/deploy"}
	fedSes = policy.Caller{Kind: policy.CallerFederatedSession, Account: acctA, ARN: "arn:aws:sts::" + acctA + ":federated-user/bob",
		UserARN: "arn:aws:iam::" + acctA + ":user/alice"}
	anon = policy.Caller{Kind: policy.CallerAnonymous}
	ec2  = policy.Caller{Kind: policy.CallerService, Service: "ec2.amazonaws.com"}
)

const bucketObj = "arn:aws:s3:::bucket/key"

func compileKind(t *testing.T, kind policy.Kind, statements ...string) *policy.Compiled {
	t.Helper()
	return mustCompile(t, `{"Version": "2012-10-17", "Statement": [{`+strings.Join(statements, `}, {`)+`}]}`, kind)
}

func identity(t *testing.T, statements ...string) *policy.Compiled {
	t.Helper()
	return compileKind(t, policy.KindIdentity, statements...)
}

func ref(id string, p *policy.Compiled) policy.PolicyRef { return policy.PolicyRef{ID: id, Policy: p} }

func request(c policy.Caller) *policy.Request {
	return &policy.Request{Principal: c, Action: "s3:GetObject", Resource: bucketObj}
}

const (
	allowGet  = `"Sid": "AllowGet", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"`
	denyGet   = `"Sid": "DenyGet", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"`
	allowAll  = `"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"`
	allowSQS  = `"Sid": "SQS", "Effect": "Allow", "Action": "sqs:*", "Resource": "*"`
	rcpDenyS3 = `"Sid": "NoS3", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"`
)

func resourcePolicy(t *testing.T, effect string, principal string) *policy.Compiled {
	t.Helper()
	return compileKind(t, policy.KindResource, `"Sid": "R", "Effect": "`+effect+`", "Principal": `+principal+`, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"`)
}

type flowCase struct {
	name string
	in   func(t *testing.T) *policy.Input
	want policy.Result
	by   policy.PolicyType
	// id, when set, is the PolicyID the decision must name; level the SCP/RCP level.
	id    string
	level int
}

func runFlow(t *testing.T, cases []flowCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := policy.Evaluate(tc.in(t))
			if d.Result != tc.want || d.Policy != tc.by {
				t.Fatalf("got %v, want %v by %v", d, tc.want, tc.by)
			}
			if tc.id != "" && d.PolicyID != tc.id {
				t.Errorf("PolicyID %q, want %q", d.PolicyID, tc.id)
			}
			if tc.level != 0 && d.Level != tc.level {
				t.Errorf("Level %d, want %d", d.Level, tc.level)
			}
		})
	}
}

func TestDecisionIdentity(t *testing.T) {
	runFlow(t, []flowCase{
		{"no policy: implicit deny", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice)}
		}, policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"identity allow", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("sqs", identity(t, allowSQS)), ref("get", identity(t, allowGet))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"explicit deny overrides allow", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("all", identity(t, allowAll)), ref("deny", identity(t, denyGet))}}
		}, policy.ExplicitDeny, policy.PolicyIdentity, "deny", 0},
		{"allow for another action", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("sqs", identity(t, allowSQS))}}
		}, policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"root user default", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(rootA)}
		}, policy.Allowed, policy.PolicyRootUser, "", 0},
		{"root user, explicit deny in a resource policy", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(rootA), Resource: ref("bp", resourcePolicy(t, "Deny", `"*"`))}
		}, policy.ExplicitDeny, policy.PolicyResource, "bp", 0},
		{"root user cross-account needs the resource policy", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(rootA), ResourceAccount: acctB}
		}, policy.ImplicitDeny, policy.PolicyResource, "", 0},
	})
}

func TestDecisionBoundaryAndSession(t *testing.T) {
	runFlow(t, []flowCase{
		{"boundary allows", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Boundary: ref("pb", identity(t, allowAll))}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"boundary does not allow", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Boundary: ref("pb", identity(t, allowSQS))}
		}, policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
		{"boundary alone grants nothing", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Boundary: ref("pb", identity(t, allowAll))}
		}, policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"boundary denies", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Boundary: ref("pb", identity(t, allowAll, denyGet))}
		}, policy.ExplicitDeny, policy.PolicyBoundary, "pb", 0},
		{"role session without session policy", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"role session, session policy does not allow", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Session: []policy.PolicyRef{ref("sp", identity(t, allowSQS))}}
		}, policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"role session, session policy allows", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Session: []policy.PolicyRef{ref("sp", identity(t, allowAll))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"session policy alone grants nothing", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Session: []policy.PolicyRef{ref("sp", identity(t, allowAll))}}
		}, policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"session policy denies", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Session: []policy.PolicyRef{ref("sp", identity(t, denyGet))}}
		}, policy.ExplicitDeny, policy.PolicySession, "sp", 0},
		{"federated session without session policy has no permissions", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(fedSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}}
		}, policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"federated session with session policy", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(fedSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Session: []policy.PolicyRef{ref("sp", identity(t, allowAll))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		// A role session with both a permissions boundary and a session policy: the
		// identity-based policies, the boundary and the session policy must all allow
		// (IAM User Guide, "Policy evaluation logic", session policies: "the resulting
		// session's permissions are the intersection of the session policy, the
		// permissions boundary, and the identity-based policy").
		{"role session, boundary and session policy allow", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))},
				Boundary: ref("pb", identity(t, allowAll)), Session: []policy.PolicyRef{ref("sp", identity(t, allowAll))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"role session, boundary allows, session policy does not", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))},
				Boundary: ref("pb", identity(t, allowAll)), Session: []policy.PolicyRef{ref("sp", identity(t, allowSQS))}}
		}, policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"role session, session policy allows, boundary does not", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))},
				Boundary: ref("pb", identity(t, allowSQS)), Session: []policy.PolicyRef{ref("sp", identity(t, allowAll))}}
		}, policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
		{"role session, boundary allows, session policy denies", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))},
				Boundary: ref("pb", identity(t, allowAll)), Session: []policy.PolicyRef{ref("sp", identity(t, allowAll, denyGet))}}
		}, policy.ExplicitDeny, policy.PolicySession, "sp", 0},
		{"role session across accounts, boundary allows, session policy does not", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(roleSes), ResourceAccount: acctB, Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))},
				Resource: ref("bp", resourcePolicy(t, "Allow", `{"AWS": "`+roleSes.ARN+`"}`)),
				Boundary: ref("pb", identity(t, allowAll)), Session: []policy.PolicyRef{ref("sp", identity(t, allowSQS))}}
		}, policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"user ignores session policies", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}}
		}, policy.Allowed, policy.PolicyIdentity, "get", 0},
	})
}

func TestDecisionOrganizations(t *testing.T) {
	scp := func(t *testing.T, id string, statements ...string) policy.PolicyRef {
		return ref(id, compileKind(t, policy.KindSCP, statements...))
	}
	chain := func(t *testing.T, account ...string) []policy.OrgLevel {
		levels := []policy.OrgLevel{
			{ID: "r-root", Policies: []policy.PolicyRef{scp(t, "FullAWSAccess", allowAll)}},
			{ID: "ou-1", Policies: []policy.PolicyRef{scp(t, "FullAWSAccess", allowAll)}},
			{ID: acctA},
		}
		for _, s := range account {
			levels[2].Policies = append(levels[2].Policies, scp(t, "acct", s))
		}
		return levels
	}
	rcp := func(t *testing.T, statements ...string) []policy.OrgLevel {
		return []policy.OrgLevel{{ID: "r-root"}, {ID: acctB, Policies: []policy.PolicyRef{ref("rcp", compileKind(t, policy.KindRCP, statements...))}}}
	}
	withID := func(c policy.Caller) *policy.Input {
		return &policy.Input{Request: request(c), Identity: []policy.PolicyRef{ref("all", identity(t, allowAll))}}
	}
	runFlow(t, []flowCase{
		{"every level allows", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.SCPs = chain(t, allowAll)
			return in
		}, policy.Allowed, policy.PolicyIdentity, "all", 0},
		{"account level lacks an allow", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.SCPs = chain(t, allowSQS)
			return in
		}, policy.ImplicitDeny, policy.PolicySCP, "", 2},
		{"level without policies allows nothing", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.SCPs = chain(t)
			return in
		}, policy.ImplicitDeny, policy.PolicySCP, "", 2},
		{"explicit deny in an SCP", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.SCPs = chain(t, allowAll, denyGet)
			return in
		}, policy.ExplicitDeny, policy.PolicySCP, "acct", 2},
		{"SCPs limit the root user", func(t *testing.T) *policy.Input {
			in := &policy.Input{Request: request(rootA), SCPs: chain(t, allowSQS)}
			return in
		}, policy.ImplicitDeny, policy.PolicySCP, "", 2},
		{"management account is exempt from SCPs", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.SCPs = chain(t, denyGet)
			in.ManagementAccount = acctA
			return in
		}, policy.Allowed, policy.PolicyIdentity, "all", 0},
		{"SCPs do not grant", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), SCPs: chain(t, allowAll)}
		}, policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"RCP deny applies to a cross-account caller", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.ResourceAccount = acctB
			in.Resource = ref("bp", resourcePolicy(t, "Allow", `{"AWS": "`+acctA+`"}`))
			in.RCPs = rcp(t, rcpDenyS3)
			return in
		}, policy.ExplicitDeny, policy.PolicyRCP, "rcp", 1},
		{"RCP deny for another action", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.Request.Action = "s3:GetObjectAcl"
			in.ResourceAccount = acctB
			in.Resource = compileRef(t, "bp", `"Effect": "Allow", "Principal": {"AWS": "`+acctA+`"}, "Action": "s3:*", "Resource": "*"`)
			in.RCPs = rcp(t, rcpDenyS3)
			return in
		}, policy.Allowed, policy.PolicyIdentity, "all", 0},
		{"management account resources are exempt from RCPs", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.RCPs = rcp(t, rcpDenyS3)
			in.ManagementAccount = acctA
			return in
		}, policy.Allowed, policy.PolicyIdentity, "all", 0},
		{"RCP levels without policies are RCPFullAWSAccess", func(t *testing.T) *policy.Input {
			in := withID(alice)
			in.RCPs = []policy.OrgLevel{{ID: "r-root"}, {ID: acctA}}
			return in
		}, policy.Allowed, policy.PolicyIdentity, "all", 0},
	})
}

func compileRef(t *testing.T, id string, statement string) policy.PolicyRef {
	t.Helper()
	return ref(id, compileKind(t, policy.KindResource, statement))
}

// TestResourcePolicyPrincipals checks what a same-account resource policy can allow on
// its own, by the principal form it names (IAM User Guide, "Policy evaluation logic").
func TestResourcePolicyPrincipals(t *testing.T) {
	names := func(p string) string { return `{"AWS": "` + p + `"}` }
	in := func(c policy.Caller, principal string, mods ...func(*policy.Input)) func(t *testing.T) *policy.Input {
		return func(t *testing.T) *policy.Input {
			i := &policy.Input{Request: request(c), Resource: ref("bp", resourcePolicy(t, "Allow", principal))}
			for _, m := range mods {
				m(i)
			}
			return i
		}
	}
	boundarySQS := func(i *policy.Input) {
		i.Boundary = ref("pb", mustCompile(t, `{"Version": "2012-10-17", "Statement": {`+allowSQS+`}}`, policy.KindPermissionsBoundary))
	}
	boundaryAll := func(i *policy.Input) {
		i.Boundary = ref("pb", mustCompile(t, `{"Version": "2012-10-17", "Statement": {`+allowAll+`}}`, policy.KindPermissionsBoundary))
	}
	sessionSQS := func(i *policy.Input) { i.Session = []policy.PolicyRef{ref("sp", identity(t, allowSQS))} }
	sessionAll := func(i *policy.Input) { i.Session = []policy.PolicyRef{ref("sp", identity(t, allowAll))} }
	identityGet := func(i *policy.Input) { i.Identity = []policy.PolicyRef{ref("get", identity(t, allowGet))} }
	runFlow(t, []flowCase{
		{"user ARN: allows alone", in(alice, names(alice.ARN)), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"user ARN: not limited by the boundary", in(alice, names(alice.ARN), boundarySQS), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"user ARN: other user", in(alice, names("arn:aws:iam::"+acctA+":user/carol")), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"user unique ID", in(alice, names(alice.ID)), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"role ARN: allows the session", in(roleSes, names(roleSes.RoleARN)), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"role ARN: limited by the boundary", in(roleSes, names(roleSes.RoleARN), boundarySQS), policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
		{"role ARN: limited by the session policy", in(roleSes, names(roleSes.RoleARN), sessionSQS), policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"role ARN: session policy allows", in(roleSes, names(roleSes.RoleARN), sessionAll), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"role unique ID", in(roleSes, names("AROADEPLOYEXAMPLE001")), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"session ARN: not limited by boundary", in(roleSes, names(roleSes.ARN), boundarySQS), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"session ARN: not limited by session policy", in(roleSes, names(roleSes.ARN), sessionSQS), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"session ARN: not limited by boundary and session policy together", in(roleSes, names(roleSes.ARN), boundarySQS, sessionSQS), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"role ARN: boundary allows, limited by the session policy", in(roleSes, names(roleSes.RoleARN), boundaryAll, sessionSQS), policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"role ARN: session policy allows, limited by the boundary", in(roleSes, names(roleSes.RoleARN), boundarySQS, sessionAll), policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
		{"role ARN: boundary and session policy allow", in(roleSes, names(roleSes.RoleARN), boundaryAll, sessionAll), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"other session of the role", in(roleSes, names("arn:aws:sts::"+acctA+":assumed-role/deploy/s2")), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"federated user ARN: granted directly", in(fedSes, names(fedSes.ARN)), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"federating IAM user: no session policy", in(fedSes, names(fedSes.UserARN)), policy.ImplicitDeny, policy.PolicySession, "", 0},
		{"federating IAM user: session policy allows", in(fedSes, names(fedSes.UserARN), sessionAll), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"federating IAM user: limited by the boundary", in(fedSes, names(fedSes.UserARN), sessionAll, boundarySQS), policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
		{"account ID: delegates to identity policies", in(alice, names(acctA)), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"account root ARN: delegates to identity policies", in(alice, names("arn:aws:iam::"+acctA+":root"), identityGet), policy.Allowed, policy.PolicyIdentity, "get", 0},
		{"everyone", in(alice, `"*"`), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"everyone, anonymous", in(anon, `{"AWS": "*"}`), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"anonymous without a public policy", in(anon, names(acctA)), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"service principal", in(ec2, `{"Service": "ec2.amazonaws.com"}`), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"other service principal", in(ec2, `{"Service": "lambda.amazonaws.com"}`), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"canonical user", in(policy.Caller{Kind: policy.CallerUser, Account: acctA, ARN: alice.ARN, CanonicalUser: strings.Repeat("ab", 32)},
			`{"CanonicalUser": "`+strings.Repeat("AB", 32)+`"}`), policy.Allowed, policy.PolicyResource, "bp", 0},
		{"explicit deny in the resource policy", func(t *testing.T) *policy.Input {
			return &policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("get", identity(t, allowGet))}, Resource: ref("bp", resourcePolicy(t, "Deny", names(acctA)))}
		}, policy.ExplicitDeny, policy.PolicyResource, "bp", 0},
	})
}

func TestNotPrincipal(t *testing.T) {
	notPrincipal := func(list ...string) policy.PolicyRef {
		return compileRef(t, "bp", `"Effect": "Deny", "NotPrincipal": {"AWS": ["`+strings.Join(list, `", "`)+`"]}, "Action": "s3:*", "Resource": "*"`)
	}
	rootARN := "arn:aws:iam::" + acctA + ":root"
	carol := policy.Caller{Kind: policy.CallerUser, Account: acctB, ARN: "arn:aws:iam::" + acctB + ":user/carol"}
	for _, tc := range []struct {
		name   string
		caller policy.Caller
		list   []string
		denied bool
	}{
		{"user and account listed", alice, []string{alice.ARN, rootARN}, false},
		{"user listed without its account", alice, []string{alice.ARN}, true},
		{"other principal", carol, []string{alice.ARN, rootARN}, true},
		{"anonymous", anon, []string{alice.ARN, rootARN}, true},
		{"root", rootA, []string{rootARN}, false},
		{"session, role and account listed", roleSes, []string{roleSes.ARN, roleSes.RoleARN, acctA}, false},
		{"role and account, not the session", roleSes, []string{roleSes.RoleARN, acctA}, true},
		{"session and account, not the role", roleSes, []string{roleSes.ARN, acctA}, true},
		{"federated session and account", fedSes, []string{fedSes.ARN, rootARN}, false},
		// Only a permissions boundary makes a NotPrincipal Deny apply to every principal
		// (IAM User Guide, "AWS JSON policy elements: NotPrincipal"); a session policy
		// does not.
		{"session, role and account listed, with a session policy", roleSes, []string{roleSes.ARN, roleSes.RoleARN, acctA}, false},
	} {
		in := &policy.Input{Request: request(tc.caller), Identity: []policy.PolicyRef{ref("all", identity(t, allowAll))}, Resource: notPrincipal(tc.list...)}
		if strings.HasSuffix(tc.name, "with a session policy") {
			in.Session = []policy.PolicyRef{ref("sp", identity(t, allowAll))}
		}
		if tc.caller.Account != acctA {
			in.ResourceAccount = acctA
		}
		if d := policy.Evaluate(in); (d.Result == policy.ExplicitDeny) != tc.denied {
			t.Errorf("%s: %v, denied %v", tc.name, d, tc.denied)
		}
	}
}

func TestDecisionCrossAccount(t *testing.T) {
	cross := func(principal string, ids ...string) func(t *testing.T) *policy.Input {
		return func(t *testing.T) *policy.Input {
			in := &policy.Input{Request: request(alice), ResourceAccount: acctB}
			if principal != "" {
				in.Resource = ref("bp", resourcePolicy(t, "Allow", principal))
			}
			for _, s := range ids {
				in.Identity = append(in.Identity, ref("id", identity(t, s)))
			}
			return in
		}
	}
	runFlow(t, []flowCase{
		{"resource policy trusts the account, no identity allow", cross(`{"AWS": "arn:aws:iam::` + acctA + `:root"}`), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"both allow", cross(`{"AWS": "arn:aws:iam::`+acctA+`:root"}`, allowGet), policy.Allowed, policy.PolicyIdentity, "id", 0},
		{"identity allow, no resource policy", cross("", allowGet), policy.ImplicitDeny, policy.PolicyResource, "", 0},
		{"resource names the user, identity silent", cross(`{"AWS": "` + alice.ARN + `"}`), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"resource names the user, identity allows", cross(`{"AWS": "`+alice.ARN+`"}`, allowGet), policy.Allowed, policy.PolicyIdentity, "id", 0},
		{"resource names another account", cross(`{"AWS": "`+acctB+`"}`, allowGet), policy.ImplicitDeny, policy.PolicyResource, "", 0},
		{"identity deny wins", cross(`"*"`, allowGet, denyGet), policy.ExplicitDeny, policy.PolicyIdentity, "id", 0},
		{"boundary limits the identity side", func(t *testing.T) *policy.Input {
			in := cross(`"*"`, allowGet)(t)
			in.Boundary = ref("pb", identity(t, allowSQS))
			return in
		}, policy.ImplicitDeny, policy.PolicyBoundary, "", 0},
	})
}

// TestRequireResourcePolicy covers role trust policies and KMS key policies, which must
// name the principal: an identity-based allow alone is not enough.
func TestRequireResourcePolicy(t *testing.T) {
	trust := func(principal string) policy.PolicyRef {
		return ref("trust", compileKind(t, policy.KindTrust, `"Effect": "Allow", "Principal": `+principal+`, "Action": "sts:AssumeRole"`))
	}
	assume := func(c policy.Caller, tr policy.PolicyRef, ids ...string) func(t *testing.T) *policy.Input {
		return func(t *testing.T) *policy.Input {
			req := &policy.Request{Principal: c, Action: "sts:AssumeRole", Resource: "arn:aws:iam::" + acctA + ":role/deploy"}
			in := &policy.Input{Request: req, Resource: tr, RequireResourcePolicy: true, ResourceAccount: acctA}
			for _, s := range ids {
				in.Identity = append(in.Identity, ref("id", identity(t, s)))
			}
			return in
		}
	}
	allowAssume := `"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"`
	runFlow(t, []flowCase{
		{"identity allow, trust names someone else", assume(alice, trust(`{"AWS": "arn:aws:iam::`+acctA+`:user/carol"}`), allowAssume), policy.ImplicitDeny, policy.PolicyResource, "", 0},
		{"trust names the account, identity allows", assume(alice, trust(`{"AWS": "`+acctA+`"}`), allowAssume), policy.Allowed, policy.PolicyIdentity, "id", 0},
		{"trust names the account, identity silent", assume(alice, trust(`{"AWS": "`+acctA+`"}`)), policy.ImplicitDeny, policy.PolicyIdentity, "", 0},
		{"trust names the user", assume(alice, trust(`{"AWS": "`+alice.ARN+`"}`)), policy.Allowed, policy.PolicyResource, "trust", 0},
		{"trust names the service", assume(ec2, trust(`{"Service": "ec2.amazonaws.com"}`)), policy.Allowed, policy.PolicyResource, "trust", 0},
		{"web identity provider", assume(policy.Caller{Kind: policy.CallerWebIdentity, Provider: "accounts.google.com"}, trust(`{"Federated": "accounts.google.com"}`)), policy.Allowed, policy.PolicyResource, "trust", 0},
		{"no trust policy", assume(alice, policy.PolicyRef{}, allowAssume), policy.ImplicitDeny, policy.PolicyResource, "", 0},
	})
}

func TestDecisionReason(t *testing.T) {
	for _, tc := range []struct {
		d    policy.Decision
		want string
	}{
		{policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicyIdentity}, "because no identity-based policy allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ImplicitDeny}, "because no identity-based policy allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicyResource}, "because no resource-based policy allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicyBoundary}, "because no permissions boundary allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicySession}, "because no session policy allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ImplicitDeny, Policy: policy.PolicySCP}, "because no service control policy allows the iam:CreateUser action"},
		{policy.Decision{Result: policy.ExplicitDeny, Policy: policy.PolicySCP}, "with an explicit deny in a service control policy"},
		{policy.Decision{Result: policy.ExplicitDeny, Policy: policy.PolicyIdentity}, "with an explicit deny in an identity-based policy"},
		{policy.Decision{Result: policy.ExplicitDeny, Policy: policy.PolicyResource}, "with an explicit deny in a resource-based policy"},
		{policy.Decision{Result: policy.Allowed, Policy: policy.PolicyIdentity}, ""},
	} {
		if got := tc.d.Reason("iam:CreateUser"); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.d, got, tc.want)
		}
	}
	d := policy.Evaluate(&policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("deny", identity(t, allowAll, denyGet))}})
	if d.Statement != 1 || d.Sid != "DenyGet" || d.PolicyID != "deny" || d.Level != -1 {
		t.Errorf("deny location: %+v", d)
	}
	if s := d.String(); !strings.Contains(s, "ExplicitDeny") || !strings.Contains(s, "DenyGet") {
		t.Errorf("String: %q", s)
	}
}

func TestEvaluateNil(t *testing.T) {
	if d := policy.Evaluate(nil); d.Result != policy.ImplicitDeny {
		t.Error(d)
	}
	if d := policy.Evaluate(&policy.Input{}); d.Result != policy.ImplicitDeny {
		t.Error(d)
	}
	if _, err := policy.Compile(nil); err == nil {
		t.Error("Compile(nil) succeeded")
	}
}
