package barrier_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/barrier"
)

func TestLoadOrCreateRootKeyCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // does not exist yet
	k1, err := barrier.LoadOrCreateRootKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != barrier.KeySize {
		t.Fatalf("key of %d bytes", len(k1))
	}
	fi, err := os.Stat(filepath.Join(dir, barrier.RootKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("root key file mode %#o, want 0600", perm)
	}
	k2, err := barrier.LoadOrCreateRootKey(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1, k2) {
		t.Fatal("second call returned a different key")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data dir holds %d entries, want only %s (temporary file left behind?)", len(entries), barrier.RootKeyFile)
	}
}

func TestLoadOrCreateRootKey(t *testing.T) {
	valid := bytes.Repeat([]byte{0xAB}, barrier.KeySize)
	validB64 := base64.StdEncoding.EncodeToString(valid)
	fileKey := bytes.Repeat([]byte{0xCD}, barrier.KeySize)
	fileB64 := base64.StdEncoding.EncodeToString(fileKey) + "\n"

	tests := []struct {
		name    string
		env     string
		file    string // written as root.key when not empty
		mode    os.FileMode
		want    []byte
		wantErr string // substring of the error; empty means success
	}{
		{name: "env", env: validB64, want: valid},
		{name: "env with whitespace", env: " " + validB64 + "\n", want: valid},
		{name: "env wins over file", env: validB64, file: fileB64, mode: 0o600, want: valid},
		{name: "env not base64", env: "not base64!!", wantErr: "BULWARK_ROOT_KEY: not valid base64"},
		{name: "env wrong length", env: base64.StdEncoding.EncodeToString([]byte("sixteen bytes!!!")), wantErr: "BULWARK_ROOT_KEY: decodes to 16 bytes"},
		{name: "file", file: fileB64, mode: 0o600, want: fileKey},
		{name: "file read-only", file: fileB64, mode: 0o400, want: fileKey},
		{name: "file group-readable", file: fileB64, mode: 0o640, wantErr: "must be 0600 or stricter"},
		{name: "file world-readable", file: fileB64, mode: 0o644, wantErr: "must be 0600 or stricter"},
		{name: "file executable", file: fileB64, mode: 0o700, wantErr: "must be 0600 or stricter"},
		{name: "file wrong length", file: base64.StdEncoding.EncodeToString(make([]byte, 31)), mode: 0o600, wantErr: "decodes to 31 bytes"},
		{name: "file garbage", file: "garbage garbage", mode: 0o600, wantErr: "not valid base64"},
		{name: "file empty", file: "\n", mode: 0o600, wantErr: "decodes to 0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, barrier.RootKeyFile)
			if tt.file != "" {
				if err := os.WriteFile(path, []byte(tt.file), tt.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, tt.mode); err != nil { // umask may have masked bits
					t.Fatal(err)
				}
			}
			got, err := barrier.LoadOrCreateRootKey(dir, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("key %x, want %x", got, tt.want)
			}
			if tt.file == "" {
				if _, err := os.Stat(path); !os.IsNotExist(err) {
					t.Fatalf("a key from the environment must not create %s (stat: %v)", path, err)
				}
			}
		})
	}
}

func TestLoadOrCreateRootKeyNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, barrier.RootKeyFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := barrier.LoadOrCreateRootKey(dir, ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v, want 'not a regular file'", err)
	}
}
