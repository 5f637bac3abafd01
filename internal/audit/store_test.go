package audit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
)

// seed records a fixed mix of events, one second apart, and returns their IDs in recording
// order. Events:
//
//	0 A us-east-1  iam CreateUser        alice AKIAALICE   write  AWS::IAM::User bob
//	1 A us-east-1  iam GetUser           alice AKIAALICE   read
//	2 A us-east-1  kms CreateKey         root  AKIAROOT    write  AWS::KMS::Key <arn>
//	3 A eu-west-1  kms Encrypt           bob   AKIABOB     read   AWS::KMS::Key <arn>   (denied)
//	4 A eu-west-1  iam DeleteUser        bob   AKIABOB     write  -> recorded in us-east-1
//	5 B us-east-1  iam CreateUser        carol AKIACAROL   write  AWS::IAM::User dave
//	6 A us-east-1  sts GetCallerIdentity deploy ASIADEPLOY read (assumed role)
//	7 A us-west-2  kms ListKeys          alice AKIAALICE   read
func seed(t *testing.T, s *audit.Store) []string {
	t.Helper()
	keyARN := "arn:aws:kms:us-east-1:" + acctA + ":key/1234"
	role := audit.UserIdentity{Type: audit.IdentityAssumedRole, AccountID: acctA, AccessKeyID: "ASIADEPLOY",
		ARN: "arn:aws:sts::" + acctA + ":assumed-role/Deployer/deploy", PrincipalID: "AROA1:deploy"}
	root := audit.UserIdentity{Type: audit.IdentityRoot, AccountID: acctA, AccessKeyID: "AKIAROOT",
		ARN: "arn:aws:iam::" + acctA + ":root", PrincipalID: acctA}
	events := []*audit.Event{
		{UserIdentity: iamUser(acctA, "alice", "AKIAALICE"), EventSource: "iam.amazonaws.com", EventName: "CreateUser",
			AWSRegion: "us-east-1", Resources: []audit.Resource{{Type: "AWS::IAM::User", Name: "bob", ARN: "arn:aws:iam::" + acctA + ":user/bob"}}},
		{UserIdentity: iamUser(acctA, "alice", "AKIAALICE"), EventSource: "iam.amazonaws.com", EventName: "GetUser",
			AWSRegion: "us-east-1", ReadOnly: true},
		{UserIdentity: root, EventSource: "kms.amazonaws.com", EventName: "CreateKey", AWSRegion: "us-east-1",
			Resources: []audit.Resource{{Type: "AWS::KMS::Key", ARN: keyARN}}},
		{UserIdentity: iamUser(acctA, "bob", "AKIABOB"), EventSource: "kms.amazonaws.com", EventName: "Encrypt",
			AWSRegion: "eu-west-1", ReadOnly: true, ErrorCode: "AccessDeniedException", ErrorMessage: "denied",
			Resources: []audit.Resource{{Type: "AWS::KMS::Key", ARN: keyARN}}},
		{UserIdentity: iamUser(acctA, "bob", "AKIABOB"), EventSource: "iam.amazonaws.com", EventName: "DeleteUser",
			AWSRegion: "eu-west-1"},
		{UserIdentity: iamUser(acctB, "carol", "AKIACAROL"), EventSource: "iam.amazonaws.com", EventName: "CreateUser",
			AWSRegion: "us-east-1", Resources: []audit.Resource{{Type: "AWS::IAM::User", Name: "dave"}}},
		{UserIdentity: role, EventSource: "sts.amazonaws.com", EventName: "GetCallerIdentity", AWSRegion: "us-east-1", ReadOnly: true},
		{UserIdentity: iamUser(acctA, "alice", "AKIAALICE"), EventSource: "kms.amazonaws.com", EventName: "ListKeys",
			AWSRegion: "us-west-2", ReadOnly: true},
	}
	ids := make([]string, len(events))
	for i, e := range events {
		e.RequestParameters = []byte(`{"i":` + string(rune('0'+i)) + `}`)
		if err := s.Record(context.Background(), e); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		ids[i] = e.EventID
	}
	return ids
}

// pick returns ids[i] for each index, in the given order.
func pick(ids []string, idx ...int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = ids[j]
	}
	return out
}

func eventIDs(evs []audit.LookupEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventID
	}
	return out
}

