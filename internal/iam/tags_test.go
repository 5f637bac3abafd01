package iam_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func tags(n int, prefix string) []iam.Tag {
	out := make([]iam.Tag, n)
	for i := range out {
		out[i] = iam.Tag{Key: fmt.Sprintf("%s%02d", prefix, i), Value: "v"}
	}
	return out
}

func TestTagResources(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	f.role("r")
	p := f.policy("p")
	_, err := f.svc.CreateInstanceProfile(f.ctx, acct, iam.CreateInstanceProfileInput{InstanceProfileName: "ip"})
	f.ok(err)

	type res struct {
		name            string
		caseInsensitive bool
		tag             func([]iam.Tag) error
		untag           func([]string) error
		list            func(iam.PageInput) (iam.Page[iam.Tag], error)
	}
	all := []res{
		{"user", true,
			func(tg []iam.Tag) error { return f.svc.TagUser(f.ctx, acct, "u", tg) },
			func(k []string) error { return f.svc.UntagUser(f.ctx, acct, "u", k) },
			func(pg iam.PageInput) (iam.Page[iam.Tag], error) { return f.svc.ListUserTags(f.ctx, acct, "u", pg) }},
		{"role", true,
			func(tg []iam.Tag) error { return f.svc.TagRole(f.ctx, acct, "r", tg) },
			func(k []string) error { return f.svc.UntagRole(f.ctx, acct, "r", k) },
			func(pg iam.PageInput) (iam.Page[iam.Tag], error) { return f.svc.ListRoleTags(f.ctx, acct, "r", pg) }},
		{"policy", false,
			func(tg []iam.Tag) error { return f.svc.TagPolicy(f.ctx, acct, p.ARN, tg) },
			func(k []string) error { return f.svc.UntagPolicy(f.ctx, acct, p.ARN, k) },
			func(pg iam.PageInput) (iam.Page[iam.Tag], error) { return f.svc.ListPolicyTags(f.ctx, acct, p.ARN, pg) }},
		{"instance profile", true,
			func(tg []iam.Tag) error { return f.svc.TagInstanceProfile(f.ctx, acct, "ip", tg) },
			func(k []string) error { return f.svc.UntagInstanceProfile(f.ctx, acct, "ip", k) },
			func(pg iam.PageInput) (iam.Page[iam.Tag], error) {
				return f.svc.ListInstanceProfileTags(f.ctx, acct, "ip", pg)
			}},
	}
	for _, r := range all {
		t.Run(r.name, func(t *testing.T) {
			f.ok(r.tag([]iam.Tag{{Key: "Env", Value: "prod"}, {Key: "team", Value: ""}}))
			f.ok(r.tag([]iam.Tag{{Key: "env", Value: "dev"}}))
			got, err := r.list(iam.PageInput{})
			f.ok(err)
			if r.caseInsensitive {
				if !slices.Equal(got.Items, []iam.Tag{{Key: "env", Value: "dev"}, {Key: "team", Value: ""}}) {
					t.Fatalf("tags = %+v", got.Items)
				}
			} else if len(got.Items) != 3 {
				t.Fatalf("tags = %+v", got.Items)
			}
			f.ok(r.untag([]string{"ENV", "env", "absent"}))
			got, _ = r.list(iam.PageInput{})
			if len(got.Items) != 1 && !(len(got.Items) == 2 && !r.caseInsensitive) {
				t.Fatalf("after untag = %+v", got.Items)
			}
			f.ok(r.untag([]string{"Env", "team"}))

			// Quota: 50 per resource.
			f.ok(r.tag(tags(50, "k")))
			wantErr(t, r.tag([]iam.Tag{{Key: "one-more", Value: "x"}}), limit, 409, "The number of tags has reached the maximum limit.")
			f.ok(r.tag([]iam.Tag{{Key: "k00", Value: "replaced"}})) // replacing stays within quota
			page, err := r.list(iam.PageInput{MaxItems: 20})
			f.ok(err)
			n := len(page.Items)
			for page.IsTruncated {
				page, err = r.list(iam.PageInput{Marker: page.Marker, MaxItems: 20})
				f.ok(err)
				n += len(page.Items)
			}
			if n != 50 {
				t.Fatalf("listed %d tags", n)
			}
			keys := make([]string, 50)
			for i, tg := range tags(50, "k") {
				keys[i] = tg.Key
			}
			f.ok(r.untag(keys))

			dup := "Duplicate tag keys found."
			if r.caseInsensitive {
				dup += " Please note that Tag keys are case insensitive."
				wantErr(t, r.tag([]iam.Tag{{Key: "A", Value: "1"}, {Key: "a", Value: "2"}}), invalid, 400, dup)
			}
			runErrCases(t, []errCase{
				{"duplicate", func() error { return r.tag([]iam.Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}}) }, invalid, 400, dup},
				{"too many", func() error { return r.tag(tags(51, "x")) }, badInput, 400,
					"1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
				{"long key", func() error { return r.tag([]iam.Tag{{Key: strings.Repeat("k", 129)}}) }, badInput, 400,
					"1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
				{"long value", func() error { return r.tag([]iam.Tag{{Key: "k", Value: strings.Repeat("v", 257)}}) }, badInput, 400,
					"1 validation error detected: Value at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
				{"bad key", func() error { return r.tag([]iam.Tag{{Key: "ok", Value: "1"}, {Key: "no#hash", Value: "1"}}) }, badInput, 400,
					`1 validation error detected: Value at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
				{"reserved", func() error { return r.tag([]iam.Tag{{Key: "AWS:x", Value: "1"}}) }, invalid, 400, ""},
				{"untag too many", func() error { return r.untag(make([]string, 51)) }, badInput, 400,
					"1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50"},
				{"untag bad key", func() error { return r.untag([]string{strings.Repeat("k", 129)}) }, badInput, 400, ""},
			})
		})
	}
	wantErr(t, f.svc.TagUser(f.ctx, acct, "nonexistent-user", tags(1, "a")), noSuch, 404, "The user with name nonexistent-user cannot be found.")
	wantErr(t, f.svc.TagRole(f.ctx, acct, "test-nonexistent-role", tags(1, "a")), noSuch, 404, "The role with name test-nonexistent-role cannot be found.")
	wantErr(t, f.svc.TagPolicy(f.ctx, acct, "arn:aws:iam::123456789012:policy/NotAPolicy", tags(1, "a")), noSuch, 404,
		"Policy arn:aws:iam::123456789012:policy/NotAPolicy was not found.")
	wantErr(t, f.svc.UntagInstanceProfile(f.ctx, acct, "nonexistent-profile", []string{"a"}), noSuch, 404, "Instance Profile nonexistent-profile cannot be found.")
	wantErr(t, errOf(f.svc.ListInstanceProfileTags(f.ctx, acct, "nonexistent-profile", iam.PageInput{})), noSuch, 404, "")
}
