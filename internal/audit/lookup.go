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

// tokenVersion is the first byte of every NextToken.
const tokenVersion = 1

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
	var after string // key suffix from the token
	if q.NextToken != "" {
		var ok bool
		if after, ok = decodeToken(q.NextToken, fp); !ok {
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
	prefix := partitionPrefix(q.Account, q.Region)
	startAfter := ""
	if hi < math.MaxInt64 {
		// Keys with time <= hi are those with inverted >= MaxInt64-hi: start just past every
		// key whose inverted value is one less.
		if x := math.MaxInt64 - hi; x > 0 {
			b := appendInverted([]byte(prefix), math.MaxInt64-(x-1))
			startAfter = string(append(b, '~'))
		}
	}
	if after != "" {
		if k := prefix + after; k > startAfter {
			startAfter = k
		}
	}
	return s.scan(ctx, prefix, startAfter, lo, attr, limit, fp)
}

// scan reads the partition from startAfter until it has limit matches, passes lo, runs out of
// keys or spends the scan budget.
func (s *Store) scan(ctx context.Context, prefix, startAfter string, lo int64, attr LookupAttribute,
	limit int, fp uint64) (LookupResult, error) {
	var res LookupResult
	scanned := 0
	// Without a filter every key in range is a result, so read just enough for one page and a
	// peek at the next key; with one, read in larger batches.
	want := 256
	if attr.Key == "" {
		want = limit + 1
	}
	for {
		batch := min(s.budget-scanned, want)
		page, err := s.backend.Range(ctx, prefix, startAfter, batch)
		if err != nil {
			return LookupResult{}, fmt.Errorf("audit: lookup %s: %w", prefix, err)
		}
		for i, kv := range page.KVs {
			scanned++
			nanos, ok := parseSuffix(kv.Key[len(prefix):])
			if !ok {
				return LookupResult{}, fmt.Errorf("audit: lookup: key %q: %w", kv.Key, errBadRecord)
			}
			if nanos < lo {
				return res, nil
			}
			h, err := decodeHeader(kv.Value)
			if err != nil {
				return LookupResult{}, fmt.Errorf("audit: lookup: key %q: %w", kv.Key, err)
			}
			startAfter = kv.Key
			if !h.matches(attr) {
				continue
			}
			res.Events = append(res.Events, h.lookupEvent())
			if len(res.Events) < limit {
				continue
			}
			more, err := s.moreAfter(ctx, prefix, page, i, lo)
			if err != nil {
				return LookupResult{}, err
			}
			if more {
				res.NextToken = encodeToken(fp, kv.Key[len(prefix):])
			}
			return res, nil
		}
		if !page.More || len(page.KVs) == 0 {
			return res, nil
		}
		if scanned >= s.budget {
			res.NextToken = encodeToken(fp, startAfter[len(prefix):])
			return res, nil
		}
	}
}

// moreAfter reports whether a key at or after lo follows page.KVs[i].
func (s *Store) moreAfter(ctx context.Context, prefix string, page storage.Page, i int, lo int64) (bool, error) {
	var next string
	switch {
	case i+1 < len(page.KVs):
		next = page.KVs[i+1].Key
	case page.More:
		p, err := s.backend.Range(ctx, prefix, page.KVs[i].Key, 1)
		if err != nil {
			return false, fmt.Errorf("audit: lookup %s: %w", prefix, err)
		}
		if len(p.KVs) == 0 {
			return false, nil
		}
		next = p.KVs[0].Key
	default:
		return false, nil
	}
	nanos, ok := parseSuffix(next[len(prefix):])
	return ok && nanos >= lo, nil
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

// encodeToken makes the opaque NextToken: base64url(version | fingerprint | key suffix).
func encodeToken(fp uint64, suffix string) string {
	b := make([]byte, 0, 9+len(suffix))
	b = append(b, tokenVersion)
	b = binary.BigEndian.AppendUint64(b, fp)
	b = append(b, suffix...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken returns the key suffix of a token issued for the same parameters.
func decodeToken(tok string, fp uint64) (string, bool) {
	if len(tok) > maxTokenLen {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 9 || b[0] != tokenVersion || binary.BigEndian.Uint64(b[1:9]) != fp {
		return "", false
	}
	suffix := string(b[9:])
	if _, ok := parseSuffix(suffix); !ok {
		return "", false
	}
	return suffix, true
}
