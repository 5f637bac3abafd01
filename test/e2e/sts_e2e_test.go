package e2e

// STS temporary credentials with aws-sdk-go-v2 against an in-process server. Helpers here
// start with "stsx". The tests give the calling user an identity policy allowing sts:* and
// each role a trust policy naming its caller, both created with the IAM API, so that they
// hold whether or not identity policies are enforced.

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

// stsxClock is a server clock that runs offset from the real one, so that a test can move the
// server forward (and back) in time while the SDK keeps signing with the real time.
type stsxClock struct{ offset atomic.Int64 }

func (c *stsxClock) now() time.Time           { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *stsxClock) set(offset time.Duration) { c.offset.Store(int64(offset)) }

// stsxStart runs a server on the clock, as startServer does.
func stsxStart(t *testing.T, clock *stsxClock) *app.Server {
	t.Helper()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Region: "us-east-1", Dev: true}
	s, err := app.Start(context.Background(), cfg, io.Discard, app.WithClock(clock.now))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

func stsxTrust(principalARN string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + principalARN +
		`"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`
}

// stsxWorld is an account with a user "dev" allowed sts:*, a role "deployer" (7,200 s) that
// dev may assume and that may call sts:*, and a role "target" (43,200 s) that deployer may
// assume.
type stsxWorld struct {
	s         *app.Server
	root, dev clients
	devKey    string
	devARN    string
	deployer  string
	target    string
}

func stsxSetup(t *testing.T, s *app.Server) *stsxWorld {
	t.Helper()
	ctx := context.Background()
	root := rootClients(s)
	w := &stsxWorld{s: s, root: root}
	u := must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev")}))(t).User
	w.devARN = aws.ToString(u.Arn)
	must(root.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("sts"),
		PolicyDocument: aws.String(iamxPolicy("sts:*"))}))(t)
	key := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dev")}))(t).AccessKey
	w.devKey = aws.ToString(key.AccessKeyId)
	w.dev = newClients(s.URL, w.devKey, aws.ToString(key.SecretAccessKey))

	r := must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deployer"),
		AssumeRolePolicyDocument: aws.String(stsxTrust(w.devARN)), MaxSessionDuration: aws.Int32(7200)}))(t).Role
	w.deployer = aws.ToString(r.Arn)
	must(root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("deployer"), PolicyName: aws.String("sts"),
		PolicyDocument: aws.String(iamxPolicy("sts:*"))}))(t)
	r = must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("target"),
		AssumeRolePolicyDocument: aws.String(stsxTrust(w.deployer)), MaxSessionDuration: aws.Int32(43200)}))(t).Role
	w.target = aws.ToString(r.Arn)
	return w
}

// as returns clients signed with temporary credentials.
func (w *stsxWorld) as(c *ststypes.Credentials) clients {
	cfg := awsConfig(w.s.URL, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	return clients{iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg)}
}

func (w *stsxWorld) assume(t *testing.T, c clients, role, session string, d int32) *sts.AssumeRoleOutput {
	t.Helper()
	in := &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String(session)}
	if d != 0 {
		in.DurationSeconds = aws.Int32(d)
	}
	return must(c.sts.AssumeRole(context.Background(), in))(t)
}

