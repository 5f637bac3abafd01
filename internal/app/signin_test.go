package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/app"
	"github.com/bulwarkhq/bulwark/internal/config"
)

func startApp(t *testing.T, cfg config.Config) *app.Server {
	t.Helper()
	var out bytes.Buffer
	s, err := app.Start(context.Background(), cfg, &out)
	if err != nil {
		t.Fatalf("start: %v\n%s", err, out.String())
	}
	t.Cleanup(func() {
		if err := s.Shutdown(context.Background()); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return s
}

func postSignIn(t *testing.T, url string, body map[string]string) (int, map[string]any) {
	t.Helper()
	data, _ := json.Marshal(body)
	resp, err := http.Post(url+"/signin", "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestDevRootSignIn(t *testing.T) {
	s := startApp(t, config.Config{Listen: "127.0.0.1:0", DataDir: t.TempDir(), Region: "us-east-1", Dev: true})
	status, body := postSignIn(t, s.URL, map[string]string{"email": app.DevRootEmail, "password": app.DevRootPassword})
	if status != http.StatusOK || body["principalArn"] != "arn:aws:iam::000000000000:root" {
		t.Fatalf("dev root sign-in: %d %v", status, body)
	}
	status, body = postSignIn(t, s.URL, map[string]string{"email": app.DevRootEmail, "password": "Wrong-Passw0rd"})
	if status != http.StatusUnauthorized || body["error"] != "AuthenticationFailed" {
		t.Fatalf("wrong password: %d %v", status, body)
	}
	// The API is still served on the same port.
	resp, err := http.Get(s.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound && resp.Header.Get("Content-Type") == "application/json" {
		t.Fatal("the sign-in handler answered an API path")
	}
}

func TestFirstStartRootConsolePassword(t *testing.T) {
	t.Setenv(app.EnvRootEmail, "ops@example.org")
	dir := t.TempDir()
	s := startApp(t, config.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1"})
	f, err := os.Open(filepath.Join(dir, app.RootCredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	creds := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			creds[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	f.Close()
	if creds["root_email"] != "ops@example.org" || len(creds["console_password"]) != 24 {
		t.Fatalf("credentials file: email %q, password of %d characters", creds["root_email"], len(creds["console_password"]))
	}
	status, body := postSignIn(t, s.URL, map[string]string{"email": "ops@example.org", "password": creds["console_password"]})
	if status != http.StatusOK || body["accountId"] != s.Account {
		t.Fatalf("root sign-in: %d %v", status, body)
	}
	// That the store keeps only a hash is checked on the unencrypted backend by
	// internal/signin's TestNoSecretsStored; bulwark.db itself is encrypted by the barrier.
}

func TestRestartChangesRootEmail(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Config{Listen: "127.0.0.1:0", DataDir: dir, Region: "us-east-1"}
	s, err := app.Start(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, app.RootCredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	var password string
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "console_password" {
			password = strings.TrimSpace(v)
		}
	}
	t.Setenv(app.EnvRootEmail, "new-owner@example.org")
	s2 := startApp(t, cfg)
	if s2.Account != s.Account {
		t.Fatalf("account changed: %s -> %s", s.Account, s2.Account)
	}
	if status, body := postSignIn(t, s2.URL, map[string]string{"email": "new-owner@example.org", "password": password}); status != http.StatusOK {
		t.Fatalf("sign-in with the new email: %d %v", status, body)
	}
	if status, _ := postSignIn(t, s2.URL, map[string]string{"email": "root@" + s.Account + ".bulwark.local", "password": password}); status != http.StatusUnauthorized {
		t.Fatalf("the old email still signs in: %d", status)
	}
}
