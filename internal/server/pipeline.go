// Package server is Bulwark's request pipeline: it routes a request to a service operation,
// authenticates it with SigV4, decodes it with the service's protocol codec, authorizes it,
// runs the handler, records the audit event and writes the response.
package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/audit"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/caller"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
	"github.com/bulwarkhq/bulwark/internal/sigv4"
)

// DefaultMaxBody is the largest request body accepted when Config.MaxBody is 0.
const DefaultMaxBody = 8 << 20

// Authenticator verifies a request's signature.
type Authenticator interface {
	Verify(ctx context.Context, r *http.Request, body []byte) (*sigv4.Result, error)
}

// Authorizer decides whether the caller may run the operation with the input. It returns
// an *awserr.Error (AccessDenied) to deny.
type Authorizer interface {
	Authorize(ctx context.Context, req *caller.Request, op *protocol.Operation, in protocol.Input) error
}

// Unauthenticated serves the operations AWS accepts without a SigV4 signature because the
// request authenticates itself, such as sts:AssumeRoleWithWebIdentity, whose web identity
// token vouches for the caller. The pipeline asks it only about requests that carry no
// signature at all (no Authorization header, no presigned query); a signed request to
// the same operation takes the normal path.
type Unauthenticated interface {
	// Unsigned reports whether op may be called without a signature.
	Unsigned(op *protocol.Operation) bool
	// Authenticate returns the caller of an unsigned call to op from its decoded and
	// validated input. The principal must name an account: the call is audited under it.
	// An error (an *awserr.Error such as InvalidIdentityToken) is answered to the client
	// and, like any failed authentication, not audited.
	Authenticate(ctx context.Context, req *caller.Request, op *protocol.Operation, in protocol.Input) (caller.Principal, error)
}

// KeyUsage records which service and Region an access key was last used for.
type KeyUsage interface {
	RecordAccessKeyUse(ctx context.Context, accessKeyID, service, region string, at time.Time) error
}

// Config wires the pipeline.
type Config struct {
	Services      []*protocol.Service
	Authenticator Authenticator
	Authorizer    Authorizer
	Audit         audit.Sink
	// Unauthenticated, when set, serves the operations AWS accepts unsigned; nil means
	// every request must be signed.
	Unauthenticated Unauthenticated
	// KeyUsage, when set, is told of every authenticated request; its errors are logged.
	KeyUsage KeyUsage
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxBody caps the request body; 0 means DefaultMaxBody.
	MaxBody int64
	Logger  *slog.Logger
}

// Pipeline is the http.Handler that serves every AWS API request.
type Pipeline struct {
	cfg    Config
	router *Router
	codecs map[string]protocol.Codec
}

// New returns the pipeline for the configuration.
func New(cfg Config) *Pipeline {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{cfg: cfg, router: NewRouter(cfg.Services), codecs: NewCodecs(cfg.Services)}
}

// exchange is one request on its way through the pipeline.
type exchange struct {
	svc *protocol.Service
	op  *protocol.Operation
	req caller.Request
	in  protocol.Input
	out protocol.Output
	err *awserr.Error
}

