package sts_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/caller"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/oidc"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	stssvc "github.com/bulwarkhq/bulwark/internal/service/sts"
)

const issuer = "https://idp.example.com/t1"

// fakeVerifier accepts a token whose payload has "ok": true, answering its claims, and
// otherwise answers the error the payload's "err" names.
type fakeVerifier struct{ got oidc.Provider }

func (v *fakeVerifier) Verify(_ context.Context, token string, p oidc.Provider, _ time.Time) (*oidc.Claims, error) {
	v.got = p
	m := payload(token)
	switch m["err"] {
	case "expired":
		return nil, &oidc.Error{Code: oidc.CodeExpiredToken, Message: "Token expired"}
	case "aud":
		return nil, &oidc.Error{Code: oidc.CodeInvalidIdentityToken, Message: "Incorrect token audience"}
	}
	c := &oidc.Claims{Issuer: m["iss"].(string), Subject: m["sub"].(string), Raw: m}
	for _, a := range m["aud"].([]any) {
		c.Audience = append(c.Audience, a.(string))
	}
	if azp, ok := m["azp"].(string); ok {
		c.AuthorizedParty = azp
	}
	return c, nil
}

func payload(token string) map[string]any {
	parts := strings.Split(token, ".")
	var m map[string]any
	if len(parts) == 3 {
		b, _ := base64.RawURLEncoding.DecodeString(parts[1])
		_ = json.Unmarshal(b, &m)
	}
	return m
}

func jwt(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return "eyJhbGciOiJFUzI1NiJ9." + base64.RawURLEncoding.EncodeToString(b) + ".c2ln"
}

func webFixture(t *testing.T) (*fixture, *fakeVerifier, string) {
	f := newFixture(t)
	v := &fakeVerifier{}
	f.svc = stssvc.New(f.dom, f.tokens, func() time.Time { return f.now }, stssvc.WithWebIdentity(f.dom, v))
	p, err := f.dom.CreateOpenIDConnectProvider(context.Background(), acct, domain.CreateOpenIDConnectProviderInput{
		URL: issuer, ClientIDs: []string{"client-1", "client-2"}})
	if err != nil {
		t.Fatal(err)
	}
	return f, v, p.ARN
}

func webInput(role string, claims map[string]any) *api.AssumeRoleWithWebIdentityInput {
	return &api.AssumeRoleWithWebIdentityInput{RoleArn: roleARN(role), RoleSessionName: ptr.Of("web-1"), WebIdentityToken: ptr.Of(jwt(claims))}
}

func webOp(name string) *protocol.Operation { return api.Service(nil).Operation(name) }

