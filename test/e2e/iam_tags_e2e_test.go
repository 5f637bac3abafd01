package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamxTagger is the Tag/Untag/List*Tags trio of one taggable resource type, bound to a name
// (or ARN) that may or may not exist.
type iamxTagger struct {
	tag   func(ctx context.Context, id string, tags []types.Tag) error
	untag func(ctx context.Context, id string, keys []string) error
	list  func(ctx context.Context, id string, max *int32, marker *string) ([]types.Tag, bool, *string, error)
	// get returns the tags as the resource's Get* operation shows them.
	get func(ctx context.Context, id string) ([]types.Tag, error)
}

func iamxTaggers(c *iam.Client) map[string]iamxTagger {
	return map[string]iamxTagger{
		"user": {
			tag: func(ctx context.Context, id string, tags []types.Tag) error {
				_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String(id), Tags: tags})
				return err
			},
			untag: func(ctx context.Context, id string, keys []string) error {
				_, err := c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String(id), TagKeys: keys})
				return err
			},
			list: func(ctx context.Context, id string, max *int32, marker *string) ([]types.Tag, bool, *string, error) {
				out, err := c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String(id), MaxItems: max, Marker: marker})
				if err != nil {
					return nil, false, nil, err
				}
				return out.Tags, out.IsTruncated, out.Marker, nil
			},
			get: func(ctx context.Context, id string) ([]types.Tag, error) {
				out, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(id)})
				if err != nil {
					return nil, err
				}
				return out.User.Tags, nil
			},
		},
		"role": {
			tag: func(ctx context.Context, id string, tags []types.Tag) error {
				_, err := c.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(id), Tags: tags})
				return err
			},
			untag: func(ctx context.Context, id string, keys []string) error {
				_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(id), TagKeys: keys})
				return err
			},
			list: func(ctx context.Context, id string, max *int32, marker *string) ([]types.Tag, bool, *string, error) {
				out, err := c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(id), MaxItems: max, Marker: marker})
				if err != nil {
					return nil, false, nil, err
				}
				return out.Tags, out.IsTruncated, out.Marker, nil
			},
			get: func(ctx context.Context, id string) ([]types.Tag, error) {
				out, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(id)})
				if err != nil {
					return nil, err
				}
				return out.Role.Tags, nil
			},
		},
		"policy": {
			tag: func(ctx context.Context, id string, tags []types.Tag) error {
				_, err := c.TagPolicy(ctx, &iam.TagPolicyInput{PolicyArn: aws.String(id), Tags: tags})
				return err
			},
			untag: func(ctx context.Context, id string, keys []string) error {
				_, err := c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: aws.String(id), TagKeys: keys})
				return err
			},
			list: func(ctx context.Context, id string, max *int32, marker *string) ([]types.Tag, bool, *string, error) {
				out, err := c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: aws.String(id), MaxItems: max, Marker: marker})
				if err != nil {
					return nil, false, nil, err
				}
				return out.Tags, out.IsTruncated, out.Marker, nil
			},
			get: func(ctx context.Context, id string) ([]types.Tag, error) {
				out, err := c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(id)})
				if err != nil {
					return nil, err
				}
				return out.Policy.Tags, nil
			},
		},
		"instance profile": {
			tag: func(ctx context.Context, id string, tags []types.Tag) error {
				_, err := c.TagInstanceProfile(ctx, &iam.TagInstanceProfileInput{InstanceProfileName: aws.String(id), Tags: tags})
				return err
			},
			untag: func(ctx context.Context, id string, keys []string) error {
				_, err := c.UntagInstanceProfile(ctx, &iam.UntagInstanceProfileInput{InstanceProfileName: aws.String(id), TagKeys: keys})
				return err
			},
			list: func(ctx context.Context, id string, max *int32, marker *string) ([]types.Tag, bool, *string, error) {
				out, err := c.ListInstanceProfileTags(ctx, &iam.ListInstanceProfileTagsInput{InstanceProfileName: aws.String(id), MaxItems: max, Marker: marker})
				if err != nil {
					return nil, false, nil, err
				}
				return out.Tags, out.IsTruncated, out.Marker, nil
			},
			get: func(ctx context.Context, id string) ([]types.Tag, error) {
				out, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(id)})
				if err != nil {
					return nil, err
				}
				return out.InstanceProfile.Tags, nil
			},
		},
	}
}

