// Package signin is the console sign-in endpoint: the root user signs in with the account's
// email address and password, an IAM user with the account ID or alias, the user name and the
// password, each with a code from their MFA device when they have one. A sign-in opens a
// short-lived console session. Every attempt that names a known account is recorded as a
// CloudTrail ConsoleLogin event; attempts are throttled per source address and per identity.
//
// It serves plain JSON under Path on the API port (no AWS API uses that path): see
// docs/signin.md for the contract. Wrong credentials always get the same answer, after the
// same argon2id work, whatever was wrong, so the endpoint does not tell which users exist.
// Passwords, MFA codes and session tokens never reach logs or the audit trail.
package signin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ids"
)

// Path is where the endpoint is mounted; its operations are Path, Path+"/password",
// Path+"/session" and Path+"/signout".
const Path = "/signin"

// DefaultLoginTo is the LoginTo recorded in ConsoleLogin events when Config.LoginTo is empty.
const DefaultLoginTo = "/console"

// Identities is what sign-in needs from IAM; *iam.Service is one.
type Identities interface {
	VerifyRootConsolePassword(ctx context.Context, email, password string) (iam.ConsoleIdentity, error)
	VerifyUserConsolePassword(ctx context.Context, acct, userName, password string, now time.Time) (iam.ConsoleIdentity, error)
	VerifyConsoleMFA(ctx context.Context, id iam.ConsoleIdentity, serial, code string, now time.Time) error
	RecordConsoleSignIn(ctx context.Context, id iam.ConsoleIdentity, now time.Time) error
	LookupAccountAlias(ctx context.Context, alias string) (string, error)
	ChangePassword(ctx context.Context, acct, userName, oldPassword, newPassword string) error
	ChangeRootPassword(ctx context.Context, acct, oldPassword, newPassword string) error
	UsersMayChangePassword(ctx context.Context, acct string) (bool, error)
	ConsoleSessionValid(ctx context.Context, acct, userName, principalID string, root bool, issued, passwordSet time.Time) (bool, error)
}

var _ Identities = (*iam.Service)(nil)

// Config configures a Handler.
type Config struct {
	Identities Identities
	Sessions   *Sessions
	// Audit receives ConsoleLogin and ChangePassword events; recording fails closed.
	Audit Recorder
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits tunes throttling; the zero value means the defaults.
	Limits Limits
	// Logger receives internal failures (never credentials); nil discards.
	Logger *slog.Logger
	// LoginTo is the console address recorded in ConsoleLogin events.
	LoginTo string
	// FailureFloor is the least time a failed sign-in takes to answer (default
	// DefaultFailureFloor; negative: no padding). A failure that took longer is held to the
	// next multiple of it. Failures for known and unknown accounts do different work (only
	// the former are audited), and the padding keeps that difference out of the timing.
	FailureFloor time.Duration
	// Sleep waits d or until ctx ends; nil means a timer. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration)
	// MayChangePassword decides whether an IAM user's session may change its password. Nil
	// allows it when the account password policy has AllowUsersToChangePassword; a policy
	// engine that can grant iam:ChangePassword should be consulted here too.
	MayChangePassword func(ctx context.Context, s Session) (bool, error)
}

// DefaultFailureFloor is the default Config.FailureFloor: about twice an argon2id check with
// the default parameters.
const DefaultFailureFloor = 50 * time.Millisecond

// Handler serves the sign-in endpoint.
type Handler struct {
	cfg      Config
	throttle *throttle
	// hashing holds one token per password check running (Limits.MaxHashing): each holds
	// 19 MiB of argon2id memory, so their number, not the number of requests, bounds memory.
	hashing chan struct{}
}

