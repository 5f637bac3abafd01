package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	iamapi "github.com/bulwarkhq/bulwark/internal/api/iam"
	stsapi "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/server"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// fakeAuth accepts every request as the root user of 111122223333, signed for iam or sts.
type fakeAuth struct{}

func (fakeAuth) Verify(_ context.Context, r *http.Request, _ []byte) (*sigv4.Result, error) {
	svc := r.Header.Get("X-Test-Service")
	return &sigv4.Result{
		Scope: sigv4.Scope{AccessKeyID: "AKIAEXAMPLEEXAMPLE00", Region: "eu-west-1", Service: svc},
		Credential: sigv4.Credential{AccessKeyID: "AKIAEXAMPLEEXAMPLE00", Principal: caller.Principal{
			Kind: caller.Root, Account: "111122223333", ARN: "arn:aws:iam::111122223333:root", ID: "111122223333"}},
	}, nil
}

type sink struct {
	events []*audit.Event
	err    error
}

func (s *sink) Record(_ context.Context, e *audit.Event) error {
	if s.err != nil {
		return s.err
	}
	s.events = append(s.events, e)
	return nil
}

// iamImpl implements two IAM operations: one that works and one that panics.
type iamImpl struct{}

func (iamImpl) GetUser(context.Context, *iamapi.GetUserInput) (*iamapi.GetUserOutput, error) {
	name := "alice"
	return &iamapi.GetUserOutput{User: &iamapi.User{UserName: &name}}, nil
}

func (iamImpl) ListUsers(context.Context, *iamapi.ListUsersInput) (*iamapi.ListUsersOutput, error) {
	panic("internal detail that must not leak")
}

// allowAll is an Authorizer that allows every request: these tests are about the pipeline.
type allowAll struct{}

func (allowAll) Authorize(context.Context, *caller.Request, *protocol.Operation, protocol.Input) error {
	return nil
}

func newPipeline(s *sink, maxBody int64) *server.Pipeline {
	return server.New(server.Config{
		Services:      []*protocol.Service{iamapi.Service(iamImpl{}), stsapi.Service(nil)},
		Authenticator: fakeAuth{},
		Authorizer:    allowAll{},
		Audit:         s,
		MaxBody:       maxBody,
	})
}

func do(t *testing.T, p http.Handler, service, body string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20260101/eu-west-1/"+service+"/aws4_request, SignedHeaders=host, Signature=00")
	r.Header.Set("X-Test-Service", service)
	w := httptest.NewRecorder()
	p.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Code, string(b)
}

func TestPipeline(t *testing.T) {
	tests := []struct {
		name       string
		service    string
		body       string
		sinkErr    error
		maxBody    int64
		wantStatus int
		wantBody   []string
		notBody    []string
		wantEvents int
	}{
		{name: "success is audited with the global Region", service: "iam", body: "Action=GetUser&Version=2010-05-08&UserName=alice",
			wantStatus: 200, wantBody: []string{"<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">", "<GetUserResult><User><UserName>alice</UserName>", "<RequestId>"}, wantEvents: 1},
		{name: "an unrecorded event fails the request", service: "iam", body: "Action=GetUser&Version=2010-05-08", sinkErr: errors.New("disk full"),
			wantStatus: 500, wantBody: []string{"<Code>InternalFailure</Code>"}, notBody: []string{"disk full", "<UserName>"}},
		{name: "a panic is a 500 without internal text", service: "iam", body: "Action=ListUsers&Version=2010-05-08",
			wantStatus: 500, wantBody: []string{"<Code>InternalFailure</Code>", "<Type>Receiver</Type>"}, notBody: []string{"internal detail"}, wantEvents: 1},
		{name: "unbuilt operation", service: "sts", body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::111122223333:role/r&RoleSessionName=s",
			wantStatus: 501, wantBody: []string{"<Code>NotImplemented</Code>", "STS AssumeRole is not implemented"}, wantEvents: 1},
		{name: "body over the limit", service: "iam", body: "Action=GetUser&Version=2010-05-08&UserName=" + strings.Repeat("a", 100), maxBody: 64,
			wantStatus: 413, wantBody: []string{"<Code>RequestEntityTooLarge</Code>"}},
		{name: "scope for another service", service: "kms", body: "Action=GetUser&Version=2010-05-08",
			wantStatus: 400, wantBody: []string{"<Code>UnknownService</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sink{err: tt.sinkErr}
			status, body := do(t, newPipeline(s, tt.maxBody), tt.service, tt.body)
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", status, tt.wantStatus, body)
			}
			for _, w := range tt.wantBody {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q: %s", w, body)
				}
			}
			for _, w := range tt.notBody {
				if strings.Contains(body, w) {
					t.Errorf("body contains %q: %s", w, body)
				}
			}
			if len(s.events) != tt.wantEvents {
				t.Fatalf("events = %d, want %d", len(s.events), tt.wantEvents)
			}
			if tt.wantEvents > 0 {
				e := s.events[0]
				if e.AWSRegion == "" || e.RecipientAccountID != "111122223333" || e.UserIdentity.Type != "Root" || e.RequestID == "" {
					t.Errorf("event = %+v", e)
				}
				if tt.service == "iam" && e.AWSRegion != "us-east-1" {
					t.Errorf("IAM event Region = %s, want us-east-1", e.AWSRegion)
				}
			}
		})
	}
}
