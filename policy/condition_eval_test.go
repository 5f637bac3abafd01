package policy_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

// condCase is one condition block evaluated against one request context.
type condCase struct {
	name string
	cond string // the Condition element's JSON
	ctx  func(c *policy.Context)
	want bool
}

// evalCondition reports whether an Allow statement with the condition allows a request
// with the context.
func evalCondition(t *testing.T, cond string, ctx func(*policy.Context), tm time.Time) bool {
	t.Helper()
	text := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "svc:Do", "Resource": "*", "Condition": ` + cond + `}}`
	p := mustCompile(t, text, policy.KindIdentity)
	req := &policy.Request{
		Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/alice"},
		Action:    "svc:Do", Resource: "arn:aws:svc:eu-west-1:111122223333:thing/1", Time: tm,
	}
	if ctx != nil {
		ctx(&req.Context)
	}
	d := policy.Evaluate(&policy.Input{Request: req, Identity: []policy.PolicyRef{{ID: "p", Policy: p}}})
	return d.Result == policy.Allowed
}

func runCondCases(t *testing.T, cases []condCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := evalCondition(t, tc.cond, tc.ctx, time.Time{}); got != tc.want {
				t.Errorf("%s: got %v, want %v", tc.cond, got, tc.want)
			}
		})
	}
}

func set(key string, values ...string) func(*policy.Context) {
	return func(c *policy.Context) { c.Add(key, values...) }
}

func none(*policy.Context) {}

func TestStringOperators(t *testing.T) {
	runCondCases(t, []condCase{
		{"equals", `{"StringEquals": {"aws:username": "alice"}}`, set("aws:username", "alice"), true},
		{"equals is case-sensitive", `{"StringEquals": {"aws:username": "alice"}}`, set("aws:username", "Alice"), false},
		{"equals has no wildcards", `{"StringEquals": {"aws:username": "a*"}}`, set("aws:username", "alice"), false},
		{"equals values are ORed", `{"StringEquals": {"aws:username": ["bob", "alice"]}}`, set("aws:username", "alice"), true},
		{"equals missing key", `{"StringEquals": {"aws:username": "alice"}}`, none, false},
		{"key name is case-insensitive", `{"StringEquals": {"AWS:UserName": "alice"}}`, set("aws:username", "alice"), true},
		{"tag key is case-insensitive", `{"StringEquals": {"aws:ResourceTag/TagKey1": "x"}}`, set("aws:resourcetag/tagkey1", "x"), true},
		{"tag value is case-sensitive", `{"StringEquals": {"aws:ResourceTag/k": "x"}}`, set("aws:ResourceTag/K", "X"), false},
		{"not equals", `{"StringNotEquals": {"aws:username": "bob"}}`, set("aws:username", "alice"), true},
		{"not equals matches", `{"StringNotEquals": {"aws:username": "alice"}}`, set("aws:username", "alice"), false},
		{"not equals values are ANDed", `{"StringNotEquals": {"aws:username": ["bob", "alice"]}}`, set("aws:username", "alice"), false},
		{"not equals missing key is true", `{"StringNotEquals": {"aws:username": "alice"}}`, none, true},
		{"equals ignore case", `{"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}`, set("aws:username", "alice"), true},
		{"equals ignore case differs", `{"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}`, set("aws:username", "bob"), false},
		{"not equals ignore case", `{"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}`, set("aws:username", "alice"), false},
		{"not equals ignore case other", `{"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}`, set("aws:username", "bob"), true},
		{"like star", `{"StringLike": {"s3:prefix": "home/*"}}`, set("s3:prefix", "home/alice/x"), true},
		{"like question", `{"StringLike": {"s3:prefix": "h?me"}}`, set("s3:prefix", "home"), true},
		{"like question one char", `{"StringLike": {"s3:prefix": "h?me"}}`, set("s3:prefix", "hoome"), false},
		{"like is case-sensitive", `{"StringLike": {"s3:prefix": "home/*"}}`, set("s3:prefix", "Home/x"), false},
		{"like inner star", `{"StringLike": {"s3:prefix": "a*c*e"}}`, set("s3:prefix", "abcde"), true},
		{"like inner star fails", `{"StringLike": {"s3:prefix": "a*c*e"}}`, set("s3:prefix", "abcdef"), false},
		{"not like", `{"StringNotLike": {"s3:prefix": ["home/*", "tmp/*"]}}`, set("s3:prefix", "etc/x"), true},
		{"not like matches one", `{"StringNotLike": {"s3:prefix": ["home/*", "tmp/*"]}}`, set("s3:prefix", "tmp/x"), false},
		{"not like missing", `{"StringNotLike": {"s3:prefix": "home/*"}}`, none, true},
		{"if exists missing", `{"StringEqualsIfExists": {"aws:username": "alice"}}`, none, true},
		{"if exists present", `{"StringEqualsIfExists": {"aws:username": "alice"}}`, set("aws:username", "bob"), false},
		{"not equals if exists missing", `{"StringNotEqualsIfExists": {"aws:username": "alice"}}`, none, true},
		{"empty value list never matches", `{"StringEquals": {"aws:username": []}}`, set("aws:username", "alice"), false},
		{"keys are ANDed", `{"StringEquals": {"aws:username": "alice", "aws:userid": "AIDA1"}}`, set("aws:username", "alice"), false},
		{"blocks are ANDed", `{"StringEquals": {"aws:username": "alice"}, "StringLike": {"aws:username": "b*"}}`, set("aws:username", "alice"), false},
		{"number written unquoted compares as text", `{"StringEquals": {"s3:max-keys": 10}}`, set("s3:max-keys", "10"), true},
		{"bool typed key as string", `{"StringEquals": {"aws:SecureTransport": "true"}}`, func(c *policy.Context) { c.AddBool("aws:SecureTransport", true) }, true},
	})
}

