package sigv4

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// Kind says why a request failed authentication. AWSError maps it to the code, status and
// message of the caller's protocol family.
type Kind uint8

// The kinds of authentication failure.
const (
	// KindMissingAuthenticationToken: neither an Authorization header nor presigned query
	// parameters.
	KindMissingAuthenticationToken Kind = iota + 1
	// KindIncompleteSignature: the Authorization header or the presigning parameters are
	// missing parts or malformed (credential, signed headers, signature, date, algorithm,
	// X-Amz-Expires), or host is not signed.
	KindIncompleteSignature
	// KindInvalidClientTokenId: the access key is unknown or inactive, or the session token
	// is missing, unexpected or wrong.
	KindInvalidClientTokenId
	// KindExpiredToken: the temporary credentials have expired.
	KindExpiredToken
	// KindSignatureDoesNotMatch: the signature, the credential scope or the payload hash is
	// wrong.
	KindSignatureDoesNotMatch
	// KindSignatureExpired: the signing time is more than 15 minutes from the server clock.
	KindSignatureExpired
	// KindRequestExpired: a presigned request is past X-Amz-Date + X-Amz-Expires.
	KindRequestExpired
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindMissingAuthenticationToken:
		return "MissingAuthenticationToken"
	case KindIncompleteSignature:
		return "IncompleteSignature"
	case KindInvalidClientTokenId:
		return "InvalidClientTokenId"
	case KindExpiredToken:
		return "ExpiredToken"
	case KindSignatureDoesNotMatch:
		return "SignatureDoesNotMatch"
	case KindSignatureExpired:
		return "SignatureExpired"
	case KindRequestExpired:
		return "RequestExpired"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is an authentication failure. Its Message is safe to send to the client; it never
// holds a secret.
type Error struct {
	// Kind classifies the failure.
	Kind Kind
	// Message is the detail AWS gives for this failure; "" means the kind's standard text.
	Message string
	// Cause is an internal cause, such as the store's ErrUnknownAccessKey; never sent.
	Cause error
}

func newError(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// Error implements error.
func (e *Error) Error() string {
	s := "sigv4: " + e.Kind.String()
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Cause }

// As lets errors.As (and so awserr.From) turn an *Error into an *awserr.Error with the
// awsQuery codes, so that a caller that forgets AWSError still answers with a 4xx. The
// pipeline should call AWSError with the routed protocol instead.
func (e *Error) As(target any) bool {
	if t, ok := target.(**awserr.Error); ok {
		*t = e.AWS(ProtocolQuery)
		return true
	}
	return false
}

// Protocol is an AWS protocol family, spelled as the API models (and internal/protocol) spell
// it.
type Protocol string

// The protocol families. Any other value is treated as ProtocolJSON.
const (
	// ProtocolQuery is awsQuery: IAM, STS.
	ProtocolQuery Protocol = "query"
	// ProtocolJSON is awsJson 1.0/1.1: KMS, Organizations, WAFv2, Shield, CloudTrail, Cost
	// Explorer.
	ProtocolJSON Protocol = "json"
	// ProtocolRESTJSON is restJson1: GuardDuty, Inspector2, Artifact.
	ProtocolRESTJSON Protocol = "rest-json"
)

// AWSError returns the wire error for err in the given protocol family: the mapping of an
// *Error, or awserr.From(err) for anything else (a store failure becomes InternalFailure).
func AWSError(err error, p Protocol) *awserr.Error {
	var e *Error
	if errors.As(err, &e) {
		return e.AWS(p)
	}
	return awserr.From(err)
}

// wireError is one row of the mapping: the code, the status and the standard message; when
// fixed is set the standard message is sent even if the Error has a detail.
type wireError struct {
	code   string
	status int
	msg    string
	fixed  bool
}

// Messages that AWS sends, word for word (sources on the table below).
const (
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidToken    = "The security token included in the request is invalid."
	msgExpiredToken    = "The security token included in the request is expired"
	msgIncomplete      = "The request signature does not conform to AWS standards."
	msgRequestExpired  = "Request has expired."
	msgMissingTokenQry = "Request is missing Authentication Token"
	msgMissingTokenJSN = "Missing Authentication Token"
)

// wireErrorFor maps (kind, family) to the wire error:
//
//	kind                        query (IAM, STS)                json (KMS, Organizations, ...)           rest-json (GuardDuty, ...)
//	MissingAuthenticationToken  MissingAuthenticationToken 403  MissingAuthenticationTokenException 400  MissingAuthenticationTokenException 403
//	IncompleteSignature         IncompleteSignature 400         IncompleteSignatureException 400         IncompleteSignatureException 403
//	InvalidClientTokenId        InvalidClientTokenId 403        UnrecognizedClientException 400          UnrecognizedClientException 403
//	ExpiredToken                ExpiredToken 403                ExpiredTokenException 400                ExpiredTokenException 403
//	SignatureDoesNotMatch       SignatureDoesNotMatch 403       InvalidSignatureException 400            InvalidSignatureException 403
//	SignatureExpired            SignatureDoesNotMatch 403       InvalidSignatureException 400            InvalidSignatureException 403
//	RequestExpired              RequestExpired 400              InvalidSignatureException 400            InvalidSignatureException 403
//
// Sources, besides the AWS "Common Errors" pages (IncompleteSignature 400, InvalidClientTokenId
// 403, MissingAuthenticationToken 403, RequestExpired 400, ExpiredTokenException 403) and the
// SigV4 troubleshooting guide
// (https://docs.aws.amazon.com/general/latest/gr/signature-v4-troubleshooting.html:
// "Signature expired", "Signature not yet current", "Date in Credential scope does not
// match...", "Credential should be scoped to ..."):
//
//   - query (STS/IAM answers quoted in public bug reports): MissingAuthenticationToken "Request
//     is missing Authentication Token" 403 (cert-manager/aws-privateca-issuer#40,
//     amzn/selling-partner-api-docs#3081); InvalidClientTokenId "The security token included in
//     the request is invalid." 403 (aws-azure-login/aws-azure-login#251, jrl84/amazon-sp-api#218);
//     SignatureDoesNotMatch 403, also for "Signature expired: ... (... - 15 min.)"
//     (aws/aws-cli#6676, boto/boto3#756); IncompleteSignature 400 (brendanhay/amazonka#316).
//   - json (KMS, DynamoDB, Kinesis, Cognito): UnrecognizedClientException 400 "The security
//     token included in the request is invalid." (ArranJacques/laravel-aws-cognito-auth#25,
//     logstash-plugins/logstash-input-kinesis#24); InvalidSignatureException 400, also for
//     "Signature expired" (aws/aws-sdk-js#254); IncompleteSignatureException 400
//     (iann0036/cloud9-sync#10); MissingAuthenticationTokenException 400 "Missing
//     Authentication Token" (as the kinesalite and dynalite emulators replay Kinesis and
//     DynamoDB).
//   - rest-json (services behind the API Gateway front end): the same codes with 403
//     (iann0036/iamlive#58 UnrecognizedClientException 403; aws/aws-sdk-js-v3#5576 and
//     grafana/k6-jslib-aws#109 InvalidSignatureException 403; aws/chalice#828
//     IncompleteSignatureException 403; "Missing Authentication Token" 403).
//
// Not confirmed from a public AWS answer, and Bulwark's choice: ExpiredToken in the JSON
// families, and presigned-URL expiry, which is RequestExpired "Request has expired." for query
// (as the Common Errors text describes it) and InvalidSignatureException with a "Signature
// expired" detail for the JSON families.
func wireErrorFor(k Kind, p Protocol) wireError {
	query := p == ProtocolQuery
	status := http.StatusBadRequest // awsJson answers authentication failures with 400
	if p == ProtocolRESTJSON {
		status = http.StatusForbidden // the restJson front end answers them with 403
	}
	switch k {
	case KindMissingAuthenticationToken:
		if query {
			return wireError{"MissingAuthenticationToken", http.StatusForbidden, msgMissingTokenQry, true}
		}
		return wireError{"MissingAuthenticationTokenException", status, msgMissingTokenJSN, true}
	case KindIncompleteSignature:
		if query {
			return wireError{"IncompleteSignature", http.StatusBadRequest, msgIncomplete, false}
		}
		return wireError{"IncompleteSignatureException", status, msgIncomplete, false}
	case KindInvalidClientTokenId:
		if query {
			return wireError{"InvalidClientTokenId", http.StatusForbidden, msgInvalidToken, true}
		}
		return wireError{"UnrecognizedClientException", status, msgInvalidToken, true}
	case KindExpiredToken:
		if query {
			return wireError{"ExpiredToken", http.StatusForbidden, msgExpiredToken, true}
		}
		return wireError{"ExpiredTokenException", status, msgExpiredToken, true}
	case KindRequestExpired:
		if query {
			return wireError{"RequestExpired", http.StatusBadRequest, msgRequestExpired, true}
		}
		return wireError{"InvalidSignatureException", status, msgRequestExpired, false}
	}
	// KindSignatureDoesNotMatch, KindSignatureExpired, and anything unknown.
	if query {
		return wireError{"SignatureDoesNotMatch", http.StatusForbidden, msgSignatureMismatch, false}
	}
	return wireError{"InvalidSignatureException", status, msgSignatureMismatch, false}
}

// AWS returns the wire error for the protocol family p. The *Error becomes its Cause, so
// errors.As still finds the Kind.
func (e *Error) AWS(p Protocol) *awserr.Error {
	w := wireErrorFor(e.Kind, p)
	msg := w.msg
	if !w.fixed && e.Message != "" {
		msg = e.Message
	}
	return &awserr.Error{Code: w.code, Status: w.status, Message: msg, Cause: e}
}

// CheckScope checks the region and service of a verified request's credential scope against
// the route: service is the signing name of the service the request was routed to, and
// validRegion (nil accepts any) says whether the server serves a region. The error is a
// KindSignatureDoesNotMatch *Error with AWS's messages ("Credential should be scoped to a
// valid region, not 'x'." / "Credential should be scoped to correct service: 'kms'.").
func CheckScope(s Scope, service string, validRegion func(region string) bool) error {
	var msgs []string
	if s.Region == "" || (validRegion != nil && !validRegion(s.Region)) {
		msgs = append(msgs, "Credential should be scoped to a valid region, not '"+s.Region+"'.")
	}
	if s.Service != service {
		msgs = append(msgs, "Credential should be scoped to correct service: '"+service+"'.")
	}
	if len(msgs) == 0 {
		return nil
	}
	return newError(KindSignatureDoesNotMatch, strings.Join(msgs, " "))
}
