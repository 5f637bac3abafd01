package sts

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/policy"
)

// Limits from the STS API model (sts-2011-06-15) and the STS API Reference.
const (
	minDuration            = 900    // every operation
	maxRoleDuration        = 43200  // AssumeRole: the model's maximum; the role's MaxSessionDuration caps it
	defaultRoleDuration    = 3600   // AssumeRole
	chainedMaxDuration     = 3600   // AssumeRole with role session credentials ("role chaining")
	maxUserDuration        = 129600 // GetSessionToken, GetFederationToken
	defaultUserDuration    = 43200  // GetSessionToken, GetFederationToken
	rootMaxDuration        = 3600   // GetSessionToken, GetFederationToken as the root user
	maxPolicyARNs          = 10
	maxSessionTags         = 50
	maxTagKeyLen           = 128
	maxTagValueLen         = 256
	maxSessionNameLen      = 64
	maxFederatedNameLen    = 32
	maxSourceIdentityLen   = 64
	maxExternalIDLen       = 1224
	maxSerialLen           = 256
	minSerialLen           = 9
	maxRoleARNLen          = 2048
	minARNLen              = 20
	minAccessKeyIDLen      = 16
	maxAccessKeyIDLen      = 128
	packedPolicyBudget     = 2048 // characters of session policy text (inline and ARNs), white space not counted
	packedTagBudget        = 2048 // characters of session tag keys and values
	patternName            = `[\w+=,.@-]*`
	patternExternalID      = `[\w+=,.@:\/-]*`
	patternSerial          = `[\w+=/:,.@-]*`
	patternTokenCode       = `[\d]*`
	patternTag             = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patternTagValue        = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	patternAccessKeyID     = `[\w]*`
	patternPolicyCharacter = `[\u0009\u000A\u000D\u0020-\u00FF]+`
)

// checks collects model-constraint failures and words them as AWS does: "1 validation error
// detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have
// length greater than or equal to 2" (several are joined with "; ").
type checks []string

func (c *checks) add(value, field, constraint string) {
	*c = append(*c, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must %s", value, field, constraint))
}

func (c *checks) length(field, v string, minLen, maxLen int) {
	n := len([]rune(v))
	if n < minLen {
		c.add(v, field, "have length greater than or equal to "+strconv.Itoa(minLen))
	}
	if n > maxLen {
		c.add(v, field, "have length less than or equal to "+strconv.Itoa(maxLen))
	}
}

func (c *checks) pattern(field, v, pattern string, ok func(rune) bool) {
	for _, r := range v {
		if !ok(r) {
			c.add(v, field, "satisfy regular expression pattern: "+pattern)
			return
		}
	}
}

// name checks an optional-or-required name member: length and [\w+=,.@-]*.
func (c *checks) name(field string, v *string, minLen, maxLen int) {
	if v == nil {
		return
	}
	c.length(field, *v, minLen, maxLen)
	c.pattern(field, *v, patternName, isNameRune)
}

func (c *checks) duration(d *int32, maxModel int) {
	if d == nil {
		return
	}
	v := strconv.Itoa(int(*d))
	if *d < minDuration {
		c.add(v, "durationSeconds", "have value greater than or equal to "+strconv.Itoa(minDuration))
	}
	if int(*d) > maxModel {
		c.add(v, "durationSeconds", "have value less than or equal to "+strconv.Itoa(maxModel))
	}
}

func (c *checks) mfa(serial, code *string) {
	if serial != nil {
		c.length("serialNumber", *serial, minSerialLen, maxSerialLen)
		c.pattern("serialNumber", *serial, patternSerial, func(r rune) bool { return isNameRune(r) || r == '/' || r == ':' })
	}
	if code != nil {
		c.length("tokenCode", *code, 6, 6)
		c.pattern("tokenCode", *code, patternTokenCode, func(r rune) bool { return r >= '0' && r <= '9' })
	}
}

func (c *checks) sessionPolicy(p *string, arns []api.PolicyArn, tags []api.Tag) {
	if p != nil {
		c.pattern("policy", *p, patternPolicyCharacter, func(r rune) bool {
			return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)
		})
	}
	if len(arns) > maxPolicyARNs {
		c.add("["+strconv.Itoa(len(arns))+" ARNs]", "policyArns", "have length less than or equal to "+strconv.Itoa(maxPolicyARNs))
	}
	for i, a := range arns {
		if a.Arn != nil {
			c.length("policyArns."+strconv.Itoa(i+1)+".member.arn", *a.Arn, minARNLen, maxRoleARNLen)
		}
	}
	if len(tags) > maxSessionTags {
		c.add("["+strconv.Itoa(len(tags))+" tags]", "tags", "have length less than or equal to "+strconv.Itoa(maxSessionTags))
	}
	for i, t := range tags {
		f := "tags." + strconv.Itoa(i+1) + ".member."
		if t.Key != nil {
			c.length(f+"key", *t.Key, 1, maxTagKeyLen)
			c.pattern(f+"key", *t.Key, patternTag, isTagRune)
		}
		if t.Value != nil {
			c.length(f+"value", *t.Value, 0, maxTagValueLen)
			c.pattern(f+"value", *t.Value, patternTagValue, isTagRune)
		}
	}
}

func (c checks) err() error {
	if len(c) == 0 {
		return nil
	}
	return awserr.Constraints("ValidationError", c)
}

func isNameRune(r rune) bool {
	return r == '_' || r == '+' || r == '=' || r == ',' || r == '.' || r == '@' || r == '-' ||
		(r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

func isTagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) || strings.ContainsRune("_.:/=+-@", r)
}