func TestNumericOperators(t *testing.T) {
	num := func(v string) func(*policy.Context) { return set("s3:max-keys", v) }
	runCondCases(t, []condCase{
		{"equals", `{"NumericEquals": {"s3:max-keys": "10"}}`, num("10"), true},
		{"equals float", `{"NumericEquals": {"s3:max-keys": 10}}`, num("10.0"), true},
		{"equals differs", `{"NumericEquals": {"s3:max-keys": "10"}}`, num("11"), false},
		{"not equals", `{"NumericNotEquals": {"s3:max-keys": ["10", "11"]}}`, num("12"), true},
		{"not equals ANDed", `{"NumericNotEquals": {"s3:max-keys": ["10", "11"]}}`, num("11"), false},
		{"not equals missing", `{"NumericNotEquals": {"s3:max-keys": "10"}}`, none, true},
		{"less than", `{"NumericLessThan": {"s3:max-keys": "10"}}`, num("9"), true},
		{"less than equal value", `{"NumericLessThan": {"s3:max-keys": "10"}}`, num("10"), false},
		{"less than equals", `{"NumericLessThanEquals": {"s3:max-keys": "10"}}`, num("10"), true},
		{"greater than", `{"NumericGreaterThan": {"s3:max-keys": "10"}}`, num("10.5"), true},
		{"greater than negative", `{"NumericGreaterThan": {"s3:max-keys": "-1"}}`, num("-2"), false},
		{"greater than equals", `{"NumericGreaterThanEquals": {"s3:max-keys": "1e1"}}`, num("10"), true},
		{"not a number", `{"NumericLessThan": {"s3:max-keys": "10"}}`, num("ten"), false},
		{"not a number, negated", `{"NumericNotEquals": {"s3:max-keys": "10"}}`, num("ten"), false},
		{"missing", `{"NumericLessThan": {"s3:max-keys": "10"}}`, none, false},
		{"if exists missing", `{"NumericLessThanIfExists": {"s3:max-keys": "10"}}`, none, true},
		{"typed number", `{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}`, func(c *policy.Context) { c.AddNumber("aws:MultiFactorAuthAge", 120) }, true},
	})
}

