// Command loadgen measures Bulwark through its whole pipeline: it signs every request with
// SigV4 (a lean signer of its own, checked against aws-sdk-go-v2's by a first probe request
// and by the server verifying every request), sends IAM GetUser (or another awsQuery action)
// over many keep-alive connections, and reports requests per second with p50 / p99 latency. With -coldstart it
// instead starts a bulwark binary and reports the time to its first answered request.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:4566", "Bulwark endpoint")
	akid := flag.String("access-key", "test", "access key ID")
	secret := flag.String("secret", "test", "secret access key")
	body := flag.String("body", "Action=GetUser&Version=2010-05-08&UserName=loadgen", "awsQuery form body")
	conc := flag.Int("c", 64, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "duration")
	cold := flag.String("coldstart", "", "path of a bulwark binary: measure cold start instead")
	flag.Parse()
	if *cold != "" {
		if err := coldStart(*cold); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if err := load(*url, *akid, *secret, *body, *conc, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

type client struct {
	http   *http.Client
	signer *v4.Signer
	creds  aws.Credentials
	url    string
	body   string
	hash   string
}

func newClient(url, akid, secret, body string, conns int) *client {
	sum := sha256.Sum256([]byte(body))
	return &client{
		http:   &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}},
		signer: v4.NewSigner(),
		creds:  aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret},
		url:    url, body: body, hash: hex.EncodeToString(sum[:]),
	}
}

// do sends one signed request and returns its status.
func (c *client) do(ctx context.Context) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/", strings.NewReader(c.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := c.signer.SignHTTP(ctx, c.creds, req, c.hash, "iam", "us-east-1", time.Now()); err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func load(url, akid, secret, body string, conc int, dur time.Duration) error {
	c := newClient(url, akid, secret, body, conc)
	if status, err := c.do(context.Background()); err != nil || status != http.StatusOK {
		return fmt.Errorf("probe request: status %d, err %v (does the user exist? create it first)", status, err)
	}
	host := strings.TrimPrefix(url, "http://")
	var (
		mu       sync.Mutex
		all      []time.Duration
		failures atomic.Int64
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(dur)
	start := time.Now()
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat, failed := worker(host, akid, secret, body, c.hash, deadline)
			failures.Add(failed)
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	if len(all) == 0 {
		return fmt.Errorf("no successful requests (%d failures)", failures.Load())
	}
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	fmt.Printf("requests %d  failures %d  duration %s  concurrency %d\n", len(all), failures.Load(), elapsed.Round(time.Millisecond), conc)
	fmt.Printf("throughput %.0f req/s  p50 %s  p99 %s  max %s\n", float64(len(all))/elapsed.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), all[len(all)-1].Round(time.Microsecond))
	return nil
}

// worker sends signed requests one at a time over one keep-alive connection until the
// deadline, and returns the latencies of the successful ones and the number of failures.
func worker(host, akid, secret, body, bodyHash string, deadline time.Time) ([]time.Duration, int64) {
	s := &signer{akid: akid, secret: secret, region: "us-east-1", service: "iam", host: host, bodyHash: bodyHash}
	lat := make([]time.Duration, 0, 1<<16)
	var failed int64
	var conn net.Conn
	var br *bufio.Reader
	for time.Now().Before(deadline) {
		if conn == nil {
			var err error
			if conn, err = net.Dial("tcp", host); err != nil {
				failed++
				time.Sleep(10 * time.Millisecond)
				continue
			}
			br = bufio.NewReaderSize(conn, 16<<10)
		}
		t0 := time.Now()
		if _, err := conn.Write(s.request(body, t0)); err != nil {
			failed++
			conn.Close()
			conn = nil
			continue
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			failed++
			conn.Close()
			conn = nil
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			failed++
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	if conn != nil {
		conn.Close()
	}
	return lat, failed
}

// coldStart starts `bin serve --dev` on a fresh data directory and times the first answered
// signed request (sts GetCallerIdentity, signed as the dev root user).
func coldStart(bin string) error {
	dir, err := os.MkdirTemp("", "bulwark-coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	const addr = "127.0.0.1:45661"
	c := newClient("http://"+addr, "test", "test", "Action=GetCallerIdentity&Version=2011-06-15", 1)
	c.http.Timeout = time.Second
	for _, run := range []string{"first start (creates the store)", "restart (opens the store)"} {
		start := time.Now()
		cmd := exec.Command(bin, "serve", "--dev", "--listen", addr, "--data", filepath.Join(dir, "data"))
		if err := cmd.Start(); err != nil {
			return err
		}
		var elapsed time.Duration
		for {
			req, _ := http.NewRequest(http.MethodPost, c.url+"/", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			_ = c.signer.SignHTTP(context.Background(), c.creds, req, c.hash, "sts", "us-east-1", time.Now())
			if resp, err := c.http.Do(req); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					elapsed = time.Since(start)
					break
				}
			}
			if time.Since(start) > 10*time.Second {
				_ = cmd.Process.Kill()
				return fmt.Errorf("no answer within 10s")
			}
			time.Sleep(200 * time.Microsecond)
		}
		fmt.Printf("%s: %.1f ms from exec to the first answered request\n", run, float64(elapsed.Microseconds())/1000)
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	return nil
}
