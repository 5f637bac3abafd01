package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func TestAuthentication(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	tests := []struct {
		name         string
		akid, secret string
		code         string
	}{
		{"root dev key", "test", "test", ""},
		{"wrong secret", "test", "nope", "SignatureDoesNotMatch"},
		{"unknown key", "AKIAUNKNOWNUNKNOWN00", "test", "InvalidClientTokenId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClients(s.URL, tt.akid, tt.secret)
			out, err := c.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Arn); got != "arn:aws:iam::000000000000:root" {
				t.Errorf("Arn = %s", got)
			}
			if got := aws.ToString(out.Account); got != "000000000000" {
				t.Errorf("Account = %s", got)
			}
		})
	}
}

func TestUnsignedRequestIsRejected(t *testing.T) {
	s := startServer(t)
	form := url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}
	resp, err := http.Post(s.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
}

func TestNewIAMUserIsDenied(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	root := rootClients(s)
	must(root.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))(t)
	key := must(root.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")}))(t).AccessKey
	bob := newClients(s.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey))
	id := must(bob.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
	if got := aws.ToString(id.Arn); got != "arn:aws:iam::000000000000:user/bob" {
		t.Errorf("Arn = %s", got)
	}
	_, err := bob.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, err, "AccessDenied")
	if !strings.Contains(err.Error(), "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: iam:ListUsers") {
		t.Errorf("message = %v", err)
	}
}
