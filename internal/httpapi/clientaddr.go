package httpapi

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const localClientAddr = "client_addr"

// proxies are the networks whose X-Forwarded-For is believed.
type proxies []netip.Prefix

// parseProxies reads IPs and CIDRs ("10.0.0.1", "10.0.0.0/8", "fd00::/8").
func parseProxies(list []string) (proxies, error) {
	out := make(proxies, 0, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: not an IP address or CIDR", s)
		}
		a = a.Unmap().WithZone("")
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func (p proxies) trust(a netip.Addr) bool {
	for _, n := range p {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// resolve returns the client's address given the socket peer and the
// X-Forwarded-For values in the order received. Every proxy appends the
// address it saw, so only the right end of the chain is trustworthy: walk
// it from the right past our own proxies and take the first other address.
// Anything further left was written by the client and is ignored. A chain
// that turns unreadable stops the walk at the last proxy we trust, so a
// client can never choose its own key.
func (p proxies) resolve(peer netip.Addr, forwarded [][]byte) netip.Addr {
	if len(p) == 0 || !p.trust(peer) {
		return peer
	}
	client := peer
	for i := len(forwarded) - 1; i >= 0; i-- {
		hops := bytes.Split(forwarded[i], []byte{','})
		for j := len(hops) - 1; j >= 0; j-- {
			a, ok := parseHop(string(bytes.TrimSpace(hops[j])))
			if !ok {
				return client
			}
			client = a
			if !p.trust(a) {
				return a
			}
		}
	}
	return client // every hop was one of ours
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a
// port ("203.0.113.7:4711", "[2001:db8::1]:443").
func parseHop(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

// clientAddr is the address of the client: the socket peer, or with
// trusted proxies the right-most address they did not add themselves.
// Without trusted proxies it is the socket peer, read afresh each time: that
// is cheaper than keeping it in the request's locals (an allocation), and
// the access log asks for it on every request.
func (a *API) clientAddr(c *fiber.Ctx) netip.Addr {
	var peer netip.Addr
	if ip := c.Context().RemoteIP(); ip != nil {
		peer, _ = netip.AddrFromSlice(ip)
		peer = peer.Unmap()
	}
	if len(a.proxies) == 0 {
		return peer
	}
	if v, ok := c.Locals(localClientAddr).(netip.Addr); ok {
		return v
	}
	addr := a.proxies.resolve(peer, c.Request().Header.PeekAll(fiber.HeaderXForwardedFor))
	c.Locals(localClientAddr, addr)
	return addr
}

// clientIP is the client's address as text, for leads and the audit log.
func (a *API) clientIP(c *fiber.Ctx) string { return a.clientAddr(c).String() }

// rateKey is the key that per-client limits count under. An IPv6 client
// usually holds a whole /64 and can rotate through it at will, so IPv6
// addresses count by their /64.
func rateKey(a netip.Addr) string {
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}
