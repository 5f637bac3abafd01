package audit

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	mrand "math/rand/v2"
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

// DefaultScanBudget is how many events one Lookup call examines at most when
// Options.ScanBudget is 0.
const DefaultScanBudget = 10000

// Sink is where the request pipeline sends every event. Record must return only after the
// event is durable; an error means the request must fail.
type Sink interface {
	Record(ctx context.Context, e *Event) error
}

// Options configure a Store. The zero value is ready to use.
type Options struct {
	// Now is the clock; nil means time.Now. It is read by the batcher, once per event whose
	// EventTime the caller left zero, in the order the events were queued.
	Now func() time.Time
	// ScanBudget caps the events one Lookup call examines (a batch skipped whole by its time
	// span counts as one); 0 means DefaultScanBudget.
	ScanBudget int
}

// ErrClosed is returned (wrapped) by Record after Close.
var ErrClosed = errors.New("audit: store closed")

// Store is the audit trail over a storage.Backend. It is safe for concurrent use.
//
// Record hands events to a batcher. When the trail is idle, the recording goroutine writes its
// own event at once; events recorded while a write is in flight queue up, and one writer
// goroutine, started for them when that write ends, drains the queue group by group and
// exits as soon as it is empty. An idle Store holds no goroutine, so a Store dropped without
// Close leaks nothing. Close stops new events, waits for the queued ones to be written, and
// does not close the backend.
type Store struct {
	backend storage.Backend
	now     func() time.Time
	budget  int
	bufs    sync.Pool // *[]byte scratch for encoding entries

	mu      sync.Mutex
	queue   []*group // groups waiting for the writer, oldest first
	running bool     // a writer goroutine is active
	closed  bool
	writers sync.WaitGroup

	w writerState // owned by the active writer goroutine
}

var _ Sink = (*Store)(nil)

// New returns a Store that keeps events in b. It starts no goroutine; see Store.
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

// Close makes later Record calls fail with ErrClosed and waits until every event queued
// before it has been written (or has failed). It does not close the backend. Close is
// idempotent.
func (s *Store) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.writers.Wait()
	return nil
}

// Record files e durably. It fills the defaults first, on e itself, so the caller sees them:
// EventVersion, EventType, EventID (a random UUID v4, when empty), RecipientAccountID (from
// the identity's account, when empty), AWSRegion (DefaultGlobalRegion for IAM, STS and
// Organizations) and, once the event is written, EventTime: when the caller left it zero, the
// batcher stamps it from the clock as it takes the event for writing, so times follow the
// order of the trail. A caller-set EventTime is kept (in UTC).
//
// The event is encoded by the caller's goroutine, then queued; Record returns when the write
// that contains it is durable. Any error, including one from the backend, is returned wrapped
// and every event of a failed write gets it: the caller must fail the request (fail closed).
// If ctx ends while the event waits for the writer, Record returns ctx's error and the event
// may still be written; writes themselves are not canceled (they carry other callers'
// events), so a Record that writes its own event returns when that write ends.
func (s *Store) Record(ctx context.Context, e *Event) error {
	if e.EventVersion == "" {
		e.EventVersion = EventVersion
	}
	if e.EventType == "" {
		e.EventType = EventTypeAPICall
	}
	stamp := e.EventTime.IsZero()
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
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("audit: record event %s: %w", e.EventID, err)
	}

	p := &pending{account: e.RecipientAccountID, region: e.AWSRegion, id: e.EventID, stamp: stamp}
	p.buf = s.bufs.Get().(*[]byte)
	if stamp {
		e.EventTime = placeholderTime // fixed width in the JSON, overwritten by the batcher
	}
	entry, jsonTime, err := appendEntry((*p.buf)[:0], e)
	if stamp {
		e.EventTime = time.Time{}
	}
	if err != nil {
		s.release(p.buf, entry)
		return fmt.Errorf("audit: record %s %s: encode event %s: %w", e.EventSource, e.EventName, e.EventID, err)
	}
	p.entry, p.jsonTime = entry, jsonTime
	if !stamp {
		p.time = e.EventTime
		p.nanos = clampNanos(p.time)
	}

	g, lead, err := s.enqueue(p)
	if err != nil {
		s.release(p.buf, entry)
		return fmt.Errorf("audit: record event %s: %w", e.EventID, err)
	}
	if lead {
		s.lead(g)
	} else if cancel := ctx.Done(); cancel == nil {
		<-g.done
	} else {
		select {
		case <-g.done:
		case <-cancel:
			return fmt.Errorf("audit: record event %s: %w", e.EventID, ctx.Err())
		}
	}
	// g.done is closed after the writer has set every field read here.
	if err := cmp.Or(p.err, g.err); err != nil {
		return fmt.Errorf("audit: record event %s: %w", e.EventID, err)
	}
	if stamp {
		e.EventTime = p.time
	}
	return nil
}

