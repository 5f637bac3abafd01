package iam_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

const (
	tp1 = "6938fd4d98bab03faadb97b34396831e3780aea1"
	tp2 = "990f4193972f2becf12ddeda5237f9c952f20d9e"
)

func (f *fixture) oidc(url string, clients ...string) iam.OpenIDConnectProvider {
	f.t.Helper()
	p, err := f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{
		URL: url, ClientIDs: clients, Thumbprints: []string{tp1},
	})
	f.ok(err)
	return p
}

func TestOIDCProviderLifecycle(t *testing.T) {
	f := newFixture(t)
	p, err := f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{
		URL: "https://Token.Example.com/tenant/a", ClientIDs: []string{"sts.amazonaws.com", "app", "app"},
		Thumbprints: []string{strings.ToUpper(tp1)}, Tags: []iam.Tag{{Key: "env", Value: "test"}},
	})
	f.ok(err)
	wantARN := "arn:aws:iam::" + acct + ":oidc-provider/Token.Example.com/tenant/a"
	if p.ARN != wantARN || !slices.Equal(p.ClientIDs, []string{"sts.amazonaws.com", "app"}) ||
		!slices.Equal(p.Thumbprints, []string{tp1}) || len(p.Tags) != 1 || !p.CreateDate.Equal(f.clock.Now()) {
		t.Fatalf("created %+v", p)
	}

	// The host is case-insensitive: the same provider by another spelling collides.
	_, err = f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{URL: "https://token.example.com/tenant/a"})
	wantErr(t, err, exists, http.StatusConflict, "Provider with url https://token.example.com/tenant/a already exists.")
	// A trailing slash makes another provider, as in AWS.
	f.oidc("https://token.example.com/tenant/a/")

	got, err := f.svc.GetOpenIDConnectProvider(f.ctx, acct, wantARN)
	f.ok(err)
	if got.URL != "https://Token.Example.com/tenant/a" || got.ARN != wantARN {
		t.Fatalf("get = %+v", got)
	}
	byARN, err := f.svc.OpenIDConnectProviderByARN(f.ctx, wantARN)
	f.ok(err)
	byIss, err := f.svc.OpenIDConnectProviderForIssuer(f.ctx, acct, "https://token.example.com/tenant/a")
	f.ok(err)
	if byARN.ARN != wantARN || byIss.ARN != wantARN {
		t.Fatalf("lookups = %+v, %+v", byARN, byIss)
	}
	_, err = f.svc.OpenIDConnectProviderForIssuer(f.ctx, acct, "https://other.example.com")
	wantErr(t, err, noSuch, http.StatusNotFound, "")

	f.ok(f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, wantARN, "web"))
	f.ok(f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, wantARN, "web")) // idempotent
	f.ok(f.svc.RemoveClientIDFromOpenIDConnectProvider(f.ctx, acct, wantARN, "app"))
	f.ok(f.svc.RemoveClientIDFromOpenIDConnectProvider(f.ctx, acct, wantARN, "absent"))
	f.ok(f.svc.UpdateOpenIDConnectProviderThumbprint(f.ctx, acct, wantARN, []string{tp2, tp1}))
	f.ok(f.svc.TagOpenIDConnectProvider(f.ctx, acct, wantARN, []iam.Tag{{Key: "ENV", Value: "prod"}, {Key: "team", Value: "x"}}))
	f.ok(f.svc.UntagOpenIDConnectProvider(f.ctx, acct, wantARN, []string{"TEAM"}))
	got, err = f.svc.GetOpenIDConnectProvider(f.ctx, acct, wantARN)
	f.ok(err)
	if !slices.Equal(got.ClientIDs, []string{"sts.amazonaws.com", "web"}) || !slices.Equal(got.Thumbprints, []string{tp2, tp1}) ||
		len(got.Tags) != 1 || got.Tags[0] != (iam.Tag{Key: "ENV", Value: "prod"}) {
		t.Fatalf("after updates = %+v", got)
	}
	tags, err := f.svc.ListOpenIDConnectProviderTags(f.ctx, acct, wantARN, iam.PageInput{MaxItems: 1})
	f.ok(err)
	if len(tags.Items) != 1 || tags.IsTruncated {
		t.Fatalf("tags = %+v", tags)
	}

	list, err := f.svc.ListOpenIDConnectProviders(f.ctx, acct)
	f.ok(err)
	if len(list) != 2 || !slices.Contains(list, wantARN) {
		t.Fatalf("list = %v", list)
	}
	f.ok(f.svc.DeleteOpenIDConnectProvider(f.ctx, acct, wantARN))
	f.ok(f.svc.DeleteOpenIDConnectProvider(f.ctx, acct, wantARN)) // idempotent
	_, err = f.svc.GetOpenIDConnectProvider(f.ctx, acct, wantARN)
	wantErr(t, err, noSuch, http.StatusNotFound, "OpenIDConnect Provider not found for arn "+wantARN)
	// Without thumbprints is allowed (AWS makes ThumbprintList optional).
	_, err = f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{URL: "https://no-thumbs.example.com"})
	f.ok(err)
}

