package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/config"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/server"
	"github.com/bulwarkhq/bulwark/internal/signin"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// EnvRootEmail sets the root user's email address (its console sign-in name).
const EnvRootEmail = "BULWARK_ROOT_EMAIL"

// The --dev root user's console credentials (documented in README.md, like the dev access key).
const (
	DevRootEmail    = "root@example.com"
	DevRootPassword = "Bulwark-Dev-Root-1"
)

// sessionSweepInterval is how often expired console sessions are deleted.
const sessionSweepInterval = 10 * time.Minute

// rootEmail is the root email address to store for account: BULWARK_ROOT_EMAIL, else the dev
// address, else a placeholder in the account's own name.
func rootEmail(cfg config.Config, account string) string {
	if e := os.Getenv(EnvRootEmail); e != "" {
		return e
	}
	if cfg.Dev {
		return DevRootEmail
	}
	return "root@" + account + ".bulwark.local"
}

// newRootPassword returns a random 24-character password that meets AWS's root password
// rules (it has all four character kinds).
func newRootPassword() string {
	const (
		upper   = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower   = "abcdefghijkmnopqrstuvwxyz"
		digits  = "23456789"
		symbols = "!@%^*-_=+" // no # or ;: INI parsers may read them as comments
		all     = upper + lower + digits + symbols
		n       = 24
	)
	out := make([]byte, n)
	pick := func(set string) byte { return set[randIntN(len(set))] }
	for i := range out {
		out[i] = pick(all)
	}
	// One of each kind at random distinct places.
	for k, set := range []string{upper, lower, digits, symbols} {
		out[(randIntN(n/4))*4+k] = pick(set)
	}
	return string(out)
}

// randIntN is a uniform random int in [0, n) from crypto/rand.
func randIntN(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		_, _ = rand.Read(b[:]) // never fails; see crypto/rand.Read
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// setRootLogin stores the root email and, when the root user has no password yet, password.
func setRootLogin(ctx context.Context, identities *iam.Service, account, email, password string) (bool, error) {
	if err := identities.SetRootEmail(ctx, account, email); err != nil {
		return false, err
	}
	has, err := identities.RootHasPassword(ctx, account)
	if err != nil || has {
		return false, err
	}
	return true, identities.SetRootPassword(ctx, account, password)
}

// ensureRootEmail runs on every start after the first: BULWARK_ROOT_EMAIL, when set, replaces
// the root email; otherwise the stored one is (re)indexed, so stores bootstrapped before the
// email index existed can sign in by email too.
func ensureRootEmail(ctx context.Context, identities *iam.Service, account string) error {
	email := os.Getenv(EnvRootEmail)
	if email == "" {
		a, err := identities.GetAccount(ctx, account)
		if err != nil || a.Email == "" {
			return nil // nothing to index; the API works without it
		}
		email = a.Email
	}
	if err := identities.SetRootEmail(ctx, account, email); err != nil {
		return fmt.Errorf("set the root email: %w", err)
	}
	return nil
}

// signinDeps is what the console sign-in endpoint is built from.
type signinDeps struct {
	store      storage.Backend
	identities *iam.Service
	trail      *audit.Store
	authorizer server.Authorizer
	now        func() time.Time
	logger     *slog.Logger
}

// mountSignin puts the console sign-in endpoint (internal/signin) in front of the API pipeline
// on the same port, and sweeps expired sessions until ctx ends.
func mountSignin(ctx context.Context, api http.Handler, d signinDeps) http.Handler {
	h := signin.New(signin.Config{
		Identities:        d.identities,
		Sessions:          signin.NewSessions(d.store, d.now, signin.DefaultSessionTTL),
		Audit:             d.trail,
		Now:               d.now,
		Logger:            d.logger,
		MayChangePassword: changePasswordPermission(d.authorizer, d.now),
	})
	go h.Run(ctx, sessionSweepInterval)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if signin.Handles(r.URL.Path) {
			h.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// changePasswordPermission decides a console password change as the API would decide
// iam:ChangePassword for the session's user: by the authorizer, so an explicit deny wins and
// an identity policy or AllowUsersToChangePassword grants it.
func changePasswordPermission(az server.Authorizer, now func() time.Time) func(context.Context, signin.Session) (bool, error) {
	op := apiiam.Service(nil).Operation("ChangePassword")
	return func(ctx context.Context, s signin.Session) (bool, error) {
		req := &caller.Request{Principal: caller.Principal{Kind: caller.IAMUser, Account: s.Account, ARN: s.ARN,
			ID: s.PrincipalID, UserName: s.UserName}, Region: "us-east-1", SourceIP: s.SourceIP, Secure: true, Time: now()}
		err := az.Authorize(ctx, req, op, &apiiam.ChangePasswordInput{})
		var ae *awserr.Error
		switch {
		case err == nil:
			return true, nil
		case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
			return false, nil
		}
		return false, err
	}
}
