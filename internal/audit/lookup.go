package audit

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// The LookupEvents error codes. The codes, and that LookupEvents raises them, come from the
// CloudTrail API model (aws-sdk-go-v2 service/cloudtrail v1.56.0, the LookupEvents error
// deserializer) and the API reference
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html; every one
// is a client (HTTP 400) fault there. The message texts are Bulwark's own: AWS does not
// document them.
const (
	CodeInvalidLookupAttributes = "InvalidLookupAttributesException"
	CodeInvalidTimeRange        = "InvalidTimeRangeException"
	CodeInvalidMaxResults       = "InvalidMaxResultsException"
	CodeInvalidNextToken        = "InvalidNextTokenException"
	CodeInvalidEventCategory    = "InvalidEventCategoryException"
)

// The LookupAttributeKey values, from the CloudTrail API reference (LookupAttribute):
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupAttribute.html
const (
	AttrEventID      = "EventId"
	AttrEventName    = "EventName"
	AttrReadOnly     = "ReadOnly"
	AttrUsername     = "Username"
	AttrResourceType = "ResourceType"
	AttrResourceName = "ResourceName"
	AttrEventSource  = "EventSource"
	AttrAccessKeyID  = "AccessKeyId"
)

// EventCategoryInsight is the only EventCategory value LookupEvents accepts. Bulwark records no
// Insights events, so a lookup for it is always empty.
const EventCategoryInsight = "insight"

// MaxLookupResults is the largest and the default page size of LookupEvents ("Possible values
// are 1 through 50. The default is 50.").
const MaxLookupResults = 50

// maxAttributeValue is the AttributeValue limit; '_', ' ', ',' and '\n' count twice
// (API_LookupAttribute.html).
const maxAttributeValue = 2000

// maxTokenLen bounds the NextToken accepted before decoding.
const maxTokenLen = 512

// tokenVersion is the first byte of every NextToken. Version 1 tokens (one key per event)
// are no longer accepted.
const tokenVersion = 2

// ErrInvalidQuery is returned (wrapped) by Lookup when the account or region the pipeline
// passed is unusable; it is a server-side fault, not a client error.
var ErrInvalidQuery = errors.New("audit: invalid lookup partition")

// LookupAttribute is one LookupEvents filter: AttributeKey and AttributeValue.
type LookupAttribute struct {
	Key   string
	Value string
}

// LookupQuery is a LookupEvents request for one account and region.
type LookupQuery struct {
	// Account is the caller's account; only its events are searched.
	Account string
	// Region is the region the LookupEvents call was made to.
	Region string
	// LookupAttributes holds at most one filter.
	LookupAttributes []LookupAttribute
	// StartTime, when not zero, keeps events at or after it.
	StartTime time.Time
	// EndTime, when not zero, keeps events at or before it.
	EndTime time.Time
	// EventCategory is empty (management events) or EventCategoryInsight.
	EventCategory string
	// MaxResults is the page size, 1 to 50; nil means 50.
	MaxResults *int32
	// NextToken continues a previous lookup with the same parameters; "" starts afresh.
	NextToken string
}

// LookupResource is one resource of a LookupEvents event.
type LookupResource struct {
	ResourceType string
	ResourceName string
}

// LookupEvent is one event of a LookupEvents response.
type LookupEvent struct {
	EventID     string
	EventName   string
	ReadOnly    string // "true" or "false"
	AccessKeyID string
	EventTime   time.Time
	EventSource string
	Username    string
	Resources   []LookupResource
	// CloudTrailEvent is the event's CloudTrail JSON record.
	CloudTrailEvent string
}

// LookupResult is a LookupEvents response: events newest first, and a NextToken when more
// may follow.
type LookupResult struct {
	Events    []LookupEvent
	NextToken string
}

