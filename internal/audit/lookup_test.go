package audit_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
)

// recordN records n events in acctA/us-east-1, one second apart, alternating EventName
// between "Even" and "Odd", and returns their IDs newest first.
func recordN(t testing.TB, s *audit.Store, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		name := "Even"
		if i%2 == 1 {
			name = "Odd"
		}
		e := &audit.Event{UserIdentity: iamUser(acctA, "alice", "AKIA1"), EventSource: "kms.amazonaws.com",
			EventName: name, AWSRegion: "us-east-1"}
		if err := s.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		ids[n-1-i] = e.EventID
	}
	return ids
}

// lookupAll follows NextToken to the end and returns every event ID and the page sizes.
func lookupAll(t *testing.T, s *audit.Store, q audit.LookupQuery) (ids []string, pages []int) {
	t.Helper()
	for range 1000 {
		res, err := s.Lookup(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, eventIDs(res.Events)...)
		pages = append(pages, len(res.Events))
		if res.NextToken == "" {
			return ids, pages
		}
		q.NextToken = res.NextToken
	}
	t.Fatal("pagination does not end")
	return nil, nil
}

func TestLookupPagination(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	all := recordN(t, s, 23)
	var odd []string
	for i, id := range all { // all is newest first: index 0 is event 22 (Even)
		if (22-i)%2 == 1 {
			odd = append(odd, id)
		}
	}
	tests := []struct {
		name      string
		q         audit.LookupQuery
		want      []string
		wantPages []int
	}{
		{"default page", audit.LookupQuery{}, all, []int{23}},
		{"pages of 5", audit.LookupQuery{MaxResults: ptr[int32](5)}, all, []int{5, 5, 5, 5, 3}},
		{"exact multiple", audit.LookupQuery{MaxResults: ptr[int32](23)}, all, []int{23}},
		{"pages of 1", audit.LookupQuery{MaxResults: ptr[int32](1)}, all, slices.Repeat([]int{1}, 23)},
		{"filtered pages", audit.LookupQuery{MaxResults: ptr[int32](4),
			LookupAttributes: []audit.LookupAttribute{{Key: audit.AttrEventName, Value: "Odd"}}}, odd, []int{4, 4, 3}},
		{"time range pages", audit.LookupQuery{MaxResults: ptr[int32](2),
			StartTime: t0.Add(10 * time.Second), EndTime: t0.Add(14 * time.Second)}, all[8:13], []int{2, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Account, tt.q.Region = acctA, "us-east-1"
			ids, pages := lookupAll(t, s, tt.q)
			if !slices.Equal(ids, tt.want) {
				t.Errorf("ids\n got %v\nwant %v", ids, tt.want)
			}
			if !slices.Equal(pages, tt.wantPages) {
				t.Errorf("pages = %v, want %v", pages, tt.wantPages)
			}
		})
	}
}

func TestLookupPaginationSeesNewEventsOnlyOnRestart(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	all := recordN(t, s, 6)
	q := audit.LookupQuery{Account: acctA, Region: "us-east-1", MaxResults: ptr[int32](3)}
	first, err := s.Lookup(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	recordN(t, s, 2) // newer events must not shift the pages being read
	q.NextToken = first.NextToken
	second, err := s.Lookup(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := append(eventIDs(first.Events), eventIDs(second.Events)...); !slices.Equal(got, all) {
		t.Errorf("got %v\nwant %v", got, all)
	}
	if second.NextToken != "" {
		t.Errorf("NextToken after the last page: %q", second.NextToken)
	}
}

func TestLookupScanBudget(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second), ScanBudget: 3})
	all := recordN(t, s, 10)
	q := audit.LookupQuery{Account: acctA, Region: "us-east-1",
		LookupAttributes: []audit.LookupAttribute{{Key: audit.AttrEventName, Value: "Even"}}}
	ids, pages := lookupAll(t, s, q)
	var even []string
	for i, id := range all {
		if (9-i)%2 == 0 {
			even = append(even, id)
		}
	}
	if !slices.Equal(ids, even) {
		t.Errorf("got %v\nwant %v", ids, even)
	}
	if len(pages) < 3 {
		t.Errorf("pages = %v; a budget of 3 keys should split 10 keys into several calls", pages)
	}
}

