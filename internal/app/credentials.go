package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// credentials is the SigV4 CredentialStore over IAM's access keys: it turns a key into the
// caller it authenticates.
type credentials struct {
	iam *iam.CredentialCache
}

var _ sigv4.CredentialStore = credentials{}

// LookupAccessKey implements sigv4.CredentialStore. Unknown and inactive keys are both
// ErrUnknownAccessKey, as AWS answers both with InvalidClientTokenId.
func (c credentials) LookupAccessKey(ctx context.Context, accessKeyID string) (sigv4.Credential, error) {
	k, err := c.iam.LookupAccessKey(ctx, accessKeyID)
	if err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) && ae.Code == "NoSuchEntity" {
			return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
		}
		return sigv4.Credential{}, fmt.Errorf("look up access key: %w", err)
	}
	if k.Status != iam.StatusActive {
		return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
	}
	p := caller.Principal{Kind: caller.IAMUser, Account: k.Account, ARN: k.UserARN, ID: k.UserID,
		UserName: k.UserName, AccessKeyID: k.AccessKeyID}
	if k.IsRoot {
		p.Kind = caller.Root
	}
	return sigv4.Credential{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.Secret, Principal: p}, nil
}
