package signin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/signin"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

const (
	acct      = "123456789012"
	rootEmail = "owner@example.com"
	rootPass  = "Root-Passw0rd!"
	userPass  = "User-Passw0rd!"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     *testing.T
	ctx   context.Context
	b     storage.Backend
	iam   *iam.Service
	trail *audit.Store
	clock *clock
	srv   *httptest.Server

	mu    sync.Mutex
	slept []time.Duration // what the handler asked to sleep (padding), without sleeping
}

func (e *env) sleeps() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.slept...)
}

func newEnv(t *testing.T, lim signin.Limits) *env {
	t.Helper()
	b := memory.New()
	t.Cleanup(func() { _ = b.Close() })
	c := &clock{now: time.Now().UTC().Truncate(time.Second)}
	svc := iam.New(b, c.Now, nil, iam.WithPasswordHashParams(iam.HashParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}))
	trail := audit.New(b, audit.Options{})
	t.Cleanup(func() { _ = trail.Close() })
	e := &env{t: t, ctx: context.Background(), b: b, iam: svc, trail: trail, clock: c}
	h := signin.New(signin.Config{
		Identities: svc,
		Sessions:   signin.NewSessions(b, c.Now, time.Hour),
		Audit:      trail,
		Now:        c.Now,
		Limits:     lim,
		Sleep: func(_ context.Context, d time.Duration) {
			e.mu.Lock()
			e.slept = append(e.slept, d)
			e.mu.Unlock()
		},
	})
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	e.ok(svc.SetRootEmail(e.ctx, acct, rootEmail))
	e.ok(svc.SetRootPassword(e.ctx, acct, rootPass))
	return e
}

func (e *env) ok(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) user(name string, resetRequired bool) {
	e.t.Helper()
	_, err := e.iam.CreateUser(e.ctx, acct, iam.CreateUserInput{UserName: name})
	e.ok(err)
	_, err = e.iam.CreateLoginProfile(e.ctx, acct, iam.CreateLoginProfileInput{UserName: name, Password: userPass, PasswordResetRequired: resetRequired})
	e.ok(err)
}

// mfa enables a virtual MFA device for userName ("" is root) and returns its seed.
func (e *env) mfa(userName, device string) []byte {
	e.t.Helper()
	d, err := e.iam.CreateVirtualMFADevice(e.ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: device})
	e.ok(err)
	seed, err := totp.DecodeBase32(string(d.Base32StringSeed))
	e.ok(err)
	now := e.clock.Now()
	e.ok(e.iam.EnableMFADevice(e.ctx, acct, userName, d.SerialNumber,
		totp.Generate(seed, now.Add(-totp.Period)), totp.Generate(seed, now)))
	e.clock.Advance(2 * totp.Period) // past the steps EnableMFADevice consumed
	return seed
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			data, err := json.Marshal(b)
			e.ok(err)
			rd = bytes.NewReader(data)
		}
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	e.ok(err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("User-Agent", "signin-test")
	resp, err := http.DefaultClient.Do(req)
	e.ok(err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	e.ok(err)
	out := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.body)
	}
	return out
}

func (e *env) signIn(body map[string]string) response {
	e.t.Helper()
	return e.do(http.MethodPost, "/signin", "", body)
}

