package iam_test

import (
	"slices"
	"strings"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

const (
	// simPolicyDoc has an Allow and a Deny statement; the Deny starts on line 4, column 5.
	simPolicyDoc = `{"Version":"2012-10-17","Statement":[
    {"Sid":"Read","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*"},
    {"Sid":"Tagged","Effect":"Allow","Action":"ec2:StartInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/env":"dev"}}},
    {"Sid":"NoDelete","Effect":"Deny","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::prod/*"}
]}`
	simAllowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	simBoundary = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
)

func ctxEntry(name, typ string, values ...string) api.ContextEntry {
	return api.ContextEntry{ContextKeyName: ptr.Of(name), ContextKeyType: ptr.Of(typ), ContextKeyValues: values}
}

func TestSimulateCustomPolicy(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name      string
		in        api.SimulateCustomPolicyInput
		decision  string
		matched   []string // SourcePolicyId of each matched statement
		missing   []string
		boundary  *bool // AllowedByPermissionsBoundary, nil when absent
		startLine int32 // of the first matched statement, 0 for any
		startCol  int32
	}{
		{name: "allow", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc}, ActionNames: []string{"s3:GetObject"}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}, startLine: 2, startCol: 5},
		{name: "explicit deny", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll, simPolicyDoc},
			ActionNames: []string{"s3:DeleteObject"}, ResourceArns: []string{"arn:aws:s3:::prod/key"}},
			decision: "explicitDeny", matched: []string{"PolicyInputList.2"}, startLine: 4, startCol: 5},
		{name: "implicit deny", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc}, ActionNames: []string{"iam:CreateUser"}},
			decision: "implicitDeny"},
		{name: "condition missing key", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc}, ActionNames: []string{"ec2:StartInstances"}},
			decision: "implicitDeny", missing: []string{"aws:ResourceTag/env"}},
		{name: "condition satisfied", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc}, ActionNames: []string{"ec2:StartInstances"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:resourcetag/env", "string", "dev")}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}, startLine: 3},
		{name: "condition not satisfied", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc}, ActionNames: []string{"ec2:StartInstances"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:ResourceTag/env", "string", "prod")}},
			decision: "implicitDeny"},
		{name: "boundary blocks", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll},
			PermissionsBoundaryPolicyInputList: []string{simBoundary}, ActionNames: []string{"iam:CreateUser"}},
			decision: "implicitDeny", boundary: ptr.Of(false)},
		{name: "boundary allows", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll},
			PermissionsBoundaryPolicyInputList: []string{simBoundary}, ActionNames: []string{"s3:PutObject"}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}, boundary: ptr.Of(true)},
		{name: "resource policy allows the caller", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ListQueues","Resource":"*"}]}`},
			ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"},
			CallerArn:      ptr.Of("arn:aws:iam::123456789012:user/alice"),
			ResourcePolicy: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)},
			decision: "allowed", matched: []string{"ResourcePolicy"}},
		{name: "resource policy denies", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll},
			ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"},
			CallerArn:      ptr.Of("arn:aws:iam::123456789012:user/alice"),
			ResourcePolicy: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`)},
			decision: "explicitDeny", matched: []string{"ResourcePolicy"}},
		{name: "numeric and date entries", in: api.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"Bool":{"aws:SecureTransport":"true"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`},
			ActionNames:     []string{"s3:GetObject"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:MultiFactorAuthAge", "numeric", "60"), ctxEntry("aws:CurrentTime", "date", "2026-01-01T00:00:00Z"),
				ctxEntry("aws:SecureTransport", "boolean", "true"), ctxEntry("aws:SourceIp", "ip", "10.1.2.3")}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}},
		{name: "epoch date", in: api.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}}]}`},
			ActionNames:     []string{"s3:GetObject"},
			ContextEntries:  []api.ContextEntry{ctxEntry("aws:TokenIssueTime", "date", "1500000000")}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}},
		{name: "variable in resource", in: api.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`},
			ActionNames:     []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::home/alice/x"}},
			decision: "implicitDeny", missing: []string{"aws:username"}},
		{name: "variable supplied", in: api.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`},
			ActionNames:     []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::home/alice/x"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:username", "string", "alice")}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}},
		{name: "cross-account resource policy and identity allow", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll},
			ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"}, ResourceOwner: ptr.Of("arn:aws:iam::999999999999:root"),
			CallerArn:      ptr.Of("arn:aws:iam::123456789012:user/alice"),
			ResourcePolicy: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)},
			decision: "allowed", matched: []string{"PolicyInputList.1", "ResourcePolicy"}},
		{name: "cross-account resource policy alone", in: api.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`},
			ActionNames: []string{"s3:GetObject"}, ResourceArns: []string{"arn:aws:s3:::b/k"}, ResourceOwner: ptr.Of("999999999999"),
			CallerArn:      ptr.Of("arn:aws:iam::123456789012:user/alice"),
			ResourcePolicy: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)},
			decision: "implicitDeny"},
		{name: "list entries", in: api.SimulateCustomPolicyInput{
			PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}]}`},
			ActionNames:     []string{"s3:GetObject"},
			ContextEntries:  []api.ContextEntry{ctxEntry("aws:TagKeys", "stringList", "a", "b")}},
			decision: "allowed", matched: []string{"PolicyInputList.1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := f.svc.SimulateCustomPolicy(f.ctx, &tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.EvaluationResults) != 1 {
				t.Fatalf("%d results", len(out.EvaluationResults))
			}
			r := out.EvaluationResults[0]
			if got := str(r.EvalDecision); got != tc.decision {
				t.Fatalf("decision = %s, want %s", got, tc.decision)
			}
			var ids []string
			for _, m := range r.MatchedStatements {
				ids = append(ids, str(m.SourcePolicyId))
			}
			if !slices.Equal(ids, tc.matched) {
				t.Errorf("matched = %v, want %v", ids, tc.matched)
			}
			if tc.startLine != 0 {
				m := r.MatchedStatements[0]
				if *m.StartPosition.Line != tc.startLine || (tc.startCol != 0 && *m.StartPosition.Column != tc.startCol) {
					t.Errorf("start = %d:%d, want %d:%d", *m.StartPosition.Line, *m.StartPosition.Column, tc.startLine, tc.startCol)
				}
				if *m.EndPosition.Line != tc.startLine {
					t.Errorf("end line = %d, want %d", *m.EndPosition.Line, tc.startLine)
				}
			}
			if !slices.Equal(r.MissingContextValues, tc.missing) && !(len(r.MissingContextValues) == 0 && len(tc.missing) == 0) {
				t.Errorf("missing = %v, want %v", r.MissingContextValues, tc.missing)
			}
			switch {
			case tc.boundary == nil && r.PermissionsBoundaryDecisionDetail != nil:
				t.Errorf("unexpected boundary detail")
			case tc.boundary != nil && (r.PermissionsBoundaryDecisionDetail == nil || *r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != *tc.boundary):
				t.Errorf("boundary detail = %+v, want %v", r.PermissionsBoundaryDecisionDetail, *tc.boundary)
			}
			if r.OrganizationsDecisionDetail == nil || !*r.OrganizationsDecisionDetail.AllowedByOrganizations {
				t.Errorf("organizations detail = %+v", r.OrganizationsDecisionDetail)
			}
		})
	}
}

// TestSimulateStatementEnd checks the end position: just after the closing brace.
func TestSimulateStatementEnd(t *testing.T) {
	f := newFixture(t)
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	out, err := f.svc.SimulateCustomPolicy(f.ctx, &api.SimulateCustomPolicyInput{PolicyInputList: []string{doc}, ActionNames: []string{"s3:GetObject"}})
	f.ok(err)
	m := out.EvaluationResults[0].MatchedStatements[0]
	start := strings.Index(doc, `{"Effect"`) + 1
	end := strings.LastIndex(doc, "}]") + 2
	if *m.StartPosition.Line != 1 || int(*m.StartPosition.Column) != start || *m.EndPosition.Line != 1 || int(*m.EndPosition.Column) != end {
		t.Fatalf("positions %d:%d-%d:%d, want 1:%d-1:%d", *m.StartPosition.Line, *m.StartPosition.Column, *m.EndPosition.Line, *m.EndPosition.Column, start, end)
	}
}

func TestSimulatePaging(t *testing.T) {
	f := newFixture(t)
	in := &api.SimulateCustomPolicyInput{PolicyInputList: []string{simPolicyDoc},
		ActionNames: []string{"s3:GetObject", "s3:ListBucket", "s3:PutObject"}, ResourceArns: []string{"arn:aws:s3:::a", "arn:aws:s3:::b"}, MaxItems: ptr.Of(int32(4))}
	out, err := f.svc.SimulateCustomPolicy(f.ctx, in)
	f.ok(err)
	if len(out.EvaluationResults) != 4 || !*out.IsTruncated || out.Marker == nil {
		t.Fatalf("first page: %d results, truncated %v", len(out.EvaluationResults), *out.IsTruncated)
	}
	if str(out.EvaluationResults[2].EvalActionName) != "s3:ListBucket" || str(out.EvaluationResults[3].EvalResourceName) != "arn:aws:s3:::b" {
		t.Fatalf("order: %s %s", str(out.EvaluationResults[2].EvalActionName), str(out.EvaluationResults[3].EvalResourceName))
	}
	in.Marker = out.Marker
	out, err = f.svc.SimulateCustomPolicy(f.ctx, in)
	f.ok(err)
	if len(out.EvaluationResults) != 2 || *out.IsTruncated || out.Marker != nil {
		t.Fatalf("second page: %d results, truncated %v", len(out.EvaluationResults), *out.IsTruncated)
	}
	if str(out.EvaluationResults[0].EvalDecision) != "implicitDeny" {
		t.Fatalf("s3:PutObject = %s", str(out.EvaluationResults[0].EvalDecision))
	}
}

func TestSimulatePrincipalPolicy(t *testing.T) {
	f := newFixture(t)
	f.createUser("alice")
	f.createGroup("readers")
	f.ok(errOf(f.svc.AddUserToGroup(f.ctx, &api.AddUserToGroupInput{GroupName: ptr.Of("readers"), UserName: ptr.Of("alice")})))
	arnGet := f.createPolicy("getter") // allows s3:GetObject
	f.ok(errOf(f.svc.AttachGroupPolicy(f.ctx, &api.AttachGroupPolicyInput{GroupName: ptr.Of("readers"), PolicyArn: ptr.Of(arnGet)})))
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("alice"), PolicyName: ptr.Of("nodelete"), PolicyDocument: ptr.Of(denyDoc)})))
	f.ok(errOf(f.svc.PutGroupPolicy(f.ctx, &api.PutGroupPolicyInput{GroupName: ptr.Of("readers"), PolicyName: ptr.Of("sqs"),
		PolicyDocument: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`)})))
	f.createRole("app")
	f.ok(errOf(f.svc.AttachRolePolicy(f.ctx, &api.AttachRolePolicyInput{RoleName: ptr.Of("app"), PolicyArn: ptr.Of(arnGet)})))

	userARN := "arn:aws:iam::" + acct + ":user/alice"
	cases := []struct {
		name, source, action string
		decision             string
		matched              []string
		missing              []string
	}{
		{"user via group managed policy", userARN, "iam:GetUser", "implicitDeny", nil, nil},
		{"user managed allow", userARN, "s3:GetObject", "explicitDeny", []string{"user_alice_nodelete"}, nil},
		{"user group inline", userARN, "sqs:SendMessage", "implicitDeny", nil, []string{"aws:RequestedRegion"}},
		{"group", "arn:aws:iam::" + acct + ":group/readers", "s3:GetObject", "allowed", []string{"getter"}, nil},
		{"role", "arn:aws:iam::" + acct + ":role/app", "s3:GetObject", "allowed", []string{"getter"}, nil},
		{"role no match", "arn:aws:iam::" + acct + ":role/app", "s3:PutObject", "implicitDeny", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := f.svc.SimulatePrincipalPolicy(f.ctx, &api.SimulatePrincipalPolicyInput{PolicySourceArn: ptr.Of(tc.source), ActionNames: []string{tc.action}})
			f.ok(err)
			r := out.EvaluationResults[0]
			if got := str(r.EvalDecision); got != tc.decision {
				t.Fatalf("decision = %s, want %s", got, tc.decision)
			}
			var ids []string
			for _, m := range r.MatchedStatements {
				ids = append(ids, str(m.SourcePolicyId))
				if str(m.SourcePolicyType) != "IAM Policy" {
					t.Errorf("type = %s", str(m.SourcePolicyType))
				}
			}
			if !slices.Equal(ids, tc.matched) {
				t.Errorf("matched = %v, want %v", ids, tc.matched)
			}
			if !slices.Equal(r.MissingContextValues, tc.missing) && len(r.MissingContextValues)+len(tc.missing) != 0 {
				t.Errorf("missing = %v, want %v", r.MissingContextValues, tc.missing)
			}
		})
	}

	// The extra PolicyInputList adds to the principal's policies.
	out, err := f.svc.SimulatePrincipalPolicy(f.ctx, &api.SimulatePrincipalPolicyInput{PolicySourceArn: ptr.Of("arn:aws:iam::" + acct + ":role/app"),
		PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:PutObject"}})
	f.ok(err)
	if r := out.EvaluationResults[0]; str(r.EvalDecision) != "allowed" || str(r.MatchedStatements[0].SourcePolicyId) != "PolicyInputList.1" {
		t.Fatalf("with input list: %s %v", str(r.EvalDecision), r.MatchedStatements)
	}
}

func TestSimulatePrincipalBoundary(t *testing.T) {
	f := newFixture(t)
	f.createUser("bob")
	bARN := f.createPolicy("bnd") // allows only s3:GetObject
	f.ok(errOf(f.svc.PutUserPermissionsBoundary(f.ctx, &api.PutUserPermissionsBoundaryInput{UserName: ptr.Of("bob"), PermissionsBoundary: ptr.Of(bARN)})))
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("bob"), PolicyName: ptr.Of("all"), PolicyDocument: ptr.Of(simAllowAll)})))
	out, err := f.svc.SimulatePrincipalPolicy(f.ctx, &api.SimulatePrincipalPolicyInput{PolicySourceArn: ptr.Of("arn:aws:iam::" + acct + ":user/bob"),
		ActionNames: []string{"s3:GetObject", "iam:CreateUser"}})
	f.ok(err)
	want := []string{"allowed", "implicitDeny"}
	for i, r := range out.EvaluationResults {
		if str(r.EvalDecision) != want[i] || r.PermissionsBoundaryDecisionDetail == nil || *r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != (i == 0) {
			t.Errorf("%s: %s %+v", str(r.EvalActionName), str(r.EvalDecision), r.PermissionsBoundaryDecisionDetail)
		}
	}
}

