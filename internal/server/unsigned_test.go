package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	iamapi "github.com/bulwarkhq/bulwark/internal/api/iam"
	stsapi "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/server"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// strictAuth refuses unsigned requests as the SigV4 verifier does and accepts signed ones as
// the root user.
type strictAuth struct{}

func (strictAuth) Verify(ctx context.Context, r *http.Request, body []byte) (*sigv4.Result, error) {
	if r.Header.Get("Authorization") == "" {
		return nil, &sigv4.Error{Kind: sigv4.KindMissingAuthenticationToken}
	}
	return fakeAuth{}.Verify(ctx, r, body)
}

// tokenAuth is the Unauthenticated hook: AssumeRoleWithWebIdentity with token "good" is
// the web identity user of account 444455556666; any other token is InvalidIdentityToken.
type tokenAuth struct{ calls int }

func (a *tokenAuth) Unsigned(op *protocol.Operation) bool {
	return op.Service.SigningName == "sts" && op.Name == "AssumeRoleWithWebIdentity"
}

func (a *tokenAuth) Authenticate(_ context.Context, _ *caller.Request, _ *protocol.Operation, in protocol.Input) (caller.Principal, error) {
	a.calls++
	if tok := in.(*stsapi.AssumeRoleWithWebIdentityInput).WebIdentityToken; tok == nil || *tok != "good" {
		return caller.Principal{}, awserr.New("InvalidIdentityToken", http.StatusBadRequest, "bad token")
	}
	return caller.Principal{Kind: caller.WebIdentityUser, Account: "444455556666", ID: "p:aud:alice", UserName: "alice",
		WebIdentity: &caller.WebIdentity{ProviderARN: "arn:aws:iam::444455556666:oidc-provider/idp.example", Subject: "alice"}}, nil
}

// stsImpl answers AssumeRoleWithWebIdentity with the caller it sees.
type stsImpl struct{}

func (stsImpl) AssumeRoleWithWebIdentity(ctx context.Context, _ *stsapi.AssumeRoleWithWebIdentityInput) (*stsapi.AssumeRoleWithWebIdentityOutput, error) {
	p := caller.FromContext(ctx).Principal
	kind := string(p.Kind)
	return &stsapi.AssumeRoleWithWebIdentityOutput{SubjectFromWebIdentityToken: &p.UserName, Provider: &kind}, nil
}

// recordingAuthz allows everything and remembers the callers it saw.
type recordingAuthz struct{ seen []caller.Kind }

func (a *recordingAuthz) Authorize(_ context.Context, req *caller.Request, _ *protocol.Operation, _ protocol.Input) error {
	a.seen = append(a.seen, req.Principal.Kind)
	return nil
}

func TestUnsignedOperations(t *testing.T) {
	form := func(action string, kv ...string) string {
		v := url.Values{"Action": {action}, "Version": {"2011-06-15"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	web := func(token string) string {
		return form("AssumeRoleWithWebIdentity", "RoleArn", "arn:aws:iam::444455556666:role/r", "RoleSessionName", "s",
			"WebIdentityToken", token)
	}
	tests := []struct {
		name       string
		body       string
		signed     bool
		wantStatus int
		wantBody   []string
		wantCalls  int
		wantEvents int
		wantKind   caller.Kind
	}{
		{name: "unsigned web identity call is authenticated by its token", body: web("good"),
			wantStatus: 200, wantBody: []string{"<SubjectFromWebIdentityToken>alice</SubjectFromWebIdentityToken>", "<Provider>WebIdentityUser</Provider>"},
			wantCalls: 1, wantEvents: 1, wantKind: caller.WebIdentityUser},
		{name: "a bad token is answered and not audited", body: web("bad"),
			wantStatus: 400, wantBody: []string{"<Code>InvalidIdentityToken</Code>"}, wantCalls: 1},
		{name: "a missing token fails validation before the hook", body: form("AssumeRoleWithWebIdentity", "RoleArn", "arn:aws:iam::444455556666:role/r", "RoleSessionName", "s"),
			wantStatus: 400, wantBody: []string{"webIdentityToken"}},
		{name: "a signed call takes the signature path", body: web("good"), signed: true,
			wantStatus: 200, wantBody: []string{"<Provider>Root</Provider>"}, wantEvents: 1, wantKind: caller.Root},
		{name: "other unsigned sts calls need a signature", body: form("GetCallerIdentity"),
			wantStatus: 403, wantBody: []string{"<Code>MissingAuthenticationToken</Code>"}},
		{name: "unsigned IAM calls need a signature", body: "Action=GetUser&Version=2010-05-08",
			wantStatus: 403, wantBody: []string{"<Code>MissingAuthenticationToken</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sink{}
			hook := &tokenAuth{}
			az := &recordingAuthz{}
			p := server.New(server.Config{
				// IAM first: an unsigned form POST must still reach STS by its Action.
				Services:        []*protocol.Service{iamapi.Service(iamImpl{}), stsapi.Service(stsImpl{})},
				Authenticator:   strictAuth{},
				Authorizer:      az,
				Audit:           s,
				Unauthenticated: hook,
			})
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.signed {
				r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00")
				r.Header.Set("X-Test-Service", "sts")
			}
			w := httptest.NewRecorder()
			p.ServeHTTP(w, r)
			b, _ := io.ReadAll(w.Result().Body)
			body := string(b)
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", w.Code, tt.wantStatus, body)
			}
			for _, want := range tt.wantBody {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q: %s", want, body)
				}
			}
			if hook.calls != tt.wantCalls {
				t.Errorf("hook calls = %d, want %d", hook.calls, tt.wantCalls)
			}
			if len(s.events) != tt.wantEvents {
				t.Fatalf("events = %d, want %d", len(s.events), tt.wantEvents)
			}
			if tt.wantKind != "" && (len(az.seen) != 1 || az.seen[0] != tt.wantKind) {
				t.Errorf("authorizer saw %v, want [%s]", az.seen, tt.wantKind)
			}
			if tt.wantEvents == 1 && tt.wantKind == caller.WebIdentityUser {
				e := s.events[0]
				if e.RecipientAccountID != "444455556666" || e.UserIdentity.Type != "WebIdentityUser" || e.UserIdentity.AccountID != "" ||
					e.UserIdentity.UserName != "alice" || e.AWSRegion != "us-east-1" || e.EventName != "AssumeRoleWithWebIdentity" {
					t.Errorf("event = %+v", e)
				}
				if strings.Contains(string(e.RequestParameters), "good") {
					t.Errorf("the token is in the audit event: %s", e.RequestParameters)
				}
			}
		})
	}
}
