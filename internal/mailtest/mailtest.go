// Package mailtest runs a real SMTP server on loopback for tests and
// records what it receives. It can be stopped and started again on the same
// port, to test what happens while the mail server is down, and it can
// misbehave on purpose (see Fault): refuse connections, answer slowly, hang,
// or answer 4xx or 5xx, for every message or for one recipient's.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received email.
type Message struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	Body   string
}

// Server is an SMTP server on 127.0.0.1.
type Server struct {
	t        testing.TB
	addr     string
	user     string
	password string

	tls *tls.Config // nil: plain SMTP

	mu       sync.Mutex
	msgs     []Message
	srv      *smtp.Server
	received chan struct{}
	faults   faults
}

// Start runs a server on a free port; with user and password set it
// requires SMTP AUTH PLAIN. It stops when the test ends.
func Start(t testing.TB, user, password string) *Server {
	t.Helper()
	return start(t, user, password, nil)
}

// StartTLS runs a server that speaks TLS from the first byte (smtps) with
// cfg's certificate.
func StartTLS(t testing.TB, user, password string, cfg *tls.Config) *Server {
	t.Helper()
	return start(t, user, password, cfg)
}

func start(t testing.TB, user, password string, cfg *tls.Config) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{t: t, addr: ln.Addr().String(), user: user, password: password, tls: cfg, received: make(chan struct{}, 1<<16)}
	s.faults.release = make(chan struct{})
	s.serve(ln)
	t.Cleanup(func() {
		s.Release()
		s.Stop()
	})
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return s.addr }

// URL is a VERDICT_SMTP_URL for the server.
func (s *Server) URL() string {
	scheme, query := "smtp://", "?tls=none"
	if s.tls != nil {
		scheme, query = "smtps://", ""
	}
	if s.user != "" {
		return scheme + s.user + ":" + s.password + "@" + s.addr + query
	}
	return scheme + s.addr + query
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls)
	}
	go func() { _ = srv.Serve(&refusingListener{Listener: ln, s: s}) }()
}

// Stop closes the server: connections are refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Restart serves again on the same address.
func (s *Server) Restart() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the old socket may take a moment to let go of the port
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("mailtest: restart on %s: %v", s.addr, err)
	}
	s.serve(ln)
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait blocks until n messages in all have arrived, or fails the test.
func (s *Server) Wait(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.After(timeout)
	for {
		if msgs := s.Messages(); len(msgs) >= n {
			return msgs
		}
		select {
		case <-s.received:
		case <-deadline:
			s.t.Fatalf("mailtest: %d of %d messages arrived in %v", len(s.Messages()), n, timeout)
		}
	}
}

type session struct {
	s    *Server
	from string
	to   []string
	auth bool
}

func (se *session) AuthMechanisms() []string {
	if se.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (se *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != se.s.user || password != se.s.password {
			return errors.New("invalid credentials")
		}
		se.auth = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.s.user != "" && !se.auth {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: se.from, To: se.to, Raw: raw}
	if parsed, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = parsed.Header
		body, _ := io.ReadAll(parsed.Body)
		m.Body = string(body)
	}
	if err := se.s.misbehave(se.to); err != nil {
		return err
	}
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, m)
	se.s.mu.Unlock()
	se.s.received <- struct{}{}
	return nil
}

func (se *session) Reset() { se.from, se.to = "", nil }

func (se *session) Logout() error { return nil }