func TestSTSAssumeRoleCredentialsWork(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()

	out := w.assume(t, w.dev, w.deployer, "ci-run", 0)
	c := out.Credentials
	if id := aws.ToString(c.AccessKeyId); !strings.HasPrefix(id, "ASIA") || len(id) != 20 {
		t.Fatalf("AccessKeyId = %s", id)
	}
	iamxEq(t, "secret length", len(aws.ToString(c.SecretAccessKey)), 40)
	if c.Expiration == nil || c.Expiration.Sub(time.Now()) < 59*time.Minute || c.Expiration.Sub(time.Now()) > 61*time.Minute {
		t.Fatalf("Expiration = %v, want an hour from now", c.Expiration)
	}
	wantARN := "arn:aws:sts::" + iamxAccount + ":assumed-role/deployer/ci-run"
	iamxEq(t, "AssumedRoleUser.Arn", aws.ToString(out.AssumedRoleUser.Arn), wantARN)
	roleID := aws.ToString(must(w.root.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")}))(t).Role.RoleId)
	iamxEq(t, "AssumedRoleId", aws.ToString(out.AssumedRoleUser.AssumedRoleId), roleID+":ci-run")

	// GetCallerIdentity with the temporary credentials names the session.
	id := must(w.as(c).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "caller Arn", aws.ToString(id.Arn), wantARN)
	iamxEq(t, "caller UserId", aws.ToString(id.UserId), roleID+":ci-run")
	iamxEq(t, "caller Account", aws.ToString(id.Account), iamxAccount)

	// The role remembers its use.
	got := must(w.root.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deployer")}))(t).Role
	if got.RoleLastUsed == nil || got.RoleLastUsed.LastUsedDate == nil {
		t.Fatalf("RoleLastUsed = %+v", got.RoleLastUsed)
	}

	// GetAccessKeyInfo knows both kinds of key.
	info := must(w.dev.sts.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: c.AccessKeyId}))(t)
	iamxEq(t, "account of the ASIA key", aws.ToString(info.Account), iamxAccount)
	info = must(w.dev.sts.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: aws.String(w.devKey)}))(t)
	iamxEq(t, "account of the AKIA key", aws.ToString(info.Account), iamxAccount)

	// The secret access key stays out of the audit trail (the session token is recorded, as
	// CloudTrail records it; it is sealed and useless without the secret).
	events := must(w.root.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
		{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("AssumeRole")}}}))(t).Events
	if len(events) != 1 {
		t.Fatalf("AssumeRole events = %d, want 1", len(events))
	}
	js := aws.ToString(events[0].CloudTrailEvent)
	if strings.Contains(js, aws.ToString(c.SecretAccessKey)) || !strings.Contains(js, aws.ToString(c.AccessKeyId)) {
		t.Fatalf("AssumeRole event: %s", js)
	}
	// Calls made with the session are filed under the session.
	events = must(w.root.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
		{AttributeKey: cttypes.LookupAttributeKeyAccessKeyId, AttributeValue: c.AccessKeyId}}}))(t).Events
	if len(events) == 0 || !strings.Contains(aws.ToString(events[0].CloudTrailEvent), wantARN) {
		t.Fatalf("events of the session key = %+v", events)
	}
}

func TestSTSAlteredOrForeignTokenIsRejected(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()
	c := w.assume(t, w.dev, w.deployer, "victim", 0).Credentials
	other := w.assume(t, w.dev, w.deployer, "other", 0).Credentials

	raw, err := base64.StdEncoding.DecodeString(aws.ToString(c.SessionToken))
	iamxOK(t, err)
	raw[len(raw)/2] ^= 0x20
	altered := base64.StdEncoding.EncodeToString(raw)

	cases := map[string]*ststypes.Credentials{
		"altered token":              {AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: aws.String(altered)},
		"another session's token":    {AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: other.SessionToken},
		"no token":                   {AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: aws.String("")},
		"forged token":               {AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: aws.String(base64.StdEncoding.EncodeToString([]byte("\x01\x00\x00\x00\x01forged-forged-forged-forged")))},
		"long-term key with a token": {AccessKeyId: aws.String(w.devKey), SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken},
	}
	for name, creds := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := w.as(creds).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			wantCode(t, err, "InvalidClientTokenId")
			if !strings.Contains(err.Error(), "The security token included in the request is invalid") {
				t.Fatalf("message = %v", err)
			}
		})
	}
	// The right secret is still needed.
	_, err = w.as(&ststypes.Credentials{AccessKeyId: c.AccessKeyId, SecretAccessKey: other.SecretAccessKey, SessionToken: c.SessionToken}).
		sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "SignatureDoesNotMatch")
}

