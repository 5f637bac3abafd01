package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// TestDenyPrincipalForms checks which callers a Deny statement of a resource-based
// policy applies to, for each way of naming a principal.
func TestDenyPrincipalForms(t *testing.T) {
	callers := map[string]policy.Caller{"alice": alice, "root": rootA, "session": roleSes, "federated": fedSes, "anonymous": anon, "ec2": ec2}
	for _, tc := range []struct {
		principal string
		applies   []string
	}{
		{`"*"`, []string{"alice", "root", "session", "federated", "anonymous", "ec2"}},
		{`{"AWS": "*"}`, []string{"alice", "root", "session", "federated", "anonymous", "ec2"}},
		{`{"AWS": "` + acctA + `"}`, []string{"alice", "root", "session", "federated"}},
		{`{"AWS": "arn:aws:iam::` + acctA + `:root"}`, []string{"alice", "root", "session", "federated"}},
		{`{"AWS": "arn:aws:iam::` + acctB + `:root"}`, nil},
		{`{"AWS": "` + alice.ARN + `"}`, []string{"alice", "federated"}},
		{`{"AWS": "` + roleSes.RoleARN + `"}`, []string{"session"}},
		{`{"AWS": "` + roleSes.ARN + `"}`, []string{"session"}},
		{`{"AWS": "` + fedSes.ARN + `"}`, []string{"federated"}},
		{`{"Service": "ec2.amazonaws.com"}`, []string{"ec2"}},
		{`{"Federated": "accounts.google.com"}`, nil},
	} {
		bp := compileRef(t, "bp", `"Effect": "Deny", "Principal": `+tc.principal+`, "Action": "s3:GetObject", "Resource": "*"`)
		for name, c := range callers {
			want := false
			for _, a := range tc.applies {
				want = want || a == name
			}
			in := &policy.Input{Request: request(c), Resource: bp, Identity: []policy.PolicyRef{ref("all", identity(t, allowAll))}}
			if got := policy.Evaluate(in).Result == policy.ExplicitDeny; got != want {
				t.Errorf("Deny to %s, caller %s: denied %v, want %v", tc.principal, name, got, want)
			}
		}
	}
}

func TestCompileRejectsHandBuiltDocuments(t *testing.T) {
	d := &policy.Document{Statements: []policy.Statement{{}}}
	if _, err := policy.Compile(d); !errors.Is(err, policy.ErrCompile) {
		t.Errorf("statement without Effect: %v", err)
	}
	d = &policy.Document{Statements: []policy.Statement{{Effect: policy.Allow, Conditions: []policy.Condition{{
		Operator: policy.Operator{Name: "Nope"}, Keys: []policy.ConditionKey{{Name: "k", Values: []policy.ConditionValue{{Text: "v"}}}},
	}}}}}
	if _, err := policy.Compile(d); err == nil {
		t.Error("unknown operator with keys compiled")
	}
	// An unknown operator with an empty block is accepted by IAM and has no effect.
	c := mustCompile(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Whatever": {}}}}`, policy.KindIdentity)
	if d := policy.Evaluate(&policy.Input{Request: request(alice), Identity: []policy.PolicyRef{ref("p", c)}}); !d.IsAllowed() {
		t.Errorf("empty unknown operator block: %v", d)
	}
	if c.Len() != 1 || c.Kind() != policy.KindIdentity {
		t.Errorf("Len %d Kind %v", c.Len(), c.Kind())
	}
}

func TestContext(t *testing.T) {
	var c policy.Context
	c.Add("AWS:UserName", "alice")
	c.Add("aws:username", "bob") // replaces: key names are case-insensitive
	c.AddMulti("aws:TagKeys", "a", "b")
	c.AddBool("aws:SecureTransport", true)
	c.AddNumber("aws:MultiFactorAuthAge", 30)
	if v, ok := c.Get("aws:USERNAME"); !ok || len(v) != 1 || v[0] != "bob" {
		t.Errorf("Get username: %v %v", v, ok)
	}
	if v, _ := c.Get("aws:tagkeys"); len(v) != 2 {
		t.Errorf("Get tag keys: %v", v)
	}
	if v, _ := c.Get("aws:MultiFactorAuthAge"); v[0] != "30" {
		t.Errorf("number text: %v", v)
	}
	if _, ok := c.Get("aws:missing"); ok || c.Len() != 4 {
		t.Errorf("Len %d", c.Len())
	}
	c.Reset()
	if c.Len() != 0 {
		t.Error("Reset")
	}
	// A larger context: every key is found through the hash index, no missing one is.
	for i := 0; i < 40; i++ {
		c.Add("svc:key"+string(rune('a'+i%26))+string(rune('a'+i/26)), "v")
	}
	for i := 0; i < 40; i++ {
		k := "svc:KEY" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if v, ok := c.Get(k); !ok || v[0] != "v" {
			t.Errorf("Get(%q): %v %v", k, v, ok)
		}
		if _, ok := c.Get(k + "x"); ok {
			t.Errorf("Get(%q) found a missing key", k+"x")
		}
	}
}

func TestAddPrincipalKeys(t *testing.T) {
	get := func(c *policy.Context, k string) string {
		v, ok := c.Get(k)
		if !ok {
			return "-"
		}
		return strings.Join(v, ",")
	}
	for _, tc := range []struct {
		caller                      policy.Caller
		typ, arn, acct, userid, usr string
	}{
		{alice, "User", alice.ARN, acctA, alice.ID, "alice"},
		{rootA, "Account", rootA.ARN, acctA, acctA, "-"},
		{roleSes, "AssumedRole", roleSes.RoleARN, acctA, roleSes.ID, "-"},
		{fedSes, "FederatedUser", fedSes.ARN, acctA, acctA + ":bob", "-"},
		{anon, "Anonymous", "-", "-", "-", "-"},
		{ec2, "-", "-", "-", "-", "-"},
	} {
		var c policy.Context
		c.AddPrincipalKeys(tc.caller)
		got := []string{get(&c, "aws:PrincipalType"), get(&c, "aws:PrincipalArn"), get(&c, "aws:PrincipalAccount"), get(&c, "aws:userid"), get(&c, "aws:username")}
		want := []string{tc.typ, tc.arn, tc.acct, tc.userid, tc.usr}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%v: got %v, want %v", tc.caller.Kind, got, want)
		}
	}
}

func TestCallerKindString(t *testing.T) {
	for k, want := range map[policy.CallerKind]string{
		policy.CallerAnonymous: "Anonymous", policy.CallerRoot: "Root", policy.CallerUser: "IAMUser",
		policy.CallerRoleSession: "AssumedRole", policy.CallerFederatedSession: "FederatedUser",
		policy.CallerService: "Service", policy.CallerWebIdentity: "WebIdentity", 99: "CallerKind(?)",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d: %q, want %q", k, got, want)
		}
	}
	d, _ := policy.Parse(`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}`, policy.KindIdentity)
	if policy.MustCompile(d).Len() != 1 {
		t.Error("MustCompile")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustCompile(nil) did not panic")
		}
	}()
	policy.MustCompile(nil)
}
