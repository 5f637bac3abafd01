// Package iam is Bulwark's IAM domain layer: users, groups, roles, managed and inline policies,
// access keys, login profiles, virtual MFA devices, instance profiles, tags, account aliases, the
// password policy, the account summary and the credential report, with AWS IAM's semantics,
// validation, quotas and error codes and messages.
//
// It knows nothing about the wire: handlers in internal/service/iam map the generated API
// shapes to the inputs here and the results back. Policy documents are stored exactly as given;
// the IAM handlers (internal/service/iam) URL-encode them on output as IAM does.
//
// IAM is global: every entity belongs to an account, never to a region. All state lives in a
// storage.Backend; every mutation is one Backend.Txn whose conditions cover every record the
// decision read, so concurrent writers never half-apply a change and a lost race is retried
// against fresh state. Secrets (secret access keys, password hashes) are stored only in values,
// which the barrier encrypts at rest; no key ever contains one.
//
// The AWS IAM API Reference (https://docs.aws.amazon.com/IAM/latest/APIReference/) is the
// specification. Error messages that the reference does not spell out were taken from
// responses recorded against real AWS (cited next to each message in errors.go).
package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// DocKind says which kind of policy document a PolicyValidator checks; the kinds differ in
// grammar (a trust policy needs a Principal) and in size quota.
type DocKind int

// The document kinds.
const (
	// DocManaged is a customer managed policy version (identity policy; PolicySize 6144).
	DocManaged DocKind = iota + 1
	// DocUserInline is an inline policy of a user.
	DocUserInline
	// DocGroupInline is an inline policy of a group.
	DocGroupInline
	// DocRoleInline is an inline policy of a role.
	DocRoleInline
	// DocTrust is a role's trust (assume role) policy, a resource-based policy.
	DocTrust
)

// String names the kind.
func (k DocKind) String() string {
	switch k {
	case DocManaged:
		return "managed"
	case DocUserInline:
		return "user-inline"
	case DocGroupInline:
		return "group-inline"
	case DocRoleInline:
		return "role-inline"
	case DocTrust:
		return "trust"
	}
	return fmt.Sprintf("DocKind(%d)", int(k))
}

// PolicyValidator checks a policy document before it is stored. It returns nil or an
// *awserr.Error: MalformedPolicyDocument (400) for grammar findings, LimitExceeded (409) for a
// document over its per-document size quota. The aggregate inline-policy size quotas per entity
// are enforced by this package, not by the validator.
type PolicyValidator interface {
	Validate(doc string, kind DocKind) error
}

// PrincipalLister is implemented by a PolicyValidator that can also list the IAM user and
// role ARNs a valid trust policy names as "AWS" principals, so that IAM can refuse a trust
// policy naming one that does not exist, as AWS does.
type PrincipalLister interface {
	PrincipalARNs(doc string) []string
}

// Quotas are the IAM quotas this service enforces. The zero value of a field means its AWS
// default (see DefaultQuotas).
type Quotas struct {
	AccessKeysPerUser            int
	GroupsPerUser                int
	PoliciesPerUser              int
	PoliciesPerGroup             int
	PoliciesPerRole              int
	VersionsPerPolicy            int
	UserPolicySize               int
	GroupPolicySize              int
	RolePolicySize               int
	RolesPerInstanceProfile      int
	TagsPerResource              int
	UsersPerAccount              int
	GroupsPerAccount             int
	RolesPerAccount              int
	PoliciesPerAccount           int
	InstanceProfilesPerAccount   int
	ServerCertificatesPerAccount int
}

// DefaultQuotas are AWS's default IAM quotas ("IAM and AWS STS quotas",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), as GetAccountSummary
// reports them on a new account.
func DefaultQuotas() Quotas {
	return Quotas{
		AccessKeysPerUser:            2,
		GroupsPerUser:                10,
		PoliciesPerUser:              10,
		PoliciesPerGroup:             10,
		PoliciesPerRole:              10,
		VersionsPerPolicy:            5,
		UserPolicySize:               2048,
		GroupPolicySize:              5120,
		RolePolicySize:               10240,
		RolesPerInstanceProfile:      1,
		TagsPerResource:              50,
		UsersPerAccount:              5000,
		GroupsPerAccount:             300,
		RolesPerAccount:              1000,
		PoliciesPerAccount:           1500,
		InstanceProfilesPerAccount:   1000,
		ServerCertificatesPerAccount: 20,
	}
}

// Option configures a Service.
type Option func(*Service)

// WithPartition sets the ARN partition (default "aws").
func WithPartition(p string) Option { return func(s *Service) { s.partition = p } }

