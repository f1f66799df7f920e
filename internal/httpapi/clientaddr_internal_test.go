package httpapi

import (
	"net/netip"
	"strings"
	"testing"
)

func TestResolveClientAddr(t *testing.T) {
	trusted, err := parseProxies([]string{"10.0.0.0/8", "192.0.2.1", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	peer := netip.MustParseAddr("10.1.2.3")
	for _, tc := range []struct {
		name      string
		proxies   proxies
		peer      netip.Addr
		forwarded []string
		want      string
	}{
		{"no proxies: the header is ignored", nil, netip.MustParseAddr("198.51.100.9"), []string{"203.0.113.7"}, "198.51.100.9"},
		{"untrusted peer: the header is ignored", trusted, netip.MustParseAddr("198.51.100.9"), []string{"203.0.113.7"}, "198.51.100.9"},
		{"trusted proxy sends no header", trusted, peer, nil, "10.1.2.3"},
		{"one hop", trusted, peer, []string{"203.0.113.7"}, "203.0.113.7"},
		{"spoofed prefix is skipped", trusted, peer, []string{"anything, 203.0.113.7"}, "203.0.113.7"},
		{"spoofed address is skipped", trusted, peer, []string{"1.1.1.1, 203.0.113.7"}, "203.0.113.7"},
		{"our proxies are walked past", trusted, peer, []string{"1.1.1.1, 203.0.113.7, 10.9.9.9, 192.0.2.1"}, "203.0.113.7"},
		{"several headers in order", trusted, peer, []string{"1.1.1.1", "203.0.113.7", "10.9.9.9"}, "203.0.113.7"},
		{"garbage right of a trusted hop stops at that hop", trusted, peer, []string{"203.0.113.7, junk, 10.9.9.9"}, "10.9.9.9"},
		{"garbage in the right-most place keeps the peer", trusted, peer, []string{"203.0.113.7, junk"}, "10.1.2.3"},
		{"empty header", trusted, peer, []string{""}, "10.1.2.3"},
		{"only our proxies", trusted, peer, []string{"10.0.0.7, 10.0.0.8"}, "10.0.0.7"},
		{"port stripped", trusted, peer, []string{"203.0.113.7:4711"}, "203.0.113.7"},
		{"IPv6 with port", trusted, peer, []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"IPv4-mapped IPv6 unmapped", trusted, peer, []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{"zone dropped", trusted, peer, []string{"fe80::1%eth0"}, "fe80::1"},
		{"whole header is one bogus value", trusted, peer, []string{"203.0.113.7 203.0.113.8"}, "10.1.2.3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fwd [][]byte
			for _, f := range tc.forwarded {
				fwd = append(fwd, []byte(f))
			}
			if got := tc.proxies.resolve(tc.peer, fwd).String(); got != tc.want {
				t.Fatalf("resolve = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRateKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":            "203.0.113.7",
		"2001:db8:1:2::1":        "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::abc": "2001:db8:1:2::/64",
		"2001:db8:1:3::1":        "2001:db8:1:3::/64",
	} {
		if got := rateKey(netip.MustParseAddr(in)); got != want {
			t.Errorf("rateKey(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestParseProxiesRefusesNames(t *testing.T) {
	if _, err := parseProxies([]string{"10.0.0.1", "proxy.internal"}); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}

// FuzzClientAddr: any X-Forwarded-For resolves, without panicking, to the
// peer or to an address that the header really holds.
func FuzzClientAddr(f *testing.F) {
	for _, s := range []string{"203.0.113.7", "a, 203.0.113.7, 10.0.0.1", "[::1]:80, fe80::1%eth0", ",,,", "::ffff:1.2.3.4", "1.2.3.4:99999"} {
		f.Add(s)
	}
	trusted, err := parseProxies([]string{"10.0.0.0/8"})
	if err != nil {
		f.Fatal(err)
	}
	peer := netip.MustParseAddr("10.0.0.2")
	f.Fuzz(func(t *testing.T, header string) {
		got := trusted.resolve(peer, [][]byte{[]byte(header)})
		if !got.IsValid() {
			t.Fatalf("invalid address from %q", header)
		}
		if got == peer {
			return
		}
		for _, h := range strings.Split(header, ",") {
			if a, ok := parseHop(strings.TrimSpace(h)); ok && a == got {
				return
			}
		}
		t.Fatalf("resolved %s from %q", got, header)
	})
}
