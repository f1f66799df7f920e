package webhook

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

// errForbiddenTarget refuses addresses inside the network Verdict runs in.
var errForbiddenTarget = errors.New("webhook: the target resolves to a loopback, private or link-local address")

// forbidden reports whether an address is one a webhook must not reach:
// loopback, private, link-local, unspecified, multicast, or carrier-grade NAT.
func forbidden(a netip.Addr) bool {
	a = a.Unmap()
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast() || cgnat.Contains(a)
}

// NewClient returns the HTTP client deliveries use. The check runs on the
// address actually dialled, after DNS, so neither a hostname that resolves
// inward nor DNS rebinding gets through; redirects are not followed.
func NewClient(allowPrivate bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("webhook: dial %s: %w", address, err)
		}
		if forbidden(ap.Addr()) {
			return errForbiddenTarget
		}
		return nil
	}}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		Proxy:                 nil, // a proxy would dial for us and bypass the check
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
		ResponseHeaderTimeout: timeout,
		TLSHandshakeTimeout:   5 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// checkHost resolves a webhook's host at registration, for an early, clear
// error; NewClient's check at dial time is the one that holds.
func checkHost(ctx context.Context, host string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if a, err := netip.ParseAddr(host); err == nil {
		if forbidden(a) {
			return errForbiddenTarget
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("webhook: cannot resolve %s", host)
	}
	for _, a := range addrs {
		if forbidden(a) {
			return errForbiddenTarget
		}
	}
	return nil
}
