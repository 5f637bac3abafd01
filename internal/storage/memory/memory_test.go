package memory_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/memory"
	"github.com/bulwarkhq/bulwark/internal/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Backend {
		s := memory.New()
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

// BenchmarkRange pages through the middle of a store of 50,000 keys.
func BenchmarkRange(b *testing.B) {
	ctx := context.Background()
	s := memory.New()
	defer s.Close()
	const n = 50000
	for i := 0; i < n; i += 1000 {
		ops := make([]storage.Op, 0, 1000)
		for j := i; j < i+1000; j++ {
			ops = append(ops, storage.Op{Key: fmt.Sprintf("k/%06d", (j*7919)%n), Value: []byte("v")})
		}
		if _, err := s.Txn(ctx, nil, ops); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Range(ctx, "k/", "k/025000", 100); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTxnParallel measures concurrent writers; see storagetest.BenchTxnParallel.
func BenchmarkTxnParallel(b *testing.B) {
	storagetest.BenchTxnParallel(b, func(b *testing.B) storage.Backend {
		s := memory.New()
		b.Cleanup(func() { _ = s.Close() })
		return s
	})
}
