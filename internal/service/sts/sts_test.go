package sts_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	stssvc "github.com/bulwarkhq/bulwark/internal/service/sts"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

const (
	acct    = "123456789012"
	rootARN = "arn:aws:iam::123456789012:root"
	trust   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	allow   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
)

// epoch is the fixed time of every test's clock.
var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

type fixture struct {
	t      *testing.T
	dom    *domain.Service
	svc    *stssvc.Service
	tokens *sessiontoken.Sealer
	now    time.Time
	user   caller.Principal
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, now: epoch}
	clock := func() time.Time { return f.now }
	f.dom = domain.New(memory.New(), clock, nil)
	var err error
	f.tokens, err = sessiontoken.NewSealer(bytes.Repeat([]byte{7}, sessiontoken.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = stssvc.New(f.dom, f.tokens, clock)
	ctx := context.Background()
	for _, r := range []domain.CreateRoleInput{
		{RoleName: "app", AssumeRolePolicyDocument: trust},
		{RoleName: "long", Path: "/svc/", AssumeRolePolicyDocument: trust, MaxSessionDuration: 43200},
	} {
		if _, err := f.dom.CreateRole(ctx, acct, r); err != nil {
			t.Fatal(err)
		}
	}
	u, err := f.dom.CreateUser(ctx, acct, domain.CreateUserInput{UserName: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	f.user = caller.Principal{Kind: caller.IAMUser, Account: acct, ARN: u.ARN, ID: u.UserID, UserName: "alice",
		AccessKeyID: "AKIAEXAMPLEEXAMPLE00"}
	return f
}

func as(p caller.Principal) context.Context {
	return caller.NewContext(context.Background(), &caller.Request{Principal: p, Region: "eu-west-1"})
}

func (f *fixture) userCtx() context.Context { return as(f.user) }

func rootCtx() context.Context {
	return as(caller.Principal{Kind: caller.Root, Account: acct, ARN: rootARN, ID: acct, AccessKeyID: "AKIAROOTEXAMPLE00000"})
}

// open opens issued credentials as the SigV4 credential store does.
func (f *fixture) open(c *api.Credentials) caller.Principal {
	f.t.Helper()
	claims, err := f.tokens.Open(ptr.Value(c.AccessKeyId), ptr.Value(c.SessionToken))
	if err != nil {
		f.t.Fatalf("open the issued token: %v", err)
	}
	if claims.Secret != ptr.Value(c.SecretAccessKey) {
		f.t.Fatal("the token carries another secret")
	}
	if !claims.Principal.Session.Expires.Equal(*c.Expiration) {
		f.t.Fatalf("token expiry %v, credentials expiry %v", claims.Principal.Session.Expires, *c.Expiration)
	}
	return claims.Principal
}

func roleARN(name string) *string { return ptr.Of("arn:aws:iam::" + acct + ":role/" + name) }

func (f *fixture) assume(ctx context.Context, in *api.AssumeRoleInput) caller.Principal {
	f.t.Helper()
	out, err := f.svc.AssumeRole(ctx, in)
	if err != nil {
		f.t.Fatalf("AssumeRole: %v", err)
	}
	return f.open(out.Credentials)
}

func wantErr(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if ae.Code != code || (msg != "" && !strings.Contains(ae.Message, msg)) {
		t.Fatalf("error = %s %q (status %d), want %s %q", ae.Code, ae.Message, ae.Status, code, msg)
	}
}

func TestAssumeRole(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.AssumeRole(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("svc/long"), RoleSessionName: ptr.Of("s1"),
		DurationSeconds: ptr.Of(int32(7200)), Policy: ptr.Of(allow), ExternalId: ptr.Of("ext-123"),
		PolicyArns:        []api.PolicyArn{{Arn: ptr.Of("arn:aws:iam::aws:policy/ReadOnlyAccess")}},
		Tags:              []api.Tag{{Key: ptr.Of("Project"), Value: ptr.Of("blue")}, {Key: ptr.Of("cost"), Value: ptr.Of("")}},
		TransitiveTagKeys: []string{"project"}, SourceIdentity: ptr.Of("alice@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	role, _ := f.dom.GetRole(context.Background(), acct, "long")
	wantARN := "arn:aws:sts::" + acct + ":assumed-role/long/s1"
	if ptr.Value(out.AssumedRoleUser.Arn) != wantARN || ptr.Value(out.AssumedRoleUser.AssumedRoleId) != role.RoleID+":s1" {
		t.Fatalf("AssumedRoleUser = %+v", out.AssumedRoleUser)
	}
	if ptr.Value(out.SourceIdentity) != "alice@example.com" || out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 || *out.PackedPolicySize > 100 {
		t.Fatalf("SourceIdentity %v PackedPolicySize %v", out.SourceIdentity, out.PackedPolicySize)
	}
	c := out.Credentials
	if id := ptr.Value(c.AccessKeyId); !strings.HasPrefix(id, "ASIA") || len(id) != 20 || len(ptr.Value(c.SecretAccessKey)) != 40 {
		t.Fatalf("credentials %s", id)
	}
	if acctOf, ok := sessiontoken.AccountOf(ptr.Value(c.AccessKeyId)); !ok || acctOf != acct {
		t.Fatalf("the key ID encodes account %s", acctOf)
	}
	if !c.Expiration.Equal(epoch.Add(2 * time.Hour)) {
		t.Fatalf("Expiration = %v", c.Expiration)
	}
	p := f.open(c)
	s := p.Session
	if p.Kind != caller.AssumedRole || p.ARN != wantARN || p.ID != role.RoleID+":s1" || p.Account != acct ||
		p.AccessKeyID != ptr.Value(c.AccessKeyId) || p.UserName != "" {
		t.Fatalf("principal = %+v", p)
	}
	if s.RoleARN != role.ARN || s.RoleID != role.RoleID || s.Name != "s1" || s.UserARN != "" || len(s.Policies) != 1 ||
		s.Policies[0] != allow || len(s.PolicyARNs) != 1 || s.Tags["Project"] != "blue" || len(s.Tags) != 2 ||
		len(s.TransitiveTagKeys) != 1 || s.TransitiveTagKeys[0] != "Project" || s.SourceIdentity != "alice@example.com" ||
		s.MFA || !s.IssuedAt.Equal(epoch) || !s.Expires.Equal(epoch.Add(2*time.Hour)) || s.Chained {
		t.Fatalf("session = %+v", s)
	}
	got, _ := f.dom.GetRole(context.Background(), acct, "long")
	if got.RoleLastUsed == nil || got.RoleLastUsed.Region != "eu-west-1" {
		t.Fatalf("RoleLastUsed = %+v", got.RoleLastUsed)
	}

	// Defaults: one hour, no packed size, no source identity.
	out, err = f.svc.AssumeRole(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("s2")})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Credentials.Expiration.Equal(epoch.Add(time.Hour)) || out.PackedPolicySize != nil || out.SourceIdentity != nil {
		t.Fatalf("default AssumeRole = %+v %+v", out, out.Credentials)
	}
}

func TestAssumeRoleRejects(t *testing.T) {
	f := newFixture(t)
	long := func(n int) *string { return ptr.Of(strings.Repeat("a", n)) }
	base := func(mod func(in *api.AssumeRoleInput)) *api.AssumeRoleInput {
		in := &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("s")}
		in.RoleSessionName = ptr.Of("session")
		mod(in)
		return in
	}
	manyARNs := make([]api.PolicyArn, 11)
	for i := range manyARNs {
		manyARNs[i] = api.PolicyArn{Arn: ptr.Of("arn:aws:iam::aws:policy/ReadOnlyAccess")}
	}
	manyTags := make([]api.Tag, 51)
	for i := range manyTags {
		manyTags[i] = api.Tag{Key: ptr.Of(strings.Repeat("k", i+1)), Value: ptr.Of("v")}
	}
	bigARNs := make([]api.PolicyArn, 10)
	for i := range bigARNs {
		bigARNs[i] = api.PolicyArn{Arn: ptr.Of("arn:aws:iam::" + acct + ":policy/" + strings.Repeat("p", 200))}
	}
	bigTags := make([]api.Tag, 20)
	for i := range bigTags {
		bigTags[i] = api.Tag{Key: ptr.Of(strings.Repeat("k", 100) + string(rune('a'+i))), Value: ptr.Of(strings.Repeat("v", 200))}
	}
	cases := []struct {
		name      string
		ctx       context.Context
		in        *api.AssumeRoleInput
		code, msg string
	}{
		{"session name too short", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleSessionName = ptr.Of("s") }),
			"ValidationError", "1 validation error detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session name too long", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleSessionName = long(65) }),
			"ValidationError", "Member must have length less than or equal to 64"},
		{"session name characters", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleSessionName = ptr.Of("a b") }),
			"ValidationError", `Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"duration under 900", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.DurationSeconds = ptr.Of(int32(899)) }),
			"ValidationError", "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration over the model", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.DurationSeconds = ptr.Of(int32(43201)) }),
			"ValidationError", "Member must have value less than or equal to 43200"},
		{"duration over MaxSessionDuration", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.DurationSeconds = ptr.Of(int32(3601)) }),
			"ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"root", rootCtx(), base(func(*api.AssumeRoleInput) {}), "AccessDenied", "Roles may not be assumed by root accounts."},
		{"no such role", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleArn = roleARN("nope") }),
			"AccessDenied", "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nope"},
		{"wrong path", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleArn = roleARN("long") }), "AccessDenied", "sts:AssumeRole"},
		{"not a role ARN", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleArn = ptr.Of("arn:aws:iam::123456789012:user/alice") }),
			"ValidationError", "Request ARN is invalid"},
		{"not an ARN", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.RoleArn = ptr.Of("role/app-something-long") }),
			"ValidationError", "Request ARN is invalid"},
		{"malformed policy", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.Policy = ptr.Of(`{"Version":"2012-10-17"`) }),
			"MalformedPolicyDocument", ""},
		{"policy over 2048", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.Policy = ptr.Of(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 2100) + `"}]}`)
		}), "ValidationError", "Member must have length less than or equal to 2048"},
		{"eleven policy ARNs", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.PolicyArns = manyARNs }),
			"ValidationError", "at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"},
		{"bad policy ARN", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.PolicyArns = []api.PolicyArn{{Arn: ptr.Of("arn:aws:iam::123456789012:role/app")}}
		}), "InvalidParameterValue", ""},
		{"packed policy too large", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.PolicyArns = bigARNs }),
			"PackedPolicyTooLarge", "Packed policy consumes"},
		{"packed tags too large", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.Tags = bigTags }),
			"PackedPolicyTooLarge", "Packed size of session tags consumes"},
		{"51 tags", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.Tags = manyTags }),
			"ValidationError", "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"tag key too long", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.Tags = []api.Tag{{Key: long(129), Value: ptr.Of("v")}}
		}), "ValidationError", "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"duplicate tag keys", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.Tags = []api.Tag{{Key: ptr.Of("a"), Value: ptr.Of("1")}, {Key: ptr.Of("A"), Value: ptr.Of("2")}}
		}), "InvalidParameterValue", "Duplicate tag keys found"},
		{"transitive key not a tag", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.Tags = []api.Tag{{Key: ptr.Of("a"), Value: ptr.Of("1")}}
			in.TransitiveTagKeys = []string{"b"}
		}), "InvalidParameterValue", ""},
		{"source identity prefix", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.SourceIdentity = ptr.Of("aws:me") }),
			"ValidationError", "aws:"},
		{"source identity characters", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.SourceIdentity = ptr.Of("a b") }),
			"ValidationError", "'sourceIdentity'"},
		{"external ID too short", f.userCtx(), base(func(in *api.AssumeRoleInput) { in.ExternalId = ptr.Of("x") }),
			"ValidationError", "'externalId'"},
		{"token code format", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.SerialNumber, in.TokenCode = ptr.Of("arn:aws:iam::123456789012:mfa/alice"), ptr.Of("12a456")
		}), "ValidationError", "'tokenCode'"},
		{"unknown MFA device", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.SerialNumber, in.TokenCode = ptr.Of("arn:aws:iam::123456789012:mfa/alice"), ptr.Of("123456")
		}), "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code."},
		{"two errors", f.userCtx(), base(func(in *api.AssumeRoleInput) {
			in.RoleSessionName, in.DurationSeconds = ptr.Of("x"), ptr.Of(int32(1))
		}), "ValidationError", "2 validation errors detected: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.AssumeRole(tc.ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

func TestRoleChaining(t *testing.T) {
	f := newFixture(t)
	first := f.assume(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("svc/long"), RoleSessionName: ptr.Of("first"),
		DurationSeconds: ptr.Of(int32(43200)), SourceIdentity: ptr.Of("alice"),
		Tags:              []api.Tag{{Key: ptr.Of("Team"), Value: ptr.Of("red")}, {Key: ptr.Of("Local"), Value: ptr.Of("x")}},
		TransitiveTagKeys: []string{"Team"}})
	if first.Session.Chained {
		t.Fatal("a user's role session is marked chained")
	}
	ctx := as(first)

	// Chained sessions are capped at an hour, even when the role allows more.
	_, err := f.svc.AssumeRole(ctx, &api.AssumeRoleInput{RoleArn: roleARN("svc/long"), RoleSessionName: ptr.Of("cc"),
		DurationSeconds: ptr.Of(int32(3601))})
	wantErr(t, err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	// The source identity cannot change; inherited transitive tags cannot be overridden.
	_, err = f.svc.AssumeRole(ctx, &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("cc"), SourceIdentity: ptr.Of("bob")})
	wantErr(t, err, "AccessDenied", "source identity")
	_, err = f.svc.AssumeRole(ctx, &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("cc"),
		Tags: []api.Tag{{Key: ptr.Of("team"), Value: ptr.Of("blue")}}})
	wantErr(t, err, "InvalidParameterValue", "transitive")
	// A role session has no MFA device.
	_, err = f.svc.AssumeRole(ctx, &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("cc"),
		SerialNumber: ptr.Of("arn:aws:iam::123456789012:mfa/alice"), TokenCode: ptr.Of("123456")})
	wantErr(t, err, "AccessDenied", "MultiFactorAuthentication failed")

	second := f.assume(ctx, &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("second"),
		SourceIdentity: ptr.Of("alice"), Tags: []api.Tag{{Key: ptr.Of("Env"), Value: ptr.Of("prod")}}})
	s := second.Session
	if !s.Chained || s.SourceIdentity != "alice" || s.Tags["Team"] != "red" || s.Tags["Env"] != "prod" || len(s.Tags) != 2 ||
		len(s.TransitiveTagKeys) != 1 || s.TransitiveTagKeys[0] != "Team" || !s.Expires.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("chained session = %+v", s)
	}
	if second.ARN != "arn:aws:sts::"+acct+":assumed-role/app/second" {
		t.Fatalf("chained ARN = %s", second.ARN)
	}
	// Exactly an hour is allowed.
	f.assume(ctx, &api.AssumeRoleInput{RoleArn: roleARN("svc/long"), RoleSessionName: ptr.Of("third"), DurationSeconds: ptr.Of(int32(3600))})

	// Federated users cannot assume roles.
	fed, err := f.svc.GetFederationToken(f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("bob"), Policy: ptr.Of(allow)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AssumeRole(as(f.open(fed.Credentials)), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("cc")})
	wantErr(t, err, "AccessDenied", "not authorized")
}