func TestLookupErrors(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	recordN(t, s, 4)
	first, err := s.Lookup(context.Background(), audit.LookupQuery{Account: acctA, Region: "us-east-1", MaxResults: ptr[int32](1)})
	if err != nil || first.NextToken == "" {
		t.Fatalf("first page: %v %v", first, err)
	}
	tok := first.NextToken
	attr := func(k, v string) []audit.LookupAttribute { return []audit.LookupAttribute{{Key: k, Value: v}} }
	tests := []struct {
		name string
		q    audit.LookupQuery
		code string
	}{
		{"two attributes", audit.LookupQuery{LookupAttributes: append(attr(audit.AttrEventName, "a"), attr(audit.AttrUsername, "b")...)},
			audit.CodeInvalidLookupAttributes},
		{"unknown key", audit.LookupQuery{LookupAttributes: attr("UserName", "alice")}, audit.CodeInvalidLookupAttributes},
		{"empty key", audit.LookupQuery{LookupAttributes: attr("", "x")}, audit.CodeInvalidLookupAttributes},
		{"empty value", audit.LookupQuery{LookupAttributes: attr(audit.AttrEventName, "")}, audit.CodeInvalidLookupAttributes},
		{"value too long", audit.LookupQuery{LookupAttributes: attr(audit.AttrEventName, strings.Repeat("a", 2001))},
			audit.CodeInvalidLookupAttributes},
		{"underscores count twice", audit.LookupQuery{LookupAttributes: attr(audit.AttrEventName, strings.Repeat("_", 1001))},
			audit.CodeInvalidLookupAttributes},
		{"start after end", audit.LookupQuery{StartTime: t0.Add(time.Second), EndTime: t0}, audit.CodeInvalidTimeRange},
		{"max results 0", audit.LookupQuery{MaxResults: ptr[int32](0)}, audit.CodeInvalidMaxResults},
		{"max results 51", audit.LookupQuery{MaxResults: ptr[int32](51)}, audit.CodeInvalidMaxResults},
		{"max results negative", audit.LookupQuery{MaxResults: ptr[int32](-1)}, audit.CodeInvalidMaxResults},
		{"garbage token", audit.LookupQuery{NextToken: "not a token!"}, audit.CodeInvalidNextToken},
		{"base64 junk token", audit.LookupQuery{NextToken: base64.RawURLEncoding.EncodeToString([]byte("\x01junkjunkjunk"))},
			audit.CodeInvalidNextToken},
		{"huge token", audit.LookupQuery{NextToken: strings.Repeat("A", 4096)}, audit.CodeInvalidNextToken},
		{"token with other attribute", audit.LookupQuery{NextToken: tok, LookupAttributes: attr(audit.AttrEventName, "Even")},
			audit.CodeInvalidNextToken},
		{"token with other time range", audit.LookupQuery{NextToken: tok, EndTime: t0.Add(time.Hour)}, audit.CodeInvalidNextToken},
		{"token in other account", audit.LookupQuery{Account: acctB, NextToken: tok}, audit.CodeInvalidNextToken},
		{"token in other region", audit.LookupQuery{Region: "eu-west-1", NextToken: tok}, audit.CodeInvalidNextToken},
		{"bad category", audit.LookupQuery{EventCategory: "Management"}, audit.CodeInvalidEventCategory},
		{"category case", audit.LookupQuery{EventCategory: "Insight"}, audit.CodeInvalidEventCategory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.q.Account == "" {
				tt.q.Account = acctA
			}
			if tt.q.Region == "" {
				tt.q.Region = "us-east-1"
			}
			_, err := s.Lookup(context.Background(), tt.q)
			code, status := awsCode(err)
			if code != tt.code || status != http.StatusBadRequest {
				t.Fatalf("err = %v (code %q status %d), want %s 400", err, code, status, tt.code)
			}
		})
	}
}

func TestLookupAccepts(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	recordN(t, s, 3)
	tests := []struct {
		name string
		q    audit.LookupQuery
		n    int
	}{
		{"insight is empty", audit.LookupQuery{EventCategory: audit.EventCategoryInsight}, 0},
		{"max results 50", audit.LookupQuery{MaxResults: ptr[int32](50)}, 3},
		{"value of 2000", audit.LookupQuery{LookupAttributes: []audit.LookupAttribute{{Key: audit.AttrEventName,
			Value: strings.Repeat("é", 2000)}}}, 0},
		{"equal start and end", audit.LookupQuery{StartTime: t0, EndTime: t0}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Account, tt.q.Region = acctA, "us-east-1"
			res, err := s.Lookup(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Events) != tt.n {
				t.Errorf("%d events, want %d", len(res.Events), tt.n)
			}
		})
	}
}

func TestLookupBadPartition(t *testing.T) {
	s, _ := newStore(t, audit.Options{})
	for _, q := range []audit.LookupQuery{{Region: "us-east-1"}, {Account: acctA}, {Account: "a/b", Region: "us-east-1"}} {
		_, err := s.Lookup(context.Background(), q)
		if code, _ := awsCode(err); err == nil || code != "" {
			t.Errorf("%+v: err = %v, want a non-AWS (server) error", q, err)
		}
	}
}

// FuzzLookupNextToken feeds arbitrary tokens to Lookup: each must either work or be refused
// with InvalidNextTokenException, never panic or fail otherwise.
func FuzzLookupNextToken(f *testing.F) {
	s, _ := newStore(f, audit.Options{Now: stepClock(time.Second)})
	recordN(f, s, 5)
	q := audit.LookupQuery{Account: acctA, Region: "us-east-1", MaxResults: ptr[int32](2)}
	res, err := s.Lookup(context.Background(), q)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(res.NextToken)
	raw, _ := base64.RawURLEncoding.DecodeString(res.NextToken)
	f.Add(base64.RawURLEncoding.EncodeToString(append(raw[:len(raw):len(raw)], 'x')))
	f.Add(base64.RawURLEncoding.EncodeToString(raw[:len(raw)-5]))
	f.Add("")
	f.Add("AQ")
	f.Add("====")
	f.Fuzz(func(t *testing.T, tok string) {
		q := q
		q.NextToken = tok
		res, err := s.Lookup(context.Background(), q)
		if err != nil {
			if code, status := awsCode(err); code != audit.CodeInvalidNextToken || status != http.StatusBadRequest {
				t.Fatalf("token %q: err = %v", tok, err)
			}
			return
		}
		if len(res.Events) > 2 {
			t.Fatalf("token %q: %d events for MaxResults 2", tok, len(res.Events))
		}
	})
}