// Lookup answers a LookupEvents request. Client mistakes are *awserr.Error values with
// CloudTrail's codes and HTTP 400; storage failures are returned wrapped.
func (s *Store) Lookup(ctx context.Context, q LookupQuery) (LookupResult, error) {
	if !validPart(q.Account) || !validPart(q.Region) {
		return LookupResult{}, fmt.Errorf("%w: account %q region %q", ErrInvalidQuery, q.Account, q.Region)
	}
	if q.EventCategory != "" && q.EventCategory != EventCategoryInsight {
		return LookupResult{}, awserr.New(CodeInvalidEventCategory, http.StatusBadRequest,
			"Event category %q is not valid. The only valid value is insight.", q.EventCategory)
	}
	var attr LookupAttribute
	switch len(q.LookupAttributes) {
	case 0:
	case 1:
		attr = q.LookupAttributes[0]
		if err := checkAttribute(attr); err != nil {
			return LookupResult{}, err
		}
	default:
		return LookupResult{}, awserr.New(CodeInvalidLookupAttributes, http.StatusBadRequest,
			"You can specify only one lookup attribute, not %d.", len(q.LookupAttributes))
	}
	if !q.StartTime.IsZero() && !q.EndTime.IsZero() && q.StartTime.After(q.EndTime) {
		return LookupResult{}, awserr.New(CodeInvalidTimeRange, http.StatusBadRequest,
			"Start time must not be after end time.")
	}
	limit := MaxLookupResults
	if q.MaxResults != nil {
		if *q.MaxResults < 1 || *q.MaxResults > MaxLookupResults {
			return LookupResult{}, awserr.New(CodeInvalidMaxResults, http.StatusBadRequest,
				"MaxResults %d is not valid. Possible values are 1 through %d.", *q.MaxResults, MaxLookupResults)
		}
		limit = int(*q.MaxResults)
	}
	fp := fingerprint(&q, attr)
	var from position // the last event returned by the previous page
	if q.NextToken != "" {
		var ok bool
		if from, ok = decodeToken(q.NextToken, fp); !ok {
			return LookupResult{}, awserr.New(CodeInvalidNextToken, http.StatusBadRequest,
				"The NextToken is not valid, or was issued for a request with different parameters.")
		}
	}
	if q.EventCategory == EventCategoryInsight {
		return LookupResult{}, nil
	}

	lo, hi := timeBounds(q.StartTime, q.EndTime)
	if lo > hi {
		return LookupResult{}, nil
	}
	sc := scanner{s: s, prefix: partitionPrefix(q.Account, q.Region), lo: lo, hi: hi, attr: attr,
		limit: limit, fp: fp}
	// A batch is keyed by its newest event and spans at most maxBatchSpan, so one holding an
	// event at or before hi has its newest event at or before hi+maxBatchSpan.
	if top := hi; top < math.MaxInt64-maxBatchSpan {
		top += maxBatchSpan
		// Keys with time <= top are those with inverted >= MaxInt64-top: start just past
		// every key whose inverted value is one less.
		if x := math.MaxInt64 - top; x > 0 {
			b := appendInverted([]byte(sc.prefix), math.MaxInt64-(x-1))
			sc.startAfter = string(append(b, '~'))
		}
	}
	if from.suffix != "" {
		// Resume at the token's batch: start just before its key and skip any key before it.
		if k := sc.prefix + from.suffix; k > sc.startAfter {
			sc.startAfter = k[:len(k)-1]
			sc.from = k
			sc.fromIndex = from.index
		}
	}
	return sc.scan(ctx)
}

// position is a place in the trail of one partition: the key suffix of a batch and the index
// of an event in it.
type position struct {
	suffix string
	index  int
}

// scanner is one Lookup call's walk over a partition.
type scanner struct {
	s          *Store
	prefix     string
	startAfter string // the Range start
	from       string // when set, skip keys before it, and its events up to fromIndex
	fromIndex  int
	lo, hi     int64
	attr       LookupAttribute
	limit      int
	fp         uint64

	res     LookupResult
	scanned int // events examined, for the budget
	// keys, events and bytes read so far, to size the next Range
	keys, events, bytes int
}

// scan reads batches in key order (newest batch first) and their events newest first, until
// it has limit matches, passes lo, runs out of keys or spends the scan budget.
func (sc *scanner) scan(ctx context.Context) (LookupResult, error) {
	// A batch may hold one event or hundreds: read one key first without a filter (it often
	// holds the whole page), eight with one, then size each Range from what was seen.
	want := 1
	if sc.attr.Key != "" {
		want = 8
	}
	for {
		page, err := sc.s.backend.Range(ctx, sc.prefix, sc.startAfter, want)
		if err != nil {
			return LookupResult{}, fmt.Errorf("audit: lookup %s: %w", sc.prefix, err)
		}
		for i, kv := range page.KVs {
			if kv.Key < sc.from {
				continue // resuming: a key before the token's batch
			}
			sc.keys++
			sc.bytes += len(kv.Value)
			done, err := sc.batch(ctx, page, i)
			if err != nil || done {
				return sc.res, err
			}
		}
		if !page.More || len(page.KVs) == 0 {
			return sc.res, nil
		}
		sc.startAfter = page.KVs[len(page.KVs)-1].Key
		want = sc.nextWant(want)
	}
}

// nextWant sizes the next Range: without a filter, enough keys for the rest of the page and a
// peek past it, at the events per key seen so far; with one, twice the last. Either way at
// most 256 keys and, past one key, about 1 MiB of values.
func (sc *scanner) nextWant(last int) int {
	if sc.keys == 0 {
		return min(2*last, 256)
	}
	want := 2 * last
	if sc.attr.Key == "" {
		perKey := max(1, sc.events/sc.keys)
		want = (sc.limit-len(sc.res.Events))/perKey + 2
	}
	perKey := max(1, sc.bytes/sc.keys)
	return max(1, min(want, 256, (1<<20)/perKey))
}

