package actions_test

import (
	"slices"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/actions"
	"github.com/bulwarkhq/bulwark/internal/api"
	"github.com/bulwarkhq/bulwark/internal/protocol"
)

func services() []*protocol.Service {
	return api.Services(func(string) any { return nil })
}

// TestEveryOperationHasAnAction walks the operation table of every generated API package.
func TestEveryOperationHasAnAction(t *testing.T) {
	// noAction lists the operations, as "signingName:Operation", that have no IAM action at all,
	// with the reason. Today there are none: every operation of every served service either has an
	// action of its own name in the reference, or an override in operations.go (kms:ReEncrypt,
	// cloudtrail:ListInsightsMetricData). Operations AWS runs without checking policies
	// (sts:GetCallerIdentity, sts:GetSessionToken) still have actions in the reference; they are
	// reported by PermissionFree instead.
	noAction := map[string]string{}

	total := 0
	for _, s := range services() {
		for _, op := range s.Operations {
			total++
			id := s.SigningName + ":" + op.Name
			acts, ok := actions.OperationActions(s.SigningName, op.Name)
			if _, excepted := noAction[id]; excepted {
				if ok {
					t.Errorf("%s is listed in noAction but maps to %v; remove it from the list", id, acts)
				}
				continue
			}
			if !ok || len(acts) == 0 {
				t.Errorf("operation %s has no IAM action; add an override or, if it truly needs none, a noAction entry", id)
				continue
			}
			primary, ok := actions.ForOperation(s.SigningName, op.Name)
			if !ok || primary != acts[0] {
				t.Errorf("ForOperation(%s) = %v, %v; OperationActions starts with %v", id, primary, ok, acts[0])
			}
		}
	}
	if total < 500 {
		t.Errorf("walked only %d operations", total)
	}
}

func TestForOperation(t *testing.T) {
	tests := []struct {
		signingName, operation string
		want                   string // "" when not found
	}{
		{"iam", "CreateUser", "iam:CreateUser"},
		{"sts", "AssumeRole", "sts:AssumeRole"},
		{"sts", "GetCallerIdentity", "sts:GetCallerIdentity"},
		{"kms", "Encrypt", "kms:Encrypt"},
		{"kms", "ReEncrypt", "kms:ReEncryptFrom"},
		{"cloudtrail", "ListInsightsMetricData", "cloudtrail:LookupEvents"},
		{"ce", "GetCostAndUsage", "ce:GetCostAndUsage"},
		{"guardduty", "CreateDetector", "guardduty:CreateDetector"},
		{"iam", "PassRole", "iam:PassRole"}, // an action without an operation is still found
		{"iam", "NoSuchOperation", ""},
		{"s3", "GetObject", ""},
		{"waf", "CreateWebACL", ""}, // WAF Classic is not served
		{"IAM", "CreateUser", ""},   // signing names are exact
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.signingName+":"+tt.operation, func(t *testing.T) {
			a, ok := actions.ForOperation(tt.signingName, tt.operation)
			if tt.want == "" {
				if ok {
					t.Errorf("got %s, want not found", a)
				}
				return
			}
			if !ok || a.String() != tt.want {
				t.Errorf("got %v, %v; want %s", a, ok, tt.want)
			}
		})
	}
}

func TestOperationActions(t *testing.T) {
	tests := []struct {
		signingName, operation string
		want                   []string
	}{
		{"kms", "ReEncrypt", []string{"kms:ReEncryptFrom", "kms:ReEncryptTo"}},
		{"cloudtrail", "ListInsightsMetricData", []string{"cloudtrail:LookupEvents"}},
		{"iam", "GetUser", []string{"iam:GetUser"}},
		{"iam", "NoSuchOperation", nil},
	}
	for _, tt := range tests {
		acts, ok := actions.OperationActions(tt.signingName, tt.operation)
		var got []string
		for _, a := range acts {
			got = append(got, a.String())
		}
		if ok != (tt.want != nil) || !slices.Equal(got, tt.want) {
			t.Errorf("OperationActions(%s, %s) = %q, %v; want %q", tt.signingName, tt.operation, got, ok, tt.want)
		}
	}
}

func TestPermissionFree(t *testing.T) {
	free := map[string]bool{"sts:GetCallerIdentity": true, "sts:GetSessionToken": true}
	seen := 0
	for _, s := range services() {
		for _, op := range s.Operations {
			id := s.SigningName + ":" + op.Name
			if got := actions.PermissionFree(s.SigningName, op.Name); got != free[id] {
				t.Errorf("PermissionFree(%s) = %v", id, got)
			}
			if free[id] {
				seen++
			}
		}
	}
	if seen != len(free) {
		t.Errorf("found %d of the %d permission-free operations in the API tables", seen, len(free))
	}
}
