package iam_test

import (
	"net/url"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	iamsvc "github.com/bulwarkhq/bulwark/internal/service/iam"
)

func TestURLEncode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"unreserved kept", "AZaz09-_.~", "AZaz09-_.~"},
		{"json", `{"a": "b c"}`, "%7B%22a%22%3A%20%22b%20c%22%7D"},
		{"reserved", "*/+=&?#:@!$',;()[]", "%2A%2F%2B%3D%26%3F%23%3A%40%21%24%27%2C%3B%28%29%5B%5D"},
		{"whitespace", "\n\t\r ", "%0A%09%0D%20"},
		{"percent", "100%", "100%25"},
		{"utf8", "é☃", "%C3%A9%E2%98%83"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := iamsvc.URLEncode(tc.in)
			if got != tc.want {
				t.Fatalf("URLEncode(%q) = %q, want %q", tc.in, got, tc.want)
			}
			for _, unescape := range []func(string) (string, error){url.QueryUnescape, url.PathUnescape} {
				back, err := unescape(got)
				if err != nil || back != tc.in {
					t.Fatalf("unescape(%q) = %q, %v; want %q", got, back, err, tc.in)
				}
			}
		})
	}
}

// TestDocumentsEncoded checks that every output carrying a policy document URL-encodes it.
func TestDocumentsEncoded(t *testing.T) {
	f := newFixture(t)
	doc := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}"
	f.createUser("u")
	f.createGroup("g")
	role := f.createRole("r")
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("u"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(doc)})))
	f.ok(errOf(f.svc.PutGroupPolicy(f.ctx, &api.PutGroupPolicyInput{GroupName: ptr.Of("g"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(doc)})))
	f.ok(errOf(f.svc.PutRolePolicy(f.ctx, &api.PutRolePolicyInput{RoleName: ptr.Of("r"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(doc)})))
	pol, err := f.svc.CreatePolicy(f.ctx, &api.CreatePolicyInput{PolicyName: ptr.Of("m"), PolicyDocument: ptr.Of(doc)})
	f.ok(err)

	get := func(p *string, err error) string {
		t.Helper()
		f.ok(err)
		return str(p)
	}
	up, err := f.svc.GetUserPolicy(f.ctx, &api.GetUserPolicyInput{UserName: ptr.Of("u"), PolicyName: ptr.Of("p")})
	gp, err2 := f.svc.GetGroupPolicy(f.ctx, &api.GetGroupPolicyInput{GroupName: ptr.Of("g"), PolicyName: ptr.Of("p")})
	rp, err3 := f.svc.GetRolePolicy(f.ctx, &api.GetRolePolicyInput{RoleName: ptr.Of("r"), PolicyName: ptr.Of("p")})
	pv, err4 := f.svc.GetPolicyVersion(f.ctx, &api.GetPolicyVersionInput{PolicyArn: pol.Policy.Arn, VersionId: ptr.Of("v1")})
	gr, err5 := f.svc.GetRole(f.ctx, &api.GetRoleInput{RoleName: ptr.Of("r")})
	f.ok(err5)
	cases := map[string]struct{ got, want string }{
		"GetUserPolicy":    {get(up.PolicyDocument, err), doc},
		"GetGroupPolicy":   {get(gp.PolicyDocument, err2), doc},
		"GetRolePolicy":    {get(rp.PolicyDocument, err3), doc},
		"GetPolicyVersion": {get(pv.PolicyVersion.Document, err4), doc},
		"CreateRole":       {str(role.AssumeRolePolicyDocument), trustDoc},
		"GetRole":          {str(gr.Role.AssumeRolePolicyDocument), trustDoc},
	}
	for name, c := range cases {
		if c.got != iamsvc.URLEncode(c.want) {
			t.Errorf("%s document = %q, want it URL-encoded", name, c.got)
		}
		if back, err := url.QueryUnescape(c.got); err != nil || back != c.want {
			t.Errorf("%s: QueryUnescape = %q, %v; want the document", name, back, err)
		}
	}
}
