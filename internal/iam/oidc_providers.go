package iam

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/bulwarkhq/bulwark/internal/arn"
)

// IAM OpenID Connect identity providers (CreateOpenIDConnectProvider,
// GetOpenIDConnectProvider, ListOpenIDConnectProviders, DeleteOpenIDConnectProvider,
// UpdateOpenIDConnectProviderThumbprint, AddClientIDToOpenIDConnectProvider,
// RemoveClientIDFromOpenIDConnectProvider, TagOpenIDConnectProvider,
// UntagOpenIDConnectProvider, ListOpenIDConnectProviderTags), and the lookups STS uses for
// AssumeRoleWithWebIdentity (OpenIDConnectProviderByARN, OpenIDConnectProviderForIssuer).
//
// Storage key (also in the table in keys.go):
//
//	iam/a/<acct>/oidc/<escaped id>    OIDC provider record
//
// A provider's identity is its URL without the "https://" scheme: the host, lower-cased
// (host names are case-insensitive), followed by the path exactly as given, trailing "/"
// included ("https://host" and "https://host/" are two providers, as in AWS). The ARN is
// arn:<partition>:iam::<acct>:oidc-provider/<url without scheme>.
//
// When ThumbprintList is omitted AWS fetches the IdP's certificate chain to compute one; this
// layer does no network I/O, so the provider is stored without thumbprints and the token
// verifier (internal/oidc) trusts the system's root CAs, as AWS does for IdPs whose
// certificates chain to a public CA.

// Quotas and constraints of OIDC providers ("IAM and AWS STS quotas", the
// CreateOpenIDConnectProvider reference and the API model: Url and client IDs 1..255
// characters, thumbprints exactly 40).
const (
	OIDCProvidersPerAccount  = 100
	ClientIDsPerOIDCProvider = 100
	ThumbprintsPerProvider   = 5
	maxOIDCURL               = 255
	maxClientID              = 255
	thumbprintLen            = 40
	oidcResourcePrefix       = "oidc-provider/"
)

// OpenIDConnectProvider is an IAM OIDC identity provider. URL is the provider's URL as
// registered, with its "https://" scheme (the wire's Url member leaves the scheme out).
type OpenIDConnectProvider struct {
	ARN         string
	URL         string
	ClientIDs   []string
	Thumbprints []string
	CreateDate  time.Time
	Tags        []Tag
}

// oidcRec is the stored provider.
type oidcRec struct {
	URL         string
	ClientIDs   []string `json:",omitempty"`
	Thumbprints []string `json:",omitempty"`
	Created     time.Time
	Tags        []Tag `json:",omitempty"`
}

func oidcPrefix(acct string) string  { return acctPrefix(acct) + "oidc/" }
func oidcKey(acct, id string) string { return oidcPrefix(acct) + url.PathEscape(oidcIdentity(id)) }

// oidcIdentity normalises "host/path" (no scheme) for keys: the host part is lower-cased.
func oidcIdentity(id string) string {
	host, path, found := strings.Cut(id, "/")
	if !found {
		return lower(host)
	}
	return lower(host) + "/" + path
}

// Messages for OIDC providers. They match AWS's answers as recorded by IAM-compatible
// projects tested against AWS (moto's and versitygw's IAM suites), except the non-hex
// thumbprint message, which is Bulwark's: AWS documents a thumbprint as a hex-encoded SHA-1.
const (
	msgOIDCBadURL       = "Invalid Open ID Connect Provider URL"
	msgOIDCNotHTTPS     = "Invalid Open ID Connect Provider URL. The URL must begin with https://."
	msgOIDCBadURLDot    = "Invalid Open ID Connect Provider URL."
	msgThumbprintCount  = "Thumbprint list must contain fewer than 5 entries."
	msgThumbprintLength = "Thumbprint must be exactly 40 characters."
	msgThumbprintHex    = "Thumbprint must be a hex-encoded SHA-1 hash."
)

func errNoSuchOIDC(providerARN string) error {
	return noSuchEntity("OpenIDConnect Provider not found for arn %s", providerARN)
}