// enableMFA gives alice an enabled virtual MFA device and returns its serial and seed.
func (f *fixture) enableMFA() (string, []byte) {
	f.t.Helper()
	ctx := context.Background()
	dev, err := f.dom.CreateVirtualMFADevice(ctx, acct, domain.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "alice"})
	if err != nil {
		f.t.Fatal(err)
	}
	seed, err := totp.DecodeBase32(string(dev.Base32StringSeed))
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.dom.EnableMFADevice(ctx, acct, "alice", dev.SerialNumber,
		totp.Generate(seed, f.now.Add(-totp.Period)), totp.Generate(seed, f.now)); err != nil {
		f.t.Fatal(err)
	}
	return dev.SerialNumber, seed
}

func TestMFASessions(t *testing.T) {
	f := newFixture(t)
	serial, seed := f.enableMFA()
	f.now = f.now.Add(2 * totp.Period)
	code := totp.Generate(seed, f.now)

	out, err := f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{SerialNumber: ptr.Of(serial), TokenCode: ptr.Of("000000")})
	if code == "000000" {
		t.Skip("the code happens to be 000000")
	}
	wantErr(t, err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	out, err = f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{SerialNumber: ptr.Of(serial), TokenCode: ptr.Of(code)})
	if err != nil {
		t.Fatal(err)
	}
	p := f.open(out.Credentials)
	if !p.Session.MFA || !p.Session.MFATime.Equal(f.now) {
		t.Fatalf("session = %+v", p.Session)
	}
	// The code is spent.
	_, err = f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{SerialNumber: ptr.Of(serial), TokenCode: ptr.Of(code)})
	wantErr(t, err, "AccessDenied", "invalid MFA one time pass code")

	// A role assumed with the MFA session keeps the MFA facts; one assumed with its own code
	// gets fresh ones.
	r := f.assume(as(p), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("mm")})
	if !r.Session.MFA || !r.Session.MFATime.Equal(p.Session.MFATime) || r.Session.Chained {
		t.Fatalf("role session from an MFA session = %+v", r.Session)
	}
	f.now = f.now.Add(totp.Period)
	r = f.assume(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("m2"),
		SerialNumber: ptr.Of(serial), TokenCode: ptr.Of(totp.Generate(seed, f.now))})
	if !r.Session.MFA || !r.Session.MFATime.Equal(f.now) {
		t.Fatalf("role session with MFA = %+v", r.Session)
	}
	r = f.assume(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("m3")})
	if r.Session.MFA {
		t.Fatal("a role session without MFA has MFA")
	}
	// Someone else's device does not do.
	bob, _ := f.dom.CreateUser(context.Background(), acct, domain.CreateUserInput{UserName: "bob"})
	bobP := caller.Principal{Kind: caller.IAMUser, Account: acct, ARN: bob.ARN, ID: bob.UserID, UserName: "bob"}
	f.now = f.now.Add(totp.Period)
	_, err = f.svc.GetSessionToken(as(bobP), &api.GetSessionTokenInput{SerialNumber: ptr.Of(serial), TokenCode: ptr.Of(totp.Generate(seed, f.now))})
	wantErr(t, err, "AccessDenied", "unable to validate MFA code")
}

