package bolt_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/bolt"
	"github.com/bulwarkhq/bulwark/internal/storage/storagetest"
)

func open(t testing.TB, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		return open(t, filepath.Join(t.TempDir(), "bulwark.db"))
	})
}

func TestReopenKeepsDataAndRevision(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	s := open(t, path)
	r1, err := storage.Put(ctx, s, "k", []byte("v1"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, path)
	kv, err := s.Get(ctx, "k")
	if err != nil || string(kv.Value) != "v1" || kv.ModRevision != r1 || kv.CreateRevision != r1 {
		t.Fatalf("after reopen: %+v, %v", kv, err)
	}
	r2, err := storage.Put(ctx, s, "k", []byte("v2"))
	if err != nil || r2 <= r1 {
		t.Fatalf("revision after reopen %d (%v), want > %d", r2, err, r1)
	}
}

func TestSecondOpenFailsWhileLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bulwark.db")
	open(t, path)
	// bbolt's lock is per open file description, so a second open in this process contends.
	if s, err := bolt.Open(path, bolt.Options{LockTimeout: 1}); err == nil {
		_ = s.Close()
		t.Fatal("second Open of a locked file succeeded")
	}
}

func TestRejectsForeignFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "not-a-db")
	if err := os.WriteFile(path, []byte(strings.Repeat("garbage!", 1024)), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := bolt.Open(path, bolt.Options{}); err == nil {
		_ = s.Close()
		t.Fatal("Open of a garbage file succeeded")
	}
}

const crashEnv = "BULWARK_BOLT_CRASH_CHILD"

// TestDurabilityAfterSIGKILL runs a child process (this test binary) that writes keys from
// several goroutines and prints each key once its Txn has returned. The parent kills the
// child with SIGKILL mid-stream, reopens the file and checks that every acknowledged key is
// there with its value.
func TestDurabilityAfterSIGKILL(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	path := filepath.Join(t.TempDir(), "bulwark.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityAfterSIGKILL$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}

	const killAfter = 400
	var acked []string
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			// io.EOF: the child is gone. A trailing fragment without '\n' was not fully
			// printed, so it does not count as acknowledged.
			if !errors.Is(err, io.EOF) {
				t.Fatalf("reading child output: %v", err)
			}
			break
		}
		key, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "ACK ")
		if !ok {
			continue // not ours (e.g. test framework output)
		}
		acked = append(acked, key)
		if len(acked) == killAfter {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
				t.Fatal(err)
			}
		}
	}
	waitErr := cmd.Wait()
	if len(acked) < killAfter {
		t.Fatalf("child acknowledged only %d keys before exiting (%v)", len(acked), waitErr)
	}
	if waitErr == nil {
		t.Fatal("child exited cleanly; it should have been killed")
	}

	s := open(t, path)
	ctx := t.Context()
	for _, key := range acked {
		kv, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("acknowledged key %q lost after SIGKILL: %v", key, err)
		}
		if string(kv.Value) != crashValue(key) {
			t.Fatalf("acknowledged key %q has value %q", key, kv.Value)
		}
	}
	page, err := s.Range(ctx, "crash/", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d keys acknowledged, %d on disk after SIGKILL", len(acked), len(page.KVs))
}

func crashValue(key string) string { return "value of " + key }

// crashChild writes until it is killed (or has written far more than the parent needs).
func crashChild(path string) {
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 100000 {
				key := fmt.Sprintf("crash/%d/%06d", w, i)
				if _, err := storage.Put(context.Background(), s, key, []byte(crashValue(key))); err != nil {
					fmt.Fprintln(os.Stderr, "child:", err)
					os.Exit(2)
				}
				mu.Lock()
				// os.Stdout is unbuffered: once this returns, the line is in the pipe.
				fmt.Fprintf(os.Stdout, "ACK %s\n", key)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	os.Exit(0)
}

// BenchmarkTxnParallel measures concurrent writers; see storagetest.BenchTxnParallel. With
// writers=1 every Txn pays a full fsync; with more, group commit shares each fsync.
func BenchmarkTxnParallel(b *testing.B) {
	storagetest.BenchTxnParallel(b, func(b *testing.B) storage.Backend {
		return open(b, filepath.Join(b.TempDir(), "bench.db"))
	})
}