// ServeHTTP implements http.Handler.
func (p *Pipeline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{req: caller.Request{RequestID: newRequestID(), Time: p.cfg.Now(),
		SourceIP: sourceIP(r), UserAgent: r.UserAgent(), Secure: r.TLS != nil}}
	defer func() {
		if v := recover(); v != nil {
			p.cfg.Logger.Error("panic in request", "request_id", x.req.RequestID, "panic", v)
			p.writeError(w, x.svc, awserr.From(errors.New("panic")), x.req.RequestID)
		}
	}()
	x.svc = p.router.Service(r)
	if x.svc == nil {
		p.writeError(w, nil, awserr.New("UnknownService", http.StatusBadRequest,
			"the request names no service Bulwark serves; sign it with a SigV4 credential scope naming one"), x.req.RequestID)
		return
	}
	codec := p.codecs[x.svc.Protocol]
	body, err := io.ReadAll(io.LimitReader(r.Body, p.cfg.MaxBody+1))
	if err != nil {
		p.writeError(w, x.svc, awserr.New("RequestTimeout", http.StatusBadRequest, "the request body could not be read"), x.req.RequestID)
		return
	}
	if int64(len(body)) > p.cfg.MaxBody {
		p.writeError(w, x.svc, awserr.New("RequestEntityTooLarge", http.StatusRequestEntityTooLarge,
			"the request body exceeds %d bytes", p.cfg.MaxBody), x.req.RequestID)
		return
	}
	unsigned := !signed(r)
	if unsigned && x.svc.Protocol == protocol.Query {
		// Without a credential scope the router guessed the first query service; the
		// form's Action names the right one.
		if form, err := awsquery.Form(r, body); err == nil {
			if s := p.router.queryService(form.Get("Action")); s != nil {
				x.svc = s
			}
		}
	}
	op, decode, err := codec.Resolve(x.svc, r, body)
	if err != nil {
		p.writeError(w, x.svc, awserr.From(err), x.req.RequestID)
		return
	}
	x.op = op
	ctx := r.Context()
	if unsigned && p.cfg.Unauthenticated != nil && p.cfg.Unauthenticated.Unsigned(op) {
		p.serveUnsigned(ctx, w, x, codec, decode)
		return
	}
	res, err := p.cfg.Authenticator.Verify(ctx, r, body)
	if err != nil {
		var se *sigv4.Error
		if !errors.As(err, &se) {
			p.cfg.Logger.Error("authentication failed", "request_id", x.req.RequestID, "err", err)
		}
		p.writeError(w, x.svc, sigv4.AWSError(err, sigv4.Protocol(x.svc.Protocol)), x.req.RequestID)
		return
	}
	if err := sigv4.CheckScope(res.Scope, x.svc.SigningName, validRegion); err != nil {
		p.writeError(w, x.svc, sigv4.AWSError(err, sigv4.Protocol(x.svc.Protocol)), x.req.RequestID)
		return
	}
	x.req.Principal, _ = res.Credential.Principal.(caller.Principal)
	if p.cfg.KeyUsage != nil {
		if err := p.cfg.KeyUsage.RecordAccessKeyUse(ctx, res.Credential.AccessKeyID, x.svc.SigningName, res.Scope.Region, x.req.Time); err != nil {
			p.cfg.Logger.Warn("access key use not recorded", "request_id", x.req.RequestID, "err", err)
		}
	}
	x.req.Region = res.Scope.Region
	if x.svc.Global {
		x.req.Region = "us-east-1"
	}
	ctx = caller.NewContext(ctx, &x.req)
	p.run(ctx, x, decode)
	p.finish(ctx, w, x, codec)
}

// finish records the audit event of an authenticated request and writes its answer.
func (p *Pipeline) finish(ctx context.Context, w http.ResponseWriter, x *exchange, codec protocol.Codec) {
	if err := p.record(ctx, x); err != nil {
		p.cfg.Logger.Error("audit event not recorded; failing the request", "request_id", x.req.RequestID, "err", err)
		p.writeError(w, x.svc, awserr.New("InternalFailure", http.StatusInternalServerError,
			"the request could not be recorded in the audit trail"), x.req.RequestID)
		return
	}
	if x.err != nil {
		p.writeError(w, x.svc, x.err, x.req.RequestID)
		return
	}
	codec.WriteOutput(w, x.op, x.out, x.req.RequestID)
}

// serveUnsigned serves an unsigned request to an operation Config.Unauthenticated accepts:
// the input is decoded and validated first (the credential is in it), Authenticate turns
// it into the caller, and from there the request runs as a signed one does (authorize,
// handler, audit). Failures before there is a caller are answered and not audited.
func (p *Pipeline) serveUnsigned(ctx context.Context, w http.ResponseWriter, x *exchange, codec protocol.Codec, decode protocol.DecodeFunc) {
	// An unsigned request names no Region; STS and IAM are served as us-east-1.
	x.req.Region = "us-east-1"
	in, err := decode()
	if err == nil {
		err = in.Validate()
	}
	var pr caller.Principal
	if err == nil {
		pr, err = p.cfg.Unauthenticated.Authenticate(ctx, &x.req, x.op, in)
	}
	if err == nil && pr.Account == "" {
		err = errors.New("server: unsigned caller without an account")
	}
	if err != nil {
		e := awserr.From(err)
		if e.Status >= 500 {
			p.cfg.Logger.Error("unsigned request failed", "request_id", x.req.RequestID, "operation", x.op.Name, "err", err)
		}
		p.writeError(w, x.svc, e, x.req.RequestID)
		return
	}
	x.req.Principal = pr
	ctx = caller.NewContext(ctx, &x.req)
	p.run(ctx, x, func() (protocol.Input, error) { return in, nil })
	p.finish(ctx, w, x, codec)
}