// release clears an entry buffer (it held an event, maybe only part of one) and returns it
// to the pool.
func (s *Store) release(bp *[]byte, b []byte) {
	clear(b[:cap(b)])
	if cap(b) <= maxPooledBuf {
		*bp = b[:0]
		s.bufs.Put(bp)
	}
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

// batchKey is audit/<account>/<region>/<inverted nanos>/<eventID>, for the batch whose newest
// event has the time nanos and the ID id.
func batchKey(account, region string, nanos int64, id string) string {
	b := make([]byte, 0, len(KeyPrefix)+len(account)+len(region)+invWidth+len(id)+3)
	b = append(b, KeyPrefix...)
	b = append(b, account...)
	b = append(b, '/')
	b = append(b, region...)
	b = append(b, '/')
	b = appendInverted(b, nanos)
	b = append(b, '/')
	b = append(b, id...)
	return string(b)
}

// parseSuffix checks the part of a key after the partition prefix, <inverted>/<id>, and
// returns the time of the batch's newest event in nanoseconds.
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

// idSources are ChaCha8 generators, each seeded from crypto/rand: a getrandom system call per
// event was the largest part of Record's own CPU time.
var idSources = sync.Pool{New: func() any {
	var seed [32]byte
	_, _ = rand.Read(seed[:]) // crypto/rand.Read never fails (Go 1.24+)
	return mrand.NewChaCha8(seed)
}}

// NewEventID returns a random UUID v4 (RFC 9562) from a ChaCha8 generator seeded by
// crypto/rand.
func NewEventID() string {
	var u [16]byte
	src := idSources.Get().(*mrand.ChaCha8)
	_, _ = src.Read(u[:]) // ChaCha8.Read never fails
	idSources.Put(src)
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
const recordMagic = "BWA\x02"

// entryTimeLen is the fixed-width event time at the start of every entry: Unix seconds
// (8 bytes, big-endian, two's complement) and nanoseconds (4 bytes, big-endian).
const entryTimeLen = 12

// placeholderTime is encoded for an event the batcher will stamp; its JSON form has the same
// width as any time from year 0 to 9999.
var placeholderTime = time.Unix(0, 0).UTC()

// appendEntry appends the entry of e (see the package doc): the fixed-width time, the lookup
// fields and the JSON. It also returns the offset of the JSON eventTime in the result.
func appendEntry(b []byte, e *Event) (_ []byte, jsonTime int, _ error) {
	mark := len(b)
	b = putEntryTime(append(b, make([]byte, entryTimeLen)...), mark, e.EventTime)
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
	b = binary.AppendUvarint(b, uint64(len(e.Resources)))
	for i := range e.Resources {
		b = appendField(b, e.Resources[i].Type)
		b = appendField(b, e.Resources[i].lookupName())
	}
	b, jsonTime, err := e.appendJSON(b)
	if err != nil {
		return b[:mark], 0, err
	}
	return b, jsonTime - mark, nil
}

// putEntryTime writes t into the fixed-width time of the entry at b[off:].
func putEntryTime(b []byte, off int, t time.Time) []byte {
	binary.BigEndian.PutUint64(b[off:], uint64(t.Unix()))
	binary.BigEndian.PutUint32(b[off+8:], uint32(t.Nanosecond()))
	return b
}

// stampEntry writes t as the time of an entry encoded with placeholderTime.
func stampEntry(entry []byte, jsonTime int, t time.Time) error {
	var d [32]byte
	js := appendTime(d[:0], t)
	if len(js) != len(`2006-01-02T15:04:05Z`) || jsonTime+len(js) > len(entry) {
		return fmt.Errorf("audit: clock time %v cannot be recorded", t)
	}
	putEntryTime(entry, 0, t)
	copy(entry[jsonTime:], js)
	return nil
}

func appendField(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// header is a decoded entry; its byte slices alias the stored value.
type header struct {
	eventID, eventName, eventSource, username, accessKeyID []byte
	readOnly                                               bool
	eventTime                                              int64  // Unix seconds
	nanos                                                  int64  // clampNanos of the time
	resources                                              []byte // n x (type, name), encoded
	nres                                                   int
	json                                                   []byte
}

var errBadRecord = errors.New("audit: malformed stored event")

// decodeEntry splits one entry of a batch. It never panics on garbage.
func decodeEntry(v []byte) (header, error) {
	var h header
	if len(v) < entryTimeLen {
		return h, errBadRecord
	}
	nsec := binary.BigEndian.Uint32(v[8:])
	if nsec >= 1e9 {
		return h, errBadRecord
	}
	h.eventTime = int64(binary.BigEndian.Uint64(v))
	h.nanos = clampNanos(time.Unix(h.eventTime, int64(nsec)))
	r := reader{b: v[entryTimeLen:]}
	h.eventID = r.field()
	h.eventName = r.field()
	h.eventSource = r.field()
	h.username = r.field()
	h.accessKeyID = r.field()
	h.readOnly = r.byte() == 1
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

// batch is a decoded value: the span of its events and an iterator over its entries.
type batch struct {
	count      int   // number of entries, at least 1
	minN, maxN int64 // oldest and newest event time, clamped Unix nanoseconds
	rest       reader
	next       int // index of the entry the next call to entry returns
}

// decodeBatch reads the batch header of a stored value. It never panics on garbage.
func decodeBatch(v []byte) (batch, error) {
	var b batch
	if len(v) < len(recordMagic) || string(v[:len(recordMagic)]) != recordMagic {
		return b, errBadRecord
	}
	b.rest = reader{b: v[len(recordMagic):]}
	n := b.rest.uvarint()
	lo, hi := b.rest.uvarint(), b.rest.uvarint()
	if b.rest.bad || n == 0 || n > uint64(len(b.rest.b)) || lo > hi || hi > math.MaxInt64 {
		return batch{}, errBadRecord
	}
	b.count, b.minN, b.maxN = int(n), int64(lo), int64(hi)
	return b, nil
}

// entry decodes the next entry.
func (b *batch) entry() (header, error) {
	if b.next >= b.count {
		return header{}, errBadRecord
	}
	v := b.rest.field()
	if b.rest.bad {
		return header{}, errBadRecord
	}
	b.next++
	h, err := decodeEntry(v)
	if err == nil && (h.nanos < b.minN || h.nanos > b.maxN) {
		err = errBadRecord
	}
	return h, err
}

// skip passes over the entries before index i without decoding them.
func (b *batch) skip(i int) error {
	for ; b.next < i && b.next < b.count; b.next++ {
		if b.rest.field(); b.rest.bad {
			return errBadRecord
		}
	}
	return nil
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