// parseOIDCURL validates a provider URL as CreateOpenIDConnectProvider does and returns the
// URL without its scheme ("host/path"), which names the provider.
func parseOIDCURL(raw string) (string, error) {
	var c checks
	c.str("url", raw, true, 1, maxOIDCURL, nil, "")
	if err := c.err(); err != nil {
		return "", err
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", validationError(msgOIDCBadURL)
	}
	if !strings.HasPrefix(raw, "https://") {
		return "", invalidInput(msgOIDCNotHTTPS)
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") ||
		u.Port() != "" || strings.HasSuffix(u.Host, ":") || !validOIDCHost(u.Hostname()) {
		return "", invalidInput(msgOIDCBadURLDot)
	}
	return raw[len("https://"):], nil
}

// validOIDCHost accepts an IP literal or a DNS name of letters, digits and hyphens.
func validOIDCHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			ch := label[i]
			if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '-') {
				return false
			}
		}
	}
	return true
}

// checkClientIDs validates a client ID list and returns it without duplicates, in order.
func checkClientIDs(ids []string) ([]string, error) {
	var c checks
	for i, id := range ids {
		if id == "" {
			c.fail(fmt.Sprintf("clientIDList.%d.member", i+1), "Member must have length greater than or equal to 1")
		} else {
			c.str(fmt.Sprintf("clientIDList.%d.member", i+1), id, true, 1, maxClientID, nil, "")
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	out := dedupe(ids)
	if len(out) > ClientIDsPerOIDCProvider {
		return nil, errQuota("ClientIdsPerOpenIdConnectProvider", ClientIDsPerOIDCProvider)
	}
	return out, nil
}

// checkThumbprints validates a thumbprint list and returns it lower-cased, without duplicates.
func checkThumbprints(tps []string) ([]string, error) {
	if len(tps) > ThumbprintsPerProvider {
		return nil, invalidInput(msgThumbprintCount)
	}
	out := make([]string, 0, len(tps))
	for _, tp := range tps {
		if len(tp) != thumbprintLen {
			return nil, invalidInput(msgThumbprintLength)
		}
		if _, err := hex.DecodeString(tp); err != nil {
			return nil, invalidInput(msgThumbprintHex)
		}
		out = append(out, strings.ToLower(tp))
	}
	return dedupe(out), nil
}

func dedupe(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func (s *Service) oidcARN(acct, id string) string {
	return "arn:" + s.partition + ":iam::" + acct + ":" + oidcResourcePrefix + id
}

func (s *Service) oidcOut(acct string, r *oidcRec) OpenIDConnectProvider {
	return OpenIDConnectProvider{
		ARN: s.oidcARN(acct, strings.TrimPrefix(r.URL, "https://")), URL: r.URL,
		ClientIDs: slices.Clone(r.ClientIDs), Thumbprints: slices.Clone(r.Thumbprints),
		CreateDate: r.Created, Tags: slices.Clone(r.Tags),
	}
}

// oidcRef parses a provider ARN: the account it names and the provider's "host/path".
func (s *Service) oidcRef(providerARN string) (acct, id string, err error) {
	var c checks
	c.arnField("openIDConnectProviderArn", providerARN)
	if err := c.err(); err != nil {
		return "", "", err
	}
	a, perr := arn.Parse(providerARN)
	if perr != nil || a.Service != "iam" || a.Region != "" || a.AccountID == "" ||
		!strings.HasPrefix(a.Resource, oidcResourcePrefix) || len(a.Resource) == len(oidcResourcePrefix) {
		return "", "", invalidInput("ARN %s is not valid.", providerARN)
	}
	return a.AccountID, strings.TrimPrefix(a.Resource, oidcResourcePrefix), nil
}

// loadOIDC reads the provider an ARN names, in the account acct.
func (s *Service) loadOIDC(t *tx, acct, providerARN string) (*oidcRec, string, error) {
	a, id, err := s.oidcRef(providerARN)
	if err != nil {
		return nil, "", err
	}
	if a != acct || !strings.HasPrefix(providerARN, "arn:"+s.partition+":") {
		return nil, "", errNoSuchOIDC(providerARN)
	}
	key := oidcKey(acct, id)
	var r oidcRec
	ok, err := t.get(key, &r)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", errNoSuchOIDC(providerARN)
	}
	return &r, key, nil
}

// CreateOpenIDConnectProviderInput is the input of CreateOpenIDConnectProvider.
type CreateOpenIDConnectProviderInput struct {
	URL         string
	ClientIDs   []string
	Thumbprints []string
	Tags        []Tag
}

// CreateOpenIDConnectProvider registers an OIDC identity provider.
func (s *Service) CreateOpenIDConnectProvider(ctx context.Context, acct string, in CreateOpenIDConnectProviderInput) (OpenIDConnectProvider, error) {
	id, err := parseOIDCURL(in.URL)
	if err != nil {
		return OpenIDConnectProvider{}, err
	}
	clients, err := checkClientIDs(in.ClientIDs)
	if err != nil {
		return OpenIDConnectProvider{}, err
	}
	tps, err := checkThumbprints(in.Thumbprints)
	if err != nil {
		return OpenIDConnectProvider{}, err
	}
	if err := checkTags(in.Tags, true); err != nil {
		return OpenIDConnectProvider{}, err
	}
	if len(in.Tags) > s.quotas.TagsPerResource {
		return OpenIDConnectProvider{}, errTagLimit()
	}
	// The account quota is counted before the transaction: like AWS's own eventually
	// consistent quotas, two racing creates may both pass at 99.
	existing, err := s.rangeAll(ctx, oidcPrefix(acct))
	if err != nil {
		return OpenIDConnectProvider{}, internal(err)
	}
	if len(existing) >= OIDCProvidersPerAccount {
		return OpenIDConnectProvider{}, errQuota("OpenIdConnectProvidersPerAccount", OIDCProvidersPerAccount)
	}
	r := &oidcRec{URL: in.URL, ClientIDs: clients, Thumbprints: tps, Created: s.clock(), Tags: in.Tags}
	key := oidcKey(acct, id)
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(key)
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("Provider with url %s already exists.", in.URL)
		}
		return t.put(key, r)
	})
	if err != nil {
		return OpenIDConnectProvider{}, err
	}
	return s.oidcOut(acct, r), nil
}