// WithQuotas overrides quotas; zero fields keep their defaults.
func WithQuotas(q Quotas) Option {
	return func(s *Service) {
		d := &s.quotas
		for _, f := range []struct {
			dst *int
			v   int
		}{
			{&d.AccessKeysPerUser, q.AccessKeysPerUser}, {&d.GroupsPerUser, q.GroupsPerUser},
			{&d.PoliciesPerUser, q.PoliciesPerUser}, {&d.PoliciesPerGroup, q.PoliciesPerGroup},
			{&d.PoliciesPerRole, q.PoliciesPerRole}, {&d.VersionsPerPolicy, q.VersionsPerPolicy},
			{&d.UserPolicySize, q.UserPolicySize}, {&d.GroupPolicySize, q.GroupPolicySize},
			{&d.RolePolicySize, q.RolePolicySize}, {&d.RolesPerInstanceProfile, q.RolesPerInstanceProfile},
			{&d.TagsPerResource, q.TagsPerResource}, {&d.UsersPerAccount, q.UsersPerAccount},
			{&d.GroupsPerAccount, q.GroupsPerAccount}, {&d.RolesPerAccount, q.RolesPerAccount},
			{&d.PoliciesPerAccount, q.PoliciesPerAccount}, {&d.InstanceProfilesPerAccount, q.InstanceProfilesPerAccount},
			{&d.ServerCertificatesPerAccount, q.ServerCertificatesPerAccount},
		} {
			if f.v > 0 {
				*f.dst = f.v
			}
		}
	}
}

// WithAWSPolicies makes the AWS managed policies of the catalog attachable and listable.
func WithAWSPolicies(c AWSPolicyCatalog) Option { return func(s *Service) { s.aws = c } }

// WithKeyUseInterval sets how often RecordAccessKeyUse and RecordRoleUse write for one key or
// role (default one minute); uses within the interval are not recorded.
func WithKeyUseInterval(d time.Duration) Option { return func(s *Service) { s.useInterval = d } }

// WithPasswordHashParams sets the argon2id parameters for new password hashes. The default is
// OWASP's recommendation (m=19 MiB, t=2, p=1); lower values are only for tests.
func WithPasswordHashParams(p HashParams) Option { return func(s *Service) { s.hash = p } }

// Service is the IAM domain layer over one storage.Backend, shared by every account.
// It is safe for concurrent use.
type Service struct {
	b           storage.Backend
	now         func() time.Time
	validator   PolicyValidator
	partition   string
	quotas      Quotas
	aws         AWSPolicyCatalog
	useInterval time.Duration
	hash        HashParams

	// useMu guards lastUse, an in-process throttle for RecordAccessKeyUse/RecordRoleUse. It is
	// only an optimisation: the stored record is the truth and every node keeps its own map.
	useMu   sync.Mutex
	lastUse map[string]time.Time

	// keyCache, when set, is told synchronously of access key changes made through this
	// Service, so a revoked key fails on the very next request; other nodes learn by watch.
	keyCache atomic.Pointer[CredentialCache]
	// records, when set, caches user records for read-only operations (record_cache.go).
	records atomic.Pointer[recordCache]
}

