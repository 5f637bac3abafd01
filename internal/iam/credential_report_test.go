package iam_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
)

const reportHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed," +
	"password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date," +
	"access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated," +
	"access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active," +
	"cert_1_last_rotated,cert_2_active,cert_2_last_rotated"

func TestCredentialReport(t *testing.T) {
	f := newFixture(t)
	wantErr(t, errOf(f.svc.GetCredentialReport(f.ctx, acct)), "ReportNotPresent", 410, "Credential report not present")

	_, err := f.svc.CreateAccount(f.ctx, acct, "root@example.com")
	f.ok(err)
	created := f.clock.Now()
	f.user("alice")
	f.user("bob")
	k, err := f.svc.CreateAccessKey(f.ctx, acct, "alice")
	f.ok(err)
	f.ok(f.svc.RecordAccessKeyUse(f.ctx, k.AccessKeyID, "s3", "eu-west-1", created.Add(time.Minute)))
	_, err = f.svc.CreateLoginProfile(f.ctx, acct, iam.CreateLoginProfileInput{UserName: "bob", Password: "Passw0rd!x"})
	f.ok(err)
	age := 90
	f.ok(f.svc.UpdateAccountPasswordPolicy(f.ctx, acct, iam.UpdatePasswordPolicyInput{MaxPasswordAge: &age}))
	d, seed := f.device("", "bob")
	c1, c2 := f.pair(seed)
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, "bob", d.SerialNumber, c1, c2))

	g, err := f.svc.GenerateCredentialReport(f.ctx, acct)
	f.ok(err)
	if g.State != "STARTED" || g.Description != "No report exists. Starting a new report generation task" {
		t.Fatalf("first GenerateCredentialReport = %+v", g)
	}
	f.clock.Advance(time.Hour)
	g, err = f.svc.GenerateCredentialReport(f.ctx, acct)
	f.ok(err)
	if g.State != "COMPLETE" {
		t.Fatalf("GenerateCredentialReport within 4 hours = %+v", g)
	}
	r, err := f.svc.GetCredentialReport(f.ctx, acct)
	f.ok(err)
	if r.ReportFormat != "text/csv" || !r.GeneratedTime.Equal(created) {
		t.Fatalf("report format %q generated %v", r.ReportFormat, r.GeneratedTime)
	}
	if got := strings.Join(iam.ReportColumns(), ","); got != reportHeader {
		t.Fatalf("ReportColumns = %s", got)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Content)).ReadAll()
	f.ok(err)
	if len(rows) != 4 || strings.Join(rows[0], ",") != reportHeader {
		t.Fatalf("report:\n%s", r.Content)
	}
	ts := "2025-01-02T03:04:05+00:00"
	want := map[string]string{
		"<root_account>": "<root_account>,arn:aws:iam::" + acct + ":root," + ts + ",not_supported,no_information,not_supported,not_supported,FALSE,FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,FALSE,N/A",
		"alice":          "alice,arn:aws:iam::" + acct + ":user/alice," + ts + ",FALSE,N/A,N/A,N/A,FALSE,TRUE," + ts + ",2025-01-02T03:05:05+00:00,eu-west-1,s3,FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,FALSE,N/A",
		"bob":            "bob,arn:aws:iam::" + acct + ":user/bob," + ts + ",TRUE,no_information," + ts + ",2025-04-02T03:04:05+00:00,TRUE,FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,N/A,N/A,N/A,FALSE,N/A,FALSE,N/A",
	}
	for i, name := range []string{"<root_account>", "alice", "bob"} {
		if got := strings.Join(rows[i+1], ","); got != want[name] {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, want[name])
		}
	}

	// After four hours a new report is generated.
	f.clock.Advance(3*time.Hour + time.Second)
	g, err = f.svc.GenerateCredentialReport(f.ctx, acct)
	f.ok(err)
	if g.State != "STARTED" {
		t.Fatalf("GenerateCredentialReport after 4 hours = %+v", g)
	}
	r, _ = f.svc.GetCredentialReport(f.ctx, acct)
	if !r.GeneratedTime.Equal(f.clock.Now()) {
		t.Fatalf("report not regenerated: %v", r.GeneratedTime)
	}
}
