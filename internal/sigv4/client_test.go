package sigv4_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// sdkServer verifies every request with a real clock and answers with an empty success
// response of the service the scope names, or with the AWS error.
type sdkServer struct {
	*httptest.Server
	v *sigv4.Verifier

	mu      sync.Mutex
	results []*sigv4.Result
	errs    []error
}

func newSDKServer(t *testing.T, store sigv4.CredentialStore) *sdkServer {
	s := &sdkServer{v: sigv4.NewVerifier(store, time.Now)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *sdkServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	scope, _ := sigv4.ParseScope(r)
	res, err := s.v.Verify(r.Context(), r, body)
	if err == nil {
		err = sigv4.CheckScope(res.Scope, scope.Service, func(region string) bool { return region == "us-east-1" })
	}
	s.mu.Lock()
	s.results = append(s.results, res)
	s.errs = append(s.errs, err)
	s.mu.Unlock()

	protocol := sigv4.ProtocolJSON
	switch scope.Service {
	case "iam", "sts":
		protocol = sigv4.ProtocolQuery
	case "guardduty":
		protocol = sigv4.ProtocolRESTJSON
	}
	if err != nil {
		ae := sigv4.AWSError(err, protocol)
		if protocol == sigv4.ProtocolQuery {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(ae.Status)
			io.WriteString(w, "<ErrorResponse><Error><Type>Sender</Type><Code>"+ae.Code+"</Code><Message>"+
				ae.Message+"</Message></Error><RequestId>1</RequestId></ErrorResponse>")
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-ErrorType", ae.Code)
		w.WriteHeader(ae.Status)
		io.WriteString(w, `{"__type":"`+ae.Code+`","message":"verification failed"}`)
		return
	}
	switch scope.Service {
	case "iam":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>`)
	case "sts":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`)
	default:
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{}`)
	}
}

func (s *sdkServer) last(t *testing.T) (*sigv4.Result, error) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) == 0 {
		t.Fatal("the server saw no request")
	}
	return s.results[len(s.results)-1], s.errs[len(s.errs)-1]
}

// TestVerifyRealClients runs the service clients of aws-sdk-go-v2 against a server that
// verifies with a real clock: the signatures Bulwark accepts are the ones the SDK makes.
func TestVerifyRealClients(t *testing.T) {
	// testStore's temporary credentials expire an hour after signTime; these do not.
	srv := newSDKServer(t, sigv4.StaticStore{
		longKeyID: testStore()[longKeyID],
		tempKeyID: {AccessKeyID: tempKeyID, SecretAccessKey: tempSecret, SessionToken: sessionToken},
	})

	creds := map[string]aws.CredentialsProvider{
		"long-term": credentials.NewStaticCredentialsProvider(longKeyID, longSecret, ""),
		"session":   credentials.NewStaticCredentialsProvider(tempKeyID, tempSecret, sessionToken),
	}
	ctx := context.Background()
	for name, cp := range creds {
		cfg := aws.Config{Region: "us-east-1", Credentials: cp, HTTPClient: srv.Client(),
			BaseEndpoint: aws.String(srv.URL), RetryMaxAttempts: 1}
		calls := []struct {
			name string
			call func() error
		}{
			{"iam ListUsers", func() error {
				_, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/a b+c/é/")})
				return err
			}},
			{"kms ListKeys", func() error {
				_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{Marker: aws.String("x y+z/=")})
				return err
			}},
			{"guardduty GetDetector (path label)", func() error {
				_, err := guardduty.NewFromConfig(cfg).GetDetector(ctx,
					&guardduty.GetDetectorInput{DetectorId: aws.String("ab cd/é?*%~.x")})
				return err
			}},
			{"guardduty ListDetectors (query)", func() error {
				_, err := guardduty.NewFromConfig(cfg).ListDetectors(ctx,
					&guardduty.ListDetectorsInput{NextToken: aws.String("a+b c/=&d"), MaxResults: aws.Int32(7)})
				return err
			}},
			{"sts presigned GetCallerIdentity", func() error {
				p, err := sts.NewPresignClient(sts.NewFromConfig(cfg)).PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
				if err != nil {
					return err
				}
				req, err := http.NewRequest(p.Method, p.URL, nil)
				if err != nil {
					return err
				}
				req.Header = p.SignedHeader.Clone()
				resp, err := srv.Client().Do(req)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return errors.New(resp.Status)
				}
				return nil
			}},
		}
		for _, c := range calls {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				if err := c.call(); err != nil {
					_, verr := srv.last(t)
					t.Fatalf("call: %v (server: %v)", err, verr)
				}
				res, err := srv.last(t)
				if err != nil || res == nil {
					t.Fatalf("server: %v", err)
				}
				if want := name == "session"; (res.Credential.SessionToken != "") != want {
					t.Errorf("session token seen = %v", res.Credential.SessionToken != "")
				}
				if strings.HasPrefix(c.name, "sts") != res.Presigned {
					t.Errorf("presigned = %v", res.Presigned)
				}
			})
		}
	}

	t.Run("wrong secret answers the SDK's error code", func(t *testing.T) {
		cfg := aws.Config{Region: "us-east-1", HTTPClient: srv.Client(), BaseEndpoint: aws.String(srv.URL),
			RetryMaxAttempts: 1, Credentials: credentials.NewStaticCredentialsProvider(longKeyID, wrongSecret, "")}
		_, err := iam.NewFromConfig(cfg).ListUsers(ctx, &iam.ListUsersInput{})
		if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
			t.Errorf("iam: %v", err)
		}
		_, err = kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
		if err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
			t.Errorf("kms: %v", err)
		}
	})

	t.Run("region the server does not serve", func(t *testing.T) {
		cfg := aws.Config{Region: "eu-central-2", HTTPClient: srv.Client(), BaseEndpoint: aws.String(srv.URL),
			RetryMaxAttempts: 1, Credentials: creds["long-term"]}
		_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
		if err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
			t.Errorf("kms: %v", err)
		}
		_, verr := srv.last(t)
		if verr == nil || !strings.Contains(verr.Error(), "Credential should be scoped to a valid region, not 'eu-central-2'.") {
			t.Errorf("server: %v", verr)
		}
	})
}
