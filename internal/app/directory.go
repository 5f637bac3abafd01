package app

import (
	"context"
	"errors"

	"github.com/bulwarkhq/bulwark/internal/authz"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
)

// directory is the authorizer's view of the IAM domain.
type directory struct {
	iam *iam.Service
}

var _ authz.Directory = directory{}

// Partition implements authz.Directory.
func (d directory) Partition() string { return d.iam.Partition() }

// Generation implements authz.Directory.
func (d directory) Generation() (uint64, bool) { return d.iam.Generation() }

// UserPolicies implements authz.Directory.
func (d directory) UserPolicies(ctx context.Context, account, name string) (authz.Principal, error) {
	pp, err := d.iam.UserPolicies(ctx, account, name)
	return principal(pp, err)
}

// RolePolicies implements authz.Directory.
func (d directory) RolePolicies(ctx context.Context, account, name string) (authz.Principal, error) {
	pp, err := d.iam.RolePolicies(ctx, account, name)
	return principal(pp, err)
}

// ManagedPolicy implements authz.Directory.
func (d directory) ManagedPolicy(ctx context.Context, account, policyARN string) (authz.Document, bool, error) {
	sd, ok, err := d.iam.ManagedPolicyDocument(ctx, account, policyARN)
	return authz.Document{Source: sd.Source, Name: sd.Name, Text: sd.Document, Managed: true}, ok, err
}

// EntityPath implements authz.Directory.
func (d directory) EntityPath(ctx context.Context, account, kind, name string) (string, string, bool, error) {
	return d.iam.EntityPath(ctx, account, kind, name)
}

func principal(pp iam.PrincipalPolicies, err error) (authz.Principal, error) {
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) && ae.Code == iam.CodeNoSuchEntity {
			return authz.Principal{}, authz.ErrNoSuchPrincipal
		}
		return authz.Principal{}, err
	}
	p := authz.Principal{ARN: pp.ARN, ID: pp.ID, Trust: pp.Trust, TrustSaved: pp.TrustSaved, Created: pp.Created}
	for _, t := range pp.Tags {
		p.Tags = append(p.Tags, authz.Tag{Key: t.Key, Value: t.Value})
	}
	for _, d := range pp.Inline {
		p.Identity = append(p.Identity, authz.Document{Source: d.Source, Name: d.Name, Text: d.Document})
	}
	for _, d := range pp.Managed {
		p.Identity = append(p.Identity, authz.Document{Source: d.Source, Name: d.Name, Text: d.Document, Managed: true})
	}
	if b := pp.Boundary; b != nil {
		p.Boundary = &authz.Document{Source: b.Source, Name: b.Name, Text: b.Document, Managed: true}
	}
	return p, nil
}

// UsersMayChangePassword implements authz.Directory.
func (d directory) UsersMayChangePassword(ctx context.Context, account string) (bool, error) {
	return d.iam.UsersMayChangePassword(ctx, account)
}

// AccessKeyOwner implements authz.Directory.
func (d directory) AccessKeyOwner(ctx context.Context, accessKeyID string) (string, string, bool, error) {
	k, err := d.iam.LookupAccessKey(ctx, accessKeyID)
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) && ae.Code == iam.CodeNoSuchEntity {
			return "", "", false, nil
		}
		return "", "", false, err
	}
	if k.IsRoot {
		return "", "", false, nil
	}
	return k.Account, k.UserARN, true, nil
}
