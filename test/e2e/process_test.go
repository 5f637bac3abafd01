package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

var buildOnce struct {
	sync.Once
	path string
	err  error
}

// binary builds cmd/bulwark once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the bulwark binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "bulwark-e2e")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.path = filepath.Join(dir, "bulwark")
		out, err := exec.Command("go", "build", "-o", buildOnce.path, "github.com/bulwarkhq/bulwark/cmd/bulwark").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.path
}

type process struct {
	cmd *exec.Cmd
	url string
	out *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// spawn starts `bulwark serve` with the arguments and waits until it answers.
func spawn(t *testing.T, dataDir string, args ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(binary(t), append([]string{"serve", "--listen", addr, "--data", dataDir}, args...)...)
	p := &process{cmd: cmd, url: "http://" + addr, out: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("bulwark did not start:\n%s", p.out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestAcknowledgedWritesSurviveKill9 creates users, kills the server with SIGKILL in the
// middle of a stream of writes, restarts it and finds every acknowledged user.
func TestAcknowledgedWritesSurviveKill9(t *testing.T) {
	dir := t.TempDir()
	p := spawn(t, dir, "--dev")
	c := newClients(p.url, "test", "test").iam
	ctx := context.Background()
	acked := make(chan string, 1000)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				name := fmt.Sprintf("w%d-u%d", w, i)
				if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}); err != nil {
					return // the server is gone
				}
				select {
				case acked <- name:
				case <-done:
					return
				}
			}
		}(w)
	}
	var names []string
	for len(names) < 100 {
		names = append(names, <-acked)
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
	close(done)
	wg.Wait()
	close(acked)
	for n := range acked {
		names = append(names, n)
	}

	p2 := spawn(t, dir, "--dev")
	c2 := newClients(p2.url, "test", "test").iam
	for _, n := range names {
		if _, err := c2.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(n)}); err != nil {
			t.Fatalf("acknowledged user %s lost after kill -9: %v", n, err)
		}
	}
	t.Logf("%d acknowledged users survived kill -9", len(names))
}

// TestSecretsAreNotOnDisk checks that a secret access key and a policy's text never appear
// in plaintext in the data directory.
func TestSecretsAreNotOnDisk(t *testing.T) {
	dir := t.TempDir()
	p := spawn(t, dir, "--dev")
	c := newClients(p.url, "test", "test").iam
	ctx := context.Background()
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("erin")}))(t)
	key := must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("erin")}))(t).AccessKey
	const marker = "arn:aws:s3:::very-distinctive-bucket-name-4242"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + marker + `"}]}`
	must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}))(t)
	must(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("erin"), PolicyName: aws.String("i"), PolicyDocument: aws.String(doc)}))(t)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.out)
	}
	secret := aws.ToString(key.SecretAccessKey)
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range []string{secret, marker, "very-distinctive"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains %q in plaintext", path, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.out.String(), secret) {
		t.Error("the server log contains the secret access key")
	}
}

// TestFirstStartWritesRootCredentialsOnce checks the non-dev bootstrap: a random account, its
// root credentials in a mode-0600 file whose path (not the secret) is printed, and the same
// account on the next start.
func TestFirstStartWritesRootCredentialsOnce(t *testing.T) {
	dir := t.TempDir()
	p := spawn(t, dir)
	credPath := filepath.Join(dir, "root-credentials")
	info, err := os.Stat(credPath)
	if err != nil {
		t.Fatalf("no root credentials file: %v\n%s", err, p.out)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", info.Mode().Perm())
	}
	creds := map[string]string{}
	f, err := os.Open(credPath)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			creds[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	f.Close()
	akid, secret, account := creds["aws_access_key_id"], creds["aws_secret_access_key"], creds["account_id"]
	if !strings.HasPrefix(akid, "AKIA") || len(secret) != 40 || len(account) != 12 || account == "000000000000" {
		t.Fatalf("credentials file = %v", creds)
	}
	if !strings.Contains(p.out.String(), credPath) {
		t.Errorf("the log does not name %s:\n%s", credPath, p.out)
	}
	if strings.Contains(p.out.String(), secret) {
		t.Error("the log contains the root secret")
	}
	ctx := context.Background()
	id := must(newClients(p.url, akid, secret).sts.GetCallerIdentity(ctx, nil))(t)
	if aws.ToString(id.Arn) != "arn:aws:iam::"+account+":root" {
		t.Errorf("caller = %s", aws.ToString(id.Arn))
	}
	// The dev key does not exist outside --dev.
	_, err = newClients(p.url, "test", "test").sts.GetCallerIdentity(ctx, nil)
	wantCode(t, err, "InvalidClientTokenId")
}

// TestSIGTERMFinishesInFlightRequests sends SIGTERM while a slow request (argon2id password
// hashing) is being served: it must still get its answer, and the server must exit cleanly.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	dir := t.TempDir()
	p := spawn(t, dir, "--dev")
	ctx := context.Background()
	must(newClients(p.url, "test", "test").iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("slow")}))(t)
	// A fresh connection, and no retries: a retry would hide a dropped request.
	cfg := awsConfig(p.url, "test", "test", "")
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	cfg.RetryMaxAttempts = 1
	c := iam.NewFromConfig(cfg)
	before := cpuTime(t, p.cmd.Process.Pid)
	done := make(chan error, 1)
	go func() {
		_, err := c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
			UserName: aws.String("slow"), Password: aws.String("Correct-Horse-Battery-9")})
		done <- err
	}()
	// The request is in flight once the otherwise idle server has burnt 30 ms of CPU on it
	// (hashing a password with argon2id, 19 MiB and t=2, takes about 100 ms here).
	deadline := time.Now().Add(10 * time.Second)
	for cpuTime(t, p.cmd.Process.Pid)-before < 30*time.Millisecond {
		select {
		case err := <-done:
			t.Fatalf("the request finished before the server was seen working on it (err %v); the test cannot tell", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the server never started on the request")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("the in-flight request failed during shutdown: %v", err)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.out)
	}
	if !strings.Contains(p.out.String(), "the store is closed") {
		t.Errorf("no clean-shutdown message:\n%s", p.out)
	}
}

// cpuTime returns the user and system CPU time the process has used, from /proc.
func cpuTime(t *testing.T, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatalf("read the server's CPU time: %v", err)
	}
	// Fields after the command name (which is in parentheses): utime and stime are the
	// 12th and 13th, in clock ticks of 1/100 s.
	rest := string(b[bytes.LastIndexByte(b, ')')+2:])
	f := strings.Fields(rest)
	var utime, stime int64
	fmt.Sscan(f[11], &utime)
	fmt.Sscan(f[12], &stime)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}