func TestDateOperators(t *testing.T) {
	at := func(v string) func(*policy.Context) { return set("aws:TokenIssueTime", v) }
	runCondCases(t, []condCase{
		{"equals", `{"DateEquals": {"aws:TokenIssueTime": "2026-11-28T07:00:00Z"}}`, at("2026-11-28T07:00:00Z"), true},
		{"equals other zone", `{"DateEquals": {"aws:TokenIssueTime": "2026-11-28T08:00:00+01:00"}}`, at("2026-11-28T07:00:00Z"), true},
		{"equals epoch", `{"DateEquals": {"aws:TokenIssueTime": "1795849200"}}`, at("2026-11-28T07:00:00Z"), true},
		{"equals date only", `{"DateEquals": {"aws:TokenIssueTime": "2026-11-28"}}`, at("2026-11-28T00:00:00Z"), true},
		{"fraction", `{"DateLessThan": {"aws:TokenIssueTime": "2026-11-28T07:00:00.5Z"}}`, at("2026-11-28T07:00:00.25Z"), true},
		{"not equals", `{"DateNotEquals": {"aws:TokenIssueTime": "2026-11-28T07:00:00Z"}}`, at("2026-11-28T07:00:01Z"), true},
		{"not equals missing", `{"DateNotEquals": {"aws:TokenIssueTime": "2026-11-28T07:00:00Z"}}`, none, true},
		{"less than", `{"DateLessThan": {"aws:TokenIssueTime": "2027-01-01T00:00:00Z"}}`, at("2026-11-28T07:00:00Z"), true},
		{"less than equals", `{"DateLessThanEquals": {"aws:TokenIssueTime": "2026-11-28T07:00:00Z"}}`, at("2026-11-28T07:00:00Z"), true},
		{"greater than", `{"DateGreaterThan": {"aws:TokenIssueTime": "2027-01-01T00:00:00Z"}}`, at("2026-11-28T07:00:00Z"), false},
		{"greater than equals, epoch request", `{"DateGreaterThanEquals": {"aws:TokenIssueTime": "2026-11-28T07:00:00Z"}}`, at("1795849200"), true},
		{"no wildcards", `{"DateEquals": {"aws:TokenIssueTime": "2026-11-28"}}`, at("2026-11-28*"), false},
		{"typed time", `{"DateGreaterThan": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}`, func(c *policy.Context) {
			c.AddTime("aws:TokenIssueTime", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		}, true},
		{"if exists missing", `{"DateGreaterThanIfExists": {"aws:TokenIssueTime": "2026-01-01T00:00:00Z"}}`, none, true},
	})
	// aws:CurrentTime and aws:EpochTime come from Request.Time when the context lacks them.
	now := time.Date(2026, 11, 28, 7, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		cond string
		want bool
	}{
		{`{"DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}`, true},
		{`{"DateGreaterThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}`, false},
		{`{"NumericGreaterThan": {"aws:EpochTime": "1795849199"}}`, true},
		{`{"DateEquals": {"aws:EpochTime": "2026-11-28T07:00:00Z"}}`, true},
		{`{"StringLike": {"aws:CurrentTime": "2026-11-28T*"}}`, true},
	} {
		if got := evalCondition(t, tc.cond, nil, now); got != tc.want {
			t.Errorf("%s with Request.Time: got %v, want %v", tc.cond, got, tc.want)
		}
	}
	if evalCondition(t, `{"DateLessThan": {"aws:CurrentTime": "2026-12-01T00:00:00Z"}}`, nil, time.Time{}) {
		t.Error("aws:CurrentTime present without Request.Time")
	}
}

func TestBoolBinaryNullOperators(t *testing.T) {
	runCondCases(t, []condCase{
		{"bool true", `{"Bool": {"aws:SecureTransport": "true"}}`, set("aws:SecureTransport", "true"), true},
		{"bool unquoted", `{"Bool": {"aws:SecureTransport": true}}`, set("aws:SecureTransport", "TRUE"), true},
		{"bool false", `{"Bool": {"aws:SecureTransport": "false"}}`, set("aws:SecureTransport", "true"), false},
		{"bool typed", `{"Bool": {"aws:SecureTransport": "false"}}`, func(c *policy.Context) { c.AddBool("aws:SecureTransport", false) }, true},
		{"bool missing", `{"Bool": {"aws:MultiFactorAuthPresent": "false"}}`, none, false},
		{"bool if exists missing", `{"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}`, none, true},
		{"bool not a bool", `{"Bool": {"aws:SecureTransport": "true"}}`, set("aws:SecureTransport", "yes"), false},
		{"binary", `{"BinaryEquals": {"svc:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, set("svc:blob", "BinaryValueInBase64"), true},
		{"binary differs", `{"BinaryEquals": {"svc:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}`, set("svc:blob", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="), false},
		{"binary missing", `{"BinaryEquals": {"svc:blob": "QQ=="}}`, none, false},
		{"binary if exists", `{"BinaryEqualsIfExists": {"svc:blob": "QQ=="}}`, none, true},
		{"null true, absent", `{"Null": {"aws:TokenIssueTime": "true"}}`, none, true},
		{"null true, present", `{"Null": {"aws:TokenIssueTime": "true"}}`, set("aws:TokenIssueTime", "2026-01-01"), false},
		{"null false, present", `{"Null": {"aws:TokenIssueTime": false}}`, set("aws:TokenIssueTime", "2026-01-01"), true},
		{"null false, absent", `{"Null": {"aws:TokenIssueTime": "false"}}`, none, false},
		{"null true, empty multi-valued", `{"Null": {"aws:TagKeys": "true"}}`, set("aws:TagKeys"), true},
	})
}

func TestIPOperators(t *testing.T) {
	ip := func(v string) func(*policy.Context) { return set("aws:SourceIp", v) }
	runCondCases(t, []condCase{
		{"in v4 block", `{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}`, ip("203.0.113.7"), true},
		{"outside v4 block", `{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}`, ip("203.0.114.7"), false},
		{"single address", `{"IpAddress": {"aws:SourceIp": "203.0.113.7"}}`, ip("203.0.113.7"), true},
		{"unmasked block", `{"IpAddress": {"aws:SourceIp": "203.0.113.9/24"}}`, ip("203.0.113.200"), true},
		{"v6 block", `{"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}}`, ip("2001:db8:1234:5678::1"), true},
		{"v6 outside", `{"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}}`, ip("2001:db8:1234:5679::1"), false},
		{"v4-mapped request", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, ip("::ffff:10.1.2.3"), true},
		{"values ORed", `{"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "10.0.0.0/8"]}}`, ip("10.9.9.9"), true},
		{"not ip", `{"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "10.0.0.0/8"]}}`, ip("198.51.100.1"), true},
		{"not ip inside one", `{"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "10.0.0.0/8"]}}`, ip("10.9.9.9"), false},
		{"not ip missing (VPC endpoint)", `{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, none, true},
		{"ip missing", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, none, false},
		{"ip if exists missing", `{"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}`, none, true},
		{"not an address", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, ip("vpce-1"), false},
		{"v4-mapped block", `{"IpAddress": {"aws:SourceIp": "::ffff:10.0.0.0/104"}}`, ip("10.1.2.3"), true},
		{"invalid block never matches", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}`, ip("10.1.2.3"), false},
		{"invalid block, negated", `{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/33", "192.0.2.0/24"]}}`, ip("10.1.2.3"), true},
		{"typed address", `{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}`, func(c *policy.Context) { c.AddIP("aws:SourceIp", netip.MustParseAddr("10.0.0.1")) }, true},
	})
}

func TestARNOperators(t *testing.T) {
	arn := func(v string) func(*policy.Context) { return set("aws:SourceArn", v) }
	runCondCases(t, []condCase{
		{"equals", `{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:topic"}}`, arn("arn:aws:sns:eu-west-1:111122223333:topic"), true},
		{"equals takes wildcards", `{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}`, arn("arn:aws:sns:eu-west-1:111122223333:topic"), true},
		{"like", `{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, arn("arn:aws:s3:::bucket/a/b:c"), true},
		{"like region wildcard", `{"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:111122223333:function:*"}}`, arn("arn:aws:lambda:us-east-1:111122223333:function:f"), true},
		{"like wrong account", `{"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:111122223333:function:*"}}`, arn("arn:aws:lambda:us-east-1:999999999999:function:f"), false},
		{"not like", `{"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, arn("arn:aws:s3:::other/x"), true},
		{"not equals", `{"ArnNotEquals": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, arn("arn:aws:s3:::bucket/x"), false},
		{"not like missing", `{"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, none, true},
		{"like missing", `{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, none, false},
		{"like if exists missing", `{"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}`, none, true},
		// IAM User Guide, "Condition operators", ARN: segments match separately.
		{"ARN segments: ArnLike", `{"ArnLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}`,
			arn("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), false},
		{"ARN segments: StringLike", `{"StringLike": {"aws:SourceArn": "arn:aws:someservice:*:111122223333:finance/*"}}`,
			arn("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"), true},
	})
}

func TestSetOperators(t *testing.T) {
	tags := func(v ...string) func(*policy.Context) { return set("aws:TagKeys", v...) }
	runCondCases(t, []condCase{
		{"for all: subset", `{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}`, tags("env"), true},
		{"for all: every", `{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}`, tags("env", "team"), true},
		{"for all: one outside", `{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}`, tags("env", "cost"), false},
		{"for all: missing key is true", `{"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}`, none, true},
		{"for all: empty key is true", `{"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}`, tags(), true},
		{"for any: one inside", `{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}}`, tags("cost", "team"), true},
		{"for any: none inside", `{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}}`, tags("cost"), false},
		{"for any: missing key is false", `{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}`, none, false},
		{"for any: empty key is false", `{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env"]}}`, tags(), false},
		{"for any: if exists missing", `{"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["env"]}}`, none, true},
		{"for all: like", `{"ForAllValues:StringLike": {"aws:TagKeys": ["env*"]}}`, tags("env", "environment"), true},
		{"for all: not equals, none listed", `{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, tags("env", "team"), true},
		{"for all: not equals, one listed", `{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, tags("env", "secret"), false},
		{"for all: not equals, missing", `{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, none, true},
		{"for any: not equals, one unlisted", `{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, tags("secret", "env"), true},
		{"for any: not equals, all listed", `{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, tags("secret"), false},
		{"for any: not equals, missing", `{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["secret"]}}`, none, false},
		{"no qualifier, multi-valued, positive", `{"StringEquals": {"aws:TagKeys": "env"}}`, tags("cost", "env"), true},
		{"no qualifier, multi-valued, negated", `{"StringNotEquals": {"aws:TagKeys": "env"}}`, tags("cost", "env"), false},
		{"for any: numeric", `{"ForAnyValue:NumericGreaterThan": {"svc:sizes": "10"}}`, set("svc:sizes", "1", "20"), true},
		{"for all: ip", `{"ForAllValues:IpAddress": {"svc:ips": "10.0.0.0/8"}}`, set("svc:ips", "10.0.0.1", "11.0.0.1"), false},
		{"for all: arn like", `{"ForAllValues:ArnLike": {"svc:arns": "arn:aws:sns:*:111122223333:*"}}`, set("svc:arns", "arn:aws:sns:eu-west-1:111122223333:a", "arn:aws:sns:us-east-1:111122223333:b"), true},
	})
}

func TestConditionVariables(t *testing.T) {
	user := func(c *policy.Context) {
		c.Add("aws:username", "alice")
		c.Add("aws:PrincipalTag/Team", "Blue")
		c.Add("s3:prefix", "home/alice/docs")
		c.Add("svc:star", "*")
		c.Add("svc:literal", "a*b")
	}
	runCondCases(t, []condCase{
		{"variable", `{"StringEquals": {"s3:prefix": "home/${aws:username}/docs"}}`, user, true},
		{"variable in like", `{"StringLike": {"s3:prefix": "home/${aws:username}/*"}}`, user, true},
		{"variable key is case-insensitive", `{"StringLike": {"s3:prefix": "home/${AWS:UserName}/*"}}`, user, true},
		{"tag variable", `{"StringEquals": {"svc:team": "${aws:PrincipalTag/team}"}}`, func(c *policy.Context) { user(c); c.Add("svc:team", "Blue") }, true},
		{"unresolved variable fails", `{"StringEquals": {"s3:prefix": "${aws:userid}"}}`, user, false},
		// IAM User Guide, "Policy variables with no value": inverted operators match a null value.
		{"unresolved variable satisfies a negated operator", `{"StringNotEquals": {"s3:prefix": "${aws:userid}"}}`, user, true},
		{"default value", `{"StringEquals": {"svc:team": "${aws:PrincipalTag/dept, 'none'}"}}`, set("svc:team", "none"), true},
		{"default not used when present", `{"StringEquals": {"svc:team": "${aws:PrincipalTag/team, 'none'}"}}`, func(c *policy.Context) { user(c); c.Add("svc:team", "none") }, false},
		{"escape star is literal", `{"StringLike": {"svc:literal": "a${*}b"}}`, user, true},
		{"escape star does not match", `{"StringLike": {"svc:literal": "a${*}"}}`, user, false},
		{"escape question and dollar", `{"StringEquals": {"svc:x": "${?}${$}"}}`, set("svc:x", "?$"), true},
		{"variable value is literal", `{"StringLike": {"svc:literal": "${svc:star}"}}`, user, false},
		{"variable in ArnLike", `{"ArnLike": {"aws:SourceArn": "arn:aws:iam::111122223333:user/${aws:username}"}}`, func(c *policy.Context) {
			user(c)
			c.Add("aws:SourceArn", "arn:aws:iam::111122223333:user/alice")
		}, true},
		{"ignore case with variable", `{"StringEqualsIgnoreCase": {"svc:team": "${aws:PrincipalTag/team}"}}`, func(c *policy.Context) { user(c); c.Add("svc:team", "BLUE") }, true},
		{"variables not in numeric", `{"NumericEquals": {"svc:n": "${svc:m}"}}`, func(c *policy.Context) { c.Add("svc:n", "1"); c.Add("svc:m", "1") }, false},
		{"multi-valued variable is unresolved", `{"StringEquals": {"svc:x": "${aws:TagKeys}"}}`, func(c *policy.Context) { c.Add("svc:x", "a"); c.Add("aws:TagKeys", "a", "b") }, false},
	})
}

func TestVariablesNeed2012(t *testing.T) {
	text := `{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}`
	p := mustCompile(t, text, policy.KindIdentity)
	req := &policy.Request{Principal: policy.Caller{Kind: policy.CallerUser, Account: "111122223333"}, Action: "s3:GetObject"}
	req.Context.Add("aws:username", "alice")
	in := &policy.Input{Request: req, Identity: []policy.PolicyRef{{Policy: p}}}
	req.Resource = "arn:aws:s3:::b/alice/x"
	if policy.Evaluate(in).IsAllowed() {
		t.Error("a 2008-10-17 variable was resolved")
	}
	req.Resource = "arn:aws:s3:::b/${aws:username}/x"
	if !policy.Evaluate(in).IsAllowed() {
		t.Error("a 2008-10-17 variable is not literal text")
	}
}
