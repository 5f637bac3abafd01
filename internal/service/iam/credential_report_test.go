package iam_test

import (
	"strings"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestCredentialReportHandlers(t *testing.T) {
	f := newFixture(t)
	wantCode(t, errOf(f.svc.GetCredentialReport(f.ctx, &api.GetCredentialReportInput{})), "ReportNotPresent")
	f.createUser("alice")
	f.ok(errOf(f.svc.CreateAccessKey(f.ctx, &api.CreateAccessKeyInput{UserName: ptr.Of("alice")})))

	g, err := f.svc.GenerateCredentialReport(f.ctx, &api.GenerateCredentialReportInput{})
	f.ok(err)
	if str(g.State) != "STARTED" || str(g.Description) == "" {
		t.Fatalf("GenerateCredentialReport = %+v", g)
	}
	g, err = f.svc.GenerateCredentialReport(f.ctx, &api.GenerateCredentialReportInput{})
	f.ok(err)
	if str(g.State) != "COMPLETE" || g.Description != nil {
		t.Fatalf("second GenerateCredentialReport = %+v", g)
	}
	r, err := f.svc.GetCredentialReport(f.ctx, &api.GetCredentialReportInput{})
	f.ok(err)
	if str(r.ReportFormat) != "text/csv" || r.GeneratedTime == nil || !r.GeneratedTime.Equal(epoch()) {
		t.Fatalf("GetCredentialReport = %+v", r)
	}
	lines := strings.Split(strings.TrimSpace(string(r.Content)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "user,arn,user_creation_time,password_enabled,") ||
		!strings.HasPrefix(lines[1], "<root_account>,"+rootARN+",") ||
		!strings.HasPrefix(lines[2], "alice,arn:aws:iam::"+acct+":user/alice,2026-01-02T03:04:05+00:00,FALSE,N/A,N/A,N/A,FALSE,TRUE,") {
		t.Fatalf("report:\n%s", r.Content)
	}
}
