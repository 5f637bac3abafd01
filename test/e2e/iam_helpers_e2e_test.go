package e2e

// Helpers shared by the iam_*_e2e_test.go files. Their names start with "iamx" so that they
// cannot collide with helpers of other test files in this package.

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamxAccount is the --dev account every startServer serves.
const iamxAccount = "000000000000"

// iamxTrust is a role trust policy that lets EC2 assume the role.
const iamxTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// iamxTrustLambda is a second, different trust policy.
const iamxTrustLambda = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// iamxPolicy returns a valid identity policy document allowing action on every resource;
// different actions give different documents.
func iamxPolicy(action string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"%s","Resource":"*"}]}`, action)
}

// iamxBigPolicy returns a valid identity policy of at least n characters that are not white
// space (IAM's way of counting a policy's size).
func iamxBigPolicy(n int) string {
	var res []string
	size := 0
	for i := 0; size < n; i++ {
		r := fmt.Sprintf(`"arn:aws:s3:::bucket-%04d/*"`, i)
		res = append(res, r)
		size += len(r) + 1
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` +
		strings.Join(res, ",") + `]}]}`
}

// iamxARN returns the ARN of an IAM entity of the dev account: iamxARN("role", "/svc/", "app").
func iamxARN(kind, path, name string) string {
	return "arn:aws:iam::" + iamxAccount + ":" + kind + path + name
}

// iamxDoc URL-decodes a policy document as IAM returns it, failing the test if it is absent or
// does not decode.
func iamxDoc(t *testing.T, encoded *string) string {
	t.Helper()
	if encoded == nil {
		t.Fatal("policy document is missing")
	}
	doc, err := url.QueryUnescape(*encoded)
	if err != nil {
		t.Fatalf("policy document %q does not URL-decode: %v", *encoded, err)
	}
	return doc
}

// iamxWantDoc fails the test unless the URL-encoded document decodes to want.
func iamxWantDoc(t *testing.T, what string, encoded *string, want string) {
	t.Helper()
	if got := iamxDoc(t, encoded); got != want {
		t.Fatalf("%s document = %s, want %s", what, got, want)
	}
}

// iamxID fails the test unless id is a 21-character IAM unique ID with the prefix.
func iamxID(t *testing.T, what string, id *string, prefix string) {
	t.Helper()
	v := aws.ToString(id)
	if len(v) != 21 || !strings.HasPrefix(v, prefix) || strings.ToUpper(v) != v {
		t.Fatalf("%s ID = %q, want 21 upper-case characters starting with %s", what, v, prefix)
	}
}

// iamxRecent fails the test unless ts is set and within a few minutes of now.
func iamxRecent(t *testing.T, what string, ts *time.Time) {
	t.Helper()
	if ts == nil {
		t.Fatalf("%s is not set", what)
	}
	if d := time.Since(*ts); d < -time.Minute || d > 5*time.Minute {
		t.Fatalf("%s = %v, not close to now", what, *ts)
	}
}

// iamxOK fails the test if err is not nil.
func iamxOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// iamxEq fails the test unless got == want.
func iamxEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

// iamxList fails the test unless got equals want element by element.
func iamxList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}

// iamxTags builds a tag list from key/value pairs.
func iamxTags(kv ...string) []types.Tag {
	out := make([]types.Tag, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// iamxTagPairs flattens tags to "key=value" strings, in order.
func iamxTagPairs(tags []types.Tag) []string {
	out := make([]string, 0, len(tags))
	for _, tg := range tags {
		out = append(out, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	return out
}

// iamxSorted returns a sorted copy of s.
func iamxSorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// iamxAttachedNames returns the names of attached managed policies, in order.
func iamxAttachedNames(ps []types.AttachedPolicy) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.PolicyName))
	}
	return out
}

// iamxAttachedARNs returns the ARNs of attached managed policies, in order.
func iamxAttachedARNs(ps []types.AttachedPolicy) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.PolicyArn))
	}
	return out
}

// iamxPage is one page of a paged listing: its names and continuation.
type iamxPage struct {
	names     []string
	truncated bool
	marker    *string
}

// iamxPages walks a listing page by page with MaxItems max, calling next with the marker of
// the previous page, and returns every name in order and the sizes of the pages. It checks
// that every page but the last is truncated with a marker and the last is neither.
func iamxPages(t *testing.T, max int, next func(marker *string) iamxPage) (names []string, sizes []int) {
	t.Helper()
	var marker *string
	for i := 0; ; i++ {
		if i > 100 {
			t.Fatal("paging does not end")
		}
		p := next(marker)
		if len(p.names) > max {
			t.Fatalf("page %d has %d items, more than MaxItems %d", i, len(p.names), max)
		}
		names = append(names, p.names...)
		sizes = append(sizes, len(p.names))
		if !p.truncated {
			if p.marker != nil {
				t.Fatalf("last page %d has a Marker %q", i, *p.marker)
			}
			return names, sizes
		}
		if aws.ToString(p.marker) == "" {
			t.Fatalf("page %d is truncated without a Marker", i)
		}
		marker = p.marker
	}
}