func TestGetSessionToken(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	p := f.open(out.Credentials)
	if p.Kind != caller.IAMUser || p.ARN != f.user.ARN || p.ID != f.user.ID || p.UserName != "alice" ||
		p.Session.UserARN != f.user.ARN || p.Session.MFA || !p.Session.Expires.Equal(epoch.Add(12*time.Hour)) {
		t.Fatalf("GetSessionToken principal = %+v %+v", p, p.Session)
	}
	out, err = f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{DurationSeconds: ptr.Of(int32(129600))})
	if err != nil || !out.Credentials.Expiration.Equal(epoch.Add(36*time.Hour)) {
		t.Fatalf("36-hour session: %v %v", out, err)
	}
	// The root user's sessions are shortened to an hour.
	out, err = f.svc.GetSessionToken(rootCtx(), &api.GetSessionTokenInput{DurationSeconds: ptr.Of(int32(7200))})
	if err != nil {
		t.Fatal(err)
	}
	rp := f.open(out.Credentials)
	if rp.Kind != caller.Root || rp.ARN != rootARN || !rp.Session.Expires.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("root session = %+v %+v", rp, rp.Session)
	}

	cases := []struct {
		name      string
		ctx       context.Context
		in        *api.GetSessionTokenInput
		code, msg string
	}{
		{"too short", f.userCtx(), &api.GetSessionTokenInput{DurationSeconds: ptr.Of(int32(899))}, "ValidationError", "greater than or equal to 900"},
		{"too long", f.userCtx(), &api.GetSessionTokenInput{DurationSeconds: ptr.Of(int32(129601))}, "ValidationError", "less than or equal to 129600"},
		{"session credentials", as(p), &api.GetSessionTokenInput{}, "AccessDenied", "Cannot call GetSessionToken with session credentials"},
		{"serial without code", f.userCtx(), &api.GetSessionTokenInput{SerialNumber: ptr.Of("arn:aws:iam::123456789012:mfa/alice")}, "AccessDenied", "MultiFactorAuthentication failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.GetSessionToken(tc.ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
	role := f.assume(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("ss")})
	_, err = f.svc.GetSessionToken(as(role), &api.GetSessionTokenInput{})
	wantErr(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")
}

func TestGetFederationToken(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.GetFederationToken(f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("bob@example"), Policy: ptr.Of(allow),
		Tags: []api.Tag{{Key: ptr.Of("k"), Value: ptr.Of("v")}}})
	if err != nil {
		t.Fatal(err)
	}
	wantARN := "arn:aws:sts::" + acct + ":federated-user/bob@example"
	if ptr.Value(out.FederatedUser.Arn) != wantARN || ptr.Value(out.FederatedUser.FederatedUserId) != acct+":bob@example" ||
		out.PackedPolicySize == nil {
		t.Fatalf("GetFederationToken = %+v", out)
	}
	p := f.open(out.Credentials)
	if p.Kind != caller.FederatedUser || p.ARN != wantARN || p.ID != acct+":bob@example" || p.Session.Name != "bob@example" ||
		p.Session.UserARN != f.user.ARN || len(p.Session.Policies) != 1 || p.Session.Tags["k"] != "v" ||
		!p.Session.Expires.Equal(epoch.Add(12*time.Hour)) {
		t.Fatalf("federated principal = %+v %+v", p, p.Session)
	}
	// Root: an hour at most.
	out, err = f.svc.GetFederationToken(rootCtx(), &api.GetFederationTokenInput{Name: ptr.Of("ops"), DurationSeconds: ptr.Of(int32(129600))})
	if err != nil || !out.Credentials.Expiration.Equal(epoch.Add(time.Hour)) || out.PackedPolicySize != nil {
		t.Fatalf("root federation: %+v %v", out, err)
	}
	cases := []struct {
		name      string
		ctx       context.Context
		in        *api.GetFederationTokenInput
		code, msg string
	}{
		{"name too short", f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("b")}, "ValidationError", "'name' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"name too long", f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of(strings.Repeat("b", 33))}, "ValidationError", "less than or equal to 32"},
		{"name characters", f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("b/c")}, "ValidationError", "regular expression"},
		{"duration", f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("bob"), DurationSeconds: ptr.Of(int32(129601))}, "ValidationError", "129600"},
		{"session credentials", as(p), &api.GetFederationTokenInput{Name: ptr.Of("bob")}, "AccessDenied", "Cannot call GetFederationToken with session credentials"},
		{"malformed policy", f.userCtx(), &api.GetFederationTokenInput{Name: ptr.Of("bob"), Policy: ptr.Of("{")}, "MalformedPolicyDocument", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.GetFederationToken(tc.ctx, tc.in)
			wantErr(t, err, tc.code, tc.msg)
		})
	}
}

