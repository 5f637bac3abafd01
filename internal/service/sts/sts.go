// Package sts serves the AWS Security Token Service API. GetCallerIdentity is built here;
// temporary credentials (AssumeRole and the rest) come with the STS work of the enforcement
// milestone and answer NotImplemented until then.
package sts

import (
	"context"
	"fmt"

	api "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

// Service implements the STS operations Bulwark builds.
type Service struct{}

// New returns the STS service.
func New() *Service { return &Service{} }

var _ api.GetCallerIdentityHandler = (*Service)(nil)

// GetCallerIdentity returns the account, ARN and unique ID of the caller. Like AWS, it needs
// no permission.
func (s *Service) GetCallerIdentity(ctx context.Context, _ *api.GetCallerIdentityInput) (*api.GetCallerIdentityOutput, error) {
	req := caller.FromContext(ctx)
	if req == nil {
		return nil, fmt.Errorf("sts: no caller in context")
	}
	p := req.Principal
	return &api.GetCallerIdentityOutput{UserId: ptr.Of(p.ID), Account: ptr.Of(p.Account), Arn: ptr.Of(p.ARN)}, nil
}