func TestIAMTags(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("tagged")}))(t)
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("tagged"), AssumeRolePolicyDocument: aws.String(iamxTrust)}))(t)
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("tagged"), PolicyDocument: aws.String(bucketPolicy)}))(t).Policy
	must(c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("tagged")}))(t)
	ids := map[string]struct{ existing, missing string }{
		"user":             {"tagged", "nobody"},
		"role":             {"tagged", "nobody"},
		"policy":           {aws.ToString(pol.Arn), iamxARN("policy", "/", "nobody")},
		"instance profile": {"tagged", "nobody"},
	}

	for kind, tg := range iamxTaggers(c) {
		id := ids[kind]
		t.Run(kind, func(t *testing.T) {
			list := func() []string {
				t.Helper()
				tags, truncated, marker, err := tg.list(ctx, id.existing, nil, nil)
				iamxOK(t, err)
				if truncated || marker != nil {
					t.Fatalf("tag list truncated=%v marker=%v", truncated, marker)
				}
				if tags == nil {
					t.Fatal("tag list is nil, want a (possibly empty) list")
				}
				// The order of tags in the listing is not asserted: compare sorted.
				return iamxSorted(iamxTagPairs(tags))
			}
			iamxList(t, "initial tags", list(), nil)
			none, err := tg.get(ctx, id.existing)
			iamxOK(t, err)
			if len(none) != 0 {
				t.Fatalf("untagged resource shows tags %v", iamxTagPairs(none))
			}

			iamxOK(t, tg.tag(ctx, id.existing, iamxTags("env", "prod", "team", "core", "empty", "")))
			iamxList(t, "tags", list(), []string{"empty=", "env=prod", "team=core"})
			// Tagging again replaces the value of an existing key and adds new keys.
			iamxOK(t, tg.tag(ctx, id.existing, iamxTags("team", "platform", "cost", "42")))
			iamxList(t, "tags after re-tag", list(), []string{"cost=42", "empty=", "env=prod", "team=platform"})
			got, err := tg.get(ctx, id.existing)
			iamxOK(t, err)
			iamxList(t, "tags shown by Get", iamxSorted(iamxTagPairs(got)), []string{"cost=42", "empty=", "env=prod", "team=platform"})

			// Paging.
			paged, sizes := iamxPages(t, 3, func(m *string) iamxPage {
				tags, truncated, marker, err := tg.list(ctx, id.existing, aws.Int32(3), m)
				iamxOK(t, err)
				return iamxPage{iamxTagPairs(tags), truncated, marker}
			})
			iamxList(t, "paged tags", iamxSorted(paged), []string{"cost=42", "empty=", "env=prod", "team=platform"})
			iamxEq(t, "pages", fmt.Sprint(sizes), "[3 1]")

			// Untag removes the keys; keys that are not there are ignored.
			iamxOK(t, tg.untag(ctx, id.existing, []string{"team", "empty", "never-set"}))
			iamxList(t, "tags after untag", list(), []string{"cost=42", "env=prod"})

			tests := []struct {
				name string
				call func() error
				code string
			}{
				{"tag missing resource", func() error { return tg.tag(ctx, id.missing, iamxTags("a", "b")) }, "NoSuchEntity"},
				{"untag missing resource", func() error { return tg.untag(ctx, id.missing, []string{"a"}) }, "NoSuchEntity"},
				{"list tags of missing resource", func() error { _, _, _, err := tg.list(ctx, id.missing, nil, nil); return err }, "NoSuchEntity"},
				{"duplicate keys in one request", func() error { return tg.tag(ctx, id.existing, iamxTags("dup", "1", "dup", "2")) }, "InvalidInput"},
				{"key too long", func() error { return tg.tag(ctx, id.existing, iamxTags(fmt.Sprintf("%0129d", 0), "v")) }, "ValidationError"},
				{"value too long", func() error { return tg.tag(ctx, id.existing, iamxTags("k", fmt.Sprintf("%0257d", 0))) }, "ValidationError"},
				{"more than 50 tags in one request", func() error {
					var tags []types.Tag
					for i := 0; i < 51; i++ {
						tags = append(tags, iamxTags(fmt.Sprintf("t%02d", i), "v")...)
					}
					return tg.tag(ctx, id.existing, tags)
				}, "ValidationError"},
				{"more than 50 keys to untag", func() error {
					var keys []string
					for i := 0; i < 51; i++ {
						keys = append(keys, fmt.Sprintf("t%02d", i))
					}
					return tg.untag(ctx, id.existing, keys)
				}, "ValidationError"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
			}
			iamxList(t, "tags after failed calls", list(), []string{"cost=42", "env=prod"})

			// At most 50 tags per resource.
			var many []types.Tag
			for i := 0; i < 48; i++ {
				many = append(many, iamxTags(fmt.Sprintf("k%02d", i), "v")...)
			}
			iamxOK(t, tg.tag(ctx, id.existing, many))
			iamxEq(t, "tags at quota", len(list()), 50)
			wantCode(t, tg.tag(ctx, id.existing, iamxTags("one-too-many", "v")), "LimitExceeded")
			// Replacing a value at the quota is fine.
			iamxOK(t, tg.tag(ctx, id.existing, iamxTags("env", "dev")))
			tags := list()
			iamxEq(t, "tags after replace at quota", len(tags), 50)
			if !slices.Contains(tags, "env=dev") || slices.Contains(tags, "env=prod") {
				t.Fatalf("env tag not replaced: %v", tags)
			}
		})
	}
}

