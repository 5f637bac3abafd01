package authz

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	apicloudtrail "github.com/bulwarkhq/bulwark/internal/api/cloudtrail"
	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	apikms "github.com/bulwarkhq/bulwark/internal/api/kms"
	apists "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

const acct = "111122223333"

// fakeDirectory is an in-memory Directory.
type fakeDirectory struct {
	mu       sync.Mutex
	gen      uint64
	users    map[string]Principal
	roles    map[string]Principal
	managed  map[string]Document
	paths    map[string]string // kind/name -> path
	lookups  int
	cacheOff bool
	selfPwd  bool
}

func (d *fakeDirectory) AccessKeyOwner(_ context.Context, akid string) (string, string, bool, error) {
	if akid == "AKIASAMPLEOWNEDBYBOB" {
		return acct, "arn:aws:iam::111122223333:user/team/bob", true, nil
	}
	return "", "", false, nil
}

func (d *fakeDirectory) UsersMayChangePassword(context.Context, string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.selfPwd, nil
}

func newFakeDirectory() *fakeDirectory {
	return &fakeDirectory{users: map[string]Principal{}, roles: map[string]Principal{},
		managed: map[string]Document{}, paths: map[string]string{}}
}

func (d *fakeDirectory) Partition() string { return "aws" }

func (d *fakeDirectory) Generation() (uint64, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.gen, !d.cacheOff
}

func (d *fakeDirectory) UserPolicies(_ context.Context, a, name string) (Principal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lookups++
	return lookupFold(d.users, a+"/"+name)
}

func (d *fakeDirectory) RolePolicies(_ context.Context, a, name string) (Principal, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return lookupFold(d.roles, a+"/"+name)
}

func (d *fakeDirectory) ManagedPolicy(_ context.Context, _, policyARN string) (Document, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	doc, ok := d.managed[policyARN]
	return doc, ok, nil
}

func (d *fakeDirectory) EntityPath(_ context.Context, _, kind, name string) (string, string, bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, p := range d.paths {
		if strings.EqualFold(k, kind+"/"+name) {
			return p, k[len(kind)+1:], true, nil
		}
	}
	return "", "", false, nil
}

// lookupFold finds a principal by name without regard to case, as IAM does.
func lookupFold(m map[string]Principal, key string) (Principal, error) {
	for k, p := range m {
		if strings.EqualFold(k, key) {
			return p, nil
		}
	}
	return Principal{}, ErrNoSuchPrincipal
}

// setUser stores a user and moves the generation, as an IAM write does.
func (d *fakeDirectory) setUser(name, path string, tags []Tag, boundary string, policies ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	arn := "arn:aws:iam::" + acct + ":user" + path + name
	p := Principal{ARN: arn, ID: "AIDA" + strings.ToUpper(name), Tags: tags}
	for i, text := range policies {
		p.Identity = append(p.Identity, Document{Source: arn, Name: "inline" + string(rune('0'+i)), Text: text})
	}
	if boundary != "" {
		p.Boundary = &Document{Source: "arn:aws:iam::" + acct + ":policy/boundary", Name: "boundary", Text: boundary, Managed: true}
	}
	d.users[acct+"/"+name] = p
	d.paths["user/"+name] = path
	d.gen++
}

func (d *fakeDirectory) setRole(name, trust string, policies ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	arn := "arn:aws:iam::" + acct + ":role/" + name
	p := Principal{ARN: arn, ID: "AROA" + strings.ToUpper(name), Trust: trust}
	for i, text := range policies {
		p.Identity = append(p.Identity, Document{Source: arn, Name: "inline" + string(rune('0'+i)), Text: text})
	}
	d.roles[acct+"/"+name] = p
	d.paths["role/"+name] = "/"
	d.gen++
}

func allow(action, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"` + resource + `"}]}`
}

func deny(action, resource string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"` + action + `","Resource":"` + resource + `"}]}`
}

func user(name string) caller.Principal {
	return caller.Principal{Kind: caller.IAMUser, Account: acct, ARN: "arn:aws:iam::" + acct + ":user/" + name,
		ID: "AIDA" + strings.ToUpper(name), UserName: name}
}

