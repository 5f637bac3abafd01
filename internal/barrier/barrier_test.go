package barrier_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/barrier"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/bolt"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
	"github.com/bulwarkhq/bulwark/internal/storage/storagetest"
)

func randomKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, barrier.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func newBarrier(t testing.TB, inner storage.Backend, root []byte) *barrier.Barrier {
	t.Helper()
	b, err := barrier.New(context.Background(), inner, root)
	if err != nil {
		t.Fatalf("barrier.New: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func openBolt(t testing.TB, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	tests := []struct {
		name  string
		inner func(t *testing.T) storage.Backend
	}{
		{"memory", func(t *testing.T) storage.Backend { return memory.New() }},
		{"bolt", func(t *testing.T) storage.Backend { return openBolt(t, filepath.Join(t.TempDir(), "b.db")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storagetest.Run(t, func(t *testing.T) storage.Backend {
				return newBarrier(t, tt.inner(t), randomKey(t))
			})
		})
	}
}

// TestValuesEncryptedInInnerStore checks that what reaches the underlying store is not the
// plaintext and is bound to its key.
func TestValuesEncryptedInInnerStore(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	b := newBarrier(t, inner, randomKey(t))
	plain := []byte("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	if _, err := storage.Put(ctx, b, "iam/keys/AKIA1", plain); err != nil {
		t.Fatal(err)
	}
	raw, err := inner.Get(ctx, "iam/keys/AKIA1")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Value, plain) {
		t.Fatal("plaintext reached the inner store")
	}
	// Two writes of the same plaintext differ (random nonce).
	if _, err := storage.Put(ctx, b, "iam/keys/AKIA1", plain); err != nil {
		t.Fatal(err)
	}
	raw2, _ := inner.Get(ctx, "iam/keys/AKIA1")
	if bytes.Equal(raw.Value, raw2.Value) {
		t.Fatal("identical ciphertexts for two writes")
	}
}

func TestTamperedValueFails(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	b := newBarrier(t, inner, randomKey(t))
	if _, err := storage.Put(ctx, b, "k", []byte("a secret value")); err != nil {
		t.Fatal(err)
	}
	raw, err := inner.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) func([]byte) []byte {
		return func(v []byte) []byte {
			v = bytes.Clone(v)
			if i < 0 {
				i += len(v)
			}
			v[i] ^= 0x01
			return v
		}
	}
	tests := []struct {
		name   string
		mutate func([]byte) []byte
	}{
		{"version byte", flip(0)},
		{"key term", flip(4)},
		{"nonce", flip(6)},
		{"ciphertext", flip(20)},
		{"tag", flip(-1)},
		{"truncated tag", func(v []byte) []byte { return bytes.Clone(v[:len(v)-1]) }},
		{"header only", func(v []byte) []byte { return bytes.Clone(v[:5]) }},
		{"shorter than header", func(v []byte) []byte { return bytes.Clone(v[:3]) }},
		{"empty", func([]byte) []byte { return []byte{} }},
		{"appended byte", func(v []byte) []byte { return append(bytes.Clone(v), 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := storage.Put(ctx, inner, "k", tt.mutate(raw.Value)); err != nil {
				t.Fatal(err)
			}
			if kv, err := b.Get(ctx, "k"); !errors.Is(err, barrier.ErrDecrypt) {
				t.Fatalf("Get of tampered value = %q, %v; want ErrDecrypt", kv.Value, err)
			}
			if _, err := b.Range(ctx, "", "", 0); !errors.Is(err, barrier.ErrDecrypt) {
				t.Fatalf("Range over tampered value: %v; want ErrDecrypt", err)
			}
		})
	}
}

func TestValueMovedToAnotherKeyFails(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	b := newBarrier(t, inner, randomKey(t))
	if _, err := storage.Put(ctx, b, "users/alice/password", []byte("alice-hash")); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, b, "users/mallory/password", []byte("mallory-hash")); err != nil {
		t.Fatal(err)
	}
	alice, _ := inner.Get(ctx, "users/alice/password")
	// An attacker with write access to the disk copies Alice's ciphertext over Mallory's.
	if _, err := storage.Put(ctx, inner, "users/mallory/password", alice.Value); err != nil {
		t.Fatal(err)
	}
	if kv, err := b.Get(ctx, "users/mallory/password"); !errors.Is(err, barrier.ErrDecrypt) {
		t.Fatalf("Get of swapped value = %q, %v; want ErrDecrypt", kv.Value, err)
	} else if !strings.Contains(err.Error(), "users/mallory/password") {
		t.Fatalf("error does not name the key: %v", err)
	}
	// The keyring ciphertext is not accepted as a value either.
	ring, err := inner.Get(ctx, barrier.KeyringKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, inner, "users/mallory/password", ring.Value); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "users/mallory/password"); !errors.Is(err, barrier.ErrDecrypt) {
		t.Fatalf("Get of the keyring moved to a user key: %v; want ErrDecrypt", err)
	}
}

