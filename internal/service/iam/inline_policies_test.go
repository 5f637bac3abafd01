package iam_test

import (
	"net/url"
	"slices"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// inlineOps are the inline-policy operations of one entity kind, called through the handlers.
type inlineOps struct {
	kind   string
	create func(f *fixture, name string)
	put    func(f *fixture, entity, policy, doc string) error
	get    func(f *fixture, entity, policy string) (entityName, doc string, err error)
	del    func(f *fixture, entity, policy string) error
	list   func(f *fixture, entity string, marker *string, maxItems *int32) (names []string, truncated bool, next *string, err error)
}

func inlineKinds() []inlineOps {
	return []inlineOps{{
		kind:   "user",
		create: func(f *fixture, n string) { f.createUser(n) },
		put: func(f *fixture, e, p, d string) error {
			return errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: &e, PolicyName: &p, PolicyDocument: &d}))
		},
		get: func(f *fixture, e, p string) (string, string, error) {
			out, err := f.svc.GetUserPolicy(f.ctx, &api.GetUserPolicyInput{UserName: &e, PolicyName: &p})
			if err != nil {
				return "", "", err
			}
			return str(out.UserName), str(out.PolicyDocument), nil
		},
		del: func(f *fixture, e, p string) error {
			return errOf(f.svc.DeleteUserPolicy(f.ctx, &api.DeleteUserPolicyInput{UserName: &e, PolicyName: &p}))
		},
		list: func(f *fixture, e string, m *string, n *int32) ([]string, bool, *string, error) {
			out, err := f.svc.ListUserPolicies(f.ctx, &api.ListUserPoliciesInput{UserName: &e, Marker: m, MaxItems: n})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, *out.IsTruncated, out.Marker, nil
		},
	}, {
		kind:   "group",
		create: func(f *fixture, n string) { f.createGroup(n) },
		put: func(f *fixture, e, p, d string) error {
			return errOf(f.svc.PutGroupPolicy(f.ctx, &api.PutGroupPolicyInput{GroupName: &e, PolicyName: &p, PolicyDocument: &d}))
		},
		get: func(f *fixture, e, p string) (string, string, error) {
			out, err := f.svc.GetGroupPolicy(f.ctx, &api.GetGroupPolicyInput{GroupName: &e, PolicyName: &p})
			if err != nil {
				return "", "", err
			}
			return str(out.GroupName), str(out.PolicyDocument), nil
		},
		del: func(f *fixture, e, p string) error {
			return errOf(f.svc.DeleteGroupPolicy(f.ctx, &api.DeleteGroupPolicyInput{GroupName: &e, PolicyName: &p}))
		},
		list: func(f *fixture, e string, m *string, n *int32) ([]string, bool, *string, error) {
			out, err := f.svc.ListGroupPolicies(f.ctx, &api.ListGroupPoliciesInput{GroupName: &e, Marker: m, MaxItems: n})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, *out.IsTruncated, out.Marker, nil
		},
	}, {
		kind:   "role",
		create: func(f *fixture, n string) { f.createRole(n) },
		put: func(f *fixture, e, p, d string) error {
			return errOf(f.svc.PutRolePolicy(f.ctx, &api.PutRolePolicyInput{RoleName: &e, PolicyName: &p, PolicyDocument: &d}))
		},
		get: func(f *fixture, e, p string) (string, string, error) {
			out, err := f.svc.GetRolePolicy(f.ctx, &api.GetRolePolicyInput{RoleName: &e, PolicyName: &p})
			if err != nil {
				return "", "", err
			}
			return str(out.RoleName), str(out.PolicyDocument), nil
		},
		del: func(f *fixture, e, p string) error {
			return errOf(f.svc.DeleteRolePolicy(f.ctx, &api.DeleteRolePolicyInput{RoleName: &e, PolicyName: &p}))
		},
		list: func(f *fixture, e string, m *string, n *int32) ([]string, bool, *string, error) {
			out, err := f.svc.ListRolePolicies(f.ctx, &api.ListRolePoliciesInput{RoleName: &e, Marker: m, MaxItems: n})
			if err != nil {
				return nil, false, nil, err
			}
			return out.PolicyNames, *out.IsTruncated, out.Marker, nil
		},
	}}
}

func TestInlinePolicies(t *testing.T) {
	for _, k := range inlineKinds() {
		t.Run(k.kind, func(t *testing.T) {
			f := newFixture(t)
			k.create(f, "e")
			f.ok(k.put(f, "e", "b", allowDoc))
			f.ok(k.put(f, "e", "a", denyDoc))
			f.ok(k.put(f, "e", "b", denyDoc)) // replaces

			name, doc, err := k.get(f, "e", "b")
			f.ok(err)
			if back, _ := url.QueryUnescape(doc); name != "e" || back != denyDoc {
				t.Fatalf("Get%sPolicy = %q, %q", k.kind, name, back)
			}

			names, truncated, next, err := k.list(f, "e", nil, ptr.Of(int32(1)))
			f.ok(err)
			if !slices.Equal(names, []string{"a"}) || !truncated || next == nil {
				t.Fatalf("List page 1 = %v %v %v", names, truncated, next)
			}
			names, truncated, _, err = k.list(f, "e", next, nil)
			f.ok(err)
			if !slices.Equal(names, []string{"b"}) || truncated {
				t.Fatalf("List page 2 = %v %v", names, truncated)
			}

			f.ok(k.del(f, "e", "a"))
			f.ok(k.del(f, "e", "b"))
			names, _, _, err = k.list(f, "e", nil, nil)
			f.ok(err)
			if names == nil || len(names) != 0 {
				t.Fatalf("List after delete = %#v", names)
			}

			runErrCases(t, []errCase{
				{"put missing entity", func() error { return k.put(f, "missing", "p", allowDoc) }, "NoSuchEntity"},
				{"put bad JSON", func() error { return k.put(f, "e", "p", "{") }, "MalformedPolicyDocument"},
				{"get missing policy", func() error { _, _, err := k.get(f, "e", "nope"); return err }, "NoSuchEntity"},
				{"delete missing policy", func() error { return k.del(f, "e", "nope") }, "NoSuchEntity"},
				{"list missing entity", func() error { _, _, _, err := k.list(f, "missing", nil, nil); return err }, "NoSuchEntity"},
			})
		})
	}
}