// GetOpenIDConnectProvider returns a provider of the account by ARN.
func (s *Service) GetOpenIDConnectProvider(ctx context.Context, acct, providerARN string) (OpenIDConnectProvider, error) {
	var out OpenIDConnectProvider
	err := s.view(ctx, func(t *tx) error {
		r, _, err := s.loadOIDC(t, acct, providerARN)
		if err != nil {
			return err
		}
		out = s.oidcOut(acct, r)
		return nil
	})
	return out, err
}

// OpenIDConnectProviderByARN returns the provider an ARN names, in whatever account the ARN
// says; STS uses it to resolve the Federated principal of a role's trust policy.
func (s *Service) OpenIDConnectProviderByARN(ctx context.Context, providerARN string) (OpenIDConnectProvider, error) {
	acct, _, err := s.oidcRef(providerARN)
	if err != nil {
		return OpenIDConnectProvider{}, err
	}
	return s.GetOpenIDConnectProvider(ctx, acct, providerARN)
}

// OpenIDConnectProviderForIssuer returns the account's provider whose URL is the issuer of a
// web identity token (its "iss" claim, with or without "https://"), as AWS matches tokens to
// providers in AssumeRoleWithWebIdentity. It returns NoSuchEntity when there is none.
func (s *Service) OpenIDConnectProviderForIssuer(ctx context.Context, acct, issuer string) (OpenIDConnectProvider, error) {
	id := strings.TrimPrefix(issuer, "https://")
	providerARN := s.oidcARN(acct, id)
	if id == "" || strings.Contains(id, "://") {
		return OpenIDConnectProvider{}, errNoSuchOIDC(providerARN)
	}
	var out OpenIDConnectProvider
	err := s.view(ctx, func(t *tx) error {
		var r oidcRec
		ok, err := t.get(oidcKey(acct, id), &r)
		if err != nil {
			return err
		}
		if !ok {
			return errNoSuchOIDC(providerARN)
		}
		out = s.oidcOut(acct, &r)
		return nil
	})
	return out, err
}

// ListOpenIDConnectProviders returns the ARNs of the account's providers. The operation is
// not paginated.
func (s *Service) ListOpenIDConnectProviders(ctx context.Context, acct string) ([]string, error) {
	kvs, err := s.rangeAll(ctx, oidcPrefix(acct))
	if err != nil {
		return nil, internal(err)
	}
	out := make([]string, 0, len(kvs))
	for _, kv := range kvs {
		var r oidcRec
		if err := decode(kv, &r); err != nil {
			return nil, internal(err)
		}
		out = append(out, s.oidcARN(acct, strings.TrimPrefix(r.URL, "https://")))
	}
	return out, nil
}