// New returns the Handler for cfg.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.LoginTo == "" {
		cfg.LoginTo = DefaultLoginTo
	}
	if cfg.FailureFloor == 0 {
		cfg.FailureFloor = DefaultFailureFloor
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	th := newThrottle(cfg.Limits)
	return &Handler{cfg: cfg, throttle: th, hashing: make(chan struct{}, th.lim.MaxHashing)}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// hash runs fn, which checks a password, once fewer than Limits.MaxHashing checks are running.
// It reports false, without running fn, when no check ended within Limits.HashWait or ctx
// ended first.
func (h *Handler) hash(ctx context.Context, fn func()) bool {
	select {
	case h.hashing <- struct{}{}:
	default:
		t := time.NewTimer(h.throttle.lim.HashWait)
		defer t.Stop()
		select {
		case h.hashing <- struct{}{}:
		case <-t.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	defer func() { <-h.hashing }()
	fn()
	return true
}

// pad holds a failure answer until FailureFloor after start, or the next multiple of it when
// the attempt took longer, so every failed sign-in takes about the same time whatever failed.
func (h *Handler) pad(ctx context.Context, start time.Time) {
	floor := h.cfg.FailureFloor
	if floor <= 0 {
		return
	}
	took := h.cfg.Now().Sub(start)
	target := floor
	if took > floor {
		target = (took + floor - 1) / floor * floor
	}
	if d := target - took; d > 0 {
		h.cfg.Sleep(ctx, d)
	}
}

// Handles reports whether the request's path belongs to the endpoint.
func Handles(path string) bool {
	return path == Path || strings.HasPrefix(path, Path+"/")
}

// Error codes of the endpoint.
const (
	CodeValidation           = "ValidationError"
	CodeAuthFailed           = "AuthenticationFailed"
	CodeMFARequired          = "MFARequired"
	CodePasswordExpired      = "PasswordExpired"
	CodeThrottling           = "Throttling"
	CodeNoSession            = "InvalidSession"
	CodeAccessDenied         = "AccessDenied"
	CodeInternal             = "InternalFailure"
	CodeNotFound             = "NotFound"
	CodeMethodNotAllowed     = "MethodNotAllowed"
	CodeUnsupportedMediaType = "UnsupportedMediaType"
)

// msgAuthFailed is the one answer to wrong credentials (the AWS console's wording).
const msgAuthFailed = "Your authentication information is incorrect. Please try again."

type errorBody struct {
	Code    string `json:"error"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Code: code, Message: msg})
}

func (h *Handler) internalError(w http.ResponseWriter, what string, err error) {
	h.cfg.Logger.Error("sign-in: "+what, "error", err)
	writeError(w, http.StatusInternalServerError, CodeInternal, "The request processing has failed because of an internal error.")
}

func throttled(w http.ResponseWriter, wait time.Duration) {
	secs := int(wait.Round(time.Second) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	writeError(w, http.StatusTooManyRequests, CodeThrottling, "Rate exceeded")
}

// sourceIP is the connection's peer address. Forwarding headers are not trusted: behind a
// proxy every attempt shares the proxy's address (and bucket).
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("x-amzn-RequestId", audit.NewEventID())
	type route struct {
		method string
		fn     func(http.ResponseWriter, *http.Request)
	}
	var rt route
	switch r.URL.Path {
	case Path:
		rt = route{http.MethodPost, h.signIn}
	case Path + "/password":
		rt = route{http.MethodPost, h.changePassword}
	case Path + "/session":
		rt = route{http.MethodGet, h.session}
	case Path + "/signout":
		rt = route{http.MethodPost, h.signOut}
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, "No such sign-in operation.")
		return
	}
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "Use "+rt.method+".")
		return
	}
	if rt.method == http.MethodPost && r.URL.Path != Path+"/signout" && !isJSON(r) {
		// A JSON content type also keeps cross-site HTML forms out: browsers must preflight it.
		writeError(w, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, "The body must be application/json.")
		return
	}
	rt.fn(w, r)
}

func isJSON(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.EqualFold(strings.TrimSpace(ct), "application/json")
}

// identityKey names who a sign-in claims to be, for throttling: known or not, the same key.
// acct is the account ID that req.Account resolved to ("" for an unknown alias), so an
// account's ID and its alias name the same identity; an unknown alias keeps its own key.
func identityKey(req *Request, acct string) string {
	if req.Root() {
		return "root\x00" + strings.ToLower(req.Email)
	}
	if acct == "" {
		acct = strings.ToLower(req.Account)
	}
	return "user\x00" + acct + "\x00" + strings.ToLower(req.UserName)
}

// resolveAccount turns an account ID or alias into an account ID; "" when the alias is unknown.
func (h *Handler) resolveAccount(ctx context.Context, account string) (string, error) {
	if ids.IsAccountID(account) {
		return account, nil
	}
	acct, err := h.cfg.Identities.LookupAccountAlias(ctx, strings.ToLower(account))
	var ae *awserr.Error
	if errors.As(err, &ae) && ae.Code == iam.CodeNoSuchEntity {
		return "", nil
	}
	return acct, err
}

// signInResponse is the body of a successful sign-in.
type signInResponse struct {
	SessionToken string `json:"sessionToken"`
	Session
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := h.cfg.Now()
	a := &attempt{sourceIP: sourceIP(r), userAgent: r.UserAgent(), requestID: w.Header().Get("x-amzn-RequestId")}
	req, err := ParseRequest(http.MaxBytesReader(w, r.Body, MaxRequestBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeValidation, strings.TrimPrefix(err.Error(), errBadRequest.Error()+": "))
		return
	}
	var acct string
	if !req.Root() {
		if acct, err = h.resolveAccount(ctx, req.Account); err != nil {
			h.internalError(w, "resolve account", err)
			return
		}
	}
	subject := identityKey(&req, acct)
	if wait := h.throttle.admit(a.sourceIP, subject, now); wait > 0 {
		throttled(w, wait)
		return
	}
	defer h.throttle.release(subject)
	if !h.hash(ctx, func() {
		if req.Root() {
			a.root = true
			a.id, err = h.cfg.Identities.VerifyRootConsolePassword(ctx, req.Email, req.Password)
		} else {
			a.id, err = h.cfg.Identities.VerifyUserConsolePassword(ctx, acct, req.UserName, req.Password, now)
		}
	}) {
		throttled(w, retryBusy)
		return
	}
	switch {
	case errors.Is(err, iam.ErrConsoleAuthFailed):
		h.failed(w, r, a, subject, now)
		return
	case errors.Is(err, iam.ErrPasswordExpired):
		if err := h.recordSignIn(ctx, a, false, msgExpired); err != nil {
			h.internalError(w, "audit", err)
			return
		}
		h.pad(ctx, now)
		writeError(w, http.StatusForbidden, CodePasswordExpired,
			"Your password has expired. Ask your administrator to reset it.")
		return
	case err != nil:
		h.internalError(w, "verify password", err)
		return
	}
	if len(a.id.MFASerials) > 0 {
		if req.MFACode == "" {
			writeError(w, http.StatusUnauthorized, CodeMFARequired, "Enter the code from your MFA device.")
			return
		}
		a.mfaUsed = true
		if err := h.cfg.Identities.VerifyConsoleMFA(ctx, a.id, req.MFASerialNumber, req.MFACode, now); err != nil {
			var ae *awserr.Error
			if errors.As(err, &ae) && ae.Code == iam.CodeInvalidAuthenticationCode {
				if errors.Is(err, iam.ErrMFALocked) {
					h.cfg.Logger.Warn("sign-in: MFA device locked after repeated invalid codes", "account", a.id.Account, "principal", a.id.ARN)
				}
				h.failed(w, r, a, subject, now)
				return
			}
			h.internalError(w, "verify MFA", err)
			return
		}
	}
	if err := h.cfg.Identities.RecordConsoleSignIn(ctx, a.id, now); err != nil {
		var ae *awserr.Error
		if errors.As(err, &ae) && ae.Code == iam.CodeEntityTemporarilyUnmodifiable {
			h.failed(w, r, a, subject, now) // the user was replaced during the sign-in
			return
		}
		h.internalError(w, "record sign-in", err)
		return
	}
	s := Session{Root: a.id.Root, Account: a.id.Account, ARN: a.id.ARN, PrincipalID: a.id.PrincipalID,
		UserName: a.id.UserName, MFA: a.mfaUsed, PasswordChangeRequired: a.id.PasswordChangeRequired,
		SourceIP: a.sourceIP}
	token, err := h.cfg.Sessions.Create(ctx, &s)
	if err != nil {
		h.internalError(w, "create session", err)
		return
	}
	if err := h.recordSignIn(ctx, a, true, ""); err != nil {
		_ = h.cfg.Sessions.Delete(ctx, token) // unaudited sign-ins do not stand
		h.internalError(w, "audit", err)
		return
	}
	h.throttle.succeeded(subject)
	writeJSON(w, http.StatusOK, signInResponse{SessionToken: token, Session: s})
}

// failed answers a failed sign-in that started at now: count it, audit it, and say nothing
// about why, after the same time whatever failed.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, a *attempt, subject string, now time.Time) {
	h.throttle.failed(subject, now)
	if err := h.recordSignIn(r.Context(), a, false, msgFailedAuth); err != nil {
		h.internalError(w, "audit", err)
		return
	}
	h.pad(r.Context(), now)
	writeError(w, http.StatusUnauthorized, CodeAuthFailed, msgAuthFailed)
}

// bearer returns the session token of the Authorization header.
func bearer(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "Bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

func (h *Handler) currentSession(w http.ResponseWriter, r *http.Request) (Session, string, bool) {
	token := bearer(r)
	s, err := h.cfg.Sessions.Get(r.Context(), token)
	if err == nil {
		// A session ends when its user is deleted (or replaced by another of the same
		// name), loses its login profile, or has its password set by someone else.
		var valid bool
		valid, err = h.cfg.Identities.ConsoleSessionValid(r.Context(), s.Account, s.UserName, s.PrincipalID, s.Root, s.Issued, s.PasswordSet)
		if err == nil && !valid {
			if derr := h.cfg.Sessions.Delete(r.Context(), token); derr != nil {
				h.cfg.Logger.Warn("sign-in: delete revoked session", "error", derr)
			}
			err = ErrNoSession
		}
	}
	if errors.Is(err, ErrNoSession) {
		writeError(w, http.StatusUnauthorized, CodeNoSession, "The session is missing, expired or signed out.")
		return Session{}, "", false
	}
	if err != nil {
		h.internalError(w, "read session", err)
		return Session{}, "", false
	}
	return s, token, true
}

func (h *Handler) session(w http.ResponseWriter, r *http.Request) {
	if s, _, ok := h.currentSession(w, r); ok {
		writeJSON(w, http.StatusOK, s)
	}
}

func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if err := h.cfg.Sessions.Delete(r.Context(), bearer(r)); err != nil {
		h.internalError(w, "delete session", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) mayChangePassword(ctx context.Context, s Session) (bool, error) {
	if s.Root {
		return true, nil
	}
	if h.cfg.MayChangePassword != nil {
		return h.cfg.MayChangePassword(ctx, s)
	}
	return h.cfg.Identities.UsersMayChangePassword(ctx, s.Account)
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := h.cfg.Now()
	s, token, ok := h.currentSession(w, r)
	if !ok {
		return
	}
	a := &attempt{sourceIP: sourceIP(r), userAgent: r.UserAgent(), requestID: w.Header().Get("x-amzn-RequestId")}
	req, err := ParseChangePassword(http.MaxBytesReader(w, r.Body, MaxRequestBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeValidation, strings.TrimPrefix(err.Error(), errBadRequest.Error()+": "))
		return
	}
	subject := "arn\x00" + s.ARN
	if wait := h.throttle.admit(a.sourceIP, subject, now); wait > 0 {
		throttled(w, wait)
		return
	}
	defer h.throttle.release(subject)
	allowed, err := h.mayChangePassword(ctx, s)
	if err != nil {
		h.internalError(w, "check permission", err)
		return
	}
	if !allowed {
		msg := "User: " + s.ARN + " is not authorized to perform: iam:ChangePassword on resource: user " + s.UserName
		if err := h.recordChangePassword(ctx, &s, a, CodeAccessDenied, msg); err != nil {
			h.internalError(w, "audit", err)
			return
		}
		writeError(w, http.StatusForbidden, CodeAccessDenied, msg)
		return
	}
	if !h.hash(ctx, func() {
		if s.Root {
			err = h.cfg.Identities.ChangeRootPassword(ctx, s.Account, req.OldPassword, req.NewPassword)
		} else {
			err = h.cfg.Identities.ChangePassword(ctx, s.Account, s.UserName, req.OldPassword, req.NewPassword)
		}
	}) {
		throttled(w, retryBusy)
		return
	}
	if err != nil {
		var ae *awserr.Error
		if !errors.As(err, &ae) || ae.Status >= 500 {
			h.internalError(w, "change password", err)
			return
		}
		if ae.Code == iam.CodeAccessDenied { // wrong current password
			h.throttle.failed(subject, now)
		}
		if rerr := h.recordChangePassword(ctx, &s, a, ae.Code, ae.Message); rerr != nil {
			h.internalError(w, "audit", rerr)
			return
		}
		writeError(w, ae.Status, ae.Code, ae.Message)
		return
	}
	h.throttle.succeeded(subject)
	if err := h.recordChangePassword(ctx, &s, a, "", ""); err != nil {
		h.internalError(w, "audit", err)
		return
	}
	setAt := h.cfg.Now()
	if err := h.cfg.Sessions.Update(ctx, token, func(s *Session) { s.PasswordChangeRequired, s.PasswordSet = false, setAt }); err != nil {
		h.internalError(w, "update session", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"passwordChangeRequired": false})
}

// Run deletes expired sessions every interval until ctx ends.
func (h *Handler) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := h.cfg.Sessions.Sweep(ctx); err != nil && ctx.Err() == nil {
				h.cfg.Logger.Warn("sign-in: sweep sessions", "error", err)
			}
		}
	}
}
