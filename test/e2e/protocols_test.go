package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
)

// TestNotImplementedOperationsAnswerInEachProtocol checks that an operation Bulwark routes but
// has not built answers NotImplemented (HTTP 501) in the shape of its protocol, which the SDK
// parses into an API error.
func TestNotImplementedOperationsAnswerInEachProtocol(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	cfg := awsConfig(s.URL, "test", "test", "")
	tests := []struct {
		name string
		call func() error
	}{
		{"awsQuery IAM", func() error {
			_, err := iam.NewFromConfig(cfg).CreateSAMLProvider(ctx, &iam.CreateSAMLProviderInput{
				Name: aws.String("corp"), SAMLMetadataDocument: aws.String("<EntityDescriptor>0123456789</EntityDescriptor>")})
			return err
		}},
		{"awsJson KMS", func() error {
			_, err := kms.NewFromConfig(cfg).ListKeys(ctx, &kms.ListKeysInput{})
			return err
		}},
		{"awsJson Organizations", func() error {
			_, err := organizations.NewFromConfig(cfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
			return err
		}},
		{"restJson GuardDuty", func() error {
			_, err := guardduty.NewFromConfig(cfg).GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String("abc123")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.call(), "NotImplemented")
		})
	}
}

// TestValidationErrorsUseEachProtocolsCode sends requests without a required member (the SDKs
// check that themselves, so these are signed by hand) and expects each protocol's error.
func TestValidationErrorsUseEachProtocolsCode(t *testing.T) {
	s := startServer(t)
	tests := []struct {
		name, service, target, contentType, body string
		status                                   int
		want                                     []string
	}{
		{"awsQuery", "iam", "", "application/x-www-form-urlencoded", "Action=CreateUser&Version=2010-05-08", 400,
			[]string{"<Code>ValidationError</Code>", "Value null at &apos;userName&apos; failed to satisfy constraint: Member must not be null", "<Type>Sender</Type>"}},
		{"awsJson", "kms", "TrentService.DescribeKey", "application/x-amz-json-1.1", "{}", 400,
			[]string{`"__type":"ValidationException"`, "Value null at 'keyId'"}},
		{"awsJson bad JSON", "kms", "TrentService.DescribeKey", "application/x-amz-json-1.1", "{", 400,
			[]string{`"__type":"SerializationException"`}},
		{"awsJson unknown operation", "kms", "TrentService.Explode", "application/x-amz-json-1.1", "{}", 400,
			[]string{`"__type":"UnknownOperationException"`}},
		{"awsQuery unknown action", "iam", "", "application/x-www-form-urlencoded", "Action=Explode&Version=2010-05-08", 400,
			[]string{"<Code>InvalidAction</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := signedPost(t, s.URL, tt.service, tt.target, tt.contentType, tt.body)
			if status != tt.status {
				t.Errorf("status = %d, want %d; body %s", status, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %s lacks %q", body, w)
				}
			}
		})
	}
}
