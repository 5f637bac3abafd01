package oidc_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/oidc"
)

// testCert is a certificate with its key.
type testCert struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func (c testCert) thumbprint() string {
	sum := sha1.Sum(c.cert.Raw)
	return hex.EncodeToString(sum[:])
}

var serial int64 = 100

// issueCert makes a certificate signed by parent (self-signed when parent is nil): a CA when
// ca is set, else a server certificate for hosts (DNS names or IP literals).
func issueCert(t *testing.T, cn string, parent *testCert, ca bool, hosts ...string) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
	}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		for _, h := range hosts {
			if ip := net.ParseIP(h); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			} else {
				tmpl.DNSNames = append(tmpl.DNSNames, h)
			}
		}
	}
	signerCert, signerKey := tmpl, key
	if parent != nil {
		signerCert, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signerCert, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return testCert{cert: cert, key: key}
}

// serving is a TLS configuration presenting chain (leaf first) with the leaf's key.
func serving(chain ...testCert) *tls.Config {
	c := tls.Certificate{PrivateKey: chain[0].key, Leaf: chain[0].cert}
	for _, x := range chain {
		c.Certificate = append(c.Certificate, x.cert.Raw)
	}
	return &tls.Config{Certificates: []tls.Certificate{c}}
}

// insecureClient does not verify chains (a private CA): the thumbprints decide.
func insecureClient() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

// TestThumbprintChain is the review's reproduction: in thumbprint mode the presented chain
// must verify, for the host, against the thumbprinted certificates; a thumbprinted CA
// certificate merely appended after a leaf of one's own is not enough.
func TestThumbprintChain(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	ctx := context.Background()
	realCA := issueCert(t, "IdP Root CA", nil, true)
	realInter := issueCert(t, "IdP Intermediate CA", &realCA, true)
	attackerCA := issueCert(t, "Attacker CA", nil, true)
	leafHost := "127.0.0.1" // httptest listens there, and the provider URL names it

	cases := []struct {
		name        string
		chain       func() []testCert
		thumbprints []string
		ok          bool
	}{
		{"genuine chain, CA thumbprint", func() []testCert {
			return []testCert{issueCert(t, "idp", &realCA, false, leafHost), realCA}
		}, []string{realCA.thumbprint()}, true},
		{"genuine chain, top intermediate thumbprint", func() []testCert {
			return []testCert{issueCert(t, "idp", &realInter, false, leafHost), realInter}
		}, []string{strings.ToUpper(realInter.thumbprint())}, true},
		{"genuine chain via intermediate, root thumbprint", func() []testCert {
			return []testCert{issueCert(t, "idp", &realInter, false, leafHost), realInter, realCA}
		}, []string{strings.Repeat("0", 40), realCA.thumbprint()}, true},
		{"pinned server certificate", func() []testCert {
			leaf := issueCert(t, "idp", &realCA, false, leafHost)
			return []testCert{leaf, realCA}
		}, nil, true}, // thumbprints filled below with the leaf's own
		{"MITM: attacker leaf plus the real CA certificate", func() []testCert {
			return []testCert{issueCert(t, "idp", &attackerCA, false, leafHost), realCA}
		}, []string{realCA.thumbprint()}, false},
		{"MITM: self-signed leaf plus the real CA certificate", func() []testCert {
			self := issueCert(t, "idp", nil, false, leafHost)
			return []testCert{self, realCA}
		}, []string{realCA.thumbprint()}, false},
		{"MITM: attacker chain plus the real CA certificate", func() []testCert {
			return []testCert{issueCert(t, "idp", &attackerCA, false, leafHost), attackerCA, realCA}
		}, []string{realCA.thumbprint()}, false},
		{"hostname mismatch", func() []testCert {
			return []testCert{issueCert(t, "idp", &realCA, false, "idp.example.com", "10.1.2.3"), realCA}
		}, []string{realCA.thumbprint()}, false},
		{"thumbprint of another CA", func() []testCert {
			return []testCert{issueCert(t, "idp", &realCA, false, leafHost), realCA}
		}, []string{attackerCA.thumbprint()}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			chain := tc.chain()
			tps := tc.thumbprints
			if tps == nil {
				tps = []string{chain[0].thumbprint()}
			}
			is := newIssuerTLS(t, true, serving(chain...), s)
			p := is.provider()
			p.Thumbprints = tps
			_, err := oidc.NewVerifier(oidc.Options{Client: insecureClient()}).Verify(ctx, s.sign(t, is.claims()), p, epoch)
			if tc.ok && err != nil {
				t.Fatalf("Verify = %v, want success", err)
			}
			if !tc.ok {
				if !errors.Is(err, oidc.ErrIDPCommunicationError) {
					t.Fatalf("Verify = %v, want IDPCommunicationError", err)
				}
				t.Log(err)
			}
		})
	}

	// A client that verifies chains against its roots trusts the IdP whatever the
	// thumbprints (AWS's library of trusted root CAs), and still checks the host name.
	t.Run("verified chain", func(t *testing.T) {
		roots := x509.NewCertPool()
		roots.AddCert(realCA.cert)
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
		good := newIssuerTLS(t, true, serving(issueCert(t, "idp", &realCA, false, leafHost), realCA), s)
		if _, err := oidc.NewVerifier(oidc.Options{Client: client}).Verify(ctx, s.sign(t, good.claims()), good.provider(), epoch); err != nil {
			t.Fatalf("Verify = %v", err)
		}
		bad := newIssuerTLS(t, true, serving(issueCert(t, "idp", &realCA, false, "idp.example.com"), realCA), s)
		if _, err := oidc.NewVerifier(oidc.Options{Client: client}).Verify(ctx, s.sign(t, bad.claims()), bad.provider(), epoch); !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("hostname mismatch with a verifying client: %v", err)
		}
	})
}

