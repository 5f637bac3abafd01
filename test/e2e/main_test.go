// Package e2e drives Bulwark with real AWS clients (aws-sdk-go-v2) over HTTP, black-box.
package e2e

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
)

// startServer runs an in-process Bulwark in dev mode on a free port with its own data
// directory, and shuts it down when the test ends.
func startServer(t *testing.T) *app.Server {
	t.Helper()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Region: "us-east-1", Dev: true}
	s, err := app.Start(context.Background(), cfg, io.Discard)
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

// awsConfig returns an SDK configuration for the endpoint with static credentials.
func awsConfig(url, akid, secret, token string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(akid, secret, token),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{},
	}
}

type clients struct {
	iam   *iam.Client
	sts   *sts.Client
	trail *cloudtrail.Client
}

func newClients(url, akid, secret string) clients {
	cfg := awsConfig(url, akid, secret, "")
	return clients{iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg), trail: cloudtrail.NewFromConfig(cfg)}
}

// rootClients returns clients signed with the dev root key test/test.
func rootClients(s *app.Server) clients { return newClients(s.URL, "test", "test") }

// wantCode fails the test unless err is an AWS API error with the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want AWS error %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("error code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
}

// must returns v, failing the test given to the returned function if err is not nil. Use it
// as must(client.Call(ctx, in))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