func request(p caller.Principal) *caller.Request {
	return &caller.Request{Principal: p, Region: "us-east-1", SourceIP: "192.0.2.10",
		Time: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
}

func operation(t *testing.T, svc *protocol.Service, name string) *protocol.Operation {
	t.Helper()
	op := svc.Operation(name)
	if op == nil {
		t.Fatalf("no operation %s", name)
	}
	return op
}

// denial returns the AccessDenied message of err, or fails.
func denial(t *testing.T, err error, code string) string {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Status != 403 {
		t.Fatalf("got %v, want %s", err, code)
	}
	return ae.Message
}

func TestIdentityPolicies(t *testing.T) {
	iamSvc := apiiam.Service(nil)
	createBob := &apiiam.CreateUserInput{UserName: ptr.Of("bob")}
	tests := []struct {
		name     string
		policies []string
		boundary string
		want     string // "" for allowed, else the denial message
	}{
		{"a new user can do nothing", nil, "",
			"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob because no identity-based policy allows the iam:CreateUser action"},
		{"an identity policy allows", []string{allow("iam:CreateUser", "*")}, "", ""},
		{"actions match without case", []string{allow("IAM:createuser", "arn:aws:iam::111122223333:user/*")}, "", ""},
		{"another resource is not allowed", []string{allow("iam:CreateUser", "arn:aws:iam::111122223333:user/carol")}, "",
			"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob because no identity-based policy allows the iam:CreateUser action"},
		{"an explicit deny beats an allow", []string{allow("iam:*", "*"), deny("iam:CreateUser", "*")}, "",
			"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob with an explicit deny in an identity-based policy"},
		{"a boundary caps an administrator", []string{allow("*", "*")}, allow("iam:Get*", "*"),
			"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob because no permissions boundary allows the iam:CreateUser action"},
		{"a boundary's deny", []string{allow("*", "*")}, deny("iam:CreateUser", "*"),
			"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob with an explicit deny in a permissions boundary"},
		{"boundary and identity both allow", []string{allow("iam:CreateUser", "*")}, allow("iam:*", "*"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newFakeDirectory()
			dir.setUser("alice", "/", nil, tc.boundary, tc.policies...)
			err := New(dir, nil).Authorize(context.Background(), request(user("alice")), operation(t, iamSvc, "CreateUser"), createBob)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("denied: %v", err)
				}
				return
			}
			if got := denial(t, err, "AccessDenied"); got != tc.want {
				t.Fatalf("message\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestResourceBinding(t *testing.T) {
	iamSvc := apiiam.Service(nil)
	tests := []struct {
		name   string
		op     string
		in     protocol.Input
		policy string
		want   string // the resource in the denial, or "" when allowed
	}{
		{"a named user's path is in its ARN", "GetUser", &apiiam.GetUserInput{UserName: ptr.Of("bob")},
			allow("iam:GetUser", "arn:aws:iam::111122223333:user/division/*"), ""},
		{"a user without a name acts on itself", "GetUser", &apiiam.GetUserInput{},
			allow("iam:GetUser", "arn:aws:iam::111122223333:user/alice"), ""},
		{"self is not another", "GetUser", &apiiam.GetUserInput{},
			allow("iam:GetUser", "arn:aws:iam::111122223333:user/bob"), "arn:aws:iam::111122223333:user/alice"},
		{"a new user takes the path of the request", "CreateUser", &apiiam.CreateUserInput{UserName: ptr.Of("dave"), Path: ptr.Of("/ops/")},
			deny("iam:GetUser", "*"), "arn:aws:iam::111122223333:user/ops/dave"},
		{"a policy ARN is the resource", "GetPolicy", &apiiam.GetPolicyInput{PolicyArn: ptr.Of("arn:aws:iam::111122223333:policy/team/p1")},
			allow("iam:GetPolicy", "arn:aws:iam::111122223333:policy/team/*"), ""},
		{"an action without resource types acts on *", "ListUsers", &apiiam.ListUsersInput{},
			allow("iam:ListUsers", "arn:aws:iam::111122223333:user/*"), "*"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newFakeDirectory()
			dir.setUser("alice", "/", nil, "", tc.policy)
			dir.setUser("bob", "/division/", nil, "")
			err := New(dir, nil).Authorize(context.Background(), request(user("alice")), operation(t, iamSvc, tc.op), tc.in)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("denied: %v", err)
				}
				return
			}
			msg := denial(t, err, "AccessDenied")
			if !strings.Contains(msg, " on resource: "+tc.want+" ") {
				t.Fatalf("got %s, want resource %s", msg, tc.want)
			}
		})
	}
}

func TestConditionKeys(t *testing.T) {
	iamSvc := apiiam.Service(nil)
	cond := func(action, cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"` + action + `","Resource":"*","Condition":` + cond + `}]}`
	}
	withTag := &apiiam.CreateUserInput{UserName: ptr.Of("bob"), Tags: []apiiam.Tag{{Key: ptr.Of("team"), Value: ptr.Of("red")}}}
	withBoundary := &apiiam.CreateUserInput{UserName: ptr.Of("bob"), PermissionsBoundary: ptr.Of("arn:aws:iam::111122223333:policy/cap")}
	tests := []struct {
		name    string
		policy  string
		in      protocol.Input
		allowed bool
	}{
		{"aws:RequestTag matches", cond("iam:CreateUser", `{"StringEquals":{"aws:RequestTag/team":"red"}}`), withTag, true},
		{"aws:RequestTag differs", cond("iam:CreateUser", `{"StringEquals":{"aws:RequestTag/team":"blue"}}`), withTag, false},
		{"aws:TagKeys", cond("iam:CreateUser", `{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}`), withTag, true},
		{"iam:PermissionsBoundary required and given", cond("iam:CreateUser", `{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::111122223333:policy/cap"}}`), withBoundary, true},
		{"iam:PermissionsBoundary required, not given", cond("iam:CreateUser", `{"StringEquals":{"iam:PermissionsBoundary":"arn:aws:iam::111122223333:policy/cap"}}`), withTag, false},
		{"aws:SourceIp", cond("iam:CreateUser", `{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}`), withTag, true},
		{"aws:SourceIp elsewhere", cond("iam:CreateUser", `{"IpAddress":{"aws:SourceIp":"198.51.100.0/24"}}`), withTag, false},
		{"aws:username variable", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:CreateUser","Resource":"arn:aws:iam::*:user/${aws:username}-*"}]}`,
			&apiiam.CreateUserInput{UserName: ptr.Of("alice-bot")}, true},
		{"aws:PrincipalTag", cond("iam:CreateUser", `{"StringEquals":{"aws:PrincipalTag/dept":"eng"}}`), withTag, true},
		{"aws:SecureTransport is false over HTTP", cond("iam:CreateUser", `{"Bool":{"aws:SecureTransport":"true"}}`), withTag, false},
		{"aws:MultiFactorAuthPresent is absent for long-term keys", cond("iam:CreateUser", `{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`), withTag, true},
		{"aws:CurrentTime", cond("iam:CreateUser", `{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}`), withTag, true},
		{"aws:RequestedRegion", cond("iam:CreateUser", `{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`), withTag, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newFakeDirectory()
			dir.setUser("alice", "/", []Tag{{"dept", "eng"}}, "", tc.policy)
			err := New(dir, nil).Authorize(context.Background(), request(user("alice")), operation(t, iamSvc, "CreateUser"), tc.in)
			if tc.allowed != (err == nil) {
				t.Fatalf("allowed=%v, err=%v", tc.allowed, err)
			}
		})
	}
}

