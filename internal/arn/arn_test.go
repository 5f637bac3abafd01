package arn_test

import (
	"errors"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/arn"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    arn.ARN
		wantErr bool
	}{
		{in: "arn:aws:iam::123456789012:user/alice", want: arn.ARN{Partition: "aws", Service: "iam", AccountID: "123456789012", Resource: "user/alice"}},
		{in: "arn:aws:s3:::bucket/key:with:colons", want: arn.ARN{Partition: "aws", Service: "s3", Resource: "bucket/key:with:colons"}},
		{in: "arn:aws-cn:kms:cn-north-1:123456789012:key/abc", want: arn.ARN{Partition: "aws-cn", Service: "kms", Region: "cn-north-1", AccountID: "123456789012", Resource: "key/abc"}},
		{in: "arn:aws:iam::aws:policy/ReadOnlyAccess", want: arn.ARN{Partition: "aws", Service: "iam", AccountID: "aws", Resource: "policy/ReadOnlyAccess"}},
		{in: "not-an-arn", wantErr: true},
		{in: "arn:aws:iam::123", wantErr: true},
		{in: "arn::iam::123456789012:user/a", wantErr: true},
		{in: "arn:aws:::123456789012:user/a", wantErr: true},
		{in: "arn:aws:iam::123456789012:", wantErr: true},
		{in: "urn:aws:iam::123456789012:user/a", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := arn.Parse(tt.in)
			if tt.wantErr {
				if !errors.Is(err, arn.ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.in {
				t.Fatalf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestIAM(t *testing.T) {
	tests := []struct{ got, want string }{
		{arn.IAM("aws", "123456789012", arn.TypeUser, "/", "alice"), "arn:aws:iam::123456789012:user/alice"},
		{arn.IAM("aws", "123456789012", arn.TypeUser, "", "alice"), "arn:aws:iam::123456789012:user/alice"},
		{arn.IAM("aws", "123456789012", arn.TypeRole, "/a/b/", "r"), "arn:aws:iam::123456789012:role/a/b/r"},
		{arn.IAM("aws-us-gov", "123456789012", arn.TypeInstanceProfile, "/", "p"), "arn:aws-us-gov:iam::123456789012:instance-profile/p"},
		{arn.Root("aws", "000000000000"), "arn:aws:iam::000000000000:root"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestParseIAM(t *testing.T) {
	tests := []struct {
		in              string
		typ, path, name string
		wantErr         bool
	}{
		{in: "arn:aws:iam::123456789012:policy/p", typ: "policy", path: "/", name: "p"},
		{in: "arn:aws:iam::123456789012:policy/a/b/p", typ: "policy", path: "/a/b/", name: "p"},
		{in: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", typ: "policy", path: "/service-role/", name: "AWSLambdaBasicExecutionRole"},
		{in: "arn:aws:iam::123456789012:root", wantErr: true},
		{in: "arn:aws:iam::123456789012:policy/", wantErr: true},
		{in: "arn:aws:s3:::bucket/x", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, typ, path, name, err := arn.ParseIAM(tt.in)
			if tt.wantErr {
				if !errors.Is(err, arn.ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if typ != tt.typ || path != tt.path || name != tt.name {
				t.Fatalf("got %q %q %q", typ, path, name)
			}
		})
	}
}