func TestWatchClosesOnUndecryptableEvent(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	b := newBarrier(t, inner, randomKey(t))
	ch, err := b.Watch(ctx, "w/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, b, "w/1", []byte("fine")); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, inner, "w/2", []byte("not a ciphertext")); err != nil {
		t.Fatal(err)
	}
	if ev, ok := <-ch; !ok || string(ev.KV.Value) != "fine" {
		t.Fatalf("first event %+v ok=%v", ev, ok)
	}
	if ev, ok := <-ch; ok {
		t.Fatalf("got %+v; want the channel closed on an undecryptable event", ev)
	}
}

func TestReservedKeys(t *testing.T) {
	ctx := t.Context()
	b := newBarrier(t, memory.New(), randomKey(t))
	tests := []struct {
		name string
		call func() error
	}{
		{"Get", func() error { _, err := b.Get(ctx, barrier.KeyringKey); return err }},
		{"Put", func() error { _, err := storage.Put(ctx, b, barrier.KeyringKey, []byte("x")); return err }},
		{"Delete", func() error { return storage.Delete(ctx, b, barrier.KeyringKey) }},
		{"Put under prefix", func() error { _, err := storage.Put(ctx, b, barrier.KeyringKey+"2", []byte("x")); return err }},
		{"Cond", func() error {
			_, err := b.Txn(ctx, []storage.Cond{{Key: barrier.KeyringKey}}, []storage.Op{{Key: "k", Value: []byte("x")}})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, barrier.ErrReservedKey) {
				t.Fatalf("%v; want ErrReservedKey", err)
			}
		})
	}
	if _, err := storage.Put(ctx, b, "\x00a", []byte("before")); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, b, "\x00c", []byte("after")); err != nil {
		t.Fatal(err)
	}
	// The keyring sorts between the two keys; Range hides it at every page size.
	for _, limit := range []int{0, 1, 2, 3} {
		p, err := b.Range(ctx, "", "", limit)
		if err != nil {
			t.Fatal(err)
		}
		wantMore := limit == 1
		if len(p.KVs) == 0 || p.KVs[0].Key != "\x00a" || p.More != wantMore {
			t.Fatalf("Range limit %d: %+v", limit, p)
		}
		if limit != 1 && (len(p.KVs) != 2 || p.KVs[1].Key != "\x00c") {
			t.Fatalf("Range limit %d: %+v", limit, p)
		}
	}
	p, err := b.Range(ctx, "", "\x00a", 1)
	if err != nil || len(p.KVs) != 1 || p.KVs[0].Key != "\x00c" || p.More {
		t.Fatalf("Range after \\x00a: %+v, %v", p, err)
	}
}

func TestWrongRootKey(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	newBarrier(t, inner, randomKey(t))
	_, err := barrier.New(ctx, inner, randomKey(t))
	if !errors.Is(err, barrier.ErrWrongRootKey) {
		t.Fatalf("New with another root key: %v; want ErrWrongRootKey", err)
	}
	if _, err := barrier.New(ctx, inner, []byte("short")); err == nil {
		t.Fatal("New with a 5-byte root key succeeded")
	}
}