func TestWebIdentityAuthenticate(t *testing.T) {
	f, v, provARN := webFixture(t)
	ctx := context.Background()
	req := &caller.Request{Time: epoch}
	op := webOp("AssumeRoleWithWebIdentity")
	if !f.svc.Unsigned(op) || f.svc.Unsigned(webOp("AssumeRole")) || f.svc.Unsigned(webOp("GetCallerIdentity")) {
		t.Fatal("only AssumeRoleWithWebIdentity and AssumeRoleWithSAML are unsigned")
	}
	if stssvc.New(f.dom, f.tokens, nil).Unsigned(op) {
		t.Fatal("without WithWebIdentity AssumeRoleWithWebIdentity needs a signature")
	}
	saml := webOp("AssumeRoleWithSAML")
	if !f.svc.Unsigned(saml) {
		t.Fatal("AssumeRoleWithSAML is unsigned")
	}
	_, err := f.svc.Authenticate(ctx, req, saml, &api.AssumeRoleWithSAMLInput{})
	wantErr(t, err, "NotImplemented", "AssumeRoleWithSAML")

	p, err := f.svc.Authenticate(ctx, req, op, webInput("app", map[string]any{"iss": issuer, "sub": "alice", "aud": []string{"other", "client-2"}}))
	if err != nil {
		t.Fatal(err)
	}
	if v.got.URL != issuer || len(v.got.ClientIDs) != 2 {
		t.Errorf("verified against %+v", v.got)
	}
	w := p.WebIdentity
	if p.Kind != caller.WebIdentityUser || p.Account != acct || p.UserName != "alice" || p.ID != provARN+":client-2:alice" || w == nil {
		t.Fatalf("principal = %+v", p)
	}
	if w.ProviderARN != provARN || w.Audience != "client-2" || w.Subject != "alice" || w.Issuer != issuer {
		t.Errorf("web identity = %+v", w)
	}
	if got := w.ConditionKeys["idp.example.com/t1:sub"]; len(got) != 1 || got[0] != "alice" {
		t.Errorf("condition keys = %v", w.ConditionKeys)
	}

	// azp is the audience when present.
	p, err = f.svc.Authenticate(ctx, req, op, webInput("app", map[string]any{"iss": issuer, "sub": "alice", "aud": []string{"x"}, "azp": "client-1"}))
	if err != nil || p.WebIdentity.Audience != "client-1" {
		t.Fatalf("azp: %+v %v", p.WebIdentity, err)
	}

	tests := []struct {
		name      string
		in        *api.AssumeRoleWithWebIdentityInput
		code, msg string
	}{
		{"no provider for the issuer", webInput("app", map[string]any{"iss": "https://other.example"}),
			"InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://other.example"},
		{"an issuer without a scheme", webInput("app", map[string]any{"iss": "other.example"}),
			"InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://other.example"},
		{"the provider of another account", webInput("app", map[string]any{"iss": issuer}), "", ""},
		{"expired", webInput("app", map[string]any{"iss": issuer, "err": "expired"}), "ExpiredTokenException", "Token expired"},
		{"audience", webInput("app", map[string]any{"iss": issuer, "err": "aud"}), "InvalidIdentityToken", "Incorrect token audience"},
		{"not a JWT", &api.AssumeRoleWithWebIdentityInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("s1"), WebIdentityToken: ptr.Of("abcdef")},
			"InvalidIdentityToken", ""},
		{"bad role ARN", &api.AssumeRoleWithWebIdentityInput{RoleArn: ptr.Of("arn:aws:iam::123456789012:user/bob"), RoleSessionName: ptr.Of("s1"),
			WebIdentityToken: ptr.Of(jwt(map[string]any{"iss": issuer}))}, "ValidationError", "Request ARN is invalid"},
		{"short session name", &api.AssumeRoleWithWebIdentityInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("s"),
			WebIdentityToken: ptr.Of(jwt(map[string]any{"iss": issuer}))}, "ValidationError", "roleSessionName"},
		{"short token", &api.AssumeRoleWithWebIdentityInput{RoleArn: roleARN("app"), RoleSessionName: ptr.Of("s1"),
			WebIdentityToken: ptr.Of("abc")}, "ValidationError", "webIdentityToken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.code == "" {
				// The role's account decides where the provider is looked up.
				in := tt.in
				in.RoleArn = ptr.Of("arn:aws:iam::999999999999:role/app")
				_, err := f.svc.Authenticate(ctx, req, op, in)
				wantErr(t, err, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for "+issuer)
				return
			}
			_, err := f.svc.Authenticate(ctx, req, op, tt.in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	f, _, _ := webFixture(t)
	req := &caller.Request{Time: epoch}
	op := webOp("AssumeRoleWithWebIdentity")
	claims := map[string]any{"iss": issuer, "sub": "alice", "aud": []string{"client-1"}, "https://aws.amazon.com/source_identity": "alice@example.com"}
	in := webInput("svc/long", claims)
	in.DurationSeconds = ptr.Of(int32(7200))
	in.Policy = ptr.Of(allow)
	p, err := f.svc.Authenticate(context.Background(), req, op, in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.svc.AssumeRoleWithWebIdentity(as(p), in)
	if err != nil {
		t.Fatal(err)
	}
	if ptr.Value(out.SubjectFromWebIdentityToken) != "alice" || ptr.Value(out.Audience) != "client-1" || ptr.Value(out.Provider) != issuer ||
		ptr.Value(out.SourceIdentity) != "alice@example.com" || out.PackedPolicySize == nil {
		t.Errorf("output = %+v", out)
	}
	wantARN := "arn:aws:sts::" + acct + ":assumed-role/long/web-1"
	if ptr.Value(out.AssumedRoleUser.Arn) != wantARN {
		t.Errorf("Arn = %s", ptr.Value(out.AssumedRoleUser.Arn))
	}
	s := f.open(out.Credentials)
	if s.Kind != caller.AssumedRole || s.ARN != wantARN || s.Account != acct || s.Session.RoleARN != "arn:aws:iam::"+acct+":role/svc/long" ||
		s.Session.SourceIdentity != "alice@example.com" || len(s.Session.Policies) != 1 || s.Session.Expires.Sub(s.Session.IssuedAt) != 2*time.Hour {
		t.Errorf("session = %+v %+v", s, s.Session)
	}

	t.Run("the role's MaxSessionDuration caps the duration", func(t *testing.T) {
		in := webInput("app", claims)
		in.DurationSeconds = ptr.Of(int32(7200))
		_, err := f.svc.AssumeRoleWithWebIdentity(as(p), in)
		wantErr(t, err, "ValidationError", "MaxSessionDuration")
	})
	t.Run("a missing role", func(t *testing.T) {
		_, err := f.svc.AssumeRoleWithWebIdentity(as(p), webInput("nope", claims))
		wantErr(t, err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	})
	t.Run("a signed caller", func(t *testing.T) {
		_, err := f.svc.AssumeRoleWithWebIdentity(f.userCtx(), webInput("app", claims))
		wantErr(t, err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
	})
	t.Run("a source identity with the aws: prefix", func(t *testing.T) {
		c := map[string]any{"iss": issuer, "sub": "alice", "aud": []string{"client-1"}, "https://aws.amazon.com/source_identity": "aws:x"}
		in := webInput("app", c)
		p, err := f.svc.Authenticate(context.Background(), req, op, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AssumeRoleWithWebIdentity(as(p), in)
		wantErr(t, err, "ValidationError", "aws:")
	})
}
