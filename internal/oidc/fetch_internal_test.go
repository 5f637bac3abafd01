package oidc

import (
	"net/netip"
	"testing"
)

func TestRefusedAddr(t *testing.T) {
	for _, tc := range []struct {
		addr            string
		always, private bool // refused always; refused with refusePrivate
	}{
		{"169.254.169.254", true, true},
		{"::ffff:169.254.169.254", true, true},
		{"fe80::1", true, true},
		{"fd00:ec2::254", true, true},
		{"0.0.0.0", true, true},
		{"::", true, true},
		{"224.0.0.1", true, true},
		{"ff02::1", true, true},
		{"255.255.255.255", true, true},
		{"127.0.0.1", false, true},
		{"::1", false, true},
		{"10.0.0.1", false, true},
		{"172.16.5.4", false, true},
		{"192.168.1.1", false, true},
		{"100.64.0.1", false, true},
		{"fd12:3456::1", false, true},
		{"::ffff:10.0.0.1", false, true},
		{"8.8.8.8", false, false},
		{"2606:4700::1111", false, false},
	} {
		a := netip.MustParseAddr(tc.addr)
		if got := refusedAddr(a, false) != nil; got != tc.always {
			t.Errorf("refusedAddr(%s, false) refused = %v, want %v", tc.addr, got, tc.always)
		}
		if got := refusedAddr(a, true) != nil; got != tc.private {
			t.Errorf("refusedAddr(%s, true) refused = %v, want %v", tc.addr, got, tc.private)
		}
	}
}
