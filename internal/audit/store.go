package audit

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/bulwarkhq/bulwark/internal/storage"
)

// ErrInvalidEvent is returned (wrapped) by Record for an event it cannot file: no recipient
// account, or an account, region or event ID that is not safe in a storage key.
var ErrInvalidEvent = errors.New("audit: invalid event")

// KeyPrefix is the storage prefix of every audit key.
const KeyPrefix = "audit/"

// invWidth is the number of digits of the inverted timestamp in a key (len of MaxInt64).
const invWidth = 19

// maxPooledBuf is the largest scratch buffer kept for reuse.
const maxPooledBuf = 64 << 10

// DefaultScanBudget is how many keys one Lookup call reads at most when Options.ScanBudget is 0.
const DefaultScanBudget = 10000

// Sink is where the request pipeline sends every event. Record must return only after the
// event is durable; an error means the request must fail.
type Sink interface {
	Record(ctx context.Context, e *Event) error
}

// Options configure a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ScanBudget caps the keys one Lookup call reads; 0 means DefaultScanBudget.
	ScanBudget int
}

// Store is the audit trail over a storage.Backend. It is safe for concurrent use.
type Store struct {
	backend storage.Backend
	now     func() time.Time
	budget  int
	bufs    sync.Pool // *[]byte scratch for encoding
}

var _ Sink = (*Store)(nil)

// New returns a Store that keeps events in b.
func New(b storage.Backend, opts Options) *Store {
	s := &Store{backend: b, now: opts.Now, budget: opts.ScanBudget}
	if s.now == nil {
		s.now = time.Now
	}
	if s.budget <= 0 {
		s.budget = DefaultScanBudget
	}
	s.bufs.New = func() any { b := make([]byte, 0, 2048); return &b }
	return s
}

// Record files e durably. It fills the defaults first, on e itself, so the caller sees them:
// EventVersion, EventType, EventTime (from the clock, when zero), EventID (a random UUID v4,
// when empty), RecipientAccountID (from the identity's account, when empty), and AWSRegion
// (DefaultGlobalRegion for IAM, STS and Organizations). Any error, including one from the
// backend, is returned wrapped: the caller must fail the request (fail closed).
func (s *Store) Record(ctx context.Context, e *Event) error {
	if e.EventVersion == "" {
		e.EventVersion = EventVersion
	}
	if e.EventType == "" {
		e.EventType = EventTypeAPICall
	}
	if e.EventTime.IsZero() {
		e.EventTime = s.now()
	}
	e.EventTime = e.EventTime.UTC()
	if e.EventID == "" {
		e.EventID = NewEventID()
	}
	if e.RecipientAccountID == "" {
		e.RecipientAccountID = e.UserIdentity.AccountID
	}
	if isGlobalSource(e.EventSource) {
		e.AWSRegion = DefaultGlobalRegion
	}
	if err := checkEvent(e); err != nil {
		return fmt.Errorf("audit: record %s %s: %w", e.EventSource, e.EventName, err)
	}

	bp := s.bufs.Get().(*[]byte)
	buf := appendHeader((*bp)[:0], e)
	buf, err := e.AppendJSON(buf)
	if cap(buf) <= maxPooledBuf {
		*bp = buf[:0]
		defer s.bufs.Put(bp)
	}
	if err != nil {
		return fmt.Errorf("audit: record %s %s: encode event %s: %w", e.EventSource, e.EventName, e.EventID, err)
	}
	// The backend may keep the slice, so it gets its own copy of exactly the right size.
	value := make([]byte, len(buf))
	copy(value, buf)
	clear(buf) // the scratch buffer is reused; do not leave the event in it

	key := eventKey(e.RecipientAccountID, e.AWSRegion, e.EventTime, e.EventID)
	if _, err := storage.Create(ctx, s.backend, key, value); err != nil {
		return fmt.Errorf("audit: record event %s: %w", e.EventID, err)
	}
	return nil
}

// checkEvent makes sure the partition and ID are safe inside a storage key.
func checkEvent(e *Event) error {
	if e.RecipientAccountID == "" {
		return fmt.Errorf("%w: no recipient account", ErrInvalidEvent)
	}
	if !validPart(e.RecipientAccountID) {
		return fmt.Errorf("%w: recipient account %q", ErrInvalidEvent, e.RecipientAccountID)
	}
	if !validPart(e.AWSRegion) {
		return fmt.Errorf("%w: region %q", ErrInvalidEvent, e.AWSRegion)
	}
	if !validID(e.EventID) {
		return fmt.Errorf("%w: event ID %q", ErrInvalidEvent, e.EventID)
	}
	return nil
}

