package iam_test

import (
	"strings"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

const thumb = "6938fd4d98bab03faadb97b34396831e3780aea1"

func TestOIDCProviderHandlers(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateOpenIDConnectProvider(f.ctx, &api.CreateOpenIDConnectProviderInput{
		Url: ptr.Of("https://idp.example.com/t1"), ClientIDList: []string{"app"}, ThumbprintList: []string{strings.ToUpper(thumb)},
		Tags: []api.Tag{{Key: ptr.Of("env"), Value: ptr.Of("test")}},
	})
	f.ok(err)
	arn := str(out.OpenIDConnectProviderArn)
	if arn != "arn:aws:iam::"+acct+":oidc-provider/idp.example.com/t1" || len(out.Tags) != 1 {
		t.Fatalf("create = %+v", out)
	}
	get, err := f.svc.GetOpenIDConnectProvider(f.ctx, &api.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: ptr.Of(arn)})
	f.ok(err)
	if str(get.Url) != "idp.example.com/t1" || len(get.ClientIDList) != 1 || get.ThumbprintList[0] != thumb ||
		get.CreateDate == nil || !get.CreateDate.Equal(epoch()) || len(get.Tags) != 1 {
		t.Fatalf("get = %+v", get)
	}
	on := ptr.Of(arn)
	f.ok(errOf(f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, &api.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, ClientID: ptr.Of("web")})))
	f.ok(errOf(f.svc.RemoveClientIDFromOpenIDConnectProvider(f.ctx, &api.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, ClientID: ptr.Of("app")})))
	f.ok(errOf(f.svc.UpdateOpenIDConnectProviderThumbprint(f.ctx, &api.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: on, ThumbprintList: []string{}})))
	f.ok(errOf(f.svc.TagOpenIDConnectProvider(f.ctx, &api.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, Tags: []api.Tag{{Key: ptr.Of("team"), Value: ptr.Of("x")}}})))
	f.ok(errOf(f.svc.UntagOpenIDConnectProvider(f.ctx, &api.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, TagKeys: []string{"env"}})))
	tags, err := f.svc.ListOpenIDConnectProviderTags(f.ctx, &api.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: on})
	f.ok(err)
	if len(tags.Tags) != 1 || str(tags.Tags[0].Key) != "team" || *tags.IsTruncated {
		t.Fatalf("tags = %+v", tags)
	}
	get, err = f.svc.GetOpenIDConnectProvider(f.ctx, &api.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: on})
	f.ok(err)
	if len(get.ClientIDList) != 1 || get.ClientIDList[0] != "web" || len(get.ThumbprintList) != 0 {
		t.Fatalf("get after updates = %+v", get)
	}
	list, err := f.svc.ListOpenIDConnectProviders(f.ctx, &api.ListOpenIDConnectProvidersInput{})
	f.ok(err)
	if len(list.OpenIDConnectProviderList) != 1 || str(list.OpenIDConnectProviderList[0].Arn) != arn {
		t.Fatalf("list = %+v", list)
	}
	w := awsquery.NewXMLWriter(nil)
	list.EncodeXML(w)
	if !strings.Contains(string(w.Bytes()), "<Arn>"+arn+"</Arn>") {
		t.Fatalf("wire = %s", w.Bytes())
	}
	f.ok(errOf(f.svc.DeleteOpenIDConnectProvider(f.ctx, &api.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: on})))
	f.ok(errOf(f.svc.DeleteOpenIDConnectProvider(f.ctx, &api.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: on})))
	list, err = f.svc.ListOpenIDConnectProviders(f.ctx, &api.ListOpenIDConnectProvidersInput{})
	f.ok(err)
	if list.OpenIDConnectProviderList == nil || len(list.OpenIDConnectProviderList) != 0 {
		t.Fatalf("list after delete = %+v", list)
	}
}

func TestOIDCProviderHandlerErrors(t *testing.T) {
	f := newFixture(t)
	missing := ptr.Of("arn:aws:iam::" + acct + ":oidc-provider/none.example.com")
	runErrCases(t, []errCase{
		{"http url", func() error {
			return errOf(f.svc.CreateOpenIDConnectProvider(f.ctx, &api.CreateOpenIDConnectProviderInput{Url: ptr.Of("http://x.example.com")}))
		}, "InvalidInput"},
		{"get missing", func() error {
			return errOf(f.svc.GetOpenIDConnectProvider(f.ctx, &api.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: missing}))
		}, "NoSuchEntity"},
		{"list tags missing", func() error {
			return errOf(f.svc.ListOpenIDConnectProviderTags(f.ctx, &api.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: missing}))
		}, "NoSuchEntity"},
	})
	if _, err := f.svc.ListOpenIDConnectProviders(rootlessContext(), &api.ListOpenIDConnectProvidersInput{}); err == nil {
		t.Fatal("ListOpenIDConnectProviders without a caller succeeded")
	}
}
