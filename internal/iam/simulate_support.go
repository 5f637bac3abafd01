package iam

import "context"

// GroupPolicies gathers the identity-based policies of an IAM group: its inline policies and
// the managed policies attached to it. A group has no permissions boundary. It is read-only;
// the policy simulator (SimulatePrincipalPolicy with a group ARN) uses it.
func (s *Service) GroupPolicies(ctx context.Context, acct, groupName string) (PrincipalPolicies, error) {
	var out PrincipalPolicies
	err := s.view(ctx, func(t *tx) error {
		g, err := s.loadGroup(t, acct, groupName)
		if err != nil {
			return err
		}
		out = PrincipalPolicies{ARN: s.groupARN(acct, g.Path, g.Name), Fetched: s.clock()}
		if err := s.addInline(t, acct, ekGroup, g.ID, out.ARN, g.Inline, &out); err != nil {
			return err
		}
		return s.addManaged(t, acct, &out, g.Attached)
	})
	return out, err
}