// validPart accepts 1 to 64 letters, digits, '-', '_' and '.' (but not "." or "..").
func validPart(s string) bool {
	if s == "" || len(s) > 64 || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// validID accepts 1 to 64 letters, digits and '-'.
func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(isAlnum(c) || c == '-') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// partitionPrefix is the key prefix of one account and region, ending in '/'.
func partitionPrefix(account, region string) string {
	return KeyPrefix + account + "/" + region + "/"
}

// clampNanos returns t as Unix nanoseconds limited to [0, MaxInt64].
func clampNanos(t time.Time) int64 {
	sec := t.Unix()
	switch {
	case sec < 0:
		return 0
	case sec >= math.MaxInt64/1_000_000_000-1:
		return math.MaxInt64
	}
	return sec*1e9 + int64(t.Nanosecond())
}

// appendInverted appends MaxInt64-nanos as invWidth zero-padded digits.
func appendInverted(b []byte, nanos int64) []byte {
	var d [invWidth]byte
	v := uint64(math.MaxInt64 - nanos)
	for i := invWidth - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:]...)
}

// eventKey is audit/<account>/<region>/<inverted nanos>/<eventID>.
func eventKey(account, region string, t time.Time, id string) string {
	b := make([]byte, 0, len(KeyPrefix)+len(account)+len(region)+invWidth+len(id)+3)
	b = append(b, KeyPrefix...)
	b = append(b, account...)
	b = append(b, '/')
	b = append(b, region...)
	b = append(b, '/')
	b = appendInverted(b, clampNanos(t))
	b = append(b, '/')
	b = append(b, id...)
	return string(b)
}

// parseSuffix checks the part of a key after the partition prefix, <inverted>/<id>, and
// returns the event time in nanoseconds.
func parseSuffix(suffix string) (int64, bool) {
	if len(suffix) < invWidth+2 || suffix[invWidth] != '/' || !validID(suffix[invWidth+1:]) {
		return 0, false
	}
	inv, err := strconv.ParseUint(suffix[:invWidth], 10, 64)
	if err != nil || inv > math.MaxInt64 {
		return 0, false
	}
	return math.MaxInt64 - int64(inv), true
}

// NewEventID returns a random UUID v4 (RFC 9562) from crypto/rand.
func NewEventID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hexDigits[c>>4], hexDigits[c&0xF]
		j += 2
	}
	return string(s[:])
}

// recordMagic starts every stored value; the last byte is the layout version.
const recordMagic = "BWA\x01"

// appendHeader appends the lookup header described in the package doc.
func appendHeader(b []byte, e *Event) []byte {
	b = append(b, recordMagic...)
	b = appendField(b, e.EventID)
	b = appendField(b, e.EventName)
	b = appendField(b, e.EventSource)
	b = appendField(b, e.LookupUsername())
	b = appendField(b, e.UserIdentity.AccessKeyID)
	if e.ReadOnly {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendVarint(b, e.EventTime.Unix())
	b = binary.AppendUvarint(b, uint64(len(e.Resources)))
	for i := range e.Resources {
		b = appendField(b, e.Resources[i].Type)
		b = appendField(b, e.Resources[i].lookupName())
	}
	return b
}

func appendField(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// header is a decoded value header; its byte slices alias the stored value.
type header struct {
	eventID, eventName, eventSource, username, accessKeyID []byte
	readOnly                                               bool
	eventTime                                              int64
	resources                                              []byte // n x (type, name), encoded
	nres                                                   int
	json                                                   []byte
}

var errBadRecord = errors.New("audit: malformed stored event")

// decodeHeader splits a stored value. It never panics on garbage.
func decodeHeader(v []byte) (header, error) {
	var h header
	if len(v) < len(recordMagic) || string(v[:len(recordMagic)]) != recordMagic {
		return h, errBadRecord
	}
	r := reader{b: v[len(recordMagic):]}
	h.eventID = r.field()
	h.eventName = r.field()
	h.eventSource = r.field()
	h.username = r.field()
	h.accessKeyID = r.field()
	h.readOnly = r.byte() == 1
	h.eventTime = r.varint()
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		return h, errBadRecord
	}
	h.nres = int(n)
	start := r.b
	for range h.nres {
		r.field()
		r.field()
	}
	if r.bad {
		return h, errBadRecord
	}
	h.resources = start[:len(start)-len(r.b)]
	h.json = r.b
	return h, nil
}

// eachResource calls fn with the type and lookup name of every resource in the header.
func (h *header) eachResource(fn func(typ, name []byte) bool) {
	r := reader{b: h.resources}
	for range h.nres {
		typ, name := r.field(), r.field()
		if r.bad || !fn(typ, name) {
			return
		}
	}
}

// reader consumes header fields, remembering the first error.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) field() []byte {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	f := r.b[:n:n]
	r.b = r.b[n:]
	return f
}
