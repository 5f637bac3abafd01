package policy_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/policy"
)

// FuzzEvaluate parses, compiles and evaluates arbitrary documents against arbitrary
// requests, in every role a policy can play. It checks that nothing panics, that an
// evaluation gives the same answer twice, and that a decision is well-formed.
func FuzzEvaluate(f *testing.F) {
	seeds := []string{
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/${aws:username}/*", "Condition": {"StringLike": {"s3:prefix": "${aws:username}/*"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}`,
		`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a"]}, "DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}}}}`,
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/r"]}, "Action": "*", "Resource": "*", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:*:*:111122223333:*"}, "NumericLessThanIfExists": {"s3:max-keys": 10}, "Null": {"aws:TokenIssueTime": "true"}}}}`,
		`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${*}${?}${$}${aws:PrincipalTag/x, 'd'}", "Condition": {"BinaryEquals": {"k": "QQ=="}, "Bool": {"aws:SecureTransport": true}}}}`,
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "aws-examples", "*", "*.json"))
	for _, name := range files {
		if text, err := os.ReadFile(name); err == nil {
			seeds = append(seeds, string(text))
		}
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), "s3:GetObject", "arn:aws:s3:::b/alice/x", "alice", "10.1.2.3", "a,b")
	}
	f.Fuzz(func(t *testing.T, text string, sel uint8, action, resource, user, ip, tags string) {
		kind := policy.Kind(sel%7 + 1)
		c, err := policy.ParseCompile(text, kind)
		if err != nil {
			return
		}
		req := &policy.Request{
			Principal: policy.Caller{Kind: policy.CallerKind(sel % 7), Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/" + user,
				RoleARN: "arn:aws:iam::111122223333:role/r", UserARN: "arn:aws:iam::111122223333:user/u", ID: user, Service: user, Provider: user},
			Action: action, Resource: resource, Time: time.Unix(int64(sel)*1e8, 0),
		}
		req.Context.Add("aws:username", user)
		req.Context.Add("aws:SourceIp", ip)
		req.Context.AddMulti("aws:TagKeys", strings.Split(tags, ",")...)
		req.Context.Add("s3:prefix", resource)
		req.Context.Add("aws:PrincipalTag/x", action)
		if a, err := netip.ParseAddr(ip); err == nil {
			req.Context.AddIP("aws:VpcSourceIp", a)
		}
		ref := policy.PolicyRef{ID: "p", Policy: c}
		in := &policy.Input{Request: req}
		switch kind {
		case policy.KindResource, policy.KindTrust:
			in.Resource, in.RequireResourcePolicy = ref, kind == policy.KindTrust
			if sel&0x80 != 0 {
				in.ResourceAccount = "444455556666"
			}
		case policy.KindSCP:
			in.SCPs = []policy.OrgLevel{{ID: "r", Policies: []policy.PolicyRef{ref}}}
			in.Identity = []policy.PolicyRef{ref}
		case policy.KindRCP:
			in.RCPs = []policy.OrgLevel{{ID: "r", Policies: []policy.PolicyRef{ref}}}
		case policy.KindPermissionsBoundary:
			in.Boundary, in.Identity = ref, []policy.PolicyRef{ref}
		case policy.KindSession:
			in.Session, in.Identity = []policy.PolicyRef{ref}, []policy.PolicyRef{ref}
		default:
			in.Identity = []policy.PolicyRef{ref, ref}
		}
		d1, d2 := policy.Evaluate(in), policy.Evaluate(in)
		if d1 != d2 {
			t.Fatalf("two evaluations differ: %v, %v", d1, d2)
		}
		ok := true
		switch d1.Result {
		case policy.ExplicitDeny:
			ok = d1.Statement >= 0 && d1.PolicyID == "p"
		case policy.ImplicitDeny:
			ok = d1.Statement == -1 && d1.Policy != policy.PolicyNone
		case policy.Allowed:
			ok = d1.Statement >= 0 || d1.Policy == policy.PolicyRootUser
		default:
			ok = false
		}
		if !ok {
			t.Fatalf("malformed decision %+v", d1)
		}
		_ = d1.Reason(action)
		_ = d1.String()
		// Key names are case-insensitive: the same context written in upper case decides
		// the same way.
		up := *req
		up.Context = policy.Context{}
		up.Context.Add("AWS:USERNAME", user)
		up.Context.Add("AWS:SOURCEIP", ip)
		up.Context.AddMulti("AWS:TAGKEYS", strings.Split(tags, ",")...)
		up.Context.Add("S3:PREFIX", resource)
		up.Context.Add("AWS:PRINCIPALTAG/X", action)
		if a, err := netip.ParseAddr(ip); err == nil {
			up.Context.AddIP("AWS:VPCSOURCEIP", a)
		}
		in.Request = &up
		if d3 := policy.Evaluate(in); d3 != d1 {
			t.Fatalf("upper-case keys decide differently: %v, %v", d1, d3)
		}
	})
}
