package iam_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestInlinePolicies(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	f.group("g")
	f.role("r")
	type ops struct {
		kind iam.DocKind
		put  func(name, doc string) error
		get  func(name string) (iam.InlinePolicy, error)
		del  func(name string) error
		list func(iam.PageInput) (iam.Page[string], error)
		word string
		ent  string
	}
	all := []ops{
		{iam.DocUserInline,
			func(n, d string) error { return f.svc.PutUserPolicy(f.ctx, acct, "u", n, d) },
			func(n string) (iam.InlinePolicy, error) { return f.svc.GetUserPolicy(f.ctx, acct, "U", n) },
			func(n string) error { return f.svc.DeleteUserPolicy(f.ctx, acct, "u", n) },
			func(p iam.PageInput) (iam.Page[string], error) { return f.svc.ListUserPolicies(f.ctx, acct, "u", p) },
			"user", "u"},
		{iam.DocGroupInline,
			func(n, d string) error { return f.svc.PutGroupPolicy(f.ctx, acct, "g", n, d) },
			func(n string) (iam.InlinePolicy, error) { return f.svc.GetGroupPolicy(f.ctx, acct, "G", n) },
			func(n string) error { return f.svc.DeleteGroupPolicy(f.ctx, acct, "g", n) },
			func(p iam.PageInput) (iam.Page[string], error) { return f.svc.ListGroupPolicies(f.ctx, acct, "g", p) },
			"group", "g"},
		{iam.DocRoleInline,
			func(n, d string) error { return f.svc.PutRolePolicy(f.ctx, acct, "r", n, d) },
			func(n string) (iam.InlinePolicy, error) { return f.svc.GetRolePolicy(f.ctx, acct, "R", n) },
			func(n string) error { return f.svc.DeleteRolePolicy(f.ctx, acct, "r", n) },
			func(p iam.PageInput) (iam.Page[string], error) { return f.svc.ListRolePolicies(f.ctx, acct, "r", p) },
			"role", "r"},
	}
	for _, o := range all {
		t.Run(o.word, func(t *testing.T) {
			f.ok(o.put("b", `{"b":1}`))
			if f.v.last() != o.kind {
				t.Fatalf("validated as %v", f.v.last())
			}
			f.ok(o.put("a", `{"a":1}`))
			f.ok(o.put("b", `{"b":2}`)) // replace
			got, err := o.get("b")
			f.ok(err)
			if got.PolicyDocument != `{"b":2}` || got.PolicyName != "b" || got.EntityName != o.ent {
				t.Fatalf("get = %+v", got)
			}
			p, err := o.list(iam.PageInput{MaxItems: 1})
			f.ok(err)
			if len(p.Items) != 1 || p.Items[0] != "a" || !p.IsTruncated {
				t.Fatalf("list = %+v", p)
			}
			p, err = o.list(iam.PageInput{Marker: p.Marker})
			f.ok(err)
			if len(p.Items) != 1 || p.Items[0] != "b" || p.IsTruncated {
				t.Fatalf("list page 2 = %+v", p)
			}
			wantErr(t, errOf(o.get("zzz")), noSuch, 404, fmt.Sprintf("The %s policy with name zzz cannot be found.", o.word))
			wantErr(t, o.del("zzz"), noSuch, 404, fmt.Sprintf("The %s policy with name zzz cannot be found.", o.word))
			wantErr(t, o.put("bad name", "{}"), badInput, 400, "")
			wantErr(t, o.put("x", "{"), malform, 400, "This policy contains invalid Json")
			f.ok(o.del("a"))
			f.ok(o.del("b"))
			wantErr(t, errOf(o.get("a")), noSuch, 404, "")
		})
	}
	wantErr(t, f.svc.PutRolePolicy(f.ctx, acct, "nonexistent-role", "p", "{}"), noSuch, 404, "The role with name nonexistent-role cannot be found.")
	wantErr(t, errOf(f.svc.GetUserPolicy(f.ctx, acct, "nobody", "p")), noSuch, 404, "The user with name nobody cannot be found.")
}

func TestInlinePolicyAggregateSize(t *testing.T) {
	f := newFixture(t)
	f.user("u")
	doc := func(n int) string { return `{"x":"` + strings.Repeat("a", n-8) + `"}` } // n characters
	// White space does not count.
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "one", doc(1000)+strings.Repeat(" ", 5000)))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "two", doc(1048)))
	wantErr(t, f.svc.PutUserPolicy(f.ctx, acct, "u", "three", doc(10)), limit, 409, "Maximum policy size of 2048 bytes exceeded for user u")
	// Replacing a policy counts only its new size.
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "two", doc(1000)))
	f.ok(f.svc.PutUserPolicy(f.ctx, acct, "u", "three", doc(48)))
	f.group("g")
	wantErr(t, f.svc.PutGroupPolicy(f.ctx, acct, "g", "big", doc(5121)), limit, 409, "Maximum policy size of 5120 bytes exceeded for group g")
	f.role("r")
	f.ok(f.svc.PutRolePolicy(f.ctx, acct, "r", "big", doc(10240)))
	wantErr(t, f.svc.PutRolePolicy(f.ctx, acct, "r", "more", doc(10)), limit, 409, "Maximum policy size of 10240 bytes exceeded for role r")
}
