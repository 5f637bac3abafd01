package iam

import (
	"context"
	"encoding/json"
)

// GetAccountSummary returns IAM entity usage and quotas of the account, with the SummaryMap
// keys of the IAM API Reference (GetAccountSummary, "Valid Keys") and the default quota values
// AWS reports on a new account (recorded from AWS). The root user's facts are true ones:
// AccountMFAEnabled is 1 when root has an enabled MFA device, AccountAccessKeysPresent when it
// has an access key (active or not), AccountPasswordPresent when it has a console password.
// Bulwark has no server certificates or signing certificates yet, so those counts are 0.
func (s *Service) GetAccountSummary(ctx context.Context, acct string) (map[string]int, error) {
	count := func(prefix string) (int, error) {
		kvs, err := s.rangeAll(ctx, prefix)
		return len(kvs), err
	}
	var (
		users, groups, roles, profiles int
		policies, versions             int
		rootKeys                       int
		err                            error
	)
	if users, err = count(usersPrefix(acct)); err != nil {
		return nil, internal(err)
	}
	if groups, err = count(groupsPrefix(acct)); err != nil {
		return nil, internal(err)
	}
	if roles, err = count(rolesPrefix(acct)); err != nil {
		return nil, internal(err)
	}
	if profiles, err = count(profilesPrefix(acct)); err != nil {
		return nil, internal(err)
	}
	kvs, err := s.rangeAll(ctx, policiesPrefix(acct))
	if err != nil {
		return nil, internal(err)
	}
	for _, kv := range kvs {
		var p policyRec
		if err := json.Unmarshal(kv.Value, &p); err != nil {
			return nil, internal(err)
		}
		policies++
		versions += len(p.Versions)
	}
	mfaDevices, mfaInUse, rootMFA, err := s.mfaCounts(ctx, acct)
	if err != nil {
		return nil, internal(err)
	}
	rootMFAEnabled := 0
	if rootMFA {
		rootMFAEnabled = 1
	}
	err = s.view(ctx, func(t *tx) error {
		var a accountRec
		ok, err := t.get(metaKey(acct), &a)
		if ok {
			rootKeys = len(a.RootKeys)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	q := s.quotas
	present := 0
	if rootKeys > 0 {
		present = 1
	}
	rootPassword, err := s.RootHasPassword(ctx, acct)
	if err != nil {
		return nil, internal(err)
	}
	passwordPresent := 0
	if rootPassword {
		passwordPresent = 1
	}
	return map[string]int{
		"Users":                             users,
		"UsersQuota":                        q.UsersPerAccount,
		"Groups":                            groups,
		"GroupsQuota":                       q.GroupsPerAccount,
		"ServerCertificates":                0,
		"ServerCertificatesQuota":           q.ServerCertificatesPerAccount,
		"UserPolicySizeQuota":               q.UserPolicySize,
		"GroupPolicySizeQuota":              q.GroupPolicySize,
		"GroupsPerUserQuota":                q.GroupsPerUser,
		"SigningCertificatesPerUserQuota":   2,
		"AccessKeysPerUserQuota":            q.AccessKeysPerUser,
		"MFADevices":                        mfaDevices,
		"MFADevicesInUse":                   mfaInUse,
		"AccountMFAEnabled":                 rootMFAEnabled,
		"AccountAccessKeysPresent":          present,
		"AccountPasswordPresent":            passwordPresent,
		"AccountSigningCertificatesPresent": 0,
		"AttachedPoliciesPerGroupQuota":     q.PoliciesPerGroup,
		"AttachedPoliciesPerRoleQuota":      q.PoliciesPerRole,
		"AttachedPoliciesPerUserQuota":      q.PoliciesPerUser,
		"Policies":                          policies,
		"PoliciesQuota":                     q.PoliciesPerAccount,
		"PolicySizeQuota":                   6144,
		"PolicyVersionsInUse":               versions,
		"PolicyVersionsInUseQuota":          10000,
		"VersionsPerPolicyQuota":            q.VersionsPerPolicy,
		"GlobalEndpointTokenVersion":        1,
		"AssumeRolePolicySizeQuota":         2048,
		"InstanceProfiles":                  profiles,
		"InstanceProfilesQuota":             q.InstanceProfilesPerAccount,
		"Providers":                         0,
		"RolePolicySizeQuota":               q.RolePolicySize,
		"Roles":                             roles,
		"RolesQuota":                        q.RolesPerAccount,
	}, nil
}
