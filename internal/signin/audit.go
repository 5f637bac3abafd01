package signin

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/iam"
)

// CloudTrail's console sign-in event ("AWS Management Console sign-in events" in the CloudTrail
// User Guide): eventSource signin.amazonaws.com, eventName ConsoleLogin, eventType
// AwsConsoleSignIn, responseElements {"ConsoleLogin": "Success"|"Failure"}, additionalEventData
// {"LoginTo", "MobileVersion", "MFAUsed"}, and errorMessage "Failed authentication" on a
// failure. A failure for an IAM user name that does not exist is filed under the account with
// the user name hidden, as CloudTrail does; a failure for an unknown account or root email is
// filed nowhere (there is no account to file it under).

const (
	eventSource     = "signin.amazonaws.com"
	eventConsole    = "ConsoleLogin"
	msgFailedAuth   = "Failed authentication"
	msgExpired      = "Password expired"
	respSuccess     = `{"ConsoleLogin":"Success"}`
	respFailure     = `{"ConsoleLogin":"Failure"}`
	iamEventSource  = "iam.amazonaws.com"
	eventChangePass = "ChangePassword"
)

// Recorder files audit events; *audit.Store is one.
type Recorder interface {
	Record(ctx context.Context, e *audit.Event) error
}

var _ Recorder = (*audit.Store)(nil)

// attempt is what the audit trail learns of one sign-in.
type attempt struct {
	id        iam.ConsoleIdentity
	root      bool
	sourceIP  string
	userAgent string
	requestID string
	mfaUsed   bool
}

func identityOf(a *attempt) audit.UserIdentity {
	if a.root {
		return audit.UserIdentity{Type: audit.IdentityRoot, PrincipalID: a.id.Account, ARN: a.id.ARN, AccountID: a.id.Account}
	}
	u := audit.UserIdentity{Type: audit.IdentityIAMUser, AccountID: a.id.Account,
		PrincipalID: a.id.PrincipalID, ARN: a.id.ARN, UserName: a.id.UserName}
	if u.UserName == "" { // the name given matched no user: CloudTrail does not repeat it
		u.UserName = audit.HiddenValue
	}
	return u
}

func (h *Handler) consoleEvent(a *attempt, success bool, errorMessage string) *audit.Event {
	mfa := "No"
	if a.mfaUsed {
		mfa = "Yes"
	}
	var extra strings.Builder
	extra.WriteString(`{"LoginTo":`)
	extra.WriteString(quote(h.cfg.LoginTo))
	extra.WriteString(`,"MobileVersion":"No","MFAUsed":"`)
	extra.WriteString(mfa)
	extra.WriteString(`"}`)
	resp := respFailure
	if success {
		resp = respSuccess
	}
	return &audit.Event{
		UserIdentity:        identityOf(a),
		EventSource:         eventSource,
		EventName:           eventConsole,
		AWSRegion:           audit.DefaultGlobalRegion,
		SourceIPAddress:     a.sourceIP,
		UserAgent:           a.userAgent,
		ErrorMessage:        errorMessage,
		ResponseElements:    []byte(resp),
		AdditionalEventData: []byte(extra.String()),
		RequestID:           a.requestID,
		EventType:           audit.EventTypeConsoleSignIn,
		RecipientAccountID:  a.id.Account,
	}
}

// recordSignIn files a ConsoleLogin event when the attempt belongs to a known account.
func (h *Handler) recordSignIn(ctx context.Context, a *attempt, success bool, errorMessage string) error {
	if a.id.Account == "" {
		return nil
	}
	return h.cfg.Audit.Record(ctx, h.consoleEvent(a, success, errorMessage))
}

// recordChangePassword files the ChangePassword call a console session made, as the IAM API
// event it is (requestParameters null: both members are secrets).
func (h *Handler) recordChangePassword(ctx context.Context, s *Session, a *attempt, errCode, errMsg string) error {
	id := audit.UserIdentity{Type: audit.IdentityIAMUser, PrincipalID: s.PrincipalID, ARN: s.ARN,
		AccountID: s.Account, UserName: s.UserName}
	if s.Root {
		id = audit.UserIdentity{Type: audit.IdentityRoot, PrincipalID: s.Account, ARN: s.ARN, AccountID: s.Account}
	}
	return h.cfg.Audit.Record(ctx, &audit.Event{
		UserIdentity:                 id,
		EventSource:                  iamEventSource,
		EventName:                    eventChangePass,
		AWSRegion:                    audit.DefaultGlobalRegion,
		SourceIPAddress:              a.sourceIP,
		UserAgent:                    a.userAgent,
		ErrorCode:                    errCode,
		ErrorMessage:                 errMsg,
		RequestID:                    a.requestID,
		RecipientAccountID:           s.Account,
		SessionCredentialFromConsole: true,
	})
}

// quote returns s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
