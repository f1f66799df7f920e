package webhook

import (
	"context"
	"net/netip"
	"net/url"
	"testing"
)

// FuzzWebhookURL: registration validation never panics, and whatever it
// accepts is an absolute http(s) URL with a host and no credentials.
func FuzzWebhookURL(f *testing.F) {
	for _, s := range []string{"https://hooks.example.com/x", "http://127.0.0.1:8080/", "http://[::1]/", "https://user:pw@h/",
		"javascript:alert(1)", "https://", "//host/x", "http://0x7f.1/", "http://[fe80::1%25eth0]/", "https://h/\x00", "%", ""} {
		f.Add(s)
	}
	s := &Service{allowPrivate: true} // no DNS in a fuzz loop; checkHost is fuzzed on literals below
	f.Fuzz(func(t *testing.T, raw string) {
		if err := s.validate(context.Background(), Input{URL: raw, Events: []string{Events[0]}}); err != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
			t.Fatalf("accepted %q", raw)
		}
	})
}

// FuzzWebhookHostLiteral: the SSRF guard answers for every IP literal
// without resolving anything, and refuses every loopback, private and
// unspecified address however it is written.
func FuzzWebhookHostLiteral(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::1", "::ffff:127.0.0.1", "10.1.2.3", "169.254.169.254", "0.0.0.0", "fd00::1", "8.8.8.8", "2001:db8::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		a, err := netip.ParseAddr(host)
		if err != nil {
			return
		}
		err = checkHost(context.Background(), host)
		u := a.Unmap()
		if err == nil && (u.IsLoopback() || u.IsPrivate() || u.IsUnspecified() || u.IsLinkLocalUnicast()) {
			t.Fatalf("%s passed the guard", host)
		}
	})
}
