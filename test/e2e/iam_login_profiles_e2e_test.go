package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMLoginProfileLifecycle(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("pat")}))(t)

	lp := must(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("Initial-Passw0rd!"), PasswordResetRequired: true}))(t).LoginProfile
	iamxEq(t, "UserName", aws.ToString(lp.UserName), "pat")
	iamxEq(t, "PasswordResetRequired", lp.PasswordResetRequired, true)
	iamxRecent(t, "CreateDate", lp.CreateDate)

	got := must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")}))(t).LoginProfile
	iamxEq(t, "GetLoginProfile UserName", aws.ToString(got.UserName), "pat")
	iamxEq(t, "GetLoginProfile PasswordResetRequired", got.PasswordResetRequired, true)
	iamxEq(t, "GetLoginProfile CreateDate", aws.ToTime(got.CreateDate), aws.ToTime(lp.CreateDate))

	_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("Another-Passw0rd!")})
	wantCode(t, err, "EntityAlreadyExists")

	// UpdateLoginProfile changes the flag (and the password) but not the creation date.
	must(c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("pat"), PasswordResetRequired: aws.Bool(false)}))(t)
	got = must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")}))(t).LoginProfile
	iamxEq(t, "PasswordResetRequired after update", got.PasswordResetRequired, false)
	must(c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("Changed-Passw0rd!")}))(t)
	got = must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")}))(t).LoginProfile
	iamxEq(t, "PasswordResetRequired kept", got.PasswordResetRequired, false)
	iamxEq(t, "CreateDate kept", aws.ToTime(got.CreateDate), aws.ToTime(lp.CreateDate))
	must(c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("pat"), PasswordResetRequired: aws.Bool(true)}))(t)
	got = must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")}))(t).LoginProfile
	iamxEq(t, "PasswordResetRequired set again", got.PasswordResetRequired, true)

	// A user with a console password cannot be deleted.
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("pat")})
	wantCode(t, err, "DeleteConflict")

	must(c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("pat")}))(t)

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"get deleted profile", func() error {
			_, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("pat")})
			return err
		}, "NoSuchEntity"},
		{"delete deleted profile", func() error {
			_, err := c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("pat")})
			return err
		}, "NoSuchEntity"},
		{"update deleted profile", func() error {
			_, err := c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("pat"), PasswordResetRequired: aws.Bool(false)})
			return err
		}, "NoSuchEntity"},
		{"create for unknown user", func() error {
			_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("nobody"), Password: aws.String("Some-Passw0rd!")})
			return err
		}, "NoSuchEntity"},
		{"get for unknown user", func() error {
			_, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("nobody")})
			return err
		}, "NoSuchEntity"},
		{"password too long", func() error {
			_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String(strings.Repeat("a", 129))})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}

	// The profile can be created again, and without it the user can be deleted.
	lp2 := must(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("pat"), Password: aws.String("Fresh-Passw0rd!")}))(t).LoginProfile
	iamxEq(t, "recreated PasswordResetRequired", lp2.PasswordResetRequired, false)
	must(c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("pat")}))(t)
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("pat")}))(t)
}

func TestIAMLoginProfileFollowsPasswordPolicy(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("quinn")}))(t)
	must(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(12), RequireNumbers: true, RequireSymbols: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
	}))(t)

	tests := []struct {
		password string
		ok       bool
	}{
		{"Sh0rt!pw", false},         // too short
		{"no-digits-Here!", false},  // no number
		{"NoSymbols12345", false},   // no symbol
		{"all-lower-1234!", false},  // no upper case
		{"ALL-UPPER-1234!", false},  // no lower case
		{"Long-Enough-1234!", true}, // conforms
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("quinn"), Password: aws.String(tt.password)})
			if !tt.ok {
				wantCode(t, err, "PasswordPolicyViolation")
				_, err = c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("quinn")})
				wantCode(t, err, "NoSuchEntity")
				return
			}
			iamxOK(t, err)
			got := must(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("quinn")}))(t).LoginProfile
			iamxEq(t, "UserName", aws.ToString(got.UserName), "quinn")
		})
	}
	// UpdateLoginProfile checks the new password against the policy too.
	_, err := c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("quinn"), Password: aws.String("weak")})
	wantCode(t, err, "PasswordPolicyViolation")
	must(c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("quinn"), Password: aws.String("Another-Good-987?")}))(t)
}

func TestIAMChangePassword(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)

	// Only IAM users have a password to change: the root user gets InvalidUserType.
	_, err := root.iam.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Old-Passw0rd!"), NewPassword: aws.String("New-Passw0rd!")})
	wantCode(t, err, "InvalidUserType")

	// An IAM user that no policy allows iam:ChangePassword is denied.
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("rae")}))(t)
	must(root.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("rae"), Password: aws.String("Old-Passw0rd!")}))(t)
	k := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("rae")}))(t).AccessKey
	rae := newClients(s.URL, aws.ToString(k.AccessKeyId), aws.ToString(k.SecretAccessKey))
	_, err = rae.iam.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Old-Passw0rd!"), NewPassword: aws.String("New-Passw0rd!")})
	wantCode(t, err, "AccessDenied")
	if !strings.Contains(err.Error(), "iam:ChangePassword") {
		t.Fatalf("denial does not name the action: %v", err)
	}
	// The denied call changed nothing: the profile is as created.
	lp := must(root.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("rae")}))(t).LoginProfile
	iamxEq(t, "PasswordResetRequired", lp.PasswordResetRequired, false)
}
