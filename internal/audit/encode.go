package audit

import (
	"fmt"
	"math/bits"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the CloudTrail JSON record of e to dst and returns the extended buffer. It
// uses no reflection and allocates only to grow dst. The raw JSON members are validated and
// scrubbed with AppendScrubbed; if one is not valid JSON the error says which and dst is
// returned unchanged. Empty EventVersion and EventType are written as their defaults.
func (e *Event) AppendJSON(dst []byte) ([]byte, error) {
	b, _, err := e.appendJSON(dst)
	return b, err
}

// appendJSON is AppendJSON that also returns the offset in the result of the eventTime value
// (the first byte after its opening quote), so the batcher can stamp the time in place.
func (e *Event) appendJSON(dst []byte) (_ []byte, timeOff int, _ error) {
	mark := len(dst)
	var err error
	b := append(dst, `{"eventVersion":`...)
	b = appendString(b, orDefault(e.EventVersion, EventVersion))
	b = append(b, `,"userIdentity":`...)
	b = e.UserIdentity.appendJSON(b)
	b = append(b, `,"eventTime":"`...)
	timeOff = len(b)
	b = appendTime(b, e.EventTime)
	b = append(b, `","eventSource":`...)
	b = appendString(b, e.EventSource)
	b = append(b, `,"eventName":`...)
	b = appendString(b, e.EventName)
	b = append(b, `,"awsRegion":`...)
	b = appendString(b, e.AWSRegion)
	b = append(b, `,"sourceIPAddress":`...)
	b = appendString(b, e.SourceIPAddress)
	b = append(b, `,"userAgent":`...)
	b = appendString(b, e.UserAgent)
	if e.ErrorCode != "" {
		b = append(b, `,"errorCode":`...)
		b = appendString(b, e.ErrorCode)
	}
	if e.ErrorMessage != "" {
		b = append(b, `,"errorMessage":`...)
		b = appendString(b, e.ErrorMessage)
	}
	b = append(b, `,"requestParameters":`...)
	if b, err = appendRaw(b, e.RequestParameters); err != nil {
		return dst[:mark], 0, fmt.Errorf("audit: requestParameters: %w", err)
	}
	b = append(b, `,"responseElements":`...)
	if b, err = appendRaw(b, e.ResponseElements); err != nil {
		return dst[:mark], 0, fmt.Errorf("audit: responseElements: %w", err)
	}
	if len(e.AdditionalEventData) > 0 {
		b = append(b, `,"additionalEventData":`...)
		if b, err = appendRaw(b, e.AdditionalEventData); err != nil {
			return dst[:mark], 0, fmt.Errorf("audit: additionalEventData: %w", err)
		}
	}
	b = append(b, `,"requestID":`...)
	b = appendString(b, e.RequestID)
	b = append(b, `,"eventID":`...)
	b = appendString(b, e.EventID)
	b = append(b, `,"readOnly":`...)
	b = appendBool(b, e.ReadOnly)
	if len(e.Resources) > 0 {
		b = append(b, `,"resources":[`...)
		for i := range e.Resources {
			r := &e.Resources[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"ARN":`...)
			b = appendString(b, r.ARN)
			b = append(b, `,"accountId":`...)
			b = appendString(b, r.AccountID)
			b = append(b, `,"type":`...)
			b = appendString(b, r.Type)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"eventType":`...)
	b = appendString(b, orDefault(e.EventType, EventTypeAPICall))
	if e.APIVersion != "" {
		b = append(b, `,"apiVersion":`...)
		b = appendString(b, e.APIVersion)
	}
	b = append(b, `,"managementEvent":true,"recipientAccountId":`...)
	b = appendString(b, e.RecipientAccountID)
	if e.SharedEventID != "" {
		b = append(b, `,"sharedEventID":`...)
		b = appendString(b, e.SharedEventID)
	}
	if e.VPCEndpointID != "" {
		b = append(b, `,"vpcEndpointId":`...)
		b = appendString(b, e.VPCEndpointID)
	}
	b = append(b, `,"eventCategory":"Management"`...)
	if t := e.TLSDetails; t != nil {
		b = append(b, `,"tlsDetails":{"tlsVersion":`...)
		b = appendString(b, t.TLSVersion)
		b = append(b, `,"cipherSuite":`...)
		b = appendString(b, t.CipherSuite)
		b = append(b, `,"clientProvidedHostHeader":`...)
		b = appendString(b, t.ClientProvidedHostHeader)
		b = append(b, '}')
	}
	if e.SessionCredentialFromConsole {
		b = append(b, `,"sessionCredentialFromConsole":"true"`...)
	}
	return append(b, '}'), timeOff, nil
}

// appendJSON appends the userIdentity element.
func (u *UserIdentity) appendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, orDefault(u.Type, IdentityUnknown))
	b = appendOptional(b, `,"principalId":`, u.PrincipalID)
	b = appendOptional(b, `,"arn":`, u.ARN)
	b = appendOptional(b, `,"accountId":`, u.AccountID)
	b = appendOptional(b, `,"accessKeyId":`, u.AccessKeyID)
	b = appendOptional(b, `,"userName":`, u.UserName)
	if sc := u.SessionContext; sc != nil {
		b = append(b, `,"sessionContext":{`...)
		if si := sc.SessionIssuer; si != nil {
			b = append(b, `"sessionIssuer":{"type":`...)
			b = appendString(b, si.Type)
			b = append(b, `,"principalId":`...)
			b = appendString(b, si.PrincipalID)
			b = append(b, `,"arn":`...)
			b = appendString(b, si.ARN)
			b = append(b, `,"accountId":`...)
			b = appendString(b, si.AccountID)
			b = append(b, `,"userName":`...)
			b = appendString(b, si.UserName)
			b = append(b, `},`...)
		}
		b = append(b, `"attributes":{"creationDate":"`...)
		b = appendTime(b, sc.CreationDate)
		b = append(b, `","mfaAuthenticated":"`...)
		if sc.MFAAuthenticated {
			b = append(b, `true"}`...)
		} else {
			b = append(b, `false"}`...)
		}
		b = appendOptional(b, `,"sourceIdentity":`, sc.SourceIdentity)
		b = append(b, '}')
	}
	b = appendOptional(b, `,"invokedBy":`, u.InvokedBy)
	return append(b, '}')
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// appendOptional appends the prefix and the string when s is not empty.
func appendOptional(b []byte, prefix, s string) []byte {
	if s == "" {
		return b
	}
	return appendString(append(b, prefix...), s)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendRaw appends raw JSON, scrubbed; nil or empty is null.
func appendRaw(b, raw []byte) ([]byte, error) {
	if len(raw) == 0 {
		return append(b, "null"...), nil
	}
	return AppendScrubbed(b, raw)
}

// appendTime appends t in UTC as CloudTrail writes it: 2006-01-02T15:04:05Z, without quotes.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02T15:04:05Z")
	}
	hour, minute, sec := t.Clock()
	b = append(b,
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-',
		byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':',
		byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), 'Z')
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a quoted JSON string. Control characters, '"' and '\' are escaped,
// as are U+2028 and U+2029; invalid UTF-8 becomes U+FFFD. HTML characters are not escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			w := load64s(s, i)
			m := jsonSpecial(w) | w&msbs
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