// DeleteOpenIDConnectProvider deletes a provider. Like AWS, it succeeds when the provider
// does not exist. Roles that trust the provider are left as they are.
func (s *Service) DeleteOpenIDConnectProvider(ctx context.Context, acct, providerARN string) error {
	a, id, err := s.oidcRef(providerARN)
	if err != nil {
		return err
	}
	if a != acct || !strings.HasPrefix(providerARN, "arn:"+s.partition+":") {
		return nil // not a provider of this account: there is nothing to delete
	}
	return s.update(ctx, func(t *tx) error {
		key := oidcKey(acct, id)
		ok, err := t.exists(key)
		if err != nil || !ok {
			return err
		}
		t.del(key)
		return nil
	})
}

// mutateOIDC loads a provider, applies fn and stores the result.
func (s *Service) mutateOIDC(ctx context.Context, acct, providerARN string, fn func(r *oidcRec) error) error {
	if _, _, err := s.oidcRef(providerARN); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		r, key, err := s.loadOIDC(t, acct, providerARN)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
		return t.put(key, r)
	})
}

// UpdateOpenIDConnectProviderThumbprint replaces a provider's thumbprint list.
func (s *Service) UpdateOpenIDConnectProviderThumbprint(ctx context.Context, acct, providerARN string, thumbprints []string) error {
	tps, err := checkThumbprints(thumbprints)
	if err != nil {
		return err
	}
	return s.mutateOIDC(ctx, acct, providerARN, func(r *oidcRec) error {
		r.Thumbprints = tps
		return nil
	})
}

func checkClientID(id string) error {
	var c checks
	c.str("clientID", id, true, 1, maxClientID, nil, "")
	return c.err()
}

// AddClientIDToOpenIDConnectProvider adds a client ID (audience) to a provider; adding one it
// already has succeeds and changes nothing.
func (s *Service) AddClientIDToOpenIDConnectProvider(ctx context.Context, acct, providerARN, clientID string) error {
	if err := checkClientID(clientID); err != nil {
		return err
	}
	return s.mutateOIDC(ctx, acct, providerARN, func(r *oidcRec) error {
		if slices.Contains(r.ClientIDs, clientID) {
			return nil
		}
		if len(r.ClientIDs) >= ClientIDsPerOIDCProvider {
			return errQuota("ClientIdsPerOpenIdConnectProvider", ClientIDsPerOIDCProvider)
		}
		r.ClientIDs = append(r.ClientIDs, clientID)
		return nil
	})
}

// RemoveClientIDFromOpenIDConnectProvider removes a client ID from a provider; removing one
// it does not have succeeds.
func (s *Service) RemoveClientIDFromOpenIDConnectProvider(ctx context.Context, acct, providerARN, clientID string) error {
	if err := checkClientID(clientID); err != nil {
		return err
	}
	return s.mutateOIDC(ctx, acct, providerARN, func(r *oidcRec) error {
		r.ClientIDs = slices.DeleteFunc(r.ClientIDs, func(x string) bool { return x == clientID })
		return nil
	})
}

// TagOpenIDConnectProvider adds tags to a provider, replacing the values of keys it already
// has. Keys compare case-insensitively.
func (s *Service) TagOpenIDConnectProvider(ctx context.Context, acct, providerARN string, tags []Tag) error {
	if err := checkTags(tags, true); err != nil {
		return err
	}
	return s.mutateOIDC(ctx, acct, providerARN, func(r *oidcRec) error {
		var err error
		r.Tags, err = mergeTags(r.Tags, tags, true, s.quotas.TagsPerResource)
		return err
	})
}

// UntagOpenIDConnectProvider removes the tags with the keys from a provider.
func (s *Service) UntagOpenIDConnectProvider(ctx context.Context, acct, providerARN string, keys []string) error {
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.mutateOIDC(ctx, acct, providerARN, func(r *oidcRec) error {
		r.Tags = removeTags(r.Tags, keys, true)
		return nil
	})
}

// ListOpenIDConnectProviderTags lists a provider's tags.
func (s *Service) ListOpenIDConnectProviderTags(ctx context.Context, acct, providerARN string, page PageInput) (Page[Tag], error) {
	p, err := s.GetOpenIDConnectProvider(ctx, acct, providerARN)
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(p.Tags, page)
}
