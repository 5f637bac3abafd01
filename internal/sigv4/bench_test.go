package sigv4_test

import (
	"context"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// BenchmarkVerify measures verification of the three request styles, header-signed and
// presigned, with a warm signing-key cache (the steady state of a busy server).
//
//	go test -run '^$' -bench Verify -benchmem ./internal/sigv4/
func BenchmarkVerify(b *testing.B) {
	for _, sp := range specs {
		for _, how := range []signing{{false, false}, {false, true}, {true, false}} {
			b.Run(sp.name+"/"+how.String(), func(b *testing.B) {
				sr, body := onWire(b, sign(b, sp, how, signOpts{}))
				v := sigv4.NewVerifier(testStore(), func() time.Time { return signTime })
				ctx := context.Background()
				if _, err := v.Verify(ctx, sr, body); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if _, err := v.Verify(ctx, sr, body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkVerifyParallel is the KMS-style request verified from all cores at once, which is
// what the shared key cache and buffer pool see under load.
func BenchmarkVerifyParallel(b *testing.B) {
	sr, body := onWire(b, sign(b, specs[1], signing{}, signOpts{}))
	v := sigv4.NewVerifier(testStore(), func() time.Time { return signTime })
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := v.Verify(ctx, sr, body); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyColdKey derives the signing key on every request (a new key each time), the
// worst case of the cache.
func BenchmarkVerifyColdKey(b *testing.B) {
	sr, body := onWire(b, sign(b, specs[1], signing{}, signOpts{}))
	b.ReportAllocs()
	for b.Loop() {
		v := sigv4.NewVerifier(testStore(), func() time.Time { return signTime })
		if _, err := v.Verify(context.Background(), sr, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRejectUnknownKey is the cost of turning away a request with an unknown key.
func BenchmarkRejectUnknownKey(b *testing.B) {
	sr, body := onWire(b, sign(b, specs[1], signing{}, signOpts{keyID: unknownKeyID, secret: longSecret}))
	v := sigv4.NewVerifier(testStore(), func() time.Time { return signTime })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(context.Background(), sr, body); err == nil {
			b.Fatal("accepted")
		}
	}
}