// batch reads the batch page.KVs[i] and reports whether the scan is over.
func (sc *scanner) batch(ctx context.Context, page storage.Page, i int) (bool, error) {
	kv := page.KVs[i]
	keyN, ok := parseSuffix(kv.Key[len(sc.prefix):])
	if !ok {
		return true, fmt.Errorf("audit: lookup: key %q: %w", kv.Key, errBadRecord)
	}
	if keyN < sc.lo {
		return true, nil // this batch and every later one end before the range
	}
	b, err := decodeBatch(kv.Value)
	if err == nil && b.maxN != keyN {
		err = errBadRecord
	}
	if err != nil {
		return true, fmt.Errorf("audit: lookup: key %q: %w", kv.Key, err)
	}
	sc.events += b.count
	first := 0
	if kv.Key == sc.from {
		first = sc.fromIndex + 1
	}
	if first >= b.count {
		return false, nil // the token's batch is used up
	}
	if b.minN > sc.hi {
		// Every event is after the range: skip the batch whole.
		sc.scanned++
		return sc.budgetSpent(ctx, page, i, &b, b.count-1)
	}
	if err := b.skip(first); err != nil {
		return true, fmt.Errorf("audit: lookup: key %q: %w", kv.Key, err)
	}
	for j := first; j < b.count; j++ {
		h, err := b.entry()
		if err != nil {
			return true, fmt.Errorf("audit: lookup: key %q event %d: %w", kv.Key, j, err)
		}
		sc.scanned++
		if h.nanos < sc.lo {
			break // the rest of the batch is older still
		}
		if h.nanos <= sc.hi && h.matches(sc.attr) {
			sc.res.Events = append(sc.res.Events, h.lookupEvent())
			if len(sc.res.Events) == sc.limit {
				return true, sc.tokenAfter(ctx, page, i, &b, j)
			}
		}
		if done, err := sc.budgetSpent(ctx, page, i, &b, j); done || err != nil {
			return done, err
		}
	}
	return false, nil
}

// budgetSpent ends the scan with a NextToken after event j of batch b (page.KVs[i]) once the
// scan budget is spent.
func (sc *scanner) budgetSpent(ctx context.Context, page storage.Page, i int, b *batch, j int) (bool, error) {
	if sc.scanned < sc.s.budget {
		return false, nil
	}
	return true, sc.tokenAfter(ctx, page, i, b, j)
}

// tokenAfter sets the NextToken to continue after event j of batch b (page.KVs[i]), if an
// event at or after lo may follow it.
func (sc *scanner) tokenAfter(ctx context.Context, page storage.Page, i int, b *batch, j int) error {
	more := false
	if j+1 < b.count && b.next == j+1 {
		// The events of a batch are newest first: the next one tells for the whole rest.
		h, err := b.entry()
		if err != nil {
			return fmt.Errorf("audit: lookup: key %q event %d: %w", page.KVs[i].Key, j+1, err)
		}
		more = h.nanos >= sc.lo
	}
	if !more {
		var next string
		switch {
		case i+1 < len(page.KVs):
			next = page.KVs[i+1].Key
		case page.More:
			p, err := sc.s.backend.Range(ctx, sc.prefix, page.KVs[i].Key, 1)
			if err != nil {
				return fmt.Errorf("audit: lookup %s: %w", sc.prefix, err)
			}
			if len(p.KVs) > 0 {
				next = p.KVs[0].Key
			}
		}
		if next != "" {
			nanos, ok := parseSuffix(next[len(sc.prefix):])
			more = ok && nanos >= sc.lo
		}
	}
	if more {
		sc.res.NextToken = encodeToken(sc.fp, position{suffix: page.KVs[i].Key[len(sc.prefix):], index: j})
	}
	return nil
}

// checkAttribute validates the one lookup attribute.
func checkAttribute(a LookupAttribute) error {
	switch a.Key {
	case AttrEventID, AttrEventName, AttrReadOnly, AttrUsername, AttrResourceType,
		AttrResourceName, AttrEventSource, AttrAccessKeyID:
	default:
		return awserr.New(CodeInvalidLookupAttributes, http.StatusBadRequest,
			"Lookup attribute key %q is not valid. Valid keys are EventId, EventName, ReadOnly, "+
				"Username, ResourceType, ResourceName, EventSource and AccessKeyId.", a.Key)
	}
	n := 0
	for _, r := range a.Value {
		n++
		switch r {
		case '_', ' ', ',', '\n':
			n++
		}
	}
	if n < 1 || n > maxAttributeValue || !utf8.ValidString(a.Value) {
		return awserr.New(CodeInvalidLookupAttributes, http.StatusBadRequest,
			"The value of lookup attribute %s must be 1 to %d characters long.", a.Key, maxAttributeValue)
	}
	return nil
}

