package sigv4_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// tokenStore resolves temporary credentials from the token alone, as a store with sealed
// tokens does: the token names the secret and the expiry. It counts its calls.
type tokenStore struct {
	sigv4.StaticStore
	sessionCalls int
}

func (s *tokenStore) LookupSessionCredential(_ context.Context, akid, token string) (sigv4.Credential, error) {
	s.sessionCalls++
	switch {
	case akid == tempKeyID && token == sessionToken:
		return sigv4.Credential{AccessKeyID: akid, SecretAccessKey: tempSecret, SessionToken: token,
			Expiration: signTime.Add(time.Hour), Principal: principalName}, nil
	case akid == expiredKeyID && token == sessionToken:
		return sigv4.Credential{AccessKeyID: akid, SecretAccessKey: tempSecret, SessionToken: token,
			Expiration: signTime.Add(-time.Second), Principal: principalName}, nil
	}
	return sigv4.Credential{}, sigv4.ErrUnknownAccessKey
}

var _ sigv4.SessionCredentialStore = (*tokenStore)(nil)

func TestVerifyAsksSessionStoreForTokens(t *testing.T) {
	sp := specs[0]
	cases := []struct {
		name     string
		how      signing
		o        signOpts
		wantKind sigv4.Kind // 0: verified
		session  bool       // the session lookup is used
	}{
		{name: "token header", how: signing{temp: true}, session: true},
		{name: "token presigned", how: signing{presign: true, temp: true}, session: true},
		{name: "long-term key without token", how: signing{}, session: false},
		{name: "altered token", how: signing{temp: true},
			o: signOpts{keyID: tempKeyID, secret: tempSecret, token: sessionToken + "x"}, wantKind: sigv4.KindInvalidClientTokenId, session: true},
		{name: "long-term key with a token", how: signing{temp: true},
			o: signOpts{keyID: longKeyID, secret: longSecret, token: sessionToken}, wantKind: sigv4.KindInvalidClientTokenId, session: true},
		{name: "expired", how: signing{temp: true},
			o: signOpts{keyID: expiredKeyID, secret: tempSecret, token: sessionToken}, wantKind: sigv4.KindExpiredToken, session: true},
		{name: "wrong secret", how: signing{temp: true},
			o: signOpts{keyID: tempKeyID, secret: wrongSecret, token: sessionToken}, wantKind: sigv4.KindSignatureDoesNotMatch, session: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := &tokenStore{StaticStore: sigv4.StaticStore{
				longKeyID: {AccessKeyID: longKeyID, SecretAccessKey: longSecret, Principal: principalName},
			}}
			sr, body := onWire(t, sign(t, sp, tc.how, tc.o))
			_, err := newVerifier(store, signTime).Verify(context.Background(), sr, body)
			if got := store.sessionCalls > 0; got != tc.session {
				t.Errorf("session lookup used = %v, want %v", got, tc.session)
			}
			if tc.wantKind == 0 {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			var se *sigv4.Error
			if !errors.As(err, &se) || se.Kind != tc.wantKind {
				t.Fatalf("Verify error = %v, want %v", err, tc.wantKind)
			}
			if tc.wantKind == sigv4.KindExpiredToken {
				if ae := se.AWS(sigv4.ProtocolQuery); ae.Code != "ExpiredToken" || ae.Status != 403 ||
					ae.Message != "The security token included in the request is expired" {
					t.Fatalf("wire error = %+v", ae)
				}
			}
		})
	}
}
