package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates internal/api into a temporary directory and compares
// it byte for byte with the committed code.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	out := t.TempDir()
	if err := run("models", out); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.Walk(out, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		want, err := os.ReadFile(filepath.Join("..", "api", rel))
		if err != nil {
			t.Errorf("%s is generated but not committed: %v", rel, err)
			return nil
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("internal/api/%s differs from the generator's output; run go generate ./internal/api", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 34 {
		t.Errorf("generated %d files, want 3 per service and services_gen.go", n)
	}
}

func TestSingular(t *testing.T) {
	tests := map[string]string{"Users": "User", "Policies": "Policy", "Addresses": "Address",
		"Status": "StatusItem", "PolicyVersionList": "PolicyVersion", "Statuses": "Status", "Data": "DataItem"}
	for in, want := range tests {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExported(t *testing.T) {
	tests := map[string]string{"nextToken": "NextToken", "arn": "Arn", "s3-bucket": "S3Bucket", "1x": "X1x"}
	for in, want := range tests {
		if got := exported(in); got != want {
			t.Errorf("exported(%q) = %q, want %q", in, got, want)
		}
	}
}