func TestSTSExpiredSessionGetsExpiredToken(t *testing.T) {
	clock := &stsxClock{}
	s := stsxStart(t, clock)
	w := stsxSetup(t, s)
	ctx := context.Background()

	// Issue a 15-minute session while the server runs ten minutes behind, so that it ends five
	// minutes from the real now; then move the server six minutes ahead. The SDK signs with
	// the real time, which stays within the 15-minute signing window throughout.
	clock.set(-10 * time.Minute)
	c := w.assume(t, w.dev, w.deployer, "short", 900).Credentials
	fed := must(w.dev.sts.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed"),
		Policy: aws.String(iamxPolicy("sts:GetCallerIdentity")), DurationSeconds: aws.Int32(900)}))(t).Credentials
	must(w.as(c).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)

	clock.set(6 * time.Minute)
	for name, creds := range map[string]*ststypes.Credentials{"role session": c, "federated session": fed} {
		_, err := w.as(creds).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, err, "ExpiredToken")
		if !strings.Contains(err.Error(), "The security token included in the request is expired") {
			t.Fatalf("%s: message = %v", name, err)
		}
	}
	// An altered expired token is invalid, not expired: nothing in it can be trusted.
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(c.SessionToken))
	iamxOK(t, err)
	raw[len(raw)-1] ^= 1
	bad := *c
	bad.SessionToken = aws.String(base64.StdEncoding.EncodeToString(raw))
	_, err = w.as(&bad).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, err, "InvalidClientTokenId")
}

func TestSTSDurationsAndChaining(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()

	_, err := w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("x"),
		DurationSeconds: aws.Int32(900)})
	wantCode(t, err, "ValidationError") // session name too short
	_, err = w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("long"),
		DurationSeconds: aws.Int32(7201)})
	wantCode(t, err, "ValidationError")
	if !strings.Contains(err.Error(), "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.") {
		t.Fatalf("message = %v", err)
	}
	_, err = w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("short"),
		DurationSeconds: aws.Int32(899)})
	wantCode(t, err, "ValidationError")
	_, err = w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + iamxAccount + ":role/nope"),
		RoleSessionName: aws.String("nope")})
	wantCode(t, err, "AccessDenied")
	_, err = w.root.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("root")})
	wantCode(t, err, "AccessDenied")
	if !strings.Contains(err.Error(), "Roles may not be assumed by root accounts.") {
		t.Fatalf("message = %v", err)
	}

	first := w.assume(t, w.dev, w.deployer, "first", 7200)
	iamxEq(t, "two-hour session", first.Credentials.Expiration.Sub(time.Now()).Round(time.Minute), 2*time.Hour)
	session := w.as(first.Credentials)

	// Role chaining: at most an hour, even though the target role allows twelve.
	_, err = session.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.target), RoleSessionName: aws.String("second"),
		DurationSeconds: aws.Int32(3601)})
	wantCode(t, err, "ValidationError")
	if !strings.Contains(err.Error(), "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.") {
		t.Fatalf("message = %v", err)
	}
	second := w.assume(t, session, w.target, "second", 3600)
	id := must(w.as(second.Credentials).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "chained caller", aws.ToString(id.Arn), "arn:aws:sts::"+iamxAccount+":assumed-role/target/second")

	// Session credentials cannot get session or federation tokens.
	_, err = session.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantCode(t, err, "AccessDenied")
	_, err = session.sts.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("fed")})
	wantCode(t, err, "AccessDenied")
}

