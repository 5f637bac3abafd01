package iam

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
)

// The credential report (GenerateCredentialReport, GetCredentialReport): one CSV row per IAM
// user plus the root user, with the columns and value conventions of "Getting credential
// reports for your AWS account" in the IAM User Guide
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/credential-reports.html).
//
// Storage key (also in the table in keys.go):
//
//	iam/a/<acct>/credreport                  the last generated report (CSV) and its time
//
// The report holds no secret: dates and flags only.

// Report states and format.
const (
	ReportStateStarted  = "STARTED"
	ReportStateComplete = "COMPLETE"
	ReportFormatCSV     = "text/csv"

	// CodeReportNotPresent is GetCredentialReport's error before any report was generated.
	CodeReportNotPresent = "ReportNotPresent"

	// reportReuse is how long a report is reused: AWS generates a new report only when the
	// existing one is more than four hours old.
	reportReuse = 4 * time.Hour

	reportRootUser = "<root_account>"
	reportNA       = "N/A"
	reportNoInfo   = "no_information"
	reportNotSupp  = "not_supported"
	reportTime     = "2006-01-02T15:04:05+00:00"
	msgStarted     = "No report exists. Starting a new report generation task"
)

// ReportColumns returns the credential report's CSV header columns, in AWS's order.
func ReportColumns() []string {
	return []string{
		"user", "arn", "user_creation_time", "password_enabled", "password_last_used",
		"password_last_changed", "password_next_rotation", "mfa_active",
		"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
		"access_key_1_last_used_region", "access_key_1_last_used_service",
		"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
		"access_key_2_last_used_region", "access_key_2_last_used_service",
		"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
	}
}

// ReportGeneration is the output of GenerateCredentialReport.
type ReportGeneration struct {
	State       string
	Description string
}

// CredentialReport is the output of GetCredentialReport.
type CredentialReport struct {
	Content       []byte
	ReportFormat  string
	GeneratedTime time.Time
}

type reportRec struct {
	Generated time.Time
	Content   []byte
}

func credReportKey(acct string) string { return acctPrefix(acct) + "credreport" }

func errReportNotPresent() *awserr.Error {
	return awserr.New(CodeReportNotPresent, http.StatusGone, "Credential report not present")
}

// GenerateCredentialReport builds the account's credential report. As in AWS, a report less
// than four hours old is kept and the answer is COMPLETE; otherwise a new report is made and
// the answer is STARTED (Bulwark builds it at once, so GetCredentialReport can fetch it next).
func (s *Service) GenerateCredentialReport(ctx context.Context, acct string) (ReportGeneration, error) {
	now := s.clock()
	var cur reportRec
	var ok bool
	if err := s.view(ctx, func(t *tx) error {
		var err error
		ok, err = t.get(credReportKey(acct), &cur)
		return err
	}); err != nil {
		return ReportGeneration{}, err
	}
	if ok && now.Sub(cur.Generated) < reportReuse {
		return ReportGeneration{State: ReportStateComplete}, nil
	}
	content, err := s.buildCredentialReport(ctx, acct, now)
	if err != nil {
		return ReportGeneration{}, internal(err)
	}
	if err := s.update(ctx, func(t *tx) error {
		return t.put(credReportKey(acct), reportRec{Generated: now, Content: content})
	}); err != nil {
		return ReportGeneration{}, err
	}
	return ReportGeneration{State: ReportStateStarted, Description: msgStarted}, nil
}

// GetCredentialReport returns the last generated credential report, or ReportNotPresent (410).
func (s *Service) GetCredentialReport(ctx context.Context, acct string) (CredentialReport, error) {
	var out CredentialReport
	err := s.view(ctx, func(t *tx) error {
		var r reportRec
		ok, err := t.get(credReportKey(acct), &r)
		if err != nil {
			return err
		}
		if !ok {
			return errReportNotPresent()
		}
		out = CredentialReport{Content: r.Content, ReportFormat: ReportFormatCSV, GeneratedTime: r.Generated}
		return nil
	})
	return out, err
}

func reportTimeOf(t time.Time) string { return t.UTC().Format(reportTime) }

