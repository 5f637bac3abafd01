package iam_test

import (
	"context"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
)

func TestLoginProfileLifecycle(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	lp, err := f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "U", Password: "Correct-Horse-1", PasswordResetRequired: true})
	f.ok(err)
	if lp.UserName != "u" || !lp.PasswordResetRequired || !lp.CreateDate.Equal(f.clock.Now()) {
		t.Fatalf("CreateLoginProfile = %+v", lp)
	}
	wantErr(t, errOf(f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "u", Password: "x"})), exists, 409, "Login Profile for user u already exists.")

	// The hash is argon2id in PHC form; the password appears nowhere in storage.
	kvs, err := f.b.Range(f.ctx, "iam/", "", 0)
	f.ok(err)
	found := false
	for _, kv := range kvs.KVs {
		if strings.Contains(kv.Key, "Correct-Horse-1") || strings.Contains(string(kv.Value), "Correct-Horse-1") {
			t.Fatalf("password stored in clear under %s", kv.Key)
		}
		if strings.Contains(string(kv.Value), "$argon2id$v=19$m=64,t=1,p=1$") {
			found = true
		}
	}
	if !found {
		t.Fatal("no argon2id hash stored")
	}

	got, err := f.svc.CheckPassword(f.ctx, acct, "u", "Correct-Horse-1")
	f.ok(err)
	if !got.PasswordResetRequired {
		t.Fatalf("CheckPassword = %+v", got)
	}
	u, _ := f.svc.GetUser(f.ctx, acct, "u")
	if u.PasswordLastUsed == nil {
		t.Fatal("PasswordLastUsed not recorded")
	}
	wantErr(t, errOf(f.svc.CheckPassword(f.ctx, acct, "u", "wrong")), "AccessDenied", 403, "")
	wantErr(t, errOf(f.svc.CheckPassword(f.ctx, acct, "nobody", "wrong")), "AccessDenied", 403, "")

	f.ok(f.svc.ChangePassword(f.ctx, acct, "u", "Correct-Horse-1", "Battery-Staple-2"))
	wantErr(t, f.svc.ChangePassword(f.ctx, acct, "u", "Correct-Horse-1", "x"), "AccessDenied", 403, "")
	got, err = f.svc.CheckPassword(f.ctx, acct, "u", "Battery-Staple-2")
	f.ok(err)
	if got.PasswordResetRequired {
		t.Fatal("ChangePassword left the reset flag")
	}

	f.ok(f.svc.UpdateLoginProfile(f.ctx, acct, iam.UpdateLoginProfileInput{UserName: "u", Password: ptr("Third-Pass-3"), PasswordResetRequired: ptr(true)}))
	lp, err = f.svc.GetLoginProfile(f.ctx, acct, "u")
	f.ok(err)
	if !lp.PasswordResetRequired {
		t.Fatalf("GetLoginProfile = %+v", lp)
	}
	f.ok(errOf(f.svc.CheckPassword(f.ctx, acct, "u", "Third-Pass-3")))

	f.ok(f.svc.DeleteLoginProfile(f.ctx, acct, "u"))
	wantErr(t, errOf(f.svc.GetLoginProfile(f.ctx, acct, "u")), noSuch, 404, "Login Profile for User u cannot be found.")
	wantErr(t, f.svc.DeleteLoginProfile(f.ctx, acct, "u"), noSuch, 404, "Login Profile for User u cannot be found.")
	wantErr(t, f.svc.DeleteLoginProfile(f.ctx, acct, "nonexistent-user"), noSuch, 404, "The user with name nonexistent-user cannot be found.")
	wantErr(t, errOf(f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "nonexistent-user", Password: "x"})), noSuch, 404,
		"The user with name nonexistent-user cannot be found.")
	wantErr(t, errOf(f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "u"})), badInput, 400,
		"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must not be null")
	f.ok(f.svc.DeleteUser(f.ctx, acct, "u"))
}

func TestPasswordPolicyEnforced(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	f.ok(f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{
		MinimumPasswordLength: ptr(10), RequireSymbols: ptr(true), RequireNumbers: ptr(true),
		RequireUppercaseCharacters: ptr(true), RequireLowercaseCharacters: ptr(true), PasswordReusePrevention: ptr(2),
	}))
	const viol = "Password does not conform to the account password policy."
	for _, pw := range []string{"Short1!", "alllowercase1!", "ALLUPPERCASE1!", "NoDigitsHere!", "NoSymbols123A"} {
		wantErr(t, errOf(f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "u", Password: pw})), "PasswordPolicyViolation", 400, viol)
	}
	_, err := f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "u", Password: "Good-Passw0rd"})
	f.ok(err)
	// Reuse prevention: the current and the previous password are refused.
	wantErr(t, f.svc.ChangePassword(f.ctx, acct, "u", "Good-Passw0rd", "Good-Passw0rd"), "PasswordPolicyViolation", 400, viol)
	f.ok(f.svc.ChangePassword(f.ctx, acct, "u", "Good-Passw0rd", "Other-Passw0rd"))
	wantErr(t, f.svc.UpdateLoginProfile(f.ctx, acct, iam.UpdateLoginProfileInput{UserName: "u", Password: ptr("Good-Passw0rd")}), "PasswordPolicyViolation", 400, viol)
	f.ok(f.svc.UpdateLoginProfile(f.ctx, acct, iam.UpdateLoginProfileInput{UserName: "u", Password: ptr("Third-Passw0rd")}))
	// Two changes later the first password is allowed again.
	f.ok(f.svc.UpdateLoginProfile(f.ctx, acct, iam.UpdateLoginProfileInput{UserName: "u", Password: ptr("Good-Passw0rd")}))
}

func TestDefaultHashParams(t *testing.T) {
	// Production parameters: OWASP's argon2id minimum.
	p := iam.DefaultHashParams()
	if p.Memory < 19*1024 || p.Time < 2 || p.Threads < 1 || p.SaltLen < 16 {
		t.Fatalf("DefaultHashParams = %+v", p)
	}
	if testing.Short() {
		t.Skip("slow hash")
	}
	b := memory.New()
	defer b.Close()
	svc := iam.New(b, (&clock{}).Now, nil)
	ctx := context.Background()
	_, err := svc.CreateUser(ctx, acct, iam.CreateUserInput{UserName: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateLoginProfile(ctx, acct, iam.CreateLoginProfileInput{UserName: "u", Password: "Slow-Passw0rd"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CheckPassword(ctx, acct, "u", "Slow-Passw0rd"); err != nil {
		t.Fatal(err)
	}
	kvs, _ := b.Range(ctx, "iam/", "", 0)
	for _, kv := range kvs.KVs {
		if strings.Contains(string(kv.Value), "$argon2id$v=19$m=19456,t=2,p=1$") {
			return
		}
	}
	t.Fatal("no OWASP-parameter hash stored")
}
