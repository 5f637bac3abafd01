package iam_test

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// TestOperationTable binds the Service into the generated operation table and checks which
// operations it serves.
func TestOperationTable(t *testing.T) {
	f := newFixture(t)
	var got []string
	for _, op := range api.Service(f.svc).Operations {
		if op.Implemented {
			got = append(got, op.Name)
		}
	}
	for _, want := range []string{
		"CreateUser", "GetUser", "ListUsers", "CreateGroup", "AddUserToGroup", "CreatePolicy", "AttachRolePolicy",
		"ListEntitiesForPolicy", "PutUserPolicy", "GetRolePolicy", "CreateAccessKey", "GetAccessKeyLastUsed",
		"CreateRole", "UpdateAssumeRolePolicy", "CreateLoginProfile", "ChangePassword", "CreateAccountAlias",
		"GetAccountPasswordPolicy", "GetAccountSummary", "CreateInstanceProfile", "GetAccountAuthorizationDetails",
		"TagPolicy", "TagInstanceProfile",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("%s is not bound", want)
		}
	}
	if len(got) != 119 {
		t.Errorf("%d operations bound, want 119: %v", len(got), got)
	}
}

// TestDocumentOnTheWire encodes a GetUserPolicy output with the generated awsQuery encoder:
// the document is URL-encoded exactly once, as IAM sends it.
func TestDocumentOnTheWire(t *testing.T) {
	f := newFixture(t)
	f.createUser("u")
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a&b<c>/*"}]}`
	f.ok(errOf(f.svc.PutUserPolicy(f.ctx, &api.PutUserPolicyInput{UserName: ptr.Of("u"), PolicyName: ptr.Of("p"), PolicyDocument: ptr.Of(doc)})))
	out, err := f.svc.GetUserPolicy(f.ctx, &api.GetUserPolicyInput{UserName: ptr.Of("u"), PolicyName: ptr.Of("p")})
	f.ok(err)
	w := awsquery.NewXMLWriter(nil)
	out.EncodeXML(w)
	xml := string(w.Bytes())
	m := regexp.MustCompile(`<PolicyDocument>([^<]*)</PolicyDocument>`).FindStringSubmatch(xml)
	if m == nil {
		t.Fatalf("no PolicyDocument in %s", xml)
	}
	if strings.ContainsAny(m[1], `{}"&<> `) {
		t.Fatalf("PolicyDocument on the wire is not URL-encoded: %s", m[1])
	}
	back, err := url.QueryUnescape(m[1])
	if err != nil || back != doc {
		t.Fatalf("decoded PolicyDocument = %q, %v; want %q", back, err, doc)
	}
}
