package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var _ api.GetAccountAuthorizationDetailsHandler = (*Service)(nil)

// inlineList maps inline policies with their URL-encoded documents, never nil.
func inlineList(in []domain.InlinePolicy) []api.UserPolicy {
	out := make([]api.UserPolicy, 0, len(in))
	for _, p := range in {
		out = append(out, api.UserPolicy{PolicyName: ptr.Of(p.PolicyName), PolicyDocument: encodeDocument(p.PolicyDocument)})
	}
	return out
}

// GetAccountAuthorizationDetails returns the account's users, groups, roles and managed
// policies with their relationships and URL-encoded documents.
func (s *Service) GetAccountAuthorizationDetails(ctx context.Context, in *api.GetAccountAuthorizationDetailsInput) (*api.GetAccountAuthorizationDetailsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.d.GetAccountAuthorizationDetails(ctx, acct, in.Filter, pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.GetAccountAuthorizationDetailsOutput{
		UserDetailList:  make([]api.UserDetail, 0, len(d.UserDetailList)),
		GroupDetailList: make([]api.GroupDetail, 0, len(d.GroupDetailList)),
		RoleDetailList:  make([]api.RoleDetail, 0, len(d.RoleDetailList)),
		Policies:        make([]api.GetAccountAuthorizationDetailsPolicy, 0, len(d.Policies)),
	}
	for _, u := range d.UserDetailList {
		x := userOut(u.User)
		out.UserDetailList = append(out.UserDetailList, api.UserDetail{
			Path: x.Path, UserName: x.UserName, UserId: x.UserId, Arn: x.Arn, CreateDate: x.CreateDate,
			UserPolicyList:          inlineList(u.UserPolicyList),
			GroupList:               stringList(u.GroupList),
			AttachedManagedPolicies: attachedOut(u.AttachedManagedPolicies),
			PermissionsBoundary:     x.PermissionsBoundary,
			Tags:                    x.Tags,
		})
	}
	for _, g := range d.GroupDetailList {
		x := groupOut(g.Group)
		out.GroupDetailList = append(out.GroupDetailList, api.GroupDetail{
			Path: x.Path, GroupName: x.GroupName, GroupId: x.GroupId, Arn: x.Arn, CreateDate: x.CreateDate,
			GroupPolicyList:         inlineList(g.GroupPolicyList),
			AttachedManagedPolicies: attachedOut(g.AttachedManagedPolicies),
		})
	}
	for _, r := range d.RoleDetailList {
		x := roleGetOut(r.Role)
		out.RoleDetailList = append(out.RoleDetailList, api.RoleDetail{
			Path: x.Path, RoleName: x.RoleName, RoleId: x.RoleId, Arn: x.Arn, CreateDate: x.CreateDate,
			AssumeRolePolicyDocument: x.AssumeRolePolicyDocument,
			InstanceProfileList:      profileList(r.InstanceProfileList),
			RolePolicyList:           inlineList(r.RolePolicyList),
			AttachedManagedPolicies:  attachedOut(r.AttachedManagedPolicies),
			PermissionsBoundary:      x.PermissionsBoundary,
			Tags:                     x.Tags,
			RoleLastUsed:             x.RoleLastUsed,
		})
	}
	for _, p := range d.Policies {
		x := policyOut(p.Policy)
		versions := make([]api.PolicyVersion, 0, len(p.PolicyVersionList))
		for _, v := range p.PolicyVersionList {
			versions = append(versions, *versionOut(v))
		}
		out.Policies = append(out.Policies, api.GetAccountAuthorizationDetailsPolicy{
			PolicyName: x.PolicyName, PolicyId: x.PolicyId, Arn: x.Arn, Path: x.Path,
			DefaultVersionId:              x.DefaultVersionId,
			AttachmentCount:               x.AttachmentCount,
			PermissionsBoundaryUsageCount: x.PermissionsBoundaryUsageCount,
			IsAttachable:                  x.IsAttachable,
			Description:                   x.Description,
			CreateDate:                    x.CreateDate,
			UpdateDate:                    x.UpdateDate,
			PolicyVersionList:             versions,
		})
	}
	out.IsTruncated, out.Marker = pageOut(d.IsTruncated, d.Marker)
	return out, nil
}