func (e *env) want(r response, status int, code string) {
	e.t.Helper()
	if r.status != status || (code != "" && r.body["error"] != code) {
		e.t.Fatalf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
}

// consoleEvents returns the account's ConsoleLogin events, newest first, as parsed JSON.
func (e *env) consoleEvents() []map[string]any {
	e.t.Helper()
	res, err := e.trail.Lookup(e.ctx, audit.LookupQuery{Account: acct, Region: "us-east-1",
		LookupAttributes: []audit.LookupAttribute{{Key: "EventName", Value: "ConsoleLogin"}}})
	e.ok(err)
	var out []map[string]any
	for _, ev := range res.Events {
		var m map[string]any
		e.ok(json.Unmarshal([]byte(ev.CloudTrailEvent), &m))
		out = append(out, m)
	}
	return out
}

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

// wantEvent checks the newest ConsoleLogin event.
func (e *env) wantEvent(result, mfaUsed, identityType, userName string) map[string]any {
	e.t.Helper()
	evs := e.consoleEvents()
	if len(evs) == 0 {
		e.t.Fatal("no ConsoleLogin event")
	}
	ev := evs[0]
	checks := []struct {
		got  any
		want string
	}{
		{ev["eventSource"], "signin.amazonaws.com"},
		{ev["eventType"], "AwsConsoleSignIn"},
		{field(ev, "responseElements", "ConsoleLogin"), result},
		{field(ev, "additionalEventData", "MFAUsed"), mfaUsed},
		{field(ev, "additionalEventData", "MobileVersion"), "No"},
		{field(ev, "userIdentity", "type"), identityType},
		{ev["recipientAccountId"], acct},
		{ev["sourceIPAddress"], "127.0.0.1"},
		{ev["userAgent"], "signin-test"},
	}
	for _, c := range checks {
		if c.got != c.want {
			e.t.Fatalf("event %v: got %v, want %s", ev, c.got, c.want)
		}
	}
	if userName != "" && field(ev, "userIdentity", "userName") != userName {
		e.t.Fatalf("event userName = %v, want %s", field(ev, "userIdentity", "userName"), userName)
	}
	wantMsg := any(nil)
	if result == "Failure" {
		wantMsg = "Failed authentication"
	}
	if ev["errorMessage"] != wantMsg {
		e.t.Fatalf("errorMessage = %v, want %v", ev["errorMessage"], wantMsg)
	}
	return ev
}

func TestRootSignIn(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	r := e.signIn(map[string]string{"email": "OWNER@example.com", "password": rootPass})
	e.want(r, http.StatusOK, "")
	if r.body["principalArn"] != "arn:aws:iam::"+acct+":root" || r.body["accountId"] != acct ||
		r.body["mfaAuthenticated"] != false || r.body["passwordChangeRequired"] != false || r.body["sessionToken"] == "" {
		t.Fatalf("response = %s", r.raw)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Fatal("sign-in response may be cached")
	}
	exp, err := time.Parse(time.RFC3339, r.body["expiration"].(string))
	e.ok(err)
	if d := exp.Sub(e.clock.Now()); d != time.Hour {
		t.Fatalf("session lasts %v", d)
	}
	e.wantEvent("Success", "No", "Root", "")

	// The session works until sign-out.
	token := r.body["sessionToken"].(string)
	s := e.do(http.MethodGet, "/signin/session", token, nil)
	e.want(s, http.StatusOK, "")
	if s.body["principalArn"] != "arn:aws:iam::"+acct+":root" {
		t.Fatalf("session = %s", s.raw)
	}
	e.want(e.do(http.MethodPost, "/signin/signout", token, nil), http.StatusNoContent, "")
	e.want(e.do(http.MethodGet, "/signin/session", token, nil), http.StatusUnauthorized, signin.CodeNoSession)

	// Wrong password for root, and an unknown email, answer alike.
	bad := e.signIn(map[string]string{"email": rootEmail, "password": "Wrong-Passw0rd!"})
	e.want(bad, http.StatusUnauthorized, signin.CodeAuthFailed)
	e.wantEvent("Failure", "No", "Root", "")
	before := len(e.consoleEvents())
	unknown := e.signIn(map[string]string{"email": "nobody@example.com", "password": rootPass})
	if unknown.status != bad.status || unknown.raw != bad.raw {
		t.Fatalf("unknown email answered %d %s, wrong password %d %s", unknown.status, unknown.raw, bad.status, bad.raw)
	}
	if len(e.consoleEvents()) != before {
		t.Fatal("an unknown email was filed under the account")
	}
}

func TestRootSignInWithMFA(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	seed := e.mfa("", "root-mfa")
	r := e.signIn(map[string]string{"email": rootEmail, "password": rootPass})
	e.want(r, http.StatusUnauthorized, signin.CodeMFARequired)
	if _, ok := r.body["sessionToken"]; ok {
		t.Fatal("a session without MFA")
	}
	// A wrong code fails like a wrong password, and is audited with MFAUsed.
	r = e.signIn(map[string]string{"email": rootEmail, "password": rootPass, "mfaCode": "000000"})
	e.want(r, http.StatusUnauthorized, signin.CodeAuthFailed)
	e.wantEvent("Failure", "Yes", "Root", "")
	// A wrong password with a right-looking code does not reveal that MFA exists.
	code := totp.Generate(seed, e.clock.Now())
	r = e.signIn(map[string]string{"email": rootEmail, "password": "Wrong-Passw0rd!", "mfaCode": code})
	e.want(r, http.StatusUnauthorized, signin.CodeAuthFailed)

	r = e.signIn(map[string]string{"email": rootEmail, "password": rootPass, "mfaCode": code})
	e.want(r, http.StatusOK, "")
	if r.body["mfaAuthenticated"] != true {
		t.Fatalf("response = %s", r.raw)
	}
	e.wantEvent("Success", "Yes", "Root", "")
	// The same code is not accepted twice.
	r = e.signIn(map[string]string{"email": rootEmail, "password": rootPass, "mfaCode": code})
	e.want(r, http.StatusUnauthorized, signin.CodeAuthFailed)
}

func TestUserSignIn(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("alice", false)
	e.ok(e.iam.CreateAccountAlias(e.ctx, acct, "example-corp"))

	r := e.signIn(map[string]string{"account": acct, "userName": "alice", "password": userPass})
	e.want(r, http.StatusOK, "")
	if r.body["principalArn"] != "arn:aws:iam::"+acct+":user/alice" || r.body["userName"] != "alice" || r.body["passwordChangeRequired"] != false {
		t.Fatalf("response = %s", r.raw)
	}
	ev := e.wantEvent("Success", "No", "IAMUser", "alice")
	if field(ev, "userIdentity", "arn") != "arn:aws:iam::"+acct+":user/alice" {
		t.Fatalf("event = %v", ev)
	}
	u, err := e.iam.GetUser(e.ctx, acct, "alice")
	e.ok(err)
	if u.PasswordLastUsed == nil {
		t.Fatal("PasswordLastUsed not recorded")
	}

	// By alias (case-insensitively), and with the user name in another case.
	r = e.signIn(map[string]string{"account": "Example-Corp", "userName": "ALICE", "password": userPass})
	e.want(r, http.StatusOK, "")

	// Wrong password, unknown user, unknown alias, unknown account: one answer.
	bad := e.signIn(map[string]string{"account": acct, "userName": "alice", "password": "Wrong-Passw0rd!"})
	e.want(bad, http.StatusUnauthorized, signin.CodeAuthFailed)
	e.wantEvent("Failure", "No", "IAMUser", "alice")
	for _, body := range []map[string]string{
		{"account": acct, "userName": "mallory", "password": userPass},
		{"account": "no-such-alias", "userName": "alice", "password": userPass},
		{"account": "999999999999", "userName": "alice", "password": userPass},
	} {
		r := e.signIn(body)
		if r.status != bad.status || r.raw != bad.raw {
			t.Fatalf("%v answered %d %s; wrong password %d %s", body, r.status, r.raw, bad.status, bad.raw)
		}
	}
	// The unknown user's attempt is filed with its name hidden; the others are not filed here.
	evs := e.consoleEvents()
	if field(evs[0], "userIdentity", "userName") != audit.HiddenValue || field(evs[0], "userIdentity", "arn") != nil {
		t.Fatalf("unknown-user event = %v", evs[0])
	}
	if field(evs[1], "userIdentity", "userName") != "alice" {
		t.Fatalf("events = %v", evs[:2])
	}
}

func TestUserSignInWithMFA(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("bob", false)
	seed := e.mfa("bob", "bob-phone")
	e.want(e.signIn(map[string]string{"account": acct, "userName": "bob", "password": userPass}), http.StatusUnauthorized, signin.CodeMFARequired)
	r := e.signIn(map[string]string{"account": acct, "userName": "bob", "password": userPass,
		"mfaCode": totp.Generate(seed, e.clock.Now()), "mfaSerialNumber": "arn:aws:iam::" + acct + ":mfa/bob-phone"})
	e.want(r, http.StatusOK, "")
	if r.body["mfaAuthenticated"] != true {
		t.Fatalf("response = %s", r.raw)
	}
	e.wantEvent("Success", "Yes", "IAMUser", "bob")
}

func TestPasswordChangeRequired(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("carol", true)
	r := e.signIn(map[string]string{"account": acct, "userName": "carol", "password": userPass})
	e.want(r, http.StatusOK, "")
	if r.body["passwordChangeRequired"] != true {
		t.Fatalf("response = %s", r.raw)
	}
	token := r.body["sessionToken"].(string)
	change := func(old, new string) response {
		return e.do(http.MethodPost, "/signin/password", token, map[string]string{"oldPassword": old, "newPassword": new})
	}
	// Without AllowUsersToChangePassword (or a policy granting iam:ChangePassword) the user
	// may not change it.
	e.want(change(userPass, "Next-Passw0rd!"), http.StatusForbidden, "AccessDenied")
	e.ok(e.iam.UpdateAccountPasswordPolicy(e.ctx, acct, iam.UpdatePasswordPolicyInput{
		AllowUsersToChangePassword: ptr(true), MinimumPasswordLength: ptr(12), PasswordReusePrevention: ptr(1)}))
	e.want(change("Wrong-Passw0rd!", "Next-Passw0rd!"), http.StatusForbidden, "AccessDenied")
	e.want(change(userPass, "Short-1!"), http.StatusBadRequest, "PasswordPolicyViolation")
	e.want(change(userPass, userPass), http.StatusBadRequest, "PasswordPolicyViolation")
	r = change(userPass, "Next-Passw0rd!")
	e.want(r, http.StatusOK, "")
	s := e.do(http.MethodGet, "/signin/session", token, nil)
	if s.body["passwordChangeRequired"] != false {
		t.Fatalf("session after the change = %s", s.raw)
	}
	e.want(e.signIn(map[string]string{"account": acct, "userName": "carol", "password": "Next-Passw0rd!"}), http.StatusOK, "")
	// The change is audited as the IAM API call, without the passwords.
	res, err := e.trail.Lookup(e.ctx, audit.LookupQuery{Account: acct, Region: "us-east-1",
		LookupAttributes: []audit.LookupAttribute{{Key: "EventName", Value: "ChangePassword"}}})
	e.ok(err)
	if len(res.Events) != 5 || res.Events[0].EventSource != "iam.amazonaws.com" {
		t.Fatalf("ChangePassword events = %+v", res.Events)
	}
}

func TestExpiredPassword(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("dave", false)
	e.ok(e.iam.UpdateAccountPasswordPolicy(e.ctx, acct, iam.UpdatePasswordPolicyInput{MaxPasswordAge: ptr(90), AllowUsersToChangePassword: ptr(true)}))
	e.clock.Advance(91 * 24 * time.Hour)
	r := e.signIn(map[string]string{"account": acct, "userName": "dave", "password": userPass})
	e.want(r, http.StatusOK, "")
	if r.body["passwordChangeRequired"] != true {
		t.Fatalf("expired password: %s", r.raw)
	}
	token := r.body["sessionToken"].(string)
	e.want(e.do(http.MethodPost, "/signin/password", token, map[string]string{"oldPassword": userPass, "newPassword": "Fresh-Passw0rd!"}), http.StatusOK, "")
	r = e.signIn(map[string]string{"account": acct, "userName": "dave", "password": "Fresh-Passw0rd!"})
	e.want(r, http.StatusOK, "")
	if r.body["passwordChangeRequired"] != false {
		t.Fatalf("fresh password: %s", r.raw)
	}

	// HardExpiry: no sign-in at all until an administrator resets the password.
	e.ok(e.iam.UpdateAccountPasswordPolicy(e.ctx, acct, iam.UpdatePasswordPolicyInput{MaxPasswordAge: ptr(90), HardExpiry: ptr(true)}))
	e.clock.Advance(91 * 24 * time.Hour)
	e.want(e.signIn(map[string]string{"account": acct, "userName": "dave", "password": "Fresh-Passw0rd!"}), http.StatusForbidden, signin.CodePasswordExpired)
	// ... and only after the right password: a wrong one is the generic failure.
	e.want(e.signIn(map[string]string{"account": acct, "userName": "dave", "password": "Wrong-Passw0rd!"}), http.StatusUnauthorized, signin.CodeAuthFailed)
	e.ok(e.iam.UpdateLoginProfile(e.ctx, acct, iam.UpdateLoginProfileInput{UserName: "dave", Password: ptr("Admin-Reset-1!")}))
	e.want(e.signIn(map[string]string{"account": acct, "userName": "dave", "password": "Admin-Reset-1!"}), http.StatusOK, "")
}

func TestIdentityLockout(t *testing.T) {
	e := newEnv(t, signin.Limits{FreeFailures: 3, LockoutBase: time.Minute, SourceBurst: 100})
	e.user("erin", false)
	wrong := map[string]string{"account": acct, "userName": "erin", "password": "Wrong-Passw0rd!"}
	right := map[string]string{"account": acct, "userName": "erin", "password": userPass}
	for i := 0; i < 4; i++ {
		e.want(e.signIn(wrong), http.StatusUnauthorized, signin.CodeAuthFailed)
	}
	// Locked: even the right password is refused, without being checked.
	r := e.signIn(right)
	e.want(r, http.StatusTooManyRequests, signin.CodeThrottling)
	if r.header.Get("Retry-After") != "60" {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	// Other identities are not affected; unknown ones lock the same way.
	e.want(e.signIn(map[string]string{"email": rootEmail, "password": rootPass}), http.StatusOK, "")
	ghost := map[string]string{"account": acct, "userName": "ghost", "password": "Wrong-Passw0rd!"}
	for i := 0; i < 4; i++ {
		e.want(e.signIn(ghost), http.StatusUnauthorized, signin.CodeAuthFailed)
	}
	e.want(e.signIn(ghost), http.StatusTooManyRequests, signin.CodeThrottling)

	e.clock.Advance(time.Minute)
	e.want(e.signIn(right), http.StatusOK, "")
	// Success forgot the failures: three more are free again, the fourth locks for the base time.
	for i := 0; i < 4; i++ {
		e.want(e.signIn(wrong), http.StatusUnauthorized, signin.CodeAuthFailed)
	}
	e.want(e.signIn(right), http.StatusTooManyRequests, signin.CodeThrottling)
	// A failure after the lockout doubles it.
	e.clock.Advance(time.Minute)
	e.want(e.signIn(wrong), http.StatusUnauthorized, signin.CodeAuthFailed)
	r = e.signIn(right)
	e.want(r, http.StatusTooManyRequests, signin.CodeThrottling)
	if r.header.Get("Retry-After") != "120" {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
}

func TestSourceThrottle(t *testing.T) {
	e := newEnv(t, signin.Limits{SourceBurst: 3, SourceEvery: 10 * time.Second})
	for i := 0; i < 3; i++ {
		e.want(e.signIn(map[string]string{"email": rootEmail, "password": rootPass}), http.StatusOK, "")
	}
	r := e.signIn(map[string]string{"email": rootEmail, "password": rootPass})
	e.want(r, http.StatusTooManyRequests, signin.CodeThrottling)
	if r.header.Get("Retry-After") != "10" {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	e.clock.Advance(10 * time.Second)
	e.want(e.signIn(map[string]string{"email": rootEmail, "password": rootPass}), http.StatusOK, "")
	e.want(e.signIn(map[string]string{"email": rootEmail, "password": rootPass}), http.StatusTooManyRequests, signin.CodeThrottling)
}

func TestBadRequests(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	tests := []struct {
		name, method, path, contentType, body string
		status                                int
		code                                  string
	}{
		{"not JSON", "POST", "/signin", "application/json", "email=x", 400, signin.CodeValidation},
		{"unknown member", "POST", "/signin", "application/json", `{"email":"a@b","password":"x","admin":true}`, 400, signin.CodeValidation},
		{"both kinds", "POST", "/signin", "application/json", `{"email":"a@b","account":"123456789012","userName":"u","password":"x"}`, 400, signin.CodeValidation},
		{"no password", "POST", "/signin", "application/json", `{"email":"a@b"}`, 400, signin.CodeValidation},
		{"bad MFA code", "POST", "/signin", "application/json", `{"email":"a@b","password":"x","mfaCode":"12345a"}`, 400, signin.CodeValidation},
		{"trailing data", "POST", "/signin", "application/json", `{"email":"a@b","password":"x"} {}`, 400, signin.CodeValidation},
		{"form post", "POST", "/signin", "application/x-www-form-urlencoded", "email=a@b&password=x", 415, signin.CodeUnsupportedMediaType},
		{"text/plain (cross-site form)", "POST", "/signin", "text/plain", `{"email":"a@b","password":"x"}`, 415, signin.CodeUnsupportedMediaType},
		{"GET", "GET", "/signin", "", "", 405, signin.CodeMethodNotAllowed},
		{"unknown path", "POST", "/signin/nope", "application/json", "{}", 404, signin.CodeNotFound},
		{"password without session", "POST", "/signin/password", "application/json", `{"oldPassword":"a","newPassword":"b"}`, 401, signin.CodeNoSession},
		{"huge body", "POST", "/signin", "application/json", `{"email":"` + strings.Repeat("a", 10000) + `","password":"x"}`, 400, signin.CodeValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, e.srv.URL+tt.path, strings.NewReader(tt.body))
			e.ok(err)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			e.ok(err)
			defer resp.Body.Close()
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tt.status || body["error"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
}

// TestNoSecretsStored signs in and out in every way and then searches everything stored (the
// audit trail included) for the passwords, MFA codes and session tokens used.
func TestNoSecretsStored(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("frank", false)
	seed := e.mfa("frank", "frank-phone")
	code := totp.Generate(seed, e.clock.Now())
	secrets := []string{rootPass, userPass, "Wrong-Passw0rd!", code}
	e.signIn(map[string]string{"email": rootEmail, "password": "Wrong-Passw0rd!"})
	r := e.signIn(map[string]string{"email": rootEmail, "password": rootPass})
	secrets = append(secrets, r.body["sessionToken"].(string))
	e.signIn(map[string]string{"account": acct, "userName": "frank", "password": "Wrong-Passw0rd!", "mfaCode": code})
	r = e.signIn(map[string]string{"account": acct, "userName": "frank", "password": userPass, "mfaCode": code})
	e.want(r, http.StatusOK, "")
	secrets = append(secrets, r.body["sessionToken"].(string))
	e.do(http.MethodPost, "/signin/password", r.body["sessionToken"].(string), map[string]string{"oldPassword": userPass, "newPassword": "Wrong-Passw0rd!"})

	page, err := e.b.Range(e.ctx, "", "", 0)
	e.ok(err)
	if len(page.KVs) == 0 {
		t.Fatal("nothing stored")
	}
	for _, kv := range page.KVs {
		for _, s := range secrets {
			if strings.Contains(kv.Key, s) || bytes.Contains(kv.Value, []byte(s)) {
				t.Fatalf("secret %q stored under %s", s, kv.Key)
			}
		}
	}
}

func TestSessionExpiryAndSweep(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	ss := signin.NewSessions(e.b, e.clock.Now, time.Hour)
	tok, err := ss.Create(e.ctx, &signin.Session{Account: acct, ARN: "arn:aws:iam::" + acct + ":root", Root: true})
	e.ok(err)
	tok2, err := ss.Create(e.ctx, &signin.Session{Account: acct})
	e.ok(err)
	if _, err := ss.Get(e.ctx, tok); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "x", strings.Repeat("A", 43), tok + "A"} {
		if _, err := ss.Get(e.ctx, bad); err != signin.ErrNoSession {
			t.Fatalf("Get(%q) = %v", bad, err)
		}
	}
	e.clock.Advance(time.Hour)
	if _, err := ss.Get(e.ctx, tok); err != signin.ErrNoSession {
		t.Fatalf("expired session: %v", err)
	}
	n, err := ss.Sweep(e.ctx)
	e.ok(err)
	if n != 1 { // tok was deleted by Get; tok2 by Sweep
		t.Fatalf("Sweep deleted %d", n)
	}
	if _, err := ss.Get(e.ctx, tok2); err != signin.ErrNoSession {
		t.Fatalf("swept session: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestConcurrentGuessesAreCounted sends many wrong passwords for one user at once: only one
// attempt of an identity is checked at a time, so the lockout stops them after FreeFailures+1
// checks instead of every one of them being checked.
func TestConcurrentGuessesAreCounted(t *testing.T) {
	e := newEnv(t, signin.Limits{FreeFailures: 3, SourceBurst: 1000})
	e.user("gina", false)
	wrong := map[string]string{"account": acct, "userName": "gina", "password": "Wrong-Passw0rd!"}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
	)
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.signIn(wrong)
			mu.Lock()
			statuses[r.status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if n := statuses[http.StatusUnauthorized]; n < 1 || n > 4 || n+statuses[http.StatusTooManyRequests] != 40 {
		t.Fatalf("answers %v: want 1 to 4 checked (401), the rest throttled (429)", statuses)
	}
	if n := len(e.consoleEvents()); n != statuses[http.StatusUnauthorized] {
		t.Fatalf("%d events for %d checked attempts", n, statuses[http.StatusUnauthorized])
	}
}

// TestAliasAndIDAreOneIdentity: failures through the account ID lock the same user signing in
// through the alias, and the other way round.
func TestAliasAndIDAreOneIdentity(t *testing.T) {
	e := newEnv(t, signin.Limits{FreeFailures: 2, LockoutBase: time.Minute, SourceBurst: 100})
	e.user("hal", false)
	e.ok(e.iam.CreateAccountAlias(e.ctx, acct, "example-corp"))
	for _, account := range []string{acct, "Example-Corp", acct} {
		e.want(e.signIn(map[string]string{"account": account, "userName": "hal", "password": "Wrong-Passw0rd!"}),
			http.StatusUnauthorized, signin.CodeAuthFailed)
	}
	for _, account := range []string{"example-corp", acct} {
		e.want(e.signIn(map[string]string{"account": account, "userName": "HAL", "password": userPass}),
			http.StatusTooManyRequests, signin.CodeThrottling)
	}
	// An unknown alias is an identity of its own.
	e.want(e.signIn(map[string]string{"account": "no-such-alias", "userName": "hal", "password": userPass}),
		http.StatusUnauthorized, signin.CodeAuthFailed)
}

// TestFailuresArePadded: every failed sign-in, audited (known account) or not, is held to the
// same floor; successes are not delayed.
func TestFailuresArePadded(t *testing.T) {
	e := newEnv(t, signin.Limits{SourceBurst: 100})
	e.user("ivy", false)
	for _, body := range []map[string]string{
		{"account": acct, "userName": "ivy", "password": "Wrong-Passw0rd!"},    // audited
		{"account": acct, "userName": "nobody", "password": "Wrong-Passw0rd!"}, // audited, hidden name
		{"account": "999999999999", "userName": "ivy", "password": userPass},   // not audited
		{"account": "no-such-alias", "userName": "ivy", "password": userPass},  // not audited
		{"email": "nobody@example.com", "password": rootPass},                  // not audited
		{"email": rootEmail, "password": "Wrong-Passw0rd!"},                    // audited
	} {
		before := len(e.sleeps())
		e.want(e.signIn(body), http.StatusUnauthorized, signin.CodeAuthFailed)
		// The test clock stands still, so the whole floor is slept.
		if s := e.sleeps(); len(s) != before+1 || s[before] != signin.DefaultFailureFloor {
			t.Fatalf("%v: slept %v", body, s[before:])
		}
	}
	before := len(e.sleeps())
	e.want(e.signIn(map[string]string{"account": acct, "userName": "ivy", "password": userPass}), http.StatusOK, "")
	if len(e.sleeps()) != before {
		t.Fatal("a success was delayed")
	}
}

// TestSessionsEndWithTheirPrincipal: a console session ends on its next use once someone
// else sets the user's password, the login profile is removed, the user is replaced by
// another of the same name, or the root password is changed elsewhere.
func TestSessionsEndWithTheirPrincipal(t *testing.T) {
	e := newEnv(t, signin.Limits{})
	e.user("dana", false)
	signIn := func(password string) string {
		r := e.signIn(map[string]string{"account": acct, "userName": "dana", "password": password})
		e.want(r, http.StatusOK, "")
		return r.body["sessionToken"].(string)
	}
	alive := func(token string) bool {
		return e.do(http.MethodGet, "/signin/session", token, nil).status == http.StatusOK
	}
	token := signIn(userPass)
	if !alive(token) {
		t.Fatal("a fresh session is not valid")
	}
	e.clock.Advance(time.Second)
	e.ok(e.iam.UpdateLoginProfile(e.ctx, acct, iam.UpdateLoginProfileInput{UserName: "dana", Password: ptr("Reset-Passw0rd!")}))
	if alive(token) {
		t.Fatal("the session survived an administrator's password reset")
	}
	token = signIn("Reset-Passw0rd!")
	e.ok(e.iam.DeleteLoginProfile(e.ctx, acct, "dana"))
	if alive(token) {
		t.Fatal("the session survived the removal of the login profile")
	}
	_, err := e.iam.CreateLoginProfile(e.ctx, acct, iam.CreateLoginProfileInput{UserName: "dana", Password: userPass})
	e.ok(err)
	token = signIn(userPass)
	e.ok(e.iam.DeleteLoginProfile(e.ctx, acct, "dana"))
	e.ok(e.iam.DeleteUser(e.ctx, acct, "dana"))
	e.user("dana", false) // another user with the same name and password
	if alive(token) {
		t.Fatal("the session passed to a new user of the same name")
	}

	r := e.signIn(map[string]string{"email": rootEmail, "password": rootPass})
	e.want(r, http.StatusOK, "")
	root := r.body["sessionToken"].(string)
	e.clock.Advance(time.Second)
	e.ok(e.iam.SetRootPassword(e.ctx, acct, "Another-R00t-Passw0rd!"))
	if alive(root) {
		t.Fatal("the root session survived a root password change elsewhere")
	}
}