// TestCommunicationErrorsAreGeneric: callers see one message; the detail is for the logs.
func TestCommunicationErrorsAreGeneric(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	is := newIssuer(t, true, s)
	is.status = http.StatusTeapot
	_, err := newVerifier(is, oidc.Options{}).Verify(context.Background(), s.sign(t, is.claims()), is.provider(), epoch)
	var e *oidc.Error
	if !errors.As(err, &e) || e.Code != oidc.CodeIDPCommunicationError {
		t.Fatalf("Verify = %v", err)
	}
	ae := e.AWS()
	if ae.Message != oidc.MsgIDPCommunication || strings.Contains(ae.Message, "418") {
		t.Fatalf("message to the caller = %q", ae.Message)
	}
	if !strings.Contains(err.Error(), "418") || ae.Cause == nil || !strings.Contains(ae.Cause.Error(), "418") {
		t.Fatalf("the detail is lost for the logs: %v", err)
	}
}

func TestRedirects(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	ctx := context.Background()
	t.Run("https redirect followed", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.redirectTo = is.srv.URL + "/keys"
		if _, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch); err != nil {
			t.Fatalf("Verify = %v", err)
		}
	})
	t.Run("redirect loop cut short", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.redirectTo = is.srv.URL + "/redirect"
		_, err := newVerifier(is, oidc.Options{}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) || !strings.Contains(err.Error(), "redirects") {
			t.Fatalf("Verify = %v", err)
		}
	})
	t.Run("caller's client untouched and its policy kept", func(t *testing.T) {
		is := newIssuer(t, true, s)
		is.redirectTo = is.srv.URL + "/keys"
		client := is.srv.Client()
		transport := client.Transport
		v := oidc.NewVerifier(oidc.Options{Client: client})
		if client.CheckRedirect != nil || client.Transport != transport {
			t.Fatal("NewVerifier modified the caller's client")
		}
		if _, err := v.Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch); err != nil {
			t.Fatalf("Verify = %v", err)
		}
		called := false
		client2 := is.srv.Client()
		client2.CheckRedirect = func(*http.Request, []*http.Request) error {
			called = true
			return errors.New("no redirects here")
		}
		_, err := oidc.NewVerifier(oidc.Options{Client: client2}).Verify(ctx, s.sign(t, is.claims()), is.provider(), epoch)
		if !called || !errors.Is(err, oidc.ErrIDPCommunicationError) {
			t.Fatalf("caller's CheckRedirect called = %v, Verify = %v", called, err)
		}
	})
}

func TestRefusedAddresses(t *testing.T) {
	s := rsaSigner(0, "k1", "RS256")
	ctx := context.Background()
	t.Run("loopback refused on request", func(t *testing.T) {
		for name, client := range map[string]*http.Client{"default dialer": insecureClient(), "caller's dialer": nil} {
			is := newIssuer(t, true, s)
			p := is.provider()
			if client != nil {
				sum := sha1.Sum(is.srv.Certificate().Raw)
				p.Thumbprints = []string{hex.EncodeToString(sum[:])}
			}
			_, err := newVerifier(is, oidc.Options{Client: client, RefusePrivateAddresses: true}).Verify(ctx, s.sign(t, is.claims()), p, epoch)
			if !errors.Is(err, oidc.ErrIDPCommunicationError) || !strings.Contains(err.Error(), "not allowed") {
				t.Fatalf("%s: Verify = %v", name, err)
			}
			// Allowed by default (a self-hosted IdP next to Bulwark).
			if _, err := newVerifier(is, oidc.Options{Client: client}).Verify(ctx, s.sign(t, is.claims()), p, epoch); err != nil {
				t.Fatalf("%s: loopback by default: %v", name, err)
			}
		}
	})
	t.Run("link-local always refused", func(t *testing.T) {
		url := "https://169.254.169.254/latest"
		claims := map[string]any{"iss": url, "sub": "s", "aud": clientID, "exp": epoch.Add(time.Hour).Unix()}
		v := oidc.NewVerifier(oidc.Options{Client: &http.Client{Timeout: 5 * time.Second}})
		start := time.Now()
		_, err := v.Verify(ctx, s.sign(t, claims), oidc.Provider{URL: url, ClientIDs: []string{clientID}}, epoch)
		if !errors.Is(err, oidc.ErrIDPCommunicationError) || !strings.Contains(err.Error(), "not allowed") {
			t.Fatalf("Verify = %v", err)
		}
		if time.Since(start) > 2*time.Second {
			t.Fatal("the refusal waited on a connection")
		}
	})
}
