package audit

import "time"

// EventVersion is the CloudTrail record format version Bulwark writes. The record contents
// reference gives 1.11 as the current version:
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
const EventVersion = "1.11"

// The eventType values Bulwark records.
const (
	// EventTypeAPICall is an API call.
	EventTypeAPICall = "AwsApiCall"
	// EventTypeConsoleSignIn is a console sign-in.
	EventTypeConsoleSignIn = "AwsConsoleSignIn"
)

// EventCategoryManagement is the eventCategory of every event Bulwark records.
const EventCategoryManagement = "Management"

// The userIdentity types, from
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
const (
	IdentityRoot          = "Root"
	IdentityIAMUser       = "IAMUser"
	IdentityAssumedRole   = "AssumedRole"
	IdentityFederatedUser = "FederatedUser"
	IdentityAWSAccount    = "AWSAccount"
	IdentityAWSService    = "AWSService"
	IdentityUnknown       = "Unknown"
)

// HiddenValue is the marker CloudTrail writes in place of a sensitive value.
const HiddenValue = "HIDDEN_DUE_TO_SECURITY_REASONS"

// DefaultGlobalRegion is where events of global services are recorded, as CloudTrail records
// IAM, STS (global endpoint) and Organizations events in us-east-1.
const DefaultGlobalRegion = "us-east-1"

// Event is one CloudTrail record. Empty optional fields are left out of the JSON; the
// mandatory ones are always written. Store.Record fills EventVersion, EventTime, EventID and
// EventType when they are empty.
type Event struct {
	// EventVersion is the record format version; empty means EventVersion.
	EventVersion string
	// UserIdentity describes the caller.
	UserIdentity UserIdentity
	// EventTime is when the request completed. It is written in UTC at second precision, as
	// CloudTrail does; the full precision orders events in storage.
	EventTime time.Time
	// EventSource is the service endpoint name, such as "iam.amazonaws.com".
	EventSource string
	// EventName is the operation, such as "CreateUser".
	EventName string
	// AWSRegion is the region the request was made to.
	AWSRegion string
	// SourceIPAddress is the caller's IP address (or a service name for AWSService callers).
	SourceIPAddress string
	// UserAgent is the caller's User-Agent.
	UserAgent string
	// ErrorCode is the AWS error code when the request failed or was denied.
	ErrorCode string
	// ErrorMessage is the error's message.
	ErrorMessage string
	// RequestParameters is the request as JSON, already redacted by the codec; nil is null.
	RequestParameters []byte
	// ResponseElements is the response as JSON; nil is null.
	ResponseElements []byte
	// AdditionalEventData is optional extra JSON; nil leaves it out.
	AdditionalEventData []byte
	// RequestID is the request's ID.
	RequestID string
	// EventID is the event's unique ID, a UUID v4 unless the caller sets one (letters,
	// digits and '-' only, at most 64 bytes).
	EventID string
	// ReadOnly reports whether the operation only reads.
	ReadOnly bool
	// Resources are the resources the request acted on.
	Resources []Resource
	// EventType is EventTypeAPICall or EventTypeConsoleSignIn; empty means EventTypeAPICall.
	EventType string
	// APIVersion is the service API version; optional.
	APIVersion string
	// RecipientAccountID is the account that received the request; it picks the partition.
	RecipientAccountID string
	// SharedEventID links events delivered to several accounts; optional.
	SharedEventID string
	// VPCEndpointID is the VPC endpoint the request came through; optional.
	VPCEndpointID string
	// TLSDetails describes the TLS connection; nil leaves it out.
	TLSDetails *TLSDetails
	// SessionCredentialFromConsole is set when the credentials came from a console session.
	SessionCredentialFromConsole bool
}

// UserIdentity is the CloudTrail userIdentity element.
type UserIdentity struct {
	// Type is one of the Identity* constants.
	Type string
	// PrincipalID is the unique ID of the principal.
	PrincipalID string
	// ARN is the principal's ARN.
	ARN string
	// AccountID is the principal's account.
	AccountID string
	// AccessKeyID is the access key that signed the request.
	AccessKeyID string
	// UserName is the friendly name of the principal, for IAM users.
	UserName string
	// InvokedBy names the AWS service that made the request on the principal's behalf.
	InvokedBy string
	// SessionContext describes temporary credentials; nil leaves it out.
	SessionContext *SessionContext
}

// SessionContext is the sessionContext element of temporary credentials.
type SessionContext struct {
	// SessionIssuer is the entity that issued the session; nil leaves it out.
	SessionIssuer *SessionIssuer
	// CreationDate is when the credentials were issued.
	CreationDate time.Time
	// MFAAuthenticated reports whether the credentials were issued after MFA.
	MFAAuthenticated bool
	// SourceIdentity is the source identity set on the session; optional.
	SourceIdentity string
}

// SessionIssuer is the sessionIssuer element: the role or user that issued a session.
type SessionIssuer struct {
	// Type is "Role", "IAMUser" or "Root".
	Type string
	// PrincipalID is the issuer's unique ID.
	PrincipalID string
	// ARN is the issuer's ARN.
	ARN string
	// AccountID is the issuer's account.
	AccountID string
	// UserName is the issuer's friendly name.
	UserName string
}

// Resource is one resource a request acted on.
type Resource struct {
	// ARN is the resource's ARN.
	ARN string
	// AccountID is the account that owns the resource.
	AccountID string
	// Type is the resource type, such as "AWS::IAM::User".
	Type string
	// Name is the name LookupEvents shows and matches as ResourceName; empty means ARN.
	Name string
}

// TLSDetails is the tlsDetails element.
type TLSDetails struct {
	// TLSVersion is such as "TLSv1.3".
	TLSVersion string
	// CipherSuite is the negotiated cipher suite.
	CipherSuite string
	// ClientProvidedHostHeader is the Host the client sent.
	ClientProvidedHostHeader string
}

// LookupUsername is the user name LookupEvents reports and matches for the event: "root" for
// the root user, the session name of an assumed role or federated user, the invoking service of
// an AWSService identity, and otherwise the userName.
func (e *Event) LookupUsername() string {
	id := &e.UserIdentity
	switch id.Type {
	case IdentityRoot:
		return "root"
	case IdentityAssumedRole, IdentityFederatedUser:
		if id.UserName != "" {
			return id.UserName
		}
		return lastSegment(id.ARN)
	case IdentityAWSService:
		if id.InvokedBy != "" {
			return id.InvokedBy
		}
	}
	return id.UserName
}

// lastSegment returns what follows the last '/' of an ARN, or "" when there is none.
func lastSegment(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return ""
}

// lookupName is the ResourceName LookupEvents shows for r.
func (r *Resource) lookupName() string {
	if r.Name != "" {
		return r.Name
	}
	return r.ARN
}

// isGlobalSource reports whether the service is global, so its events are recorded in
// DefaultGlobalRegion whatever region the request named.
func isGlobalSource(eventSource string) bool {
	switch eventSource {
	case "iam.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com":
		return true
	}
	return false
}
