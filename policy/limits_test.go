package policy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

// sizedDoc returns a valid identity policy whose non-white-space size is exactly n
// characters, padded with white space worth pad characters.
func sizedDoc(n, pad int) string {
	base := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/"}}`
	fill := n - len(base)
	if fill < 0 {
		panic("sizedDoc: too small")
	}
	text := strings.Replace(base, `b/"`, "b/"+strings.Repeat("x", fill)+`"`, 1)
	return strings.Replace(text, `{"Effect"`, "{"+strings.Repeat(" ", pad)+`"Effect"`, 1)
}

func TestMeasure(t *testing.T) {
	text := "{ \"a\" :\t\"b c\"\r\n}é"
	if got := policy.LimitManagedPolicy.Measure(text); got != 11 {
		t.Errorf("IAM size %d, want 11: white space does not count, characters do", got)
	}
	if got := policy.LimitSCP.Measure(text); got != 17 {
		t.Errorf("Organizations size %d, want 17: every character counts", got)
	}
	if got := policy.LimitSessionPolicy.Measure(text); got != 17 {
		t.Errorf("session size %d, want 17", got)
	}
}

func TestCheckSize(t *testing.T) {
	tests := []struct {
		limit policy.Limit
		max   int
		code  string
		msg   string
	}{
		{policy.LimitManagedPolicy, 6144, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
		{policy.LimitTrustPolicy, 2048, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
		{policy.LimitUserInline, 2048, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user"},
		{policy.LimitGroupInline, 5120, "LimitExceeded", "Maximum policy size of 5120 bytes exceeded for group"},
		{policy.LimitRoleInline, 10240, "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role"},
		{policy.LimitSCP, 5120, "ConstraintViolationException", "You have exceeded the maximum policy size."},
		{policy.LimitRCP, 5120, "ConstraintViolationException", "You have exceeded the maximum policy size."},
	}
	for _, tc := range tests {
		t.Run(tc.limit.String(), func(t *testing.T) {
			if tc.limit.Max() != tc.max {
				t.Errorf("Max() = %d, want %d", tc.limit.Max(), tc.max)
			}
			if err := policy.CheckSize(sizedDoc(tc.max, 40), tc.limit); err != nil && !tc.limit.CountsWhiteSpace() {
				t.Errorf("a document of exactly %d characters plus white space: %v", tc.max, err)
			}
			if err := policy.CheckSize(sizedDoc(tc.max, 0), tc.limit); err != nil {
				t.Errorf("a document of exactly %d characters: %v", tc.max, err)
			}
			err := policy.CheckSize(sizedDoc(tc.max+1, 0), tc.limit)
			var serr *policy.SizeError
			if !errors.As(err, &serr) || !errors.Is(err, policy.ErrTooLarge) {
				t.Fatalf("one character over: %v", err)
			}
			if serr.Code != tc.code || serr.Message != tc.msg || serr.Size != tc.max+1 || serr.Max != tc.max || serr.Limit != tc.limit {
				t.Errorf("got %+v", serr)
			}
		})
	}
}

func TestCheckSizeCountsWhiteSpaceForOrganizations(t *testing.T) {
	text := sizedDoc(5000, 200)
	if err := policy.CheckSize(text, policy.LimitManagedPolicy); err != nil {
		t.Errorf("IAM: %v", err)
	}
	if err := policy.CheckSize(text, policy.LimitSCP); !errors.Is(err, policy.ErrTooLarge) {
		t.Errorf("SCP of 5,200 characters with white space: %v, want too large", err)
	}
}

func TestLimitCheckNamesTheEntity(t *testing.T) {
	err := policy.LimitRoleInline.Check(10241, policy.MaxRoleInlineSize, "deploy-role")
	want := "Maximum policy size of 10240 bytes exceeded for role deploy-role"
	var serr *policy.SizeError
	if !errors.As(err, &serr) || serr.Message != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if err := policy.LimitUserInline.Check(2048, policy.MaxUserInlineSize, "ana"); err != nil {
		t.Errorf("at the quota: %v", err)
	}
}

func TestSessionPolicyLength(t *testing.T) {
	text := sizedDoc(2049, 0)
	err := policy.CheckSize(text, policy.LimitSessionPolicy)
	want := fmt.Sprintf("1 validation error detected: Value '%s' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048", text)
	var serr *policy.SizeError
	if !errors.As(err, &serr) || serr.Code != "ValidationError" || serr.Message != want {
		t.Errorf("got %v", err)
	}
}

func TestParseChecksLimits(t *testing.T) {
	big := sizedDoc(policy.MaxManagedPolicySize+1, 0)
	if _, err := policy.Parse(big, policy.KindIdentity); err != nil {
		t.Errorf("an inline policy has no per-document quota: %v", err)
	}
	_, err := policy.Parse(big, policy.KindIdentity, policy.Managed())
	var serr *policy.SizeError
	if !errors.As(err, &serr) || serr.Message != "Cannot exceed quota for PolicySize: 6144" {
		t.Errorf("Managed: %v", err)
	}
	if _, err := policy.Parse(sizedDoc(policy.MaxManagedPolicySize, 100), policy.KindIdentity, policy.Managed()); err != nil {
		t.Errorf("Managed at the quota: %v", err)
	}

	trustDoc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"},"Condition":{"StringEquals":{"sts:ExternalId":"` + strings.Repeat("x", 2000) + `"}}}}`
	if _, err := policy.Parse(trustDoc, policy.KindTrust, policy.WithLimit(policy.LimitTrustPolicy)); !errors.Is(err, policy.ErrTooLarge) {
		t.Errorf("trust policy over 2048: %v", err)
	}
	if _, err := policy.Parse(trustDoc, policy.KindTrust, policy.WithQuota(policy.LimitTrustPolicy, policy.MaxTrustPolicySizeAdjustable)); err != nil {
		t.Errorf("trust policy under a raised quota: %v", err)
	}

	// A document that is both malformed and too large is reported as malformed.
	bad := strings.Replace(big, `"Effect":"Allow"`, `"Effect":"Maybe"`, 1)
	if _, err := policy.Parse(bad, policy.KindIdentity, policy.Managed()); !errors.Is(err, policy.ErrMalformed) {
		t.Errorf("malformed and too large: %v", err)
	}
}