func TestSTSSourceIdentityAndTags(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()
	out := must(w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("tagged"),
		SourceIdentity: aws.String("dev@example.com"), ExternalId: aws.String("ext-0001"),
		Tags:              []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("red")}},
		TransitiveTagKeys: []string{"team"}, Policy: aws.String(iamxPolicy("sts:*"))}))(t)
	iamxEq(t, "SourceIdentity", aws.ToString(out.SourceIdentity), "dev@example.com")
	if out.PackedPolicySize == nil || *out.PackedPolicySize < 1 || *out.PackedPolicySize > 100 {
		t.Fatalf("PackedPolicySize = %v", out.PackedPolicySize)
	}
	// The chained session keeps the source identity and cannot change it.
	session := w.as(out.Credentials)
	_, err := session.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.target), RoleSessionName: aws.String("next"),
		SourceIdentity: aws.String("someone-else")})
	if err == nil {
		t.Fatal("a chained session changed its source identity")
	}
	next := must(session.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.target), RoleSessionName: aws.String("next")}))(t)
	iamxEq(t, "inherited SourceIdentity", aws.ToString(next.SourceIdentity), "dev@example.com")

	_, err = w.dev.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.deployer), RoleSessionName: aws.String("bad"),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}`)})
	wantCode(t, err, "MalformedPolicyDocument")
}

func TestSTSGetSessionTokenAndFederationToken(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()

	st := must(w.dev.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))(t).Credentials
	if d := st.Expiration.Sub(time.Now()); d < 11*time.Hour+59*time.Minute || d > 12*time.Hour+time.Minute {
		t.Fatalf("default session lasts %v, want 12h", d)
	}
	id := must(w.as(st).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "session user Arn", aws.ToString(id.Arn), w.devARN)
	_, err := w.dev.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
	wantCode(t, err, "ValidationError")

	// The root user's session is shortened to an hour.
	rs := must(w.root.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)}))(t).Credentials
	if d := rs.Expiration.Sub(time.Now()); d > time.Hour+time.Minute {
		t.Fatalf("root session lasts %v", d)
	}

	fed := must(w.dev.sts.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("contractor"),
		Policy: aws.String(iamxPolicy("sts:GetCallerIdentity")), DurationSeconds: aws.Int32(3600)}))(t)
	wantARN := "arn:aws:sts::" + iamxAccount + ":federated-user/contractor"
	iamxEq(t, "FederatedUser.Arn", aws.ToString(fed.FederatedUser.Arn), wantARN)
	iamxEq(t, "FederatedUserId", aws.ToString(fed.FederatedUser.FederatedUserId), iamxAccount+":contractor")
	id = must(w.as(fed.Credentials).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	iamxEq(t, "federated caller Arn", aws.ToString(id.Arn), wantARN)
	iamxEq(t, "federated caller UserId", aws.ToString(id.UserId), iamxAccount+":contractor")
	_, err = w.dev.sts.GetFederationToken(ctx, &sts.GetFederationTokenInput{Name: aws.String("x")})
	wantCode(t, err, "ValidationError")
}

func TestSTSSessionTokenWithMFA(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()
	dev := must(w.root.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("dev")}))(t).VirtualMFADevice
	seed, err := totp.DecodeBase32(string(dev.Base32StringSeed))
	iamxOK(t, err)
	c1, c2 := mfaCodes(seed)
	must(w.root.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("dev"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: c1, AuthenticationCode2: c2}))(t)

	// The current code was spent enabling the device; the next time step's is accepted once.
	next := aws.String(totp.Generate(seed, time.Now().Add(totp.Period)))
	out := must(w.dev.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: dev.SerialNumber, TokenCode: next}))(t)
	must(w.as(out.Credentials).sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	_, err = w.dev.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: dev.SerialNumber, TokenCode: next})
	wantCode(t, err, "AccessDenied")
	if !strings.Contains(err.Error(), "MultiFactorAuthentication failed with invalid MFA one time pass code.") {
		t.Fatalf("message = %v", err)
	}
}

func TestSTSPresignedGetCallerIdentityWithSessionToken(t *testing.T) {
	s := startServer(t)
	w := stsxSetup(t, s)
	ctx := context.Background()
	c := w.assume(t, w.dev, w.deployer, "presigned", 0).Credentials
	cfg := awsConfig(s.URL, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
	req := must(sts.NewPresignClient(sts.NewFromConfig(cfg)).PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if !strings.Contains(req.URL, "X-Amz-Security-Token=") {
		t.Fatalf("presigned URL carries no token: %s", req.URL)
	}
	get := func(u string) (int, string) {
		hr, err := http.NewRequest(req.Method, u, nil)
		iamxOK(t, err)
		for k, v := range req.SignedHeader {
			if !strings.EqualFold(k, "host") {
				hr.Header[k] = v
			}
		}
		resp, err := http.DefaultClient.Do(hr)
		iamxOK(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	code, body := get(req.URL)
	if code != http.StatusOK || !strings.Contains(body, "assumed-role/deployer/presigned") {
		t.Fatalf("presigned GetCallerIdentity: %d %s", code, body)
	}
	// The same URL with another session's token is refused.
	other := w.assume(t, w.dev, w.deployer, "other", 0).Credentials
	u, err := url.Parse(req.URL)
	iamxOK(t, err)
	q := u.Query()
	q.Set("X-Amz-Security-Token", aws.ToString(other.SessionToken))
	u.RawQuery = q.Encode()
	code, body = get(u.String())
	if code != http.StatusForbidden || !strings.Contains(body, "<Code>InvalidClientTokenId</Code>") {
		t.Fatalf("presigned GetCallerIdentity with another token: %d %s", code, body)
	}
}