func TestOIDCProviderErrors(t *testing.T) {
	f := newFixture(t)
	p := f.oidc("https://idp.example.com")
	create := func(url string, clients, tps []string) func() error {
		return func() error {
			return errOf(f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{URL: url, ClientIDs: clients, Thumbprints: tps}))
		}
	}
	many := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	otherAcct := "arn:aws:iam::999999999999:oidc-provider/idp.example.com"
	runErrCases(t, []errCase{
		{"missing url", create("", nil, nil), badInput, 400, "1 validation error detected: Value at 'url' failed to satisfy constraint: Member must not be null"},
		{"no scheme", create("example.com", nil, nil), badInput, 400, "Invalid Open ID Connect Provider URL"},
		{"empty host", create("https://", nil, nil), badInput, 400, "Invalid Open ID Connect Provider URL"},
		{"http", create("http://example.com", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL. The URL must begin with https://."},
		{"userinfo", create("https://u:p@example.com", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL."},
		{"query", create("https://example.com?x=1", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL."},
		{"fragment", create("https://example.com#f", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL."},
		{"port", create("https://example.com:8443", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL."},
		{"bad host", create("https://exa_mple.com", nil, nil), invalid, 400, "Invalid Open ID Connect Provider URL."},
		{"too long", create("https://"+strings.Repeat("a", 250)+".com", nil, nil), badInput, 400, ""},
		{"client id too long", create("https://a.example.com", []string{strings.Repeat("c", 256)}, nil), badInput, 400, ""},
		{"too many client ids", create("https://a.example.com", many(101, func(i int) string { return fmt.Sprint(i) }), nil), limit, 409,
			"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"},
		{"thumbprint length", create("https://a.example.com", nil, []string{strings.Repeat("a", 39)}), invalid, 400, "Thumbprint must be exactly 40 characters."},
		{"thumbprint hex", create("https://a.example.com", nil, []string{strings.Repeat("z", 40)}), invalid, 400, ""},
		{"too many thumbprints", create("https://a.example.com", nil, many(6, func(i int) string { return strings.Repeat(fmt.Sprint(i), 40) })), invalid, 400,
			"Thumbprint list must contain fewer than 5 entries."},
		{"duplicate tag keys", func() error {
			return errOf(f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{URL: "https://t.example.com",
				Tags: []iam.Tag{{Key: "k", Value: "1"}, {Key: "K", Value: "2"}}}))
		}, invalid, 400, "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{"get not an oidc arn", func() error {
			return errOf(f.svc.GetOpenIDConnectProvider(f.ctx, acct, "arn:aws:iam::"+acct+":role/idp.example.com"))
		}, invalid, 400, ""},
		{"get other account", func() error { return errOf(f.svc.GetOpenIDConnectProvider(f.ctx, acct, otherAcct)) }, noSuch, 404, ""},
		{"get short arn", func() error { return errOf(f.svc.GetOpenIDConnectProvider(f.ctx, acct, "arn:x")) }, badInput, 400, ""},
		{"add client id missing provider", func() error {
			return f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, p.ARN+"x", "a")
		}, noSuch, 404, ""},
		{"add empty client id", func() error { return f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, p.ARN, "") }, badInput, 400, ""},
		{"update bad thumbprint", func() error {
			return f.svc.UpdateOpenIDConnectProviderThumbprint(f.ctx, acct, p.ARN, []string{"abc"})
		}, invalid, 400, ""},
		{"tag missing provider", func() error {
			return f.svc.TagOpenIDConnectProvider(f.ctx, acct, p.ARN+"x", []iam.Tag{{Key: "a", Value: "b"}})
		}, noSuch, 404, ""},
		{"tag reserved", func() error {
			return f.svc.TagOpenIDConnectProvider(f.ctx, acct, p.ARN, []iam.Tag{{Key: "aws:x", Value: "b"}})
		}, invalid, 400, ""},
		{"list tags missing", func() error {
			return errOf(f.svc.ListOpenIDConnectProviderTags(f.ctx, acct, p.ARN+"x", iam.PageInput{}))
		}, noSuch, 404, ""},
	})
}

func TestOIDCProviderQuotas(t *testing.T) {
	f := newFixture(t)
	p := f.oidc("https://idp.example.com")
	for i := 0; i < iam.ClientIDsPerOIDCProvider; i++ {
		f.ok(f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, p.ARN, fmt.Sprint("c", i)))
	}
	f.ok(f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, p.ARN, "c1")) // present: no change
	wantErr(t, f.svc.AddClientIDToOpenIDConnectProvider(f.ctx, acct, p.ARN, "one-too-many"), limit, 409, "")

	for i := 1; i < iam.OIDCProvidersPerAccount; i++ {
		f.oidc(fmt.Sprintf("https://idp%d.example.com", i))
	}
	_, err := f.svc.CreateOpenIDConnectProvider(f.ctx, acct, iam.CreateOpenIDConnectProviderInput{URL: "https://last.example.com"})
	wantErr(t, err, limit, 409, "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100")
	// Another account has its own quota and its own namespace.
	_, err = f.svc.CreateOpenIDConnectProvider(f.ctx, "210987654321", iam.CreateOpenIDConnectProviderInput{URL: "https://idp.example.com"})
	f.ok(err)
}