// signed reports whether a request carries a signature, valid or not: an Authorization
// header or a presigned query string.
func signed(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	q := r.URL.Query()
	return q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature")
}

// run decodes, authorizes and invokes; the outcome lands in x.out or x.err.
func (p *Pipeline) run(ctx context.Context, x *exchange, decode protocol.DecodeFunc) {
	defer func() {
		// A panicking handler is a failed request: it is answered and audited as
		// InternalFailure, and its text goes only to the log.
		if v := recover(); v != nil {
			p.cfg.Logger.Error("panic in handler", "request_id", x.req.RequestID, "operation", x.op.Name, "panic", v)
			x.out, x.err = nil, awserr.From(errors.New("panic"))
		}
	}()
	in, err := decode()
	if err == nil {
		x.in = in
		err = in.Validate()
	}
	if err == nil {
		err = p.cfg.Authorizer.Authorize(ctx, &x.req, x.op, in)
	}
	if err == nil {
		x.out, err = x.op.Invoke(ctx, in)
	}
	if err != nil {
		x.err = awserr.From(err)
		if x.err.Status >= 500 {
			p.cfg.Logger.Error("request failed", "request_id", x.req.RequestID, "operation", x.op.Name, "err", err)
		}
	}
}

func (p *Pipeline) writeError(w http.ResponseWriter, svc *protocol.Service, e *awserr.Error, requestID string) {
	proto := protocol.Query
	if svc != nil {
		proto = svc.Protocol
	}
	p.codecs[proto].WriteError(w, svc, e, requestID)
}

// readOnly reports whether an operation only reads, as CloudTrail's readOnly field does.
func readOnly(name string) bool {
	for _, p := range [...]string{"Get", "List", "Describe", "Lookup", "Simulate", "Search"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// record files the audit event of an authenticated request.
func (p *Pipeline) record(ctx context.Context, x *exchange) error {
	pr := x.req.Principal
	ev := &audit.Event{
		UserIdentity: audit.UserIdentity{Type: string(pr.Kind), PrincipalID: pr.ID, ARN: pr.ARN,
			AccountID: pr.Account, AccessKeyID: pr.AccessKeyID, UserName: pr.UserName},
		EventSource:        x.svc.EventSource,
		EventName:          x.op.Name,
		AWSRegion:          x.req.Region,
		SourceIPAddress:    x.req.SourceIP,
		UserAgent:          x.req.UserAgent,
		RequestID:          x.req.RequestID,
		ReadOnly:           readOnly(x.op.Name),
		RecipientAccountID: pr.Account,
		APIVersion:         x.svc.APIVersion,
	}
	if pr.Kind == caller.WebIdentityUser {
		// CloudTrail's WebIdentityUser identity has no account: the event belongs to the
		// role's account (RecipientAccountID).
		ev.UserIdentity.AccountID = ""
	}
	if x.in != nil {
		ev.RequestParameters = auditJSON(x.in)
	}
	if x.err != nil {
		ev.ErrorCode, ev.ErrorMessage = x.err.Code, x.err.Message
	} else if x.out != nil && !ev.ReadOnly {
		ev.ResponseElements = auditJSON(x.out)
	}
	return p.cfg.Audit.Record(ctx, ev)
}

// auditJSON encodes a shape with audit names and secrets redacted; an empty object is null.
func auditJSON(s protocol.Shape) []byte {
	e := jsonv.NewEncoder(make([]byte, 0, 256))
	e.Audit = true
	s.EncodeJSON(e)
	if b := e.Bytes(); len(b) > 2 {
		return b
	}
	return nil
}

// validRegion accepts Region names of the form AWS uses, such as us-east-1 or us-gov-west-1.
func validRegion(r string) bool {
	parts := strings.Split(r, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	last := parts[len(parts)-1]
	return len(last) == 1 && last[0] >= '0' && last[0] <= '9'
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
