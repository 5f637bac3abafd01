package barrier

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// RootKeyFile is the name of the root key file in the data directory.
const RootKeyFile = "root.key"

// LoadOrCreateRootKey returns the root key (KeySize bytes).
//
// If env, the content of the BULWARK_ROOT_KEY environment variable, is not empty, it must be
// the standard base64 encoding of the key, and no file is read or written. Otherwise the key
// is read from <dataDir>/root.key (base64, surrounding whitespace ignored), which must be a
// regular file with mode 0600 or stricter. If that file does not exist, a random key is
// generated and the file created atomically with mode 0600: written to a temporary file in
// dataDir, fsynced, linked into place (never replacing a file another process created in the
// meantime; that file's key is returned instead), and the directory fsynced. dataDir is
// created with mode 0700 if needed.
func LoadOrCreateRootKey(dataDir string, env string) ([]byte, error) {
	if env != "" {
		key, err := decodeRootKey(env)
		if err != nil {
			return nil, fmt.Errorf("barrier: BULWARK_ROOT_KEY: %w", err)
		}
		return key, nil
	}
	path := filepath.Join(dataDir, RootKeyFile)
	key, err := readRootKeyFile(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	return createRootKeyFile(dataDir, path)
}

func decodeRootKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("not valid base64: %w", err)
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("decodes to %d bytes, want %d", len(key), KeySize)
	}
	return key, nil
}

func readRootKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("barrier: root key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("barrier: root key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("barrier: root key file %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("barrier: root key file %s has mode %#o; it must be 0600 or stricter (chmod 600 %s)", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("barrier: root key file %s: %w", path, err)
	}
	key, err := decodeRootKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("barrier: root key file %s: %w", path, err)
	}
	return key, nil
}

func createRootKeyFile(dataDir, path string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("barrier: create root key: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("barrier: create root key: %w", err)
	}
	tmp, err := os.CreateTemp(dataDir, ".root.key.tmp-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("barrier: create root key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("barrier: create root key: %w", err)
	}
	// A hard link, unlike a rename, fails rather than replace a key file that another process
	// created since we looked.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readRootKeyFile(path)
		}
		// The file system may not support hard links; fall back to a rename.
		if rerr := os.Rename(tmp.Name(), path); rerr != nil {
			return nil, fmt.Errorf("barrier: create root key: %w", errors.Join(err, rerr))
		}
	}
	if err := syncDir(dataDir); err != nil {
		return nil, fmt.Errorf("barrier: create root key: %w", err)
	}
	return key, nil
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return err
	}
	return nil
}
