package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
)

// BenchmarkGetUserPipeline measures IAM GetUser through the whole pipeline of a real server
// on the bbolt store: HTTP, SigV4, decode, authorize, handler, audit (one durable event per
// request), encode. Signing happens in the benchmark loop too.
func BenchmarkGetUserPipeline(b *testing.B) {
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: b.TempDir(), Region: "us-east-1", Dev: true}
	s, err := app.Start(context.Background(), cfg, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	post := func(c *http.Client, body string) int {
		sum := sha256.Sum256([]byte(body))
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"},
			req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
			b.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	if st := post(c, "Action=CreateUser&Version=2010-05-08&UserName=bench"); st != http.StatusOK {
		b.Fatalf("CreateUser: %d", st)
	}
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if st := post(c, "Action=GetUser&Version=2010-05-08&UserName=bench"); st != http.StatusOK {
				b.Errorf("GetUser: %d", st)
				return
			}
		}
	})
}