func TestIAMTagKeyCase(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u"), Tags: iamxTags("Env", "prod")}))(t)
	must(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(iamxTrust), Tags: iamxTags("Env", "prod")}))(t)

	// Keys that differ only in case are the same key: within one request they are duplicates.
	_, err := c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("u"), Tags: iamxTags("Team", "a", "team", "b")})
	wantCode(t, err, "InvalidInput")
	_, err = c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(iamxTrust), Tags: iamxTags("Team", "a", "TEAM", "b")})
	wantCode(t, err, "InvalidInput")
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r2")})
	wantCode(t, err, "NoSuchEntity")

	// Managed policy tag keys, by contrast, are case-sensitive.
	p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(bucketPolicy), Tags: iamxTags("a", "lowercase", "A", "uppercase")}))(t).Policy
	ptags := must(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: p.Arn}))(t).Tags
	iamxList(t, "policy tags", iamxSorted(iamxTagPairs(ptags)), []string{"A=uppercase", "a=lowercase"})
	must(c.UntagPolicy(ctx, &iam.UntagPolicyInput{PolicyArn: p.Arn, TagKeys: []string{"a"}}))(t)
	ptags = must(c.ListPolicyTags(ctx, &iam.ListPolicyTagsInput{PolicyArn: p.Arn}))(t).Tags
	iamxList(t, "policy tags after untag a", iamxTagPairs(ptags), []string{"A=uppercase"})

	// Untag matches keys regardless of case.
	must(c.UntagUser(ctx, &iam.UntagUserInput{UserName: aws.String("u"), TagKeys: []string{"env"}}))(t)
	tags := must(c.ListUserTags(ctx, &iam.ListUserTagsInput{UserName: aws.String("u")}))(t).Tags
	if len(tags) != 0 {
		t.Fatalf("user tags after untag = %v", iamxTagPairs(tags))
	}
	must(c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String("r"), TagKeys: []string{"ENV"}}))(t)
	rtags := must(c.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String("r")}))(t).Tags
	if len(rtags) != 0 {
		t.Fatalf("role tags after untag = %v", iamxTagPairs(rtags))
	}
}