func TestSessions(t *testing.T) {
	iamSvc, stsSvc := apiiam.Service(nil), apists.Service(nil)
	trustAlice := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "")
	dir.setRole("admin", trustAlice, allow("iam:*", "*"))
	e := New(dir, nil)
	ctx := context.Background()
	assume := &apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/admin"), RoleSessionName: ptr.Of("s")}

	t.Run("root may not assume a role", func(t *testing.T) {
		root := caller.Principal{Kind: caller.Root, Account: acct, ARN: "arn:aws:iam::111122223333:root", ID: acct}
		msg := denial(t, e.Authorize(ctx, request(root), operation(t, stsSvc, "AssumeRole"), assume), "AccessDenied")
		if msg != "Roles may not be assumed by root accounts." {
			t.Fatal(msg)
		}
	})
	t.Run("the trust policy wants MFA", func(t *testing.T) {
		err := e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), assume)
		msg := denial(t, err, "AccessDenied")
		if !strings.Contains(msg, "sts:AssumeRole on resource: arn:aws:iam::111122223333:role/admin") {
			t.Fatal(msg)
		}
	})
	t.Run("with MFA the trust policy allows", func(t *testing.T) {
		p := user("alice")
		p.Session = &caller.Session{UserARN: p.ARN, MFA: true, MFATime: time.Date(2026, 12, 4, 11, 0, 0, 0, time.UTC)}
		if err := e.Authorize(ctx, request(p), operation(t, stsSvc, "AssumeRole"), assume); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an MFA code in the request counts for the trust policy", func(t *testing.T) {
		in := &apists.AssumeRoleInput{RoleArn: assume.RoleArn, RoleSessionName: assume.RoleSessionName,
			SerialNumber: ptr.Of("arn:aws:iam::111122223333:mfa/alice"), TokenCode: ptr.Of("123456")}
		if err := e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in); err != nil {
			t.Fatal(err)
		}
		in.TokenCode = nil
		denial(t, e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in), "AccessDenied")
	})
	t.Run("session tags and a source identity need their own permissions", func(t *testing.T) {
		dir.setRole("plain", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
		dir.setRole("tagging", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`)
		in := &apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/plain"), RoleSessionName: ptr.Of("s")}
		if err := e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in); err != nil {
			t.Fatal(err)
		}
		in.Tags = []apists.Tag{{Key: ptr.Of("team"), Value: ptr.Of("red")}}
		msg := denial(t, e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in), "AccessDenied")
		if !strings.Contains(msg, "perform: sts:TagSession on resource: arn:aws:iam::111122223333:role/plain") {
			t.Fatal(msg)
		}
		in.Tags, in.SourceIdentity = nil, ptr.Of("alice")
		msg = denial(t, e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in), "AccessDenied")
		if !strings.Contains(msg, "perform: sts:SetSourceIdentity on resource") {
			t.Fatal(msg)
		}
		in.RoleArn, in.Tags = ptr.Of("arn:aws:iam::111122223333:role/tagging"), []apists.Tag{{Key: ptr.Of("team"), Value: ptr.Of("red")}}
		if err := e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("sts:TransitiveTagKeys is multi-valued", func(t *testing.T) {
		dir.setRole("tagged", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"],
			"Condition":{"ForAllValues:StringEquals":{"sts:TransitiveTagKeys":["team","env"]},"Null":{"sts:TransitiveTagKeys":"false"}}}]}`)
		in := &apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/tagged"), RoleSessionName: ptr.Of("s"),
			TransitiveTagKeys: []string{"team", "env"}}
		if err := e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in); err != nil {
			t.Fatal(err)
		}
		in.TransitiveTagKeys = []string{"team", "cost"}
		denial(t, e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in), "AccessDenied")
		in.TransitiveTagKeys = nil
		denial(t, e.Authorize(ctx, request(user("alice")), operation(t, stsSvc, "AssumeRole"), in), "AccessDenied")
	})
	session := func(policies ...string) caller.Principal {
		return caller.Principal{Kind: caller.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/admin/s",
			ID: "AROAADMIN:s", Session: &caller.Session{RoleARN: "arn:aws:iam::111122223333:role/admin", Name: "s", Policies: policies}}
	}
	t.Run("a role session has the role's permissions", func(t *testing.T) {
		if err := e.Authorize(ctx, request(session()), operation(t, iamSvc, "CreateUser"), &apiiam.CreateUserInput{UserName: ptr.Of("x")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a session policy narrows the role", func(t *testing.T) {
		p := session(allow("iam:Get*", "*"))
		if err := e.Authorize(ctx, request(p), operation(t, iamSvc, "GetRole"), &apiiam.GetRoleInput{RoleName: ptr.Of("admin")}); err != nil {
			t.Fatal(err)
		}
		msg := denial(t, e.Authorize(ctx, request(p), operation(t, iamSvc, "CreateUser"), &apiiam.CreateUserInput{UserName: ptr.Of("x")}), "AccessDenied")
		want := "User: arn:aws:sts::111122223333:assumed-role/admin/s is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/x because no session policy allows the iam:CreateUser action"
		if msg != want {
			t.Fatalf("got  %s\nwant %s", msg, want)
		}
	})
	t.Run("a federated session without a session policy has no permissions", func(t *testing.T) {
		dir.setUser("alice", "/", nil, "", allow("*", "*"))
		trail := apicloudtrail.Service(nil)
		p := caller.Principal{Kind: caller.FederatedUser, Account: acct, ARN: "arn:aws:sts::111122223333:federated-user/fed",
			ID: "111122223333:fed", Session: &caller.Session{UserARN: "arn:aws:iam::111122223333:user/alice", Name: "fed"}}
		msg := denial(t, e.Authorize(ctx, request(p), operation(t, trail, "LookupEvents"), &apicloudtrail.LookupEventsInput{}), "AccessDeniedException")
		if !strings.HasSuffix(msg, "because no session policy allows the cloudtrail:LookupEvents action") {
			t.Fatal(msg)
		}
		p.Session.Policies = []string{allow("cloudtrail:LookupEvents", "*")}
		if err := e.Authorize(ctx, request(p), operation(t, trail, "LookupEvents"), &apicloudtrail.LookupEventsInput{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a root federated session is limited by its session policy alone", func(t *testing.T) {
		trail := apicloudtrail.Service(nil)
		p := caller.Principal{Kind: caller.FederatedUser, Account: acct, ARN: "arn:aws:sts::111122223333:federated-user/boss",
			ID: "111122223333:boss", Session: &caller.Session{UserARN: "arn:aws:iam::111122223333:root", Name: "boss",
				Policies: []string{allow("cloudtrail:LookupEvents", "*")}}}
		if err := e.Authorize(ctx, request(p), operation(t, trail, "LookupEvents"), &apicloudtrail.LookupEventsInput{}); err != nil {
			t.Fatal(err)
		}
		p.Session.Policies = []string{allow("cloudtrail:GetTrail", "*")}
		denial(t, e.Authorize(ctx, request(p), operation(t, trail, "LookupEvents"), &apicloudtrail.LookupEventsInput{}), "AccessDeniedException")
	})
	t.Run("sessions without a role may not call IAM unless created with MFA", func(t *testing.T) {
		dir.setUser("alice", "/", nil, "", allow("*", "*"))
		p := user("alice")
		p.Session = &caller.Session{UserARN: p.ARN}
		err := e.Authorize(ctx, request(p), operation(t, iamSvc, "GetRole"), &apiiam.GetRoleInput{RoleName: ptr.Of("admin")})
		var ae *awserr.Error
		if !errors.As(err, &ae) || ae.Code != "InvalidClientTokenId" {
			t.Fatalf("GetSessionToken session without MFA calling IAM: %v", err)
		}
		p.Session.MFA = true
		if err := e.Authorize(ctx, request(p), operation(t, iamSvc, "GetRole"), &apiiam.GetRoleInput{RoleName: ptr.Of("admin")}); err != nil {
			t.Fatal(err)
		}
		fed := caller.Principal{Kind: caller.FederatedUser, Account: acct, ARN: "arn:aws:sts::111122223333:federated-user/f",
			ID: "111122223333:f", Session: &caller.Session{UserARN: p.ARN, Name: "f", MFA: true, Policies: []string{allow("*", "*")}}}
		if err := e.Authorize(ctx, request(fed), operation(t, iamSvc, "GetRole"), &apiiam.GetRoleInput{RoleName: ptr.Of("admin")}); !errors.As(err, &ae) || ae.Code != "InvalidClientTokenId" {
			t.Fatalf("federated session calling IAM: %v", err)
		}
	})
	t.Run("sessions without a role call only some of STS", func(t *testing.T) {
		p := user("alice")
		p.Session = &caller.Session{UserARN: p.ARN, MFA: true}
		msg := denial(t, e.Authorize(ctx, request(p), operation(t, stsSvc, "GetAccessKeyInfo"), &apists.GetAccessKeyInfoInput{AccessKeyId: ptr.Of("AKIAEXAMPLEEXAMPLE00")}), "AccessDenied")
		if msg != "Cannot call GetAccessKeyInfo with session credentials" {
			t.Fatal(msg)
		}
		if err := e.Authorize(ctx, request(p), operation(t, stsSvc, "GetCallerIdentity"), &apists.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("GetCallerIdentity needs no permission", func(t *testing.T) {
		if err := e.Authorize(ctx, request(user("nobody")), operation(t, stsSvc, "GetCallerIdentity"), &apists.GetCallerIdentityInput{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestResourceTags(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*",
		"Condition":{"StringEquals":{"aws:ResourceTag/team":"red"}}}]}`)
	dir.setUser("red", "/", []Tag{{"team", "red"}}, "")
	dir.setUser("blue", "/", []Tag{{"team", "blue"}}, "")
	e := New(dir, nil)
	op := operation(t, apiiam.Service(nil), "GetUser")
	if err := e.Authorize(context.Background(), request(user("alice")), op, &apiiam.GetUserInput{UserName: ptr.Of("red")}); err != nil {
		t.Fatalf("the tagged user: %v", err)
	}
	if err := e.Authorize(context.Background(), request(user("alice")), op, &apiiam.GetUserInput{UserName: ptr.Of("blue")}); err == nil {
		t.Fatal("a user with another tag was allowed")
	}
}

func TestJSONProtocolDenial(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "")
	in := &apikms.EncryptInput{KeyId: ptr.Of("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")}
	msg := denial(t, New(dir, nil).Authorize(context.Background(), request(user("alice")), operation(t, apikms.Service(nil), "Encrypt"), in), "AccessDeniedException")
	want := "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab because no identity-based policy allows the kms:Encrypt action"
	if msg != want {
		t.Fatalf("got  %s\nwant %s", msg, want)
	}
}

func TestPolicyChangeTakesEffectOnTheNextRequest(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "", allow("iam:GetUser", "*"))
	e := New(dir, nil)
	op := operation(t, apiiam.Service(nil), "GetUser")
	in := &apiiam.GetUserInput{UserName: ptr.Of("alice")}
	for range 3 {
		if err := e.Authorize(context.Background(), request(user("alice")), op, in); err != nil {
			t.Fatal(err)
		}
	}
	if dir.lookups != 1 {
		t.Fatalf("%d directory lookups for 3 requests at one generation, want 1", dir.lookups)
	}
	dir.setUser("alice", "/", nil, "", deny("iam:GetUser", "*"))
	if err := e.Authorize(context.Background(), request(user("alice")), op, in); err == nil {
		t.Fatal("the new deny was not enforced")
	}
}

func TestUsersMayChangeTheirPassword(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "")
	e := New(dir, nil)
	op := operation(t, apiiam.Service(nil), "ChangePassword")
	in := &apiiam.ChangePasswordInput{}
	denial(t, e.Authorize(context.Background(), request(user("alice")), op, in), "AccessDenied")
	dir.selfPwd = true
	if err := e.Authorize(context.Background(), request(user("alice")), op, in); err != nil {
		t.Fatalf("the password policy allows users to change their password: %v", err)
	}
	dir.setUser("alice", "/", nil, "", deny("iam:ChangePassword", "*"))
	denial(t, e.Authorize(context.Background(), request(user("alice")), op, in), "AccessDenied")
}

func TestDeletedPrincipalIsDenied(t *testing.T) {
	dir := newFakeDirectory()
	err := New(dir, nil).Authorize(context.Background(), request(user("ghost")), operation(t, apiiam.Service(nil), "ListUsers"), &apiiam.ListUsersInput{})
	denial(t, err, "AccessDenied")
}

func TestTemplateMatches(t *testing.T) {
	tests := []struct {
		tmpl, arn string
		want      bool
	}{
		{"arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "arn:aws:iam::123456789012:user/a/b", true},
		{"arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "arn:aws:iam::123456789012:role/a", false},
		{"arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", "arn:aws:iam::123456789012:user/", false},
		{"arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:us-east-1:123456789012:key/k", true},
		{"arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms:us-east-1:123456789012:alias/k", false},
		{"arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}", "arn:aws:kms::123456789012:key/k", false},
	}
	for _, tc := range tests {
		if got := templateMatches(tc.tmpl, tc.arn); got != tc.want {
			t.Errorf("templateMatches(%q, %q) = %v", tc.tmpl, tc.arn, got)
		}
	}
}

func TestSplitIAMARN(t *testing.T) {
	tests := []struct {
		arn, acct, res string
		ok             bool
	}{
		{"arn:aws:iam::123456789012:role/a/b", "123456789012", "role/a/b", true},
		{"arn:aws-cn:iam::123456789012:user/x", "123456789012", "user/x", true},
		{"arn:aws:sts::123456789012:assumed-role/r/s", "", "", false},
		{"arn:aws:iam:us-east-1:123456789012:role/r", "", "", false},
		{"arn:aws:iam::123456789012", "", "", false},
		{"*", "", "", false},
	}
	for _, tc := range tests {
		acct, res, ok := splitIAMARN(tc.arn)
		if ok != tc.ok || (ok && (acct != tc.acct || res != tc.res)) {
			t.Errorf("splitIAMARN(%q) = %q, %q, %v", tc.arn, acct, res, ok)
		}
	}
}

func TestRecreatedPrincipalsAreNotTheSessionsPrincipals(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "", allow("*", "*"))
	dir.setRole("admin", "", allow("*", "*"))
	e := New(dir, nil)
	ctx := context.Background()
	op := operation(t, apiiam.Service(nil), "ListUsers")
	in := &apiiam.ListUsersInput{}
	longTerm := user("alice")
	sessionUser := user("alice")
	sessionUser.Session = &caller.Session{UserARN: sessionUser.ARN, UserID: sessionUser.ID, MFA: true}
	role := caller.Principal{Kind: caller.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/admin/s",
		ID: "AROAADMIN:s", Session: &caller.Session{RoleARN: "arn:aws:iam::111122223333:role/admin", RoleID: "AROAADMIN", Name: "s"}}
	fed := caller.Principal{Kind: caller.FederatedUser, Account: acct, ARN: "arn:aws:sts::111122223333:federated-user/f",
		ID: "111122223333:f", Session: &caller.Session{UserARN: sessionUser.ARN, UserID: sessionUser.ID, Name: "f",
			Policies: []string{allow("*", "*")}}}
	trail := operation(t, apicloudtrail.Service(nil), "LookupEvents")
	for _, p := range []caller.Principal{longTerm, sessionUser, role} {
		if err := e.Authorize(ctx, request(p), op, in); err != nil {
			t.Fatalf("%s before: %v", p.ARN, err)
		}
	}
	if err := e.Authorize(ctx, request(fed), trail, &apicloudtrail.LookupEventsInput{}); err != nil {
		t.Fatalf("federated before: %v", err)
	}
	// Delete and recreate both with the same names: new unique IDs.
	dir.mu.Lock()
	u := dir.users[acct+"/alice"]
	u.ID = "AIDANEWALICE"
	dir.users[acct+"/alice"] = u
	r := dir.roles[acct+"/admin"]
	r.ID = "AROANEWADMIN"
	dir.roles[acct+"/admin"] = r
	dir.gen++
	dir.mu.Unlock()
	for _, p := range []caller.Principal{longTerm, sessionUser, role} {
		denial(t, e.Authorize(ctx, request(p), op, in), "AccessDenied")
	}
	denial(t, e.Authorize(ctx, request(fed), trail, &apicloudtrail.LookupEventsInput{}), "AccessDeniedException")
}

// TestBindingCannotBeDodged covers ways an input could name a resource so that a policy
// written for it does not apply.
func TestBindingCannotBeDodged(t *testing.T) {
	iamSvc, stsSvc := apiiam.Service(nil), apists.Service(nil)
	denyProtected := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","sts:*"],"Resource":"*"},
		{"Effect":"Deny","Action":["iam:*","sts:*"],"Resource":["arn:aws:iam::111122223333:user/protected","arn:aws:iam::111122223333:role/Admin","arn:aws:iam::111122223333:user/alice"]}]}`
	tests := []struct {
		name string
		op   *protocol.Operation
		in   protocol.Input
	}{
		{"a re-cased user name", operation(t, iamSvc, "CreateAccessKey"), &apiiam.CreateAccessKeyInput{UserName: ptr.Of("PROTECTED")}},
		{"a re-cased role ARN", operation(t, stsSvc, "AssumeRole"), &apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/ADMIN"), RoleSessionName: ptr.Of("s")}},
		{"an empty user name is the caller", operation(t, iamSvc, "CreateAccessKey"), &apiiam.CreateAccessKeyInput{UserName: ptr.Of("")}},
		{"an ARN-shaped ExternalId is not the resource", operation(t, stsSvc, "AssumeRole"), &apists.AssumeRoleInput{
			ExternalId: ptr.Of("arn:aws:iam::111122223333:role/other"), RoleArn: ptr.Of("arn:aws:iam::111122223333:role/Admin"), RoleSessionName: ptr.Of("s")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := newFakeDirectory()
			dir.setUser("alice", "/", nil, "", denyProtected)
			dir.setUser("protected", "/", nil, "")
			dir.setRole("Admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`)
			msg := denial(t, New(dir, nil).Authorize(context.Background(), request(user("alice")), tc.op, tc.in), "AccessDenied")
			if !strings.Contains(msg, "with an explicit deny") {
				t.Fatal(msg)
			}
		})
	}
}

func TestResourcesOfCreateOperations(t *testing.T) {
	iamSvc, stsSvc := apiiam.Service(nil), apists.Service(nil)
	tests := []struct {
		op   *protocol.Operation
		in   protocol.Input
		want string
	}{
		{operation(t, iamSvc, "CreateOpenIDConnectProvider"), &apiiam.CreateOpenIDConnectProviderInput{Url: ptr.Of("https://idp.example.com/tenant")},
			"arn:aws:iam::111122223333:oidc-provider/idp.example.com/tenant"},
		{operation(t, iamSvc, "CreateVirtualMFADevice"), &apiiam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: ptr.Of("phone"), Path: ptr.Of("/staff/")},
			"arn:aws:iam::111122223333:mfa/staff/phone"},
		{operation(t, stsSvc, "GetFederationToken"), &apists.GetFederationTokenInput{Name: ptr.Of("fed")},
			"arn:aws:sts::111122223333:federated-user/fed"},
	}
	for _, tc := range tests {
		dir := newFakeDirectory()
		dir.setUser("alice", "/", nil, "")
		msg := denial(t, New(dir, nil).Authorize(context.Background(), request(user("alice")), tc.op, tc.in), "AccessDenied")
		if !strings.Contains(msg, " on resource: "+tc.want+" ") {
			t.Errorf("%s: %s", tc.op.Name, msg)
		}
	}
}

func TestDeletedSessionPolicyGrantsNothing(t *testing.T) {
	dir := newFakeDirectory()
	dir.setRole("ops", "", allow("iam:*", "*"))
	dir.managed["arn:aws:iam::111122223333:policy/readonly"] = Document{Source: "arn:aws:iam::111122223333:policy/readonly", Name: "readonly",
		Text: allow("iam:List*", "*"), Managed: true}
	e := New(dir, nil)
	p := caller.Principal{Kind: caller.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/ops/s", ID: "AROAOPS:s",
		Session: &caller.Session{RoleARN: "arn:aws:iam::111122223333:role/ops", Name: "s", PolicyARNs: []string{"arn:aws:iam::111122223333:policy/readonly"}}}
	op := operation(t, apiiam.Service(nil), "ListUsers")
	if err := e.Authorize(context.Background(), request(p), op, &apiiam.ListUsersInput{}); err != nil {
		t.Fatal(err)
	}
	dir.mu.Lock()
	delete(dir.managed, "arn:aws:iam::111122223333:policy/readonly")
	dir.mu.Unlock()
	denial(t, e.Authorize(context.Background(), request(p), op, &apiiam.ListUsersInput{}), "AccessDenied")
}

func TestTrustPolicyNamesThePrincipalOfItsTime(t *testing.T) {
	dir := newFakeDirectory()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/bob"]},"Action":"sts:AssumeRole"}]}`
	dir.setRole("BobRole", trust)
	dir.setUser("bob", "/", nil, "")
	saved := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	setTimes := func(userCreated time.Time) {
		dir.mu.Lock()
		defer dir.mu.Unlock()
		r := dir.roles[acct+"/BobRole"]
		r.TrustSaved = saved
		dir.roles[acct+"/BobRole"] = r
		u := dir.users[acct+"/bob"]
		u.Created = userCreated
		dir.users[acct+"/bob"] = u
		dir.gen++
	}
	e := New(dir, nil)
	op := operation(t, apists.Service(nil), "AssumeRole")
	in := &apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/BobRole"), RoleSessionName: ptr.Of("s")}
	setTimes(saved.Add(-time.Hour)) // bob existed when the trust policy was written
	if err := e.Authorize(context.Background(), request(user("bob")), op, in); err != nil {
		t.Fatal(err)
	}
	setTimes(saved.Add(time.Hour)) // this bob was created afterwards: another user of that name
	denial(t, e.Authorize(context.Background(), request(user("bob")), op, in), "AccessDenied")
}

func TestMultiFactorAuthAge(t *testing.T) {
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*",
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`)
	e := New(dir, nil)
	op := operation(t, apicloudtrail.Service(nil), "LookupEvents")
	req := request(user("alice"))
	tests := []struct {
		name    string
		session *caller.Session
		allowed bool
	}{
		{"long-term keys carry no MFA", nil, false},
		{"a session without MFA", &caller.Session{UserARN: req.Principal.ARN, MFA: false}, false},
		{"MFA ten minutes ago", &caller.Session{UserARN: req.Principal.ARN, MFA: true, MFATime: req.Time.Add(-10 * time.Minute)}, true},
		{"MFA two hours ago", &caller.Session{UserARN: req.Principal.ARN, MFA: true, MFATime: req.Time.Add(-2 * time.Hour)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := *req
			r.Principal.Session = tc.session
			err := e.Authorize(context.Background(), &r, op, &apicloudtrail.LookupEventsInput{})
			if tc.allowed != (err == nil) {
				t.Fatalf("allowed=%v, err=%v", tc.allowed, err)
			}
			if err != nil {
				denial(t, err, "AccessDeniedException") // denied by the policy, not by a session rule
			}
		})
	}
}