func TestGetContextKeys(t *testing.T) {
	f := newFixture(t)
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}`
	doc2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"AWS:Username":"x","s3:prefix":"${aws:PrincipalTag/team, 'none'}/*"}}}]}`
	out, err := f.svc.GetContextKeysForCustomPolicy(f.ctx, &api.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{doc, doc2}})
	f.ok(err)
	if want := []string{"aws:username", "aws:CurrentTime", "s3:prefix", "aws:PrincipalTag/team"}; !slices.Equal(out.ContextKeyNames, want) {
		t.Fatalf("keys = %v, want %v", out.ContextKeyNames, want)
	}

	f.createUser("carol")
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("carol"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(doc)})))
	pout, err := f.svc.GetContextKeysForPrincipalPolicy(f.ctx, &api.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: ptr.Of("arn:aws:iam::" + acct + ":user/carol"), PolicyInputList: []string{doc2}})
	f.ok(err)
	if want := []string{"aws:username", "aws:CurrentTime", "s3:prefix", "aws:PrincipalTag/team"}; !slices.Equal(pout.ContextKeyNames, want) {
		t.Fatalf("principal keys = %v, want %v", pout.ContextKeyNames, want)
	}
}

func TestSimulateErrors(t *testing.T) {
	f := newFixture(t)
	custom := func(in api.SimulateCustomPolicyInput) func() error {
		return func() error { return errOf(f.svc.SimulateCustomPolicy(f.ctx, &in)) }
	}
	principal := func(src string) func() error {
		return func() error {
			return errOf(f.svc.SimulatePrincipalPolicy(f.ctx, &api.SimulatePrincipalPolicyInput{PolicySourceArn: ptr.Of(src), ActionNames: []string{"s3:GetObject"}}))
		}
	}
	runErrCases(t, []errCase{
		{"malformed policy", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":`}, ActionNames: []string{"s3:GetObject"}}), "MalformedPolicyDocument"},
		{"bad effect", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}`}, ActionNames: []string{"s3:GetObject"}}), "MalformedPolicyDocument"},
		{"bad resource policy", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"},
			CallerArn: ptr.Of("arn:aws:iam::123456789012:user/a"), ResourcePolicy: ptr.Of(simAllowAll)}), "MalformedPolicyDocument"},
		{"resource policy without caller", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"},
			ResourcePolicy: ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)}), "InvalidInput"},
		{"caller not a user", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"},
			CallerArn: ptr.Of("arn:aws:iam::123456789012:role/r")}), "InvalidInput"},
		{"wildcard action", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:*"}}), "InvalidInput"},
		{"action without service", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"GetObject"}}), "InvalidInput"},
		{"bad numeric", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:MultiFactorAuthAge", "numeric", "soon")}}), "InvalidInput"},
		{"bad type", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"},
			ContextEntries: []api.ContextEntry{ctxEntry("aws:x", "float", "1")}}), "InvalidInput"},
		{"bad marker", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"}, Marker: ptr.Of("zz")}), "ValidationError"},
		{"max items 0", custom(api.SimulateCustomPolicyInput{PolicyInputList: []string{simAllowAll}, ActionNames: []string{"s3:GetObject"}, MaxItems: ptr.Of(int32(0))}), "ValidationError"},
		{"bad source arn", principal("not-an-arn"), "InvalidInput"},
		{"policy source arn", principal("arn:aws:iam::123456789012:policy/p"), "InvalidInput"},
		{"unknown user", principal("arn:aws:iam::123456789012:user/nobody"), "NoSuchEntity"},
		{"unknown role", principal("arn:aws:iam::123456789012:role/nobody"), "NoSuchEntity"},
		{"unknown group", principal("arn:aws:iam::123456789012:group/nobody"), "NoSuchEntity"},
		{"context keys malformed", func() error {
			return errOf(f.svc.GetContextKeysForCustomPolicy(f.ctx, &api.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{"nope"}}))
		}, "MalformedPolicyDocument"},
	})
}
