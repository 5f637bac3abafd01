package awspolicies

import (
	"strings"
	"testing"
)

// BenchmarkDecode measures the one-time cost of the first use of a Catalog.
func BenchmarkDecode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decode(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestDecodeRejectsCorruptData(t *testing.T) {
	if _, err := decode(strings.NewReader("not gzip")); err == nil {
		t.Error("decode accepted data that is not gzip")
	}
}
