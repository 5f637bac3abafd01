package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// credentials is the SigV4 CredentialStore over IAM's access keys and STS's sealed session
// tokens: it turns a key (and token) into the caller it authenticates.
type credentials struct {
	iam *iam.CredentialCache
	// sessions opens the session tokens of temporary (ASIA…) credentials; nil refuses them.
	sessions *sessiontoken.Sealer
}

var _ sigv4.SessionCredentialStore = credentials{}

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

// LookupSessionCredential implements sigv4.SessionCredentialStore. Temporary access key IDs
// (ASIA…) are resolved from the sealed token alone, which must open for that key ID; the
// verifier then checks the expiry (ExpiredToken). A long-term key with a token is looked up
// as usual and fails the verifier's token comparison (InvalidClientTokenId), as AWS answers.
func (c credentials) LookupSessionCredential(ctx context.Context, accessKeyID, token string) (sigv4.Credential, error) {
	if !strings.HasPrefix(accessKeyID, ids.PrefixTemporaryKey) {
		return c.LookupAccessKey(ctx, accessKeyID)
	}
	if c.sessions == nil {
		return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
	}
	claims, err := c.sessions.Open(accessKeyID, token)
	if err != nil {
		return sigv4.Credential{}, fmt.Errorf("%w: %w", sigv4.ErrUnknownAccessKey, err)
	}
	return sigv4.Credential{AccessKeyID: accessKeyID, SecretAccessKey: claims.Secret, SessionToken: token,
		Expiration: claims.Principal.Session.Expires, Principal: claims.Principal}, nil
}
