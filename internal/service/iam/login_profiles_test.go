package iam_test

import (
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestLoginProfiles(t *testing.T) {
	f := newFixture(t)
	u := f.createUser("lee")
	out, err := f.svc.CreateLoginProfile(f.ctx, &api.CreateLoginProfileInput{UserName: ptr.Of("lee"), Password: ptr.Of("Initial-Pass1"), PasswordResetRequired: ptr.Of(true)})
	f.ok(err)
	if l := out.LoginProfile; str(l.UserName) != "lee" || !ptr.Value(l.PasswordResetRequired) || l.CreateDate == nil {
		t.Fatalf("CreateLoginProfile = %+v", l)
	}
	f.ok(errOf(f.svc.UpdateLoginProfile(f.ctx, &api.UpdateLoginProfileInput{UserName: ptr.Of("lee"), PasswordResetRequired: ptr.Of(false)})))

	// The user reads its own profile and changes its own password.
	leeCtx := userContext("lee", str(u.UserId))
	got, err := f.svc.GetLoginProfile(leeCtx, &api.GetLoginProfileInput{})
	f.ok(err)
	if str(got.LoginProfile.UserName) != "lee" || ptr.Value(got.LoginProfile.PasswordResetRequired) {
		t.Fatalf("GetLoginProfile = %+v", got.LoginProfile)
	}
	f.ok(errOf(f.svc.ChangePassword(leeCtx, &api.ChangePasswordInput{OldPassword: ptr.Of("Initial-Pass1"), NewPassword: ptr.Of("Second-Pass2")})))
	_, err = f.dom.CheckPassword(f.ctx, acct, "lee", "Second-Pass2")
	f.ok(err)

	f.ok(errOf(f.svc.DeleteLoginProfile(f.ctx, &api.DeleteLoginProfileInput{UserName: ptr.Of("lee")})))
	wantCode(t, errOf(f.svc.GetLoginProfile(f.ctx, &api.GetLoginProfileInput{UserName: ptr.Of("lee")})), "NoSuchEntity")
}

func TestLoginProfileErrors(t *testing.T) {
	f := newFixture(t)
	u := f.createUser("u")
	f.ok(errOf(f.svc.CreateLoginProfile(f.ctx, &api.CreateLoginProfileInput{UserName: ptr.Of("u"), Password: ptr.Of("Pass-word1")})))
	missing := ptr.Of("missing")
	runErrCases(t, []errCase{
		{"CreateLoginProfile exists", func() error {
			return errOf(f.svc.CreateLoginProfile(f.ctx, &api.CreateLoginProfileInput{UserName: ptr.Of("u"), Password: ptr.Of("Pass-word2")}))
		}, "EntityAlreadyExists"},
		{"GetLoginProfile no user", func() error {
			return errOf(f.svc.GetLoginProfile(f.ctx, &api.GetLoginProfileInput{UserName: missing}))
		}, "NoSuchEntity"},
		{"UpdateLoginProfile no user", func() error {
			return errOf(f.svc.UpdateLoginProfile(f.ctx, &api.UpdateLoginProfileInput{UserName: missing, Password: ptr.Of("Pass-word3")}))
		}, "NoSuchEntity"},
		{"DeleteLoginProfile no user", func() error {
			return errOf(f.svc.DeleteLoginProfile(f.ctx, &api.DeleteLoginProfileInput{UserName: missing}))
		}, "NoSuchEntity"},
		{"ChangePassword as root", func() error {
			return errOf(f.svc.ChangePassword(f.ctx, &api.ChangePasswordInput{OldPassword: ptr.Of("a"), NewPassword: ptr.Of("b")}))
		}, "InvalidUserType"},
		{"ChangePassword wrong old password", func() error {
			return errOf(f.svc.ChangePassword(userContext("u", str(u.UserId)), &api.ChangePasswordInput{OldPassword: ptr.Of("wrong"), NewPassword: ptr.Of("Pass-word4")}))
		}, "AccessDenied"},
	})
}