// New returns a Service over b. now is the clock; validator checks every policy document (nil
// accepts any syntactically valid JSON, which is only fit for tests).
func New(b storage.Backend, now func() time.Time, validator PolicyValidator, opts ...Option) *Service {
	s := &Service{
		b:           b,
		now:         now,
		validator:   validator,
		partition:   "aws",
		quotas:      DefaultQuotas(),
		useInterval: time.Minute,
		hash:        DefaultHashParams(),
		lastUse:     map[string]time.Time{},
	}
	if s.validator == nil {
		s.validator = jsonValidator{}
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Partition returns the ARN partition the service builds ARNs in.
func (s *Service) Partition() string { return s.partition }

// Quotas returns the quotas in force.
func (s *Service) Quotas() Quotas { return s.quotas }

func (s *Service) clock() time.Time { return s.now().UTC() }

// jsonValidator accepts any well-formed JSON document; it stands in when no validator is given.
type jsonValidator struct{}

func (jsonValidator) Validate(doc string, _ DocKind) error {
	if !json.Valid([]byte(doc)) {
		return errMalformedJSON()
	}
	return nil
}

var _ PolicyValidator = jsonValidator{}

// validateDoc runs the validator and makes sure what it returns is an *awserr.Error.
func (s *Service) validateDoc(doc string, kind DocKind) error {
	err := s.validator.Validate(doc, kind)
	if err == nil {
		return nil
	}
	var ae *awserr.Error
	if errors.As(err, &ae) {
		return err
	}
	return &awserr.Error{Code: "MalformedPolicyDocument", Status: http.StatusBadRequest,
		Message: "Syntax errors in policy.", Cause: err}
}

// ---- transactions ---------------------------------------------------------------------------

// maxAttempts bounds the optimistic retries of one mutation before ConcurrentModification.
const maxAttempts = 32

// tx collects the reads and writes of one mutation. Every key read becomes a condition on its
// revision (0 when it was absent), so the commit fails if anything the decision rested on
// changed in between; update then re-runs the mutation against fresh state.
type tx struct {
	ctx    context.Context
	b      storage.Backend
	reads  map[string]int64
	writes map[string]storage.Op
	// readOnly marks a view: it is never committed, so it may read from the record cache.
	readOnly bool
}

func (t *tx) getRaw(key string) (storage.KV, bool, error) {
	if op, ok := t.writes[key]; ok {
		if op.Delete {
			return storage.KV{}, false, nil
		}
		return storage.KV{Key: key, Value: op.Value}, true, nil
	}
	kv, err := t.b.Get(t.ctx, key)
	if errors.Is(err, storage.ErrNotFound) {
		if _, seen := t.reads[key]; !seen {
			t.reads[key] = 0
		}
		return storage.KV{}, false, nil
	}
	if err != nil {
		return storage.KV{}, false, fmt.Errorf("get %s: %w", key, err)
	}
	if _, seen := t.reads[key]; !seen {
		t.reads[key] = kv.ModRevision
	}
	return kv, true, nil
}

// get reads key into v and records the read as a condition. It reports whether key exists.
func (t *tx) get(key string, v any) (bool, error) {
	kv, ok, err := t.getRaw(key)
	if err != nil || !ok {
		return ok, err
	}
	if err := json.Unmarshal(kv.Value, v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

// exists reports whether key exists, recording the read as a condition.
func (t *tx) exists(key string) (bool, error) {
	_, ok, err := t.getRaw(key)
	return ok, err
}

// mustAbsent records the condition that key does not exist when the txn commits.
func (t *tx) mustAbsent(key string) { t.reads[key] = 0 }

// put stages a write of v under key.
func (t *tx) put(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	t.writes[key] = storage.Op{Key: key, Value: b}
	return nil
}

// del stages a delete of key.
func (t *tx) del(key string) { t.writes[key] = storage.Op{Key: key, Delete: true} }

func (t *tx) commit() error {
	if len(t.writes) == 0 {
		return nil
	}
	conds := make([]storage.Cond, 0, len(t.reads))
	for k, rev := range t.reads {
		conds = append(conds, storage.Cond{Key: k, Revision: rev})
	}
	ops := make([]storage.Op, 0, len(t.writes))
	for _, op := range t.writes {
		ops = append(ops, op)
	}
	// Deterministic order helps drivers and makes failures reproducible.
	sort.Slice(conds, func(i, j int) bool { return conds[i].Key < conds[j].Key })
	sort.Slice(ops, func(i, j int) bool { return ops[i].Key < ops[j].Key })
	_, err := t.b.Txn(t.ctx, conds, ops)
	return err
}

// update runs fn in a fresh tx and commits it, retrying on storage.ErrConflict. fn must be free
// of side effects other than its tx (it may run several times). A non-conflict storage failure
// becomes ServiceFailure; persistent conflicts become ConcurrentModification.
func (s *Service) update(ctx context.Context, fn func(t *tx) error) error {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		t := s.newTx(ctx)
		if err := fn(t); err != nil {
			return internal(err)
		}
		err := t.commit()
		if err == nil {
			s.forgetWritten(t)
			return nil
		}
		if !errors.Is(err, storage.ErrConflict) {
			return internal(err)
		}
		// Jittered backoff: 0..(attempt+1) ms, so a crowd of writers spreads out.
		d := time.Duration(rand.Int64N(int64(attempt+1)*int64(time.Millisecond) + 1))
		select {
		case <-ctx.Done():
			return internal(ctx.Err())
		case <-time.After(d):
		}
	}
	return errConcurrent()
}

// newTx returns an empty transaction.
func (s *Service) newTx(ctx context.Context) *tx {
	return &tx{ctx: ctx, b: s.b, reads: map[string]int64{}, writes: map[string]storage.Op{}}
}

// view runs fn in a tx that is never committed: the read side of an operation.
func (s *Service) view(ctx context.Context, fn func(t *tx) error) error {
	t := s.newTx(ctx)
	t.readOnly = true
	return internal(fn(t))
}

// internal passes *awserr.Error through and turns anything else into ServiceFailure (500)
// whose message never shows the internal text.
func internal(err error) error {
	if err == nil {
		return nil
	}
	var ae *awserr.Error
	if errors.As(err, &ae) {
		return err
	}
	return &awserr.Error{Code: "ServiceFailure", Status: http.StatusInternalServerError,
		Message: "The request processing has failed because of an unknown error, exception or failure.",
		Cause:   err}
}

// decode unmarshals a stored value.
func decode(kv storage.KV, v any) error {
	if err := json.Unmarshal(kv.Value, v); err != nil {
		return fmt.Errorf("decode %s: %w", kv.Key, err)
	}
	return nil
}

// rangeAll returns every KV under prefix (bounded collections only).
func (s *Service) rangeAll(ctx context.Context, prefix string) ([]storage.KV, error) {
	var out []storage.KV
	after := ""
	for {
		p, err := s.b.Range(ctx, prefix, after, 1000)
		if err != nil {
			return nil, fmt.Errorf("range %s: %w", prefix, err)
		}
		out = append(out, p.KVs...)
		if !p.More || len(p.KVs) == 0 {
			return out, nil
		}
		after = p.KVs[len(p.KVs)-1].Key
	}
}