func TestGetAccessKeyInfo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	key, err := f.dom.CreateAccessKey(ctx, acct, "alice")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.svc.GetSessionToken(f.userCtx(), &api.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{key.AccessKeyID, ptr.Value(sess.Credentials.AccessKeyId), "ASIAY34FZKBOKMUTVV7A"} {
		out, err := f.svc.GetAccessKeyInfo(f.userCtx(), &api.GetAccessKeyInfoInput{AccessKeyId: ptr.Of(id)})
		want := acct
		if id == "ASIAY34FZKBOKMUTVV7A" {
			want = "609629065308"
		}
		if err != nil || ptr.Value(out.Account) != want {
			t.Fatalf("GetAccessKeyInfo(%s) = %v, %v", id, out, err)
		}
	}
	_, err = f.svc.GetAccessKeyInfo(f.userCtx(), &api.GetAccessKeyInfoInput{AccessKeyId: ptr.Of("AKIAUNKNOWNEXAMPLE00")})
	wantErr(t, err, "InvalidParameterValue", "does not exist")
	_, err = f.svc.GetAccessKeyInfo(f.userCtx(), &api.GetAccessKeyInfoInput{AccessKeyId: ptr.Of("AKIA-bad")})
	wantErr(t, err, "ValidationError", "'accessKeyId'")
}

func TestGetCallerIdentityOfSessions(t *testing.T) {
	f := newFixture(t)
	p := f.assume(f.userCtx(), &api.AssumeRoleInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("who")})
	out, err := f.svc.GetCallerIdentity(as(p), &api.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if ptr.Value(out.Arn) != "arn:aws:sts::"+acct+":assumed-role/app/who" || !strings.HasPrefix(ptr.Value(out.UserId), "AROA") ||
		!strings.HasSuffix(ptr.Value(out.UserId), ":who") || ptr.Value(out.Account) != acct {
		t.Fatalf("GetCallerIdentity = %+v", out)
	}
}
