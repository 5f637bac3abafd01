package oidc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// maxRedirects is the most redirects one fetch follows.
const maxRedirects = 3

// newFetchClient returns a copy of the caller's client (which is left untouched) that refuses
// redirects to anything but https (http too when AllowHTTP), follows at most maxRedirects of
// them, and, when its transport is an *http.Transport (or the default one), refuses to
// connect to the addresses refusedAddr names.
func newFetchClient(c *http.Client, v *Verifier) *http.Client {
	out := *c
	callers := c.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		if err := v.checkURL(req.URL.String()); err != nil {
			return fmt.Errorf("redirect to %s refused: %w", req.URL.Redacted(), err)
		}
		if callers != nil {
			return callers(req, via)
		}
		return nil
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*http.Transport); ok {
		out.Transport = guardTransport(t, v.opts.RefusePrivateAddresses)
	}
	return &out
}

// guardTransport clones t so that its connections to refused addresses fail: before the
// connection is made through a net.Dialer Control when t dials with the default dialer, and
// right after it is made (before anything is sent) when t has a dial function of its own.
func guardTransport(t *http.Transport, refusePrivate bool) *http.Transport {
	t = t.Clone()
	if t.DialContext == nil && t.Dial != nil { //nolint:staticcheck // the deprecated Dial is still honoured
		dial := t.Dial //nolint:staticcheck
		t.DialContext = func(_ context.Context, network, addr string) (net.Conn, error) { return dial(network, addr) }
	}
	if t.DialContext == nil {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
			Control: func(_, address string, _ syscall.RawConn) error {
				ap, err := netip.ParseAddrPort(address)
				if err != nil {
					return fmt.Errorf("oidc: dial %s: %w", address, err)
				}
				return refusedAddr(ap.Addr(), refusePrivate)
			}}
		t.DialContext = d.DialContext
	} else if t.DialContext != nil {
		t.DialContext = checkedDial(t.DialContext, refusePrivate)
	}
	if t.DialTLSContext != nil {
		t.DialTLSContext = checkedDial(t.DialTLSContext, refusePrivate)
	}
	return t
}

type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// checkedDial wraps a dial function, closing connections to refused addresses.
func checkedDial(dial dialFunc, refusePrivate bool) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if ap, perr := netip.ParseAddrPort(conn.RemoteAddr().String()); perr == nil {
			if err := refusedAddr(ap.Addr(), refusePrivate); err != nil {
				conn.Close()
				return nil, err
			}
		}
		return conn, nil
	}
}

// errRefusedAddress is the cause of a dial to a refused address.
var errRefusedAddress = errors.New("oidc: the identity provider's address is not allowed")

// refusedAddr returns an error for the addresses no IdP is fetched from: link-local ones
// (where cloud metadata services live, 169.254.169.254), EC2's IPv6 metadata address,
// unspecified and multicast ones always, and loopback, private and shared (CGNAT) ones when
// refusePrivate is set.
func refusedAddr(a netip.Addr, refusePrivate bool) error {
	a = a.Unmap()
	bad := a == ec2MetadataV6 || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() ||
		a.IsMulticast() || a.IsUnspecified() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255})
	if refusePrivate && !bad {
		bad = a.IsLoopback() || a.IsPrivate() || cgnat.Contains(a)
	}
	if bad {
		return fmt.Errorf("%w: %s", errRefusedAddress, a)
	}
	return nil
}

// ec2MetadataV6 is the EC2 instance metadata service's IPv6 address (a unique local one).
var ec2MetadataV6 = netip.MustParseAddr("fd00:ec2::254")

// cgnat is the shared address space of RFC 6598.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")
