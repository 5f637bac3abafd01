package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestLookupEventsSeesAllowedAndFailedCalls(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s)
	must(c.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")}))(t)
	_, err := c.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dave")})
	wantCode(t, err, "EntityAlreadyExists")
	key := must(c.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("dave")}))(t).AccessKey

	out := must(c.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
		{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateUser")}}}))(t)
	if len(out.Events) != 2 {
		t.Fatalf("CreateUser events = %d, want 2", len(out.Events))
	}
	// Newest first: the failed call.
	var rec map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.Events[0].CloudTrailEvent)), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["errorCode"] != "EntityAlreadyExists" || rec["eventSource"] != "iam.amazonaws.com" || rec["awsRegion"] != "us-east-1" {
		t.Errorf("event = %v", rec)
	}
	if p, _ := rec["requestParameters"].(map[string]any); p["userName"] != "dave" {
		t.Errorf("requestParameters = %v", rec["requestParameters"])
	}

	keyEvents := must(c.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
		{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String("CreateAccessKey")}}}))(t)
	if len(keyEvents.Events) != 1 {
		t.Fatalf("CreateAccessKey events = %d", len(keyEvents.Events))
	}
	if js := aws.ToString(keyEvents.Events[0].CloudTrailEvent); strings.Contains(js, aws.ToString(key.SecretAccessKey)) || !strings.Contains(js, "HIDDEN_DUE_TO_SECURITY_REASONS") {
		t.Errorf("the secret access key is not redacted: %s", js)
	}

	_, err = c.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{MaxResults: aws.Int32(51)})
	wantCode(t, err, "InvalidMaxResultsException")
}
