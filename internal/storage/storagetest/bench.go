package storagetest

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// BenchTxnParallel benchmarks concurrent unconditional puts of ~1 KiB values (the audit
// trail's shape) at several numbers of writers and two key shapes:
//
//   - keys=seq: one global, increasing sequence ("audit/0000000000000042"), like time-ordered
//     audit event IDs; writes append at the end of the key space.
//   - keys=scattered: each writer appends to its own key range ("audit/0007/0000000042"), so
//     concurrent writes land in as many places of the key space as there are writers.
//
// ns/op is wall time per Txn across all writers, so 1e9/(ns/op) is Txns per second. open must
// return a fresh backend and arrange for it to be closed.
func BenchTxnParallel(b *testing.B, open func(b *testing.B) storage.Backend) {
	for _, shape := range []string{"seq", "scattered"} {
		for _, writers := range []int{1, 16, 64, 256} {
			b.Run(fmt.Sprintf("keys=%s/writers=%d", shape, writers), func(b *testing.B) {
				benchTxnParallel(b, open(b), writers, shape == "seq")
			})
		}
	}
}

func benchTxnParallel(b *testing.B, s storage.Backend, writers int, seq bool) {
	value := AuditLikeValue()
	var ids, next atomic.Int64
	put := func(ctx context.Context, id int64, i int) bool {
		key := fmt.Sprintf("audit/%04d/%010d", id, i)
		if seq {
			key = fmt.Sprintf("audit/%016d", next.Add(1))
		}
		if _, err := storage.Put(ctx, s, key, value); err != nil {
			b.Error(err)
			return false
		}
		return true
	}
	b.ReportAllocs()
	if writers == 1 {
		// RunParallel would start GOMAXPROCS goroutines; one writer is a plain loop.
		ctx := context.Background()
		for i := 0; b.Loop(); i++ {
			if !put(ctx, 1, i) {
				return
			}
		}
		return
	}
	procs := runtime.GOMAXPROCS(0)
	// RunParallel starts parallelism*GOMAXPROCS goroutines: round writers up to a multiple.
	b.SetParallelism(max(1, (writers+procs-1)/procs))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		id := ids.Add(1)
		for i := 0; pb.Next(); i++ {
			if !put(ctx, id, i) {
				return
			}
		}
	})
}

// AuditLikeValue returns a 1 KiB JSON document shaped like a CloudTrail event.
func AuditLikeValue() []byte {
	v := []byte(`{"eventVersion":"1.09","eventSource":"iam.amazonaws.com","eventName":"CreateUser",` +
		`"awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15",` +
		`"requestParameters":{"userName":"alice"},"responseElements":{"user":{"path":"/"}},"pad":"`)
	for len(v) < 1022 {
		v = append(v, 'x')
	}
	return append(v, '"', '}')
}