func TestRecordFillsDefaults(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	e := &audit.Event{UserIdentity: iamUser(acctA, "alice", "AKIA1"), EventSource: "iam.amazonaws.com",
		EventName: "ListUsers", AWSRegion: "ap-south-1"}
	if err := s.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	if !uuid.MatchString(e.EventID) {
		t.Errorf("EventID %q is not a UUID v4", e.EventID)
	}
	if !e.EventTime.Equal(t0) || e.EventVersion != audit.EventVersion || e.EventType != audit.EventTypeAPICall {
		t.Errorf("defaults not filled: %v %q %q", e.EventTime, e.EventVersion, e.EventType)
	}
	if e.RecipientAccountID != acctA {
		t.Errorf("RecipientAccountID = %q, want the identity's account", e.RecipientAccountID)
	}
	if e.AWSRegion != "us-east-1" {
		t.Errorf("IAM event region = %q, want us-east-1", e.AWSRegion)
	}
	if a, b := audit.NewEventID(), audit.NewEventID(); a == b {
		t.Errorf("NewEventID repeated %q", a)
	}
}

func TestLookupByAttribute(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	ids := seed(t, s)
	keyARN := "arn:aws:kms:us-east-1:" + acctA + ":key/1234"
	tests := []struct {
		name            string
		account, region string
		attr            *audit.LookupAttribute
		want            []string
	}{
		{"all A us-east-1", acctA, "us-east-1", nil, pick(ids, 6, 4, 2, 1, 0)},
		{"all A eu-west-1", acctA, "eu-west-1", nil, pick(ids, 3)},
		{"all B us-east-1", acctB, "us-east-1", nil, pick(ids, 5)},
		{"empty partition", acctB, "eu-west-1", nil, nil},
		{"EventId", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrEventID, Value: ids[2]}, pick(ids, 2)},
		{"EventId other account", acctB, "us-east-1", &audit.LookupAttribute{Key: audit.AttrEventID, Value: ids[2]}, nil},
		{"EventName", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrEventName, Value: "CreateUser"}, pick(ids, 0)},
		{"ReadOnly true", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrReadOnly, Value: "true"}, pick(ids, 6, 1)},
		{"ReadOnly false", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrReadOnly, Value: "false"}, pick(ids, 4, 2, 0)},
		{"Username alice", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrUsername, Value: "alice"}, pick(ids, 1, 0)},
		{"Username root", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrUsername, Value: "root"}, pick(ids, 2)},
		{"Username role session", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrUsername, Value: "deploy"}, pick(ids, 6)},
		{"ResourceType", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrResourceType, Value: "AWS::KMS::Key"}, pick(ids, 2)},
		{"ResourceName name", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrResourceName, Value: "bob"}, pick(ids, 0)},
		{"ResourceName ARN", acctA, "eu-west-1", &audit.LookupAttribute{Key: audit.AttrResourceName, Value: keyARN}, pick(ids, 3)},
		{"EventSource", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrEventSource, Value: "iam.amazonaws.com"}, pick(ids, 4, 1, 0)},
		{"AccessKeyId", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrAccessKeyID, Value: "AKIABOB"}, pick(ids, 4)},
		{"no match", acctA, "us-east-1", &audit.LookupAttribute{Key: audit.AttrEventName, Value: "createuser"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := audit.LookupQuery{Account: tt.account, Region: tt.region}
			if tt.attr != nil {
				q.LookupAttributes = []audit.LookupAttribute{*tt.attr}
			}
			res, err := s.Lookup(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			if got := eventIDs(res.Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
			if res.NextToken != "" {
				t.Errorf("NextToken = %q on a complete result", res.NextToken)
			}
		})
	}
}

func TestLookupEventContents(t *testing.T) {
	s, _ := newStore(t, audit.Options{Now: stepClock(time.Second)})
	ids := seed(t, s)
	res, err := s.Lookup(context.Background(), audit.LookupQuery{Account: acctA, Region: "us-east-1",
		LookupAttributes: []audit.LookupAttribute{{Key: audit.AttrEventID, Value: ids[0]}}})
	if err != nil || len(res.Events) != 1 {
		t.Fatalf("lookup: %v %v", res, err)
	}
	ev := res.Events[0]
	want := audit.LookupEvent{EventID: ids[0], EventName: "CreateUser", ReadOnly: "false", AccessKeyID: "AKIAALICE",
		EventTime: t0, EventSource: "iam.amazonaws.com", Username: "alice",
		Resources: []audit.LookupResource{{ResourceType: "AWS::IAM::User", ResourceName: "bob"}}}
	ct := ev.CloudTrailEvent
	ev.CloudTrailEvent = ""
	if !jsonEqual(ev, want) {
		t.Errorf("event = %+v\nwant  %+v", ev, want)
	}
	var rec struct {
		EventID            string          `json:"eventID"`
		EventTime          string          `json:"eventTime"`
		RecipientAccountID string          `json:"recipientAccountId"`
		RequestParameters  json.RawMessage `json:"requestParameters"`
	}
	if err := json.Unmarshal([]byte(ct), &rec); err != nil {
		t.Fatalf("CloudTrailEvent is not JSON: %v", err)
	}
	if rec.EventID != ids[0] || rec.EventTime != "2026-03-01T12:00:00Z" || rec.RecipientAccountID != acctA ||
		string(rec.RequestParameters) != `{"i":0}` {
		t.Errorf("CloudTrailEvent = %s", ct)
	}
}