// timeBounds turns the inclusive StartTime and EndTime into inclusive bounds on the event time
// in nanoseconds, knowing that events are compared at the second precision of eventTime.
func timeBounds(start, end time.Time) (lo, hi int64) {
	const maxSec = math.MaxInt64/1_000_000_000 - 1
	lo, hi = 0, math.MaxInt64
	if !start.IsZero() {
		sec := start.Unix()
		if start.Nanosecond() > 0 {
			sec++ // an event of second s is at or after start only if s >= ceil(start)
		}
		switch {
		case sec > maxSec:
			lo = math.MaxInt64
		case sec > 0:
			lo = sec * 1e9
		}
	}
	if !end.IsZero() {
		switch sec := end.Unix(); {
		case sec < 0:
			hi = -1
		case sec < maxSec:
			hi = sec*1e9 + 999_999_999
		}
	}
	return lo, hi
}

// matches reports whether the event passes the lookup attribute (none matches everything).
func (h *header) matches(a LookupAttribute) bool {
	switch a.Key {
	case "":
		return true
	case AttrEventID:
		return string(h.eventID) == a.Value
	case AttrEventName:
		return string(h.eventName) == a.Value
	case AttrEventSource:
		return string(h.eventSource) == a.Value
	case AttrUsername:
		return string(h.username) == a.Value
	case AttrAccessKeyID:
		return string(h.accessKeyID) == a.Value
	case AttrReadOnly:
		return readOnlyString(h.readOnly) == a.Value
	case AttrResourceType, AttrResourceName:
		found := false
		h.eachResource(func(typ, name []byte) bool {
			v := name
			if a.Key == AttrResourceType {
				v = typ
			}
			found = string(v) == a.Value
			return !found
		})
		return found
	}
	return false
}

// lookupEvent copies the header into a response event.
func (h *header) lookupEvent() LookupEvent {
	ev := LookupEvent{
		EventID:         string(h.eventID),
		EventName:       string(h.eventName),
		ReadOnly:        readOnlyString(h.readOnly),
		AccessKeyID:     string(h.accessKeyID),
		EventTime:       time.Unix(h.eventTime, 0).UTC(),
		EventSource:     string(h.eventSource),
		Username:        string(h.username),
		Resources:       make([]LookupResource, 0, h.nres),
		CloudTrailEvent: string(h.json),
	}
	h.eachResource(func(typ, name []byte) bool {
		ev.Resources = append(ev.Resources, LookupResource{ResourceType: string(typ), ResourceName: string(name)})
		return true
	})
	return ev
}

func readOnlyString(v bool) string {
	if v {
		return "true"
	}
	return "false"
}

// fingerprint hashes (FNV-1a 64) every query parameter a NextToken must be reused with.
func fingerprint(q *LookupQuery, a LookupAttribute) uint64 {
	h := uint64(14695981039346656037)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff // separator: no field contains 0xff on its own in valid UTF-8
		h *= 1099511628211
	}
	addTime := func(t time.Time) {
		var b [12]byte
		if !t.IsZero() {
			binary.BigEndian.PutUint64(b[:8], uint64(t.Unix()))
			binary.BigEndian.PutUint32(b[8:], uint32(t.Nanosecond())|1<<31)
		}
		add(string(b[:]))
	}
	add(q.Account)
	add(q.Region)
	add(a.Key)
	add(a.Value)
	addTime(q.StartTime)
	addTime(q.EndTime)
	add(q.EventCategory)
	return h
}

// encodeToken makes the opaque NextToken:
// base64url(version | fingerprint | uvarint event index | batch key suffix).
func encodeToken(fp uint64, at position) string {
	b := make([]byte, 0, 9+binary.MaxVarintLen64+len(at.suffix))
	b = append(b, tokenVersion)
	b = binary.BigEndian.AppendUint64(b, fp)
	b = binary.AppendUvarint(b, uint64(at.index))
	b = append(b, at.suffix...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken returns the position in a token issued for the same parameters.
func decodeToken(tok string, fp uint64) (position, bool) {
	if len(tok) > maxTokenLen {
		return position{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 9 || b[0] != tokenVersion || binary.BigEndian.Uint64(b[1:9]) != fp {
		return position{}, false
	}
	idx, n := binary.Uvarint(b[9:])
	if n <= 0 || idx >= maxBatchEvents {
		return position{}, false
	}
	at := position{suffix: string(b[9+n:]), index: int(idx)}
	if _, ok := parseSuffix(at.suffix); !ok {
		return position{}, false
	}
	return at, true
}
