package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
)

// testIdP is an OpenID Connect identity provider served by httptest over TLS, reachable as
// https://example.com/tenant (the name httptest's certificate carries; its client dials the
// test server whatever the host), with one ES256 signing key.
type testIdP struct {
	issuer string
	key    *ecdsa.PrivateKey
	client *http.Client
}

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	idp := &testIdP{issuer: "https://example.com/tenant", key: key}
	b64 := base64.RawURLEncoding.EncodeToString
	mux := http.NewServeMux()
	mux.HandleFunc("/tenant/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": idp.issuer, "jwks_uri": idp.issuer + "/keys",
			"id_token_signing_alg_values_supported": []string{"ES256"}})
	})
	mux.HandleFunc("/tenant/keys", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "EC", "crv": "P-256", "kid": "k1",
			"use": "sig", "alg": "ES256", "x": b64(key.X.FillBytes(make([]byte, 32))), "y": b64(key.Y.FillBytes(make([]byte, 32)))}}})
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	addr := srv.Listener.Addr().String()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	idp.client = &http.Client{Transport: tr, Timeout: 10 * time.Second}
	return idp
}

// token returns an ID token signed by the IdP with the claims over defaults (iss, sub
// "alice", aud "client-1", iat now, exp in an hour). A nil value removes a claim.
func (idp *testIdP) token(t *testing.T, claims map[string]any) string {
	t.Helper()
	now := time.Now()
	c := map[string]any{"iss": idp.issuer, "sub": "alice", "aud": "client-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(map[string]string{"alg": "ES256", "kid": "k1", "typ": "JWT"}) + "." + enc(c)
	sum := sha256.Sum256([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, idp.key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// startServerWithIdP runs Bulwark trusting the test IdP's certificate for OIDC fetches.
func startServerWithIdP(t *testing.T, idp *testIdP) *app.Server {
	t.Helper()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Region: "us-east-1", Dev: true}
	s, err := app.Start(context.Background(), cfg, io.Discard, app.WithOIDCClient(idp.client))
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

func TestSTSAssumeRoleWithWebIdentity(t *testing.T) {
	idp := newTestIdP(t)
	s := startServerWithIdP(t, idp)
	ctx := context.Background()
	root := rootClients(s)
	const host = "example.com/tenant"
	prov := must(root.iam.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String(idp.issuer), ClientIDList: []string{"client-1", "client-2"}}))(t)
	provARN := aws.ToString(prov.OpenIDConnectProviderArn)
	if provARN != "arn:aws:iam::000000000000:oidc-provider/"+host {
		t.Fatalf("provider ARN = %s", provARN)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` + provARN + `"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"` + host + `:aud":"client-1","` + host + `:sub":"alice"}}}]}`
	role := must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("web"), AssumeRolePolicyDocument: aws.String(trust)}))(t).Role
	must(root.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("web"), PolicyName: aws.String("read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}`)}))(t)

	// No credentials at all: the SDK sends AssumeRoleWithWebIdentity unsigned.
	anon := sts.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: aws.AnonymousCredentials{},
		BaseEndpoint: aws.String(s.URL), HTTPClient: &http.Client{}})
	assume := func(token string, mod ...func(*sts.AssumeRoleWithWebIdentityInput)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
		in := &sts.AssumeRoleWithWebIdentityInput{RoleArn: role.Arn, RoleSessionName: aws.String("session1"),
			WebIdentityToken: aws.String(token)}
		for _, m := range mod {
			m(in)
		}
		return anon.AssumeRoleWithWebIdentity(ctx, in)
	}

	t.Run("a valid token gets working role credentials", func(t *testing.T) {
		out := must(assume(idp.token(t, nil)))(t)
		c := out.Credentials
		if !strings.HasPrefix(aws.ToString(c.AccessKeyId), "ASIA") || aws.ToString(c.SessionToken) == "" {
			t.Fatalf("credentials = %+v", c)
		}
		if d := time.Until(aws.ToTime(c.Expiration)); d < 59*time.Minute || d > 61*time.Minute {
			t.Errorf("expires in %s, want 1h", d)
		}
		if got := aws.ToString(out.SubjectFromWebIdentityToken); got != "alice" {
			t.Errorf("SubjectFromWebIdentityToken = %s", got)
		}
		if got := aws.ToString(out.Audience); got != "client-1" {
			t.Errorf("Audience = %s", got)
		}
		if got := aws.ToString(out.Provider); got != idp.issuer {
			t.Errorf("Provider = %s", got)
		}
		wantARN := "arn:aws:sts::000000000000:assumed-role/web/session1"
		if got := aws.ToString(out.AssumedRoleUser.Arn); got != wantARN {
			t.Errorf("AssumedRoleUser.Arn = %s", got)
		}
		if got := aws.ToString(out.AssumedRoleUser.AssumedRoleId); got != aws.ToString(role.RoleId)+":session1" {
			t.Errorf("AssumedRoleId = %s", got)
		}
		cfg := awsConfig(s.URL, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
		id := must(sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))(t)
		if got := aws.ToString(id.Arn); got != wantARN {
			t.Errorf("GetCallerIdentity Arn = %s", got)
		}
		session := iam.NewFromConfig(cfg)
		must(session.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("web")}))(t)
		_, err := session.ListUsers(ctx, &iam.ListUsersInput{})
		wantCode(t, err, "AccessDenied")
	})

	t.Run("duration and session policy", func(t *testing.T) {
		out := must(assume(idp.token(t, map[string]any{"azp": "client-1", "aud": []string{"client-1", "other"}}), func(in *sts.AssumeRoleWithWebIdentityInput) {
			in.DurationSeconds = aws.Int32(900)
			in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:GetRole","Resource":"*"}]}`)
		}))(t)
		if d := time.Until(aws.ToTime(out.Credentials.Expiration)); d > 16*time.Minute {
			t.Errorf("expires in %s, want 15m", d)
		}
		if out.PackedPolicySize == nil {
			t.Error("no PackedPolicySize")
		}
		c := out.Credentials
		session := iam.NewFromConfig(awsConfig(s.URL, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
		_, err := session.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("web")})
		wantCode(t, err, "AccessDenied")
		_, err = assume(idp.token(t, nil), func(in *sts.AssumeRoleWithWebIdentityInput) { in.DurationSeconds = aws.Int32(7200) })
		wantCode(t, err, "ValidationError")
	})

	// alice's signature over mallory's claims.
	good, other := strings.Split(idp.token(t, nil), "."), strings.Split(idp.token(t, map[string]any{"sub": "mallory"}), ".")
	forged := good[0] + "." + other[1] + "." + good[2]
	refusals := []struct {
		name, token, code, message string
	}{
		{"an audience the trust policy does not allow", idp.token(t, map[string]any{"aud": "client-2"}), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"a subject the trust policy does not allow", idp.token(t, map[string]any{"sub": "mallory"}), "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"an audience that is not a client ID of the provider", idp.token(t, map[string]any{"aud": "client-3"}), "InvalidIdentityToken", "Incorrect token audience"},
		{"an expired token", idp.token(t, map[string]any{"iat": time.Now().Add(-3 * time.Hour).Unix(), "exp": time.Now().Add(-2 * time.Hour).Unix()}), "ExpiredTokenException", "expired"},
		{"an issuer without a provider", idp.token(t, map[string]any{"iss": "https://unknown.example"}), "InvalidIdentityToken",
			"No OpenIDConnect provider found in your account for https://unknown.example"},
		{"a token with a bad signature", forged, "InvalidIdentityToken", "signature"},
		{"not a token", "not-a-jwt", "InvalidIdentityToken", ""},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := assume(tt.token)
			wantCode(t, err, tt.code)
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error = %v, want %q", err, tt.message)
			}
		})
	}

	t.Run("a role that does not trust the provider", func(t *testing.T) {
		other := must(root.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("other"),
			AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"sts:AssumeRole"}]}`)}))(t).Role
		_, err := assume(idp.token(t, nil), func(in *sts.AssumeRoleWithWebIdentityInput) { in.RoleArn = other.Arn })
		wantCode(t, err, "AccessDenied")
	})

	t.Run("the call is audited in the role's account as a WebIdentityUser", func(t *testing.T) {
		out := must(root.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
			{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("AssumeRoleWithWebIdentity")}}}))(t)
		if len(out.Events) == 0 {
			t.Fatal("no AssumeRoleWithWebIdentity events")
		}
		var ok bool
		for _, e := range out.Events {
			js := aws.ToString(e.CloudTrailEvent)
			var rec struct {
				UserIdentity struct {
					Type, PrincipalID, UserName string
				} `json:"userIdentity"`
				ErrorCode          string `json:"errorCode"`
				RecipientAccountID string `json:"recipientAccountId"`
			}
			if err := json.Unmarshal([]byte(js), &rec); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(js, "eyJhbGci") { // the start of every token's header
				t.Errorf("the web identity token is in the audit trail: %s", js)
			}
			if rec.UserIdentity.Type != "WebIdentityUser" || rec.RecipientAccountID != "000000000000" {
				t.Errorf("event = %s", js)
			}
			if rec.ErrorCode == "" && rec.UserIdentity.UserName == "alice" &&
				rec.UserIdentity.PrincipalID == provARN+":client-1:alice" {
				ok = true
			}
		}
		if !ok {
			t.Error("no successful event for alice")
		}
	})

	t.Run("unsigned AssumeRoleWithSAML is not implemented", func(t *testing.T) {
		_, err := anon.AssumeRoleWithSAML(ctx, &sts.AssumeRoleWithSAMLInput{RoleArn: role.Arn,
			PrincipalArn: aws.String("arn:aws:iam::000000000000:saml-provider/idp"), SAMLAssertion: aws.String(strings.Repeat("a", 10))})
		wantCode(t, err, "NotImplemented")
	})

	t.Run("the SDK does not sign it even with credentials at hand", func(t *testing.T) {
		// Signed as root, the call would be refused ("Roles may not be assumed by root
		// accounts."); unsigned, the token alone decides.
		out := must(root.sts.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{RoleArn: role.Arn,
			RoleSessionName: aws.String("s2"), WebIdentityToken: aws.String(idp.token(t, nil))}))(t)
		if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::000000000000:assumed-role/web/s2" {
			t.Errorf("Arn = %s", got)
		}
	})
}
