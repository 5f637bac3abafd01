package signin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxRequestBody caps a sign-in request body; a real one is a few hundred bytes.
const MaxRequestBody = 8 << 10

// Field limits, from the IAM API's constraints where it has them.
const (
	maxPasswordLen = 128 // IAM passwordType
	maxEmailLen    = 256
	maxAccountLen  = 63 // an account alias; an ID is 12 digits
	minAccountLen  = 3
	maxUserNameLen = 64
	maxSerialLen   = 256
	mfaCodeLen     = 6
)

// Request is a parsed POST /signin body. Exactly one of Email (root user) or Account and
// UserName (IAM user) is set.
type Request struct {
	// Email is the root user's email address.
	Email string `json:"email,omitempty"`
	// Account is the 12-digit account ID or the account alias of an IAM user.
	Account string `json:"account,omitempty"`
	// UserName is the IAM user's name.
	UserName string `json:"userName,omitempty"`
	// Password is the console password.
	Password string `json:"password"`
	// MFACode is a 6-digit code from the principal's MFA device, when it has one.
	MFACode string `json:"mfaCode,omitempty"`
	// MFASerialNumber optionally picks which MFA device MFACode is from.
	MFASerialNumber string `json:"mfaSerialNumber,omitempty"`
}

// Root reports whether the request signs in the root user.
func (r *Request) Root() bool { return r.Email != "" }

// ChangePasswordRequest is a parsed POST /signin/password body.
type ChangePasswordRequest struct {
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"`
}

// errBadRequest wraps every parse and validation failure; its text is safe to show (it never
// repeats a value from the request).
var errBadRequest = errors.New("invalid sign-in request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadRequest}, args...)...)
}

// decodeStrict decodes exactly one JSON object into v: no unknown members, no trailing data,
// at most MaxRequestBody bytes.
func decodeStrict(body io.Reader, v any) error {
	data, err := io.ReadAll(io.LimitReader(body, MaxRequestBody+1))
	if err != nil {
		return badRequest("the body could not be read")
	}
	if len(data) > MaxRequestBody {
		return badRequest("the body is larger than %d bytes", MaxRequestBody)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return badRequest("member %q must be a string", ute.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return badRequest("the body has an unknown member")
		}
		return badRequest("the body is not a JSON object")
	}
	if dec.More() {
		return badRequest("the body has data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("the body has data after the JSON object")
	}
	return nil
}

// ParseRequest reads and validates a sign-in request body.
func ParseRequest(body io.Reader) (Request, error) {
	var r Request
	if err := decodeStrict(body, &r); err != nil {
		return Request{}, err
	}
	if err := r.validate(); err != nil {
		return Request{}, err
	}
	return r, nil
}

func checkLen(name, v string, minLen, maxLen int) error {
	n := utf8.RuneCountInString(v)
	if !utf8.ValidString(v) || n < minLen || n > maxLen {
		return badRequest("%s must have %d to %d characters", name, minLen, maxLen)
	}
	return nil
}

// printable reports whether s has no control characters (passwords may have tabs and line
// breaks, as IAM allows; names may not).
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

func checkPassword(name, v string) error {
	if err := checkLen(name, v, 1, maxPasswordLen); err != nil {
		return err
	}
	for _, r := range v { // IAM's passwordType: [\u0009\u000A\u000D\u0020-\u00FF]+
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xff)) {
			return badRequest("%s has a character IAM passwords do not allow", name)
		}
	}
	return nil
}

func (r *Request) validate() error {
	if err := checkPassword("password", r.Password); err != nil {
		return err
	}
	switch {
	case r.Email != "" && (r.Account != "" || r.UserName != ""):
		return badRequest("give either email (root user) or account and userName (IAM user), not both")
	case r.Email != "":
		if err := checkLen("email", r.Email, 3, maxEmailLen); err != nil {
			return err
		}
		if !printable(r.Email) || !strings.Contains(r.Email, "@") {
			return badRequest("email must be an email address")
		}
	case r.Account != "" || r.UserName != "":
		if err := checkLen("account", r.Account, minAccountLen, maxAccountLen); err != nil {
			return err
		}
		if err := checkLen("userName", r.UserName, 1, maxUserNameLen); err != nil {
			return err
		}
		if !printable(r.Account) || !printable(r.UserName) {
			return badRequest("account and userName must be printable")
		}
	default:
		return badRequest("give email (root user) or account and userName (IAM user)")
	}
	if r.MFACode != "" {
		if len(r.MFACode) != mfaCodeLen || strings.Trim(r.MFACode, "0123456789") != "" {
			return badRequest("mfaCode must be %d digits", mfaCodeLen)
		}
	}
	if r.MFASerialNumber != "" {
		if err := checkLen("mfaSerialNumber", r.MFASerialNumber, 9, maxSerialLen); err != nil {
			return err
		}
		if !printable(r.MFASerialNumber) {
			return badRequest("mfaSerialNumber must be printable")
		}
	}
	return nil
}

// ParseChangePassword reads and validates a password change body.
func ParseChangePassword(body io.Reader) (ChangePasswordRequest, error) {
	var r ChangePasswordRequest
	if err := decodeStrict(body, &r); err != nil {
		return ChangePasswordRequest{}, err
	}
	if err := checkPassword("oldPassword", r.OldPassword); err != nil {
		return ChangePasswordRequest{}, err
	}
	if err := checkPassword("newPassword", r.NewPassword); err != nil {
		return ChangePasswordRequest{}, err
	}
	return r, nil
}
