// Package audit is Bulwark's CloudTrail-format audit trail: every API request, allowed or
// denied, successful or failed, becomes one Event that is recorded before the response is sent.
// Recording fails closed: when Store.Record returns an error the pipeline answers the request
// with a 500 InternalFailure instead of serving it unaudited.
//
// # Events
//
// Event holds the fields of a CloudTrail record (eventVersion 1.11, see
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// and the userIdentity element at
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
// Event.AppendJSON writes the CloudTrail JSON with a hand-written append encoder, no reflection;
// that JSON is also the CloudTrailEvent string LookupEvents returns. Raw JSON members
// (requestParameters, responseElements, additionalEventData) are validated and passed through
// AppendScrubbed on the way in, so a secret that escaped the codec's redaction is still replaced
// with HIDDEN_DUE_TO_SECURITY_REASONS before it reaches storage.
//
// # Batching
//
// Store.Record encodes the event on the caller's goroutine, queues it and waits. When nothing
// is being written, the caller writes its event itself, at once. Otherwise one writer
// goroutine takes everything queued (at most 512 events or 1 MiB of entries, a "group"),
// stamps the EventTime of every event whose caller left it zero from Options.Now, in queue
// order, and writes the whole group in ONE Backend.Txn: one value per account and region
// present (more when the events of one partition span over 100ms, see below). While that Txn
// and its fsync run, new events queue for the next group: group commit with no timer, so an
// idle trail adds no latency. Record returns when the Txn that holds its event has returned;
// if it failed, every event of the group gets the error (fail closed).
//
// The writer goroutine is started when a write ends with events queued, and exits as soon as
// the queue is empty, so a Store needs no Close to avoid leaking it. Store.Close refuses later events
// (ErrClosed) and waits for the queued ones; it does not close the backend.
//
// # Key scheme
//
// Each batch of events of one account and region is one key in storage.Backend:
//
//	audit/<recipientAccountId>/<awsRegion>/<inverted>/<eventID>
//
// where <inverted> is math.MaxInt64 minus the time of the batch's newest event in Unix
// nanoseconds, written as 19 zero-padded decimal digits, and <eventID> is that event's ID,
// which keeps keys unique. Keys of one account and region therefore sort newest batch first,
// so a forward Range over the partition prefix yields batches in LookupEvents order. Events of
// the global services (IAM, STS, Organizations) are recorded in us-east-1, as CloudTrail does.
// Keys are written with storage.Create, so the trail is append-only: a key that already exists
// is an error, never an overwrite. A batch whose key exists (its newest event repeats the time
// and ID of a recorded one) is rewritten without that event, which alone fails with
// storage.ErrConflict. Event IDs are otherwise not checked for uniqueness: Record makes them
// random.
//
// The events of one batch span at most 100ms (maxBatchSpan): the writer cuts a partition's
// events into several batches when needed. With times stamped by the writer a batch spans the
// few milliseconds of one drain, and batches do not overlap in time. Caller-set times may be
// out of order, so batches may overlap; each event is still found exactly once.
//
// # Values
//
// A value is a batch header followed by its events, newest first (equal times: the one queued
// later first). Each event is an entry: a fixed-width time, a small binary header that repeats
// the fields LookupEvents filters on and returns (event ID, name, source, lookup user name,
// access key ID, read-only flag, resources), so a lookup filters and answers without decoding
// JSON, then the event JSON. Layout, all strings as uvarint length then bytes:
//
//	value: "BWA" 0x02 | uvarint count | uvarint oldest | uvarint newest | count x (uvarint len | entry)
//	entry: seconds (int64 BE) | nanoseconds (uint32 BE) | eventID | eventName | eventSource |
//	       username | accessKeyId | readOnly (1 byte) | uvarint n | n x (type, name) | JSON
//
// oldest and newest are the batch's event times in Unix nanoseconds (clamped to 0 and
// math.MaxInt64), newest being the time in the key. The writer stamps a time by overwriting
// the entry's fixed-width time and the 20 bytes of eventTime in its JSON, so the encoding
// itself runs on the callers' goroutines. The barrier encrypts values at rest; this package
// never sees ciphertext.
//
// # Lookup
//
// Store.Lookup implements CloudTrail LookupEvents over one account and region: at most one
// lookup attribute, an inclusive time range compared at the second precision of eventTime,
// MaxResults 1 to 50 (default 50), newest first, and an opaque NextToken bound to the query's
// parameters. Errors are *awserr.Error with CloudTrail's codes and HTTP 400.
//
// Lookup reads batches in key order and the events of each newest first: results are newest
// first exactly when batches do not overlap in time (always, for writer-stamped times);
// otherwise batch by batch. The time range is applied to every event. Because a batch spans
// at most 100ms, one holding an event at or before EndTime has its key at or after the key for
// EndTime+100ms: the scan starts there, skips whole batches whose oldest event is after
// EndTime, and stops at the first key whose newest event is before StartTime, since every key
// after it is older still. A NextToken holds the key and the index inside the batch of the
// last event returned. Each call examines a bounded number of events (Options.ScanBudget); a
// filtered lookup over a sparse range may return fewer events than MaxResults together with a
// NextToken, as CloudTrail itself may.
//
// # Retention
//
// There is no retention yet: events stay until deleted. Because keys are grouped by account and
// region and ordered by the time of their newest event, expiry will be a range delete from the
// oldest end of each partition.
package audit