// STS error codes beyond the common ones ("Errors" of each action in the STS API Reference).
const (
	codeMalformedPolicyDocument = "MalformedPolicyDocument"
	codePackedPolicyTooLarge    = "PackedPolicyTooLarge"
	codeInvalidParameterValue   = "InvalidParameterValue"
)

// sessionPolicies validates the session policies of a request: the inline document with the
// policy package (KindSession, the 2,048-character model limit) and the managed policy ARNs.
// It returns the documents and ARNs to carry in the session, and the characters they use of
// the packed budget.
func sessionPolicies(doc *string, arns []api.PolicyArn) (docs, policyARNs []string, used int, err error) {
	if doc != nil {
		if _, err := policy.Parse(*doc, policy.KindSession, policy.WithLimit(policy.LimitSessionPolicy)); err != nil {
			return nil, nil, 0, policyError(err)
		}
		docs = []string{*doc}
		used += policy.LimitUserInline.Measure(*doc) // white space does not count
	}
	for _, a := range arns {
		s := ptr.Value(a.Arn)
		parsed, typ, _, _, perr := arn.ParseIAM(s)
		if perr != nil || typ != arn.TypePolicy || parsed.AccountID == "" {
			return nil, nil, 0, awserr.New(codeInvalidParameterValue, http.StatusBadRequest, "The policy ARN %s is not a valid managed policy ARN.", s)
		}
		policyARNs = append(policyARNs, s)
		used += len(s)
	}
	return docs, policyARNs, used, nil
}

// policyError maps a policy package error to STS's answer.
func policyError(err error) error {
	var size *policy.SizeError
	if errors.As(err, &size) {
		return &awserr.Error{Code: size.Code, Status: http.StatusBadRequest, Message: size.Message, Cause: err}
	}
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		code := ve.Code
		if code == "" {
			code = codeMalformedPolicyDocument
		}
		return &awserr.Error{Code: code, Status: http.StatusBadRequest, Message: ve.Message, Cause: err}
	}
	return &awserr.Error{Code: codeMalformedPolicyDocument, Status: http.StatusBadRequest, Message: "Syntax errors in policy.", Cause: err}
}

// sessionTags validates session tags and the transitive tag keys against the tags a chained
// session inherits (inherited, with inheritedKeys its transitive keys). It returns the
// session's tags and transitive keys and the characters all of them (inherited included)
// use of the packed budget.
func sessionTags(tags []api.Tag, transitive []string, inherited map[string]string, inheritedKeys []string) (map[string]string, []string, int, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	used := 0 // inherited tags count against the packed budget too
	for _, k := range inheritedKeys {
		if v, ok := inherited[k]; ok {
			out[k] = v
			seen[strings.ToLower(k)] = true
			used += len(k) + len(v)
		}
	}
	inheritedSeen := maps.Clone(seen)
	for _, t := range tags {
		k, v := ptr.Value(t.Key), ptr.Value(t.Value)
		lk := strings.ToLower(k)
		if inheritedSeen[lk] {
			return nil, nil, 0, awserr.New(codeInvalidParameterValue, http.StatusBadRequest,
				"One of the specified tag keys conflicts with a transitive tag key inherited from the calling session: %s", k)
		}
		if seen[lk] {
			return nil, nil, 0, awserr.New(codeInvalidParameterValue, http.StatusBadRequest,
				"Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		if strings.HasPrefix(lk, "aws:") {
			return nil, nil, 0, awserr.New(codeInvalidParameterValue, http.StatusBadRequest,
				"Tag keys beginning with aws: are reserved for AWS use: %s", k)
		}
		seen[lk] = true
		out[k] = v
		used += len(k) + len(v)
	}
	keys := append([]string(nil), inheritedKeys...)
	if len(transitive) > maxSessionTags {
		return nil, nil, 0, (&checks{fmt.Sprintf("Value '[%d keys]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to %d", len(transitive), maxSessionTags)}).err()
	}
	for _, k := range transitive {
		found := false
		for _, t := range tags {
			if strings.EqualFold(ptr.Value(t.Key), k) {
				found, k = true, ptr.Value(t.Key)
				break
			}
		}
		if !found {
			return nil, nil, 0, awserr.New(codeInvalidParameterValue, http.StatusBadRequest,
				"The transitive tag key %s is not one of the session tags of the request.", k)
		}
		keys = append(keys, k)
	}
	if len(out) == 0 {
		out = nil
	}
	if len(keys) == 0 {
		keys = nil
	}
	return out, keys, used, nil
}

// packedSize returns PackedPolicySize, the percentage of the packed budget the session
// policies and tags use (the larger of the two), or PackedPolicyTooLarge when either is over
// 100%. AWS packs and compresses them into a binary format of undocumented size; Bulwark
// counts characters against two documented 2,048-character budgets, and words the error as
// AWS does.
func packedSize(policyChars, tagChars int) (int32, error) {
	pp := percent(policyChars, packedPolicyBudget)
	tp := percent(tagChars, packedTagBudget)
	if pp > 100 {
		return 0, awserr.New(codePackedPolicyTooLarge, http.StatusBadRequest,
			"Packed policy consumes %d%% of allotted space, please use smaller policy.", pp)
	}
	if tp > 100 {
		return 0, awserr.New(codePackedPolicyTooLarge, http.StatusBadRequest,
			"Packed size of session tags consumes %d%% of allotted space.", tp)
	}
	return int32(max(pp, tp)), nil
}

func percent(n, budget int) int {
	return (n*100 + budget - 1) / budget
}
