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
// # Key scheme
//
// Events live in storage.Backend under
//
//	audit/<recipientAccountId>/<awsRegion>/<inverted>/<eventID>
//
// where <inverted> is math.MaxInt64 minus the event time in Unix nanoseconds, written as 19
// zero-padded decimal digits. Keys of one account and region therefore sort newest first, so a
// forward Range over the partition prefix yields events in LookupEvents order, and a time range
// becomes a key range: EndTime gives the first key, StartTime the point to stop. Events of the
// global services (IAM, STS, Organizations) are recorded in us-east-1, as CloudTrail does.
// Keys are written with storage.Create, so the trail is append-only: a key that already exists
// is an error, never an overwrite.
//
// # Values
//
// A value is a small binary header followed by the event JSON. The header repeats the fields
// LookupEvents filters on and returns (event ID, name, source, lookup user name, access key ID,
// read-only flag, event time in seconds, resources), so a lookup filters and answers without
// decoding JSON. Layout, all strings as uvarint length then bytes:
//
//	"BWA" 0x01 | eventID | eventName | eventSource | username | accessKeyId |
//	readOnly (1 byte) | eventTime (varint Unix seconds) | uvarint n | n x (type, name) | JSON
//
// The barrier encrypts values at rest; this package never sees ciphertext.
//
// # Lookup
//
// Store.Lookup implements CloudTrail LookupEvents over one account and region: at most one
// lookup attribute, an inclusive time range compared at the second precision of eventTime,
// MaxResults 1 to 50 (default 50), newest first, and an opaque NextToken bound to the query's
// parameters. Errors are *awserr.Error with CloudTrail's codes and HTTP 400. Each call scans a
// bounded number of keys (Options.ScanBudget); a filtered lookup over a sparse range may return
// fewer events than MaxResults together with a NextToken, as CloudTrail itself may.
//
// # Retention
//
// There is no retention yet: events stay until deleted. Because keys are grouped by account and
// region and ordered by time, expiry will be a range delete from the oldest end of each
// partition.
package audit