func reportBool(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// keyColumns returns the five columns of one access key slot.
func keyColumns(t *tx, ids []string, i int) ([]string, error) {
	cols := []string{reportBool(false), reportNA, reportNA, reportNA, reportNA}
	if i >= len(ids) {
		return cols, nil
	}
	var k accessKeyRec
	ok, err := t.get(accessKeyKey(ids[i]), &k)
	if err != nil || !ok {
		return cols, err
	}
	cols[0] = reportBool(k.Status == StatusActive)
	cols[1] = reportTimeOf(k.Created)
	var used accessKeyUsedRec
	ok, err = t.get(accessKeyUsedKey(k.ID), &used)
	if err != nil {
		return nil, err
	}
	if ok {
		cols[2], cols[3], cols[4] = reportTimeOf(used.At), used.Region, used.Service
	}
	return cols, nil
}

// certColumns are the signing certificate columns; Bulwark has no signing certificates yet.
func certColumns() []string { return []string{"FALSE", reportNA, "FALSE", reportNA} }

func (s *Service) buildCredentialReport(ctx context.Context, acct string, now time.Time) ([]byte, error) {
	_, _, rootMFA, err := s.mfaCounts(ctx, acct)
	if err != nil {
		return nil, err
	}
	users, err := s.rangeAll(ctx, usersPrefix(acct))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(ReportColumns()); err != nil {
		return nil, err
	}
	err = s.view(ctx, func(t *tx) error {
		pol, err := loadPasswordPolicy(t, acct)
		if err != nil {
			return err
		}
		// The root user: its password columns are not_supported, as in AWS, except
		// password_last_used: the last console sign-in (root_login.go), else no_information.
		a, err := s.loadOrNewAccount(t, acct)
		if err != nil {
			return err
		}
		rootUsed := reportNoInfo
		var rl rootLoginRec
		if ok, err := t.get(rootLoginKey(acct), &rl); err != nil {
			return err
		} else if ok && rl.LastUsed != nil {
			rootUsed = reportTimeOf(*rl.LastUsed)
		}
		created := a.Created
		if created.IsZero() {
			created = now
		}
		row := []string{reportRootUser, arn.Root(s.partition, acct), reportTimeOf(created),
			reportNotSupp, rootUsed, reportNotSupp, reportNotSupp, reportBool(rootMFA)}
		for i := range 2 {
			cols, err := keyColumns(t, a.RootKeys, i)
			if err != nil {
				return err
			}
			row = append(row, cols...)
		}
		if err := w.Write(append(row, certColumns()...)); err != nil {
			return err
		}
		for _, kv := range users {
			var u userRec
			if err := decode(kv, &u); err != nil {
				return err
			}
			row, err := s.userReportRow(t, acct, &u, pol)
			if err != nil {
				return err
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (s *Service) userReportRow(t *tx, acct string, u *userRec, pol *PasswordPolicy) ([]string, error) {
	pwLastUsed, pwChanged, pwNext := reportNA, reportNA, reportNA
	if u.HasLogin {
		var l loginRec
		ok, err := t.get(loginKey(acct, u.ID), &l)
		if err != nil {
			return nil, err
		}
		if ok {
			pwLastUsed = reportNoInfo // never used
			if u.PasswordLastUsed != nil {
				pwLastUsed = reportTimeOf(*u.PasswordLastUsed)
			}
			pwChanged = reportTimeOf(l.Changed)
			if pol != nil && pol.MaxPasswordAge != nil {
				pwNext = reportTimeOf(l.Changed.AddDate(0, 0, *pol.MaxPasswordAge))
			}
		}
	}
	row := []string{u.Name, s.userARN(acct, u.Path, u.Name), reportTimeOf(u.Created),
		reportBool(u.HasLogin), pwLastUsed, pwChanged, pwNext, reportBool(len(u.MFA) > 0)}
	for i := range 2 {
		cols, err := keyColumns(t, u.AccessKeys, i)
		if err != nil {
			return nil, err
		}
		row = append(row, cols...)
	}
	return append(row, certColumns()...), nil
}
