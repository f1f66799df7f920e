package faulttest

import (
	"net"
	"sync"
	"testing"
)

// Proxy is a loopback TCP proxy between a client (Verdict) and a server
// (PostgreSQL) that injects network faults: Stall stops forwarding bytes in
// both directions while every connection stays open, as a frozen server or
// a half-open connection looks to the client; Resume lets the bytes flow
// again; Cut closes every connection.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	resumed chan struct{} // closed while forwarding; replaced by Stall
	conns   map[net.Conn]struct{}
	total   int
	closed  bool
	wg      sync.WaitGroup
}

// StartProxy listens on 127.0.0.1:0 and forwards every connection to
// target. It is closed when the test ends.
func StartProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("faulttest: proxy listen: %v", err)
	}
	p := &Proxy{ln: ln, target: target, resumed: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	close(p.resumed)
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Stall stops forwarding without closing anything. Bytes already read are
// held, not dropped, and new connections are accepted but get no answer.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.resumed:
		p.resumed = make(chan struct{})
	default: // already stalled
	}
}

// Resume forwards again, held bytes first.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.resumed:
	default:
		close(p.resumed)
	}
}

// Cut closes every open connection, client and server side; new ones are
// still accepted.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
}

// Connections returns how many client connections the proxy has accepted.
func (p *Proxy) Connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// Close stops accepting, closes every connection and waits for the
// forwarding goroutines.
func (p *Proxy) Close() {
	_ = p.ln.Close()
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Resume()
	p.Cut()
	p.wg.Wait()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.wg.Add(1)
		go p.serve(client)
	}
}

// track registers c so that Cut and Close reach it; false means the proxy
// is closing, and c is closed.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) forget(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
		_ = c.Close()
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	p.total++
	p.mu.Unlock()
	if !p.track(client) {
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		p.forget(client)
		return
	}
	if !p.track(server) {
		p.forget(client)
		return
	}
	done := make(chan struct{})
	var once sync.Once
	stop := func() { once.Do(func() { close(done); p.forget(client, server) }) }
	var pair sync.WaitGroup
	pair.Add(2)
	go func() { defer pair.Done(); p.pipe(server, client, done); stop() }()
	go func() { defer pair.Done(); p.pipe(client, server, done); stop() }()
	pair.Wait()
}

// pipe copies src to dst, holding each chunk while the proxy is stalled.
// Either side ending ends the pair: PostgreSQL's protocol never half-closes.
func (p *Proxy) pipe(dst, src net.Conn, done <-chan struct{}) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !p.wait(done) {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// wait blocks while the proxy is stalled; false means the pair was closed.
func (p *Proxy) wait(done <-chan struct{}) bool {
	p.mu.Lock()
	resumed := p.resumed
	p.mu.Unlock()
	select {
	case <-resumed:
		return true
	case <-done:
		return false
	}
}