func TestRotate(t *testing.T) {
	ctx := t.Context()
	inner := memory.New()
	root := randomKey(t)
	b := newBarrier(t, inner, root)
	other, err := barrier.New(ctx, inner, root) // a second node sharing the store
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, b, "old", []byte("sealed by term 1")); err != nil {
		t.Fatal(err)
	}
	term, err := b.Rotate(ctx)
	if err != nil || term != 2 {
		t.Fatalf("Rotate = %d, %v; want term 2", term, err)
	}
	if _, err := storage.Put(ctx, b, "new", []byte("sealed by term 2")); err != nil {
		t.Fatal(err)
	}
	raw, _ := inner.Get(ctx, "new")
	if raw.Value[4] != 2 {
		t.Fatalf("new value sealed with term %d, want 2", raw.Value[4])
	}
	// The other node has not seen the rotation; it reloads the keyring on meeting term 2.
	for _, key := range []string{"old", "new"} {
		if _, err := other.Get(ctx, key); err != nil {
			t.Fatalf("other node Get(%q): %v", key, err)
		}
	}
	reopened := newBarrier(t, inner, root)
	for _, key := range []string{"old", "new"} {
		if _, err := reopened.Get(ctx, key); err != nil {
			t.Fatalf("reopened Get(%q): %v", key, err)
		}
	}
	// Watchers of everything do not see keyring changes.
	ch, err := b.Watch(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rotate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.Put(ctx, b, "after", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if ev := <-ch; ev.KV.Key != "after" {
		t.Fatalf("first event after Rotate is for %q, want %q", ev.KV.Key, "after")
	}
}

// TestNoPlaintextOnDisk writes secrets through the barrier into a bbolt file and checks the
// raw file bytes.
func TestNoPlaintextOnDisk(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "bulwark.db")
	root := randomKey(t)
	b, err := barrier.New(ctx, openBolt(t, path), root)
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{
		"iam/access-keys/AKIAEXAMPLE": "AKIA-SECRET-wJalrXUtnFEMI",
		"iam/policies/admin": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db"}]}`,
	}
	for k, v := range secrets {
		if _, err := storage.Put(ctx, b, k, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keys are stored in the clear: finding one proves we are looking at the right bytes.
	if !bytes.Contains(data, []byte("iam/policies/admin")) {
		t.Fatal("storage key not found in the file; is this the right file?")
	}
	for _, needle := range []string{"AKIA-SECRET-wJalrXUtnFEMI", "wJalrXUtnFEMI", "2012-10-17", "secretsmanager:GetSecretValue", "prod-db"} {
		if bytes.Contains(data, []byte(needle)) {
			t.Errorf("plaintext %q found in the bbolt file", needle)
		}
	}
	if bytes.Contains(data, root) {
		t.Error("root key found in the bbolt file")
	}

	// Reopening with the same root key reads the values back; another key cannot.
	b2, err := barrier.New(ctx, openBolt(t, path), root)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range secrets {
		kv, err := b2.Get(ctx, k)
		if err != nil || string(kv.Value) != v {
			t.Fatalf("after reopen Get(%q) = %q, %v", k, kv.Value, err)
		}
	}
	if err := b2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := barrier.New(ctx, openBolt(t, path), randomKey(t)); !errors.Is(err, barrier.ErrWrongRootKey) {
		t.Fatalf("reopen with another root key: %v; want ErrWrongRootKey", err)
	}
}

// BenchmarkTxnParallel measures concurrent writers through the barrier over bolt; compare
// with the bolt package's BenchmarkTxnParallel to see the cost of encryption.
func BenchmarkTxnParallel(b *testing.B) {
	storagetest.BenchTxnParallel(b, func(b *testing.B) storage.Backend {
		return newBarrier(b, openBolt(b, filepath.Join(b.TempDir(), "bench.db")), randomKey(b))
	})
}

// BenchmarkSealOpen measures the barrier's own cost over the memory backend.
func BenchmarkSealOpen(b *testing.B) {
	ctx := context.Background()
	br := newBarrier(b, memory.New(), randomKey(b))
	value := storagetest.AuditLikeValue()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := storage.Put(ctx, br, "audit/x", value); err != nil {
			b.Fatal(err)
		}
		if _, err := br.Get(ctx, "audit/x"); err != nil {
			b.Fatal(err)
		}
	}
}
