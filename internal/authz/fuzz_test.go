package authz

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	apists "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
)

// FuzzAuthorize feeds arbitrary member values to a few operations whose resources are
// bound from the input: authorization must answer allowed or AccessDenied (never panic,
// never another error), a caller without policies is never allowed, and a policy for one
// user allows exactly that user, however the name is spelled.
func FuzzAuthorize(f *testing.F) {
	f.Add("bob", "/a/", "arn:aws:iam::111122223333:role/r", "s", "arn:aws:iam::111122223333:policy/p")
	f.Add("", "", "arn:AWS:iam::111122223333:role/R", "", "")
	f.Add("PROTECTED", "//", "arn:aws:iam::111122223333:role/${x}", "arn:aws:iam::1:role/x", "arn:")
	iamSvc, stsSvc := apiiam.Service(nil), apists.Service(nil)
	f.Fuzz(func(t *testing.T, name, path, roleARN, session, policyARN string) {
		dir := newFakeDirectory()
		dir.setUser("alice", "/", nil, "", allow("iam:Get*", "arn:aws:iam::111122223333:user/a/bob"))
		dir.setUser("nobody", "/", nil, "")
		dir.setUser("bob", "/a/", nil, "")
		dir.setRole("r", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`)
		e := New(dir, nil)
		ctx := context.Background()
		check := func(p caller.Principal, err error) {
			if err == nil {
				return
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Status != 403 {
				t.Fatalf("%s: %v", p.ARN, err)
			}
		}
		for _, p := range []caller.Principal{user("alice"), user("nobody")} {
			err := e.Authorize(ctx, request(p), iamSvc.Operation("GetUser"), &apiiam.GetUserInput{UserName: &name})
			check(p, err)
			if p.UserName == "nobody" && err == nil {
				t.Fatalf("a user without policies was allowed GetUser %q", name)
			}
			if p.UserName == "alice" && validName(name) && (err == nil) != strings.EqualFold(name, "bob") {
				t.Fatalf("GetUser %q: allowed=%v, but the policy allows exactly bob", name, err == nil)
			}
			check(p, e.Authorize(ctx, request(p), iamSvc.Operation("CreateUser"), &apiiam.CreateUserInput{UserName: &name, Path: &path}))
			check(p, e.Authorize(ctx, request(p), iamSvc.Operation("AttachUserPolicy"), &apiiam.AttachUserPolicyInput{UserName: &name, PolicyArn: &policyARN}))
			check(p, e.Authorize(ctx, request(p), stsSvc.Operation("AssumeRole"), &apists.AssumeRoleInput{RoleArn: &roleARN, RoleSessionName: &session, ExternalId: &policyARN}))
		}
	})
}

// validName reports an IAM user name as the API accepts it ([\w+=,.@-]{1,64}); the
// handler refuses others after authorization, so their binding does not matter.
func validName(s string) bool {
	return regexp.MustCompile(`^[\w+=,.@-]{1,64}$`).MatchString(s)
}
