package app

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
)

func TestPolicyValidator(t *testing.T) {
	const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":%s}]}`
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[`
	for i := 0; i < 300; i++ {
		if i > 0 {
			big += ","
		}
		big += `"arn:aws:s3:::bucket-number-0000/key"`
	}
	big += `]}]}`
	tests := []struct {
		name     string
		doc      string
		kind     iam.DocKind
		wantCode string
	}{
		{"managed ok", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, iam.DocManaged, ""},
		{"managed without a version", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, iam.DocManaged, "MalformedPolicyDocument"},
		{"bad effect", `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*"}]}`, iam.DocUserInline, "MalformedPolicyDocument"},
		{"not JSON", `{`, iam.DocGroupInline, "MalformedPolicyDocument"},
		{"managed over 6144", big, iam.DocManaged, "LimitExceeded"},
		{"trust ok", fmt.Sprintf(trust, `["sts:AssumeRole","sts:TagSession"]`), iam.DocTrust, ""},
		{"trust with a non-STS action", fmt.Sprintf(trust, `"s3:GetObject"`), iam.DocTrust, "MalformedPolicyDocument"},
		{"trust with *", fmt.Sprintf(trust, `"*"`), iam.DocTrust, "MalformedPolicyDocument"},
		{"identity policy with a principal", fmt.Sprintf(trust, `"s3:GetObject"`), iam.DocRoleInline, "MalformedPolicyDocument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := policyValidator{}.Validate(tt.doc, tt.kind)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				return
			}
			var ae *awserr.Error
			if !errors.As(err, &ae) || ae.Code != tt.wantCode {
				t.Fatalf("Validate = %v, want %s", err, tt.wantCode)
			}
		})
	}
}
