// Package app wires Bulwark together: it opens the encrypted store, bootstraps the first
// account, builds the services and the request pipeline, and serves them until shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/bulwarkhq/bulwark/internal/api"
	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/authz"
	"github.com/bulwarkhq/bulwark/internal/awspolicies"
	"github.com/bulwarkhq/bulwark/internal/barrier"
	"github.com/bulwarkhq/bulwark/internal/config"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/oidc"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/server"
	cloudtrailsvc "github.com/bulwarkhq/bulwark/internal/service/cloudtrail"
	iamsvc "github.com/bulwarkhq/bulwark/internal/service/iam"
	stssvc "github.com/bulwarkhq/bulwark/internal/service/sts"
	"github.com/bulwarkhq/bulwark/internal/sessiontoken"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/storage/bolt"
)

// ShutdownTimeout is how long in-flight requests may take to finish after SIGTERM.
const ShutdownTimeout = 30 * time.Second

// Server is a running Bulwark.
type Server struct {
	// URL is the API endpoint, such as http://127.0.0.1:4566.
	URL string
	// Account is the bootstrapped account's ID.
	Account string

	http   *http.Server
	store  storage.Backend
	stop   context.CancelFunc
	trail  *audit.Store
	served chan error
	logger *slog.Logger
}

// Services builds every service's operation table over the dependencies.
func Services(identities *iam.Service, trail *audit.Store, sessions *sessiontoken.Sealer, now func() time.Time) []*protocol.Service {
	return services(identities, trail, stssvc.New(identities, sessions, now))
}

func services(identities *iam.Service, trail *audit.Store, sts *stssvc.Service) []*protocol.Service {
	impls := map[string]any{
		"iam":        iamsvc.New(identities),
		"sts":        sts,
		"cloudtrail": cloudtrailsvc.New(trail),
	}
	return api.Services(func(prefix string) any { return impls[prefix] })
}

// defaultOIDCClient fetches OIDC discovery documents and key sets for
// AssumeRoleWithWebIdentity: the system's root CAs, the environment's proxy, bounded time.
func defaultOIDCClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second}
}

// Start opens the store in cfg.DataDir, bootstraps it, and serves the API on cfg.Listen in
// the background. Messages for the operator go to out.
func Start(ctx context.Context, cfg config.Config, out io.Writer, opts ...Option) (*Server, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create the data directory: %w", err)
	}
	rootKey, err := barrier.LoadOrCreateRootKey(cfg.DataDir, cfg.RootKey)
	if err != nil {
		return nil, err
	}
	raw, err := bolt.Open(filepath.Join(cfg.DataDir, "bulwark.db"), bolt.Options{})
	if err != nil {
		return nil, err
	}
	store, err := barrier.New(ctx, raw, rootKey)
	if err != nil {
		_ = raw.Close()
		return nil, err
	}
	s, err := start(ctx, cfg, store, logger, out, o)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return s, nil
}

func start(ctx context.Context, cfg config.Config, store storage.Backend, logger *slog.Logger, out io.Writer, o options) (*Server, error) {
	// The AWS managed policy catalogue is decoded on first use, not here.
	identities := iam.New(store, o.now, policyValidator{}, iam.WithAWSPolicies(awspolicies.New()))
	account, err := bootstrap(ctx, cfg, store, identities, out)
	if err != nil {
		return nil, err
	}
	// A first start hashes the root password with argon2id (19 MiB); hand that memory
	// back rather than keep it resident for the life of the server.
	debug.FreeOSMemory()
	// runCtx lives until Shutdown: it ends the caches' watches.
	runCtx, stop := context.WithCancel(context.Background())
	trail := audit.New(store, audit.Options{})
	identities.CacheRecords(runCtx)
	sessions, err := sessiontoken.LoadSealer(ctx, store)
	if err != nil {
		stop()
		return nil, err
	}
	oidcClient := o.oidcClient
	if oidcClient == nil {
		oidcClient = defaultOIDCClient()
	}
	// AssumeRoleWithWebIdentity is served unsigned: STS verifies its token (server.Unauthenticated).
	sts := stssvc.New(identities, sessions, o.now, stssvc.WithWebIdentity(identities, oidc.NewVerifier(oidc.Options{Client: oidcClient, RefusePrivateAddresses: cfg.OIDCPublicOnly})))
	enforcer := authz.New(directory{identities}, logger)
	pipeline := server.New(server.Config{
		Services:        services(identities, trail, sts),
		Authenticator:   sigv4.NewVerifier(credentials{identities.NewCredentialCache(runCtx), sessions}, o.now),
		Unauthenticated: sts,
		Now:             o.now,
		Authorizer:      enforcer,
		Audit:           trail,
		KeyUsage:        identities,
		Logger:          logger,
	})
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		stop()
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Server{
		URL:     "http://" + ln.Addr().String(),
		Account: account,
		http: &http.Server{Handler: mountSignin(runCtx, pipeline, signinDeps{store: store, identities: identities, trail: trail,
			authorizer: enforcer, now: o.now, logger: logger}), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)},
		store:  store,
		stop:   stop,
		trail:  trail,
		served: make(chan error, 1),
		logger: logger,
	}
	go func() { s.served <- s.http.Serve(ln) }()
	logger.Info("bulwark is serving", "endpoint", s.URL, "account", account, "data", cfg.DataDir)
	return s, nil
}

// Shutdown stops accepting requests, lets in-flight ones finish, and closes the store.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	err = errors.Join(err, s.trail.Close())
	s.stop()
	if serr := <-s.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return errors.Join(err, s.store.Close())
}

// Run starts Bulwark and serves until ctx ends, then shuts down gracefully.
func Run(ctx context.Context, cfg config.Config, out io.Writer) error {
	s, err := Start(ctx, cfg, out)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case err := <-s.served:
		s.served <- err
	}
	s.logger.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	s.logger.Info("stopped; the store is closed")
	return nil
}
