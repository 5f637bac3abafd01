package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.GenerateCredentialReportHandler = (*Service)(nil)
	_ api.GetCredentialReportHandler      = (*Service)(nil)
)

// GenerateCredentialReport starts (in Bulwark: builds at once) the account's credential
// report, or reports COMPLETE when the last one is less than four hours old.
func (s *Service) GenerateCredentialReport(ctx context.Context, _ *api.GenerateCredentialReportInput) (*api.GenerateCredentialReportOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.d.GenerateCredentialReport(ctx, acct)
	if err != nil {
		return nil, err
	}
	return &api.GenerateCredentialReportOutput{State: ptr.Of(g.State), Description: optString(g.Description)}, nil
}

// GetCredentialReport returns the last generated credential report as CSV; the codec sends
// Content base64-encoded, as AWS does.
func (s *Service) GetCredentialReport(ctx context.Context, _ *api.GetCredentialReportInput) (*api.GetCredentialReportOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.d.GetCredentialReport(ctx, acct)
	if err != nil {
		return nil, err
	}
	return &api.GetCredentialReportOutput{
		Content:       r.Content,
		ReportFormat:  ptr.Of(r.ReportFormat),
		GeneratedTime: optTime(r.GeneratedTime),
	}, nil
}
