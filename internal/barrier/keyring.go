package barrier

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// KeySize is the size in bytes of the root key and of every data key (AES-256).
const KeySize = 32

// Envelope layout of every stored ciphertext:
//
//	byte 0      format version (formatV1)
//	bytes 1..4  key term, big-endian uint32: which keyring key sealed it (0 = the root key)
//	bytes 5..   AES-256-GCM output: 12-byte random nonce, ciphertext, 16-byte tag
//
// The additional authenticated data is the 5 header bytes followed by the storage key, so a
// ciphertext moved to another key, or relabelled with another term or version, fails to open.
const (
	formatV1  byte = 1
	headerLen      = 5
	rootTerm       = 0
)

// keyring is an immutable snapshot of the data keys. A Barrier swaps in a new snapshot when
// the keyring changes.
type keyring struct {
	active uint32
	aeads  map[uint32]cipher.AEAD
	raw    map[uint32][]byte
	rev    int64 // ModRevision of the stored keyring
}

// storedKeyring is the plaintext JSON form of the keyring, sealed with the root key.
type storedKeyring struct {
	Active uint32            `json:"active"`
	Keys   map[uint32][]byte `json:"keys"`
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("key is %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCMWithRandomNonce(block)
}

// seal encrypts plaintext for storage under key with aead, labelled with term.
func seal(aead cipher.AEAD, term uint32, key string, plaintext []byte) []byte {
	out := make([]byte, headerLen, headerLen+aead.Overhead()+len(plaintext))
	out[0] = formatV1
	binary.BigEndian.PutUint32(out[1:headerLen], term)
	return aead.Seal(out, nil, plaintext, aad(out[:headerLen], key))
}

// parseHeader returns the term of an envelope, or an error if it is not one.
func parseHeader(ciphertext []byte) (uint32, error) {
	if len(ciphertext) < headerLen {
		return 0, fmt.Errorf("ciphertext of %d bytes is too short", len(ciphertext))
	}
	if ciphertext[0] != formatV1 {
		return 0, fmt.Errorf("unknown envelope version %d", ciphertext[0])
	}
	return binary.BigEndian.Uint32(ciphertext[1:headerLen]), nil
}

// open decrypts an envelope whose header has been checked.
func open(aead cipher.AEAD, key string, ciphertext []byte) ([]byte, error) {
	pt, err := aead.Open(nil, nil, ciphertext[headerLen:], aad(ciphertext[:headerLen], key))
	if err != nil {
		return nil, err
	}
	if pt == nil {
		pt = []byte{}
	}
	return pt, nil
}

func aad(header []byte, key string) []byte {
	return append(append(make([]byte, 0, len(header)+len(key)), header...), key...)
}

// newKeyring returns a keyring with one fresh random key, term 1.
func newKeyring() (*keyring, error) {
	return (&keyring{raw: map[uint32][]byte{}}).withNewKey()
}

// withNewKey returns a copy of k with a fresh random key at the next term, made active.
func (k *keyring) withNewKey() (*keyring, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate data key: %w", err)
	}
	raw := maps.Clone(k.raw)
	term := uint32(1)
	if len(raw) > 0 {
		term = slices.Max(slices.Collect(maps.Keys(raw))) + 1
	}
	raw[term] = key
	return buildKeyring(storedKeyring{Active: term, Keys: raw}, k.rev)
}

func buildKeyring(s storedKeyring, rev int64) (*keyring, error) {
	if _, ok := s.Keys[s.Active]; !ok {
		return nil, fmt.Errorf("active term %d has no key", s.Active)
	}
	k := &keyring{active: s.Active, aeads: map[uint32]cipher.AEAD{}, raw: s.Keys, rev: rev}
	for term, key := range s.Keys {
		if term == rootTerm {
			return nil, errors.New("term 0 is reserved for the root key")
		}
		aead, err := newAEAD(key)
		if err != nil {
			return nil, fmt.Errorf("term %d: %w", term, err)
		}
		k.aeads[term] = aead
	}
	return k, nil
}

// marshal seals the keyring with the root key.
func (k *keyring) marshal(root cipher.AEAD) ([]byte, error) {
	pt, err := json.Marshal(storedKeyring{Active: k.active, Keys: k.raw})
	if err != nil {
		return nil, err
	}
	return seal(root, rootTerm, KeyringKey, pt), nil
}

// unmarshalKeyring opens a sealed keyring. A failure to authenticate means the root key is
// not the one that sealed it.
func unmarshalKeyring(root cipher.AEAD, sealed []byte, rev int64) (*keyring, error) {
	term, err := parseHeader(sealed)
	if err != nil {
		return nil, err
	}
	if term != rootTerm {
		return nil, fmt.Errorf("keyring sealed with term %d, want the root key", term)
	}
	pt, err := open(root, KeyringKey, sealed)
	if err != nil {
		return nil, fmt.Errorf("%w (%w)", ErrWrongRootKey, err)
	}
	var s storedKeyring
	if err := json.Unmarshal(pt, &s); err != nil {
		return nil, fmt.Errorf("decode keyring: %w", err)
	}
	return buildKeyring(s, rev)
}