func TestLookupTimeRange(t *testing.T) {
	// Events at t0+0s, +1s, ... +9s, each 250ms into its second.
	clock := stepClock(time.Second)
	s, _ := newStore(t, audit.Options{Now: func() time.Time { return clock().Add(250 * time.Millisecond) }})
	var ids []string
	for range 10 {
		e := &audit.Event{UserIdentity: iamUser(acctA, "alice", "AKIA1"), EventSource: "kms.amazonaws.com",
			EventName: "ListKeys", AWSRegion: "us-east-1"}
		if err := s.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.EventID)
	}
	at := func(sec int, ms int) time.Time {
		return t0.Add(time.Duration(sec)*time.Second + time.Duration(ms)*time.Millisecond)
	}
	tests := []struct {
		name       string
		start, end time.Time
		want       []string
	}{
		{"whole", time.Time{}, time.Time{}, pick(ids, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)},
		{"inclusive seconds", at(2, 0), at(4, 0), pick(ids, 4, 3, 2)},
		{"start only", at(7, 0), time.Time{}, pick(ids, 9, 8, 7)},
		{"end only", time.Time{}, at(1, 0), pick(ids, 1, 0)},
		{"same second", at(5, 0), at(5, 0), pick(ids, 5)},
		{"sub-second start rounds up", at(2, 1), at(4, 999), pick(ids, 4, 3)},
		{"inside one second", at(3, 100), at(3, 900), nil},
		{"before all", t0.Add(-time.Hour), t0.Add(-time.Second), nil},
		{"after all", at(10, 0), at(20, 0), nil},
		{"pre-epoch start", time.Unix(-100, 0), at(0, 0), pick(ids, 0)},
		{"far future end", at(8, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), pick(ids, 9, 8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Lookup(context.Background(), audit.LookupQuery{Account: acctA, Region: "us-east-1",
				StartTime: tt.start, EndTime: tt.end})
			if err != nil {
				t.Fatal(err)
			}
			if got := eventIDs(res.Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestRecordFailsClosed(t *testing.T) {
	boom := errors.New("disk full")
	s := audit.New(failingBackend{err: boom}, audit.Options{})
	err := s.Record(context.Background(), &audit.Event{UserIdentity: iamUser(acctA, "a", "AKIA1"),
		EventSource: "iam.amazonaws.com", EventName: "CreateUser"})
	if !errors.Is(err, boom) {
		t.Fatalf("Record error = %v, want it to wrap the backend error", err)
	}
}

func TestRecordRejects(t *testing.T) {
	s, b := newStore(t, audit.Options{})
	base := func() *audit.Event {
		return &audit.Event{EventSource: "kms.amazonaws.com", EventName: "ListKeys", AWSRegion: "us-east-1",
			RecipientAccountID: acctA, EventTime: t0}
	}
	tests := []struct {
		name   string
		mutate func(*audit.Event)
		target error
	}{
		{"no account", func(e *audit.Event) { e.RecipientAccountID = "" }, audit.ErrInvalidEvent},
		{"slash in account", func(e *audit.Event) { e.RecipientAccountID = "1/2" }, audit.ErrInvalidEvent},
		{"dot-dot account", func(e *audit.Event) { e.RecipientAccountID = ".." }, audit.ErrInvalidEvent},
		{"empty region", func(e *audit.Event) { e.AWSRegion = "" }, audit.ErrInvalidEvent},
		{"slash in region", func(e *audit.Event) { e.AWSRegion = "us/east-1" }, audit.ErrInvalidEvent},
		{"bad event ID", func(e *audit.Event) { e.EventID = "a/b" }, audit.ErrInvalidEvent},
		{"bad request JSON", func(e *audit.Event) { e.RequestParameters = []byte("{") }, audit.ErrInvalidJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			tt.mutate(e)
			if err := s.Record(context.Background(), e); !errors.Is(err, tt.target) {
				t.Fatalf("err = %v, want %v", err, tt.target)
			}
		})
	}
	if kvs := allKVs(t, b); len(kvs) != 0 {
		t.Errorf("rejected events were stored: %d keys", len(kvs))
	}
}

func TestRecordAppendOnly(t *testing.T) {
	s, _ := newStore(t, audit.Options{})
	e := &audit.Event{EventSource: "kms.amazonaws.com", EventName: "ListKeys", AWSRegion: "us-east-1",
		RecipientAccountID: acctA, EventTime: t0, EventID: "fixed-id"}
	if err := s.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	dup := *e
	dup.EventName = "Tampered"
	if err := s.Record(context.Background(), &dup); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("re-recording the same event: err = %v, want ErrConflict", err)
	}
}

func TestSecretsNeverStored(t *testing.T) {
	s, b := newStore(t, audit.Options{Now: stepClock(time.Second)})
	secrets := []string{"wJalrXUtnFEMI-SECRET", "hunter2-PASSWORD", "FwoGZXIvYXdz-TOKEN", "QUJDREVGR0g-SEED", "PLAINTEXT-DATA-KEY"}
	e := &audit.Event{UserIdentity: iamUser(acctA, "alice", "AKIA1"), EventSource: "iam.amazonaws.com",
		EventName: "CreateAccessKey",
		RequestParameters: []byte(`{"userName":"bob","password":"` + secrets[1] + `","nested":[{"NewPassword":"` +
			secrets[1] + `"}]}`),
		ResponseElements: []byte(`{"accessKey":{"accessKeyId":"AKIANEW","secretAccessKey":"` + secrets[0] +
			`","sessionToken":"` + secrets[2] + `"},"virtualMFADevice":{"base32StringSeed":"` + secrets[3] +
			`"},"Plaintext":"` + secrets[4] + `"}`),
	}
	if err := s.Record(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	kvs := allKVs(t, b)
	if len(kvs) != 1 {
		t.Fatalf("%d keys stored, want 1", len(kvs))
	}
	for _, secret := range secrets {
		if bytes.Contains(kvs[0].Value, []byte(secret)) {
			t.Errorf("secret %q found in stored bytes", secret)
		}
	}
	if n := bytes.Count(kvs[0].Value, []byte(audit.HiddenValue)); n != 6 {
		t.Errorf("%d hidden markers, want 6", n)
	}
	if !bytes.Contains(kvs[0].Value, []byte("AKIANEW")) {
		t.Error("non-secret accessKeyId was removed")
	}
}

func TestKeyScheme(t *testing.T) {
	s, b := newStore(t, audit.Options{Now: stepClock(time.Second)})
	ids := seed(t, s)
	kvs := allKVs(t, b)
	if len(kvs) != len(ids) {
		t.Fatalf("%d keys, want %d", len(kvs), len(ids))
	}
	re := regexp.MustCompile(`^audit/(\d{12})/([a-z0-9-]+)/(\d{19})/([0-9a-f-]{36})$`)
	for _, kv := range kvs {
		m := re.FindStringSubmatch(kv.Key)
		if m == nil {
			t.Errorf("key %q does not follow the scheme", kv.Key)
			continue
		}
		if !bytes.HasPrefix(kv.Value, []byte("BWA\x02")) {
			t.Errorf("value of %q lacks the record header", kv.Key)
		}
	}
	// The IAM event sent to eu-west-1 lands in us-east-1.
	if !slices.ContainsFunc(kvs, func(kv storage.KV) bool {
		return re.FindStringSubmatch(kv.Key)[2] == "us-east-1" && re.FindStringSubmatch(kv.Key)[4] == ids[4]
	}) {
		t.Error("global-service event not partitioned under us-east-1")
	}
}

func TestRecordConcurrent(t *testing.T) {
	s, _ := newStore(t, audit.Options{}) // real clock: events may share a timestamp
	const workers, each = 8, 50
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for range each {
				e := &audit.Event{UserIdentity: iamUser(acctA, "u"+string(rune('a'+w)), "AKIA1"),
					EventSource: "kms.amazonaws.com", EventName: "ListKeys", AWSRegion: "us-east-1"}
				if err := s.Record(context.Background(), e); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ids, _ := lookupAll(t, s, audit.LookupQuery{Account: acctA, Region: "us-east-1"})
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	if len(ids) != workers*each || len(seen) != workers*each {
		t.Fatalf("%d events (%d distinct), want %d", len(ids), len(seen), workers*each)
	}
}

func TestLookupCorruptRecord(t *testing.T) {
	s, b := newStore(t, audit.Options{Now: stepClock(time.Second)})
	recordN(t, s, 2)
	for _, kv := range []storage.KV{
		{Key: "audit/" + acctA + "/us-east-1/0000000000000000001/bad-value", Value: []byte("BWA\x02\xff")},
		{Key: "audit/" + acctA + "/us-east-1/not-a-number-at-all/x", Value: []byte("x")},
	} {
		if _, err := storage.Put(context.Background(), b, kv.Key, kv.Value); err != nil {
			t.Fatal(err)
		}
		_, err := s.Lookup(context.Background(), audit.LookupQuery{Account: acctA, Region: "us-east-1"})
		if code, _ := awsCode(err); err == nil || code != "" {
			t.Errorf("%s: err = %v, want a server-side error", kv.Key, err)
		}
		if err := storage.Delete(context.Background(), b, kv.Key); err != nil {
			t.Fatal(err)
		}
	}
}
