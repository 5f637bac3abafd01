package authz

import (
	"context"
	"testing"

	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	apists "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// TestWebIdentity: the caller of AssumeRoleWithWebIdentity is the OIDC provider's user; the
// role's trust policy alone decides, with the token's claims as condition keys.
func TestWebIdentity(t *testing.T) {
	const (
		host     = "idp.example.com/tenant"
		provider = "arn:aws:iam::111122223333:oidc-provider/" + host
	)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + host + `:aud":"client-1","` + host + `:sub":"alice"},` +
		`"ForAnyValue:StringEquals":{"` + host + `:amr":"mfa"}}}]}`
	otherProvider := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/other.example"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
	users := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`
	wrongAction := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provider + `"},"Action":"sts:AssumeRole"}]}`
	dir := newFakeDirectory()
	dir.setRole("web", trust)
	dir.setRole("other", otherProvider)
	dir.setRole("users", users)
	dir.setRole("wrongaction", wrongAction)
	e := New(dir, nil)
	ctx := context.Background()
	stsSvc, iamSvc := apists.Service(nil), apiiam.Service(nil)
	op := operation(t, stsSvc, "AssumeRoleWithWebIdentity")

	web := func(sub, aud string, amr ...string) caller.Principal {
		keys := map[string][]string{host + ":sub": {sub}, host + ":aud": {aud}}
		if amr != nil {
			keys[host+":amr"] = amr
		}
		return caller.Principal{Kind: caller.WebIdentityUser, Account: acct, ID: provider + ":" + aud + ":" + sub, UserName: sub,
			WebIdentity: &caller.WebIdentity{ProviderARN: provider, Issuer: "https://" + host, Subject: sub, Audience: aud, ConditionKeys: keys}}
	}
	in := func(role string) *apists.AssumeRoleWithWebIdentityInput {
		return &apists.AssumeRoleWithWebIdentityInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/" + role),
			RoleSessionName: ptr.Of("s"), WebIdentityToken: ptr.Of("token")}
	}
	tests := []struct {
		name    string
		p       caller.Principal
		role    string
		allowed bool
	}{
		{"provider, aud, sub and amr match", web("alice", "client-1", "pwd", "mfa"), "web", true},
		{"another subject", web("bob", "client-1", "mfa"), "web", false},
		{"another audience", web("alice", "client-2", "mfa"), "web", false},
		{"no amr claim", web("alice", "client-1"), "web", false},
		{"another provider in the trust policy", web("alice", "client-1", "mfa"), "other", false},
		{"a trust policy for AWS principals only", web("alice", "client-1", "mfa"), "users", false},
		{"a trust policy for another action", web("alice", "client-1", "mfa"), "wrongaction", false},
		{"a role that does not exist", web("alice", "client-1", "mfa"), "missing", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Authorize(ctx, request(tt.p), op, in(tt.role))
			if tt.allowed {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if msg := denial(t, err, "AccessDenied"); msg != "Not authorized to perform sts:AssumeRoleWithWebIdentity" {
				t.Fatalf("message = %q", msg)
			}
		})
	}
	t.Run("a web identity caller can call nothing else", func(t *testing.T) {
		err := e.Authorize(ctx, request(web("alice", "client-1", "mfa")), operation(t, iamSvc, "GetUser"), &apiiam.GetUserInput{})
		denial(t, err, "AccessDenied")
		err = e.Authorize(ctx, request(web("alice", "client-1", "mfa")), operation(t, stsSvc, "AssumeRole"),
			&apists.AssumeRoleInput{RoleArn: ptr.Of("arn:aws:iam::111122223333:role/web"), RoleSessionName: ptr.Of("s")})
		denial(t, err, "AccessDenied")
	})
	t.Run("an IAM user is not the provider's user", func(t *testing.T) {
		dir.setUser("alice", "/", nil, "", allow("sts:*", "*"))
		err := e.Authorize(ctx, request(user("alice")), op, in("web"))
		denial(t, err, "AccessDenied")
	})
}
