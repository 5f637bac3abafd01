package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestIAMOpenIDConnectProviders drives the ten OIDC provider operations through
// aws-sdk-go-v2 against a real server.
func TestIAMOpenIDConnectProviders(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	const thumb = "6938fd4d98bab03faadb97b34396831e3780aea1"

	created := must(c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://token.example.com/org"), ClientIDList: []string{"sts.amazonaws.com"},
		ThumbprintList: []string{strings.ToUpper(thumb)}, Tags: iamxTags("env", "test"),
	}))(t)
	arn := aws.ToString(created.OpenIDConnectProviderArn)
	iamxEq(t, "OpenIDConnectProviderArn", arn, "arn:aws:iam::"+iamxAccount+":oidc-provider/token.example.com/org")
	iamxList(t, "create tags", iamxTagPairs(created.Tags), []string{"env=test"})

	_, err := c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("https://token.example.com/org")})
	wantCode(t, err, "EntityAlreadyExists")
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("http://token.example.com")})
	wantCode(t, err, "InvalidInput")
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{Url: aws.String("token.example.com")})
	wantCode(t, err, "ValidationError")
	_, err = c.CreateOpenIDConnectProvider(ctx, &iam.CreateOpenIDConnectProviderInput{
		Url: aws.String("https://other.example.com"), ThumbprintList: []string{"abc"}})
	wantCode(t, err, "InvalidInput")

	on := aws.String(arn)
	got := must(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: on}))(t)
	iamxEq(t, "Url", aws.ToString(got.Url), "token.example.com/org")
	iamxList(t, "ClientIDList", got.ClientIDList, []string{"sts.amazonaws.com"})
	iamxList(t, "ThumbprintList", got.ThumbprintList, []string{thumb})
	iamxRecent(t, "CreateDate", got.CreateDate)
	iamxList(t, "Tags", iamxTagPairs(got.Tags), []string{"env=test"})

	must(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, ClientID: aws.String("web")}))(t)
	must(c.AddClientIDToOpenIDConnectProvider(ctx, &iam.AddClientIDToOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, ClientID: aws.String("web")}))(t)
	must(c.RemoveClientIDFromOpenIDConnectProvider(ctx, &iam.RemoveClientIDFromOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, ClientID: aws.String("sts.amazonaws.com")}))(t)
	must(c.UpdateOpenIDConnectProviderThumbprint(ctx, &iam.UpdateOpenIDConnectProviderThumbprintInput{OpenIDConnectProviderArn: on,
		ThumbprintList: []string{"990f4193972f2becf12ddeda5237f9c952f20d9e", thumb}}))(t)
	must(c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, Tags: iamxTags("team", "id", "ENV", "prod")}))(t)
	must(c.UntagOpenIDConnectProvider(ctx, &iam.UntagOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, TagKeys: []string{"team"}}))(t)

	got = must(c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: on}))(t)
	iamxList(t, "ClientIDList after updates", got.ClientIDList, []string{"web"})
	iamxList(t, "ThumbprintList after update", got.ThumbprintList, []string{"990f4193972f2becf12ddeda5237f9c952f20d9e", thumb})
	tags := must(c.ListOpenIDConnectProviderTags(ctx, &iam.ListOpenIDConnectProviderTagsInput{OpenIDConnectProviderArn: on}))(t)
	iamxList(t, "ListOpenIDConnectProviderTags", iamxTagPairs(tags.Tags), []string{"ENV=prod"})
	iamxEq(t, "IsTruncated", tags.IsTruncated, false)

	list := must(c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}))(t)
	iamxEq(t, "providers", len(list.OpenIDConnectProviderList), 1)
	iamxEq(t, "provider ARN", aws.ToString(list.OpenIDConnectProviderList[0].Arn), arn)

	must(c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: on}))(t)
	must(c.DeleteOpenIDConnectProvider(ctx, &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: on}))(t)
	_, err = c.GetOpenIDConnectProvider(ctx, &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: on})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.TagOpenIDConnectProvider(ctx, &iam.TagOpenIDConnectProviderInput{OpenIDConnectProviderArn: on, Tags: iamxTags("a", "b")})
	wantCode(t, err, "NoSuchEntity")
	list = must(c.ListOpenIDConnectProviders(ctx, &iam.ListOpenIDConnectProvidersInput{}))(t)
	iamxEq(t, "providers after delete", len(list.OpenIDConnectProviderList), 0)
}
