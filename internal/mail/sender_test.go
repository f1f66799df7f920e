package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/mailtest"
	"github.com/verdict-cms/verdict/internal/outbox"
)

func email(id, to string) *outbox.Email {
	return &outbox.Email{ID: id, To: []string{to}, Subject: "Hello " + id, Text: "text"}
}

func send(t *testing.T, s *SMTP, e *outbox.Email, timeout time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return s.Send(ctx, e)
}

// TestSMTPClassifiesReplies: a 5xx reply is permanent, a 4xx reply, a
// refused connection and a missed deadline are temporary, and each costs
// only its own message: the next one is delivered.
func TestSMTPClassifiesReplies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     mailtest.Fault
		permanent bool
		contains  string
	}{
		{"5xx", mailtest.Fault{Code: 550}, true, "550"},
		{"4xx", mailtest.Fault{Code: 451}, false, "451"},
		{"hang", mailtest.Fault{Hang: true}, false, ""},
		{"slower than the deadline", mailtest.Fault{Delay: time.Second}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, "", "")
			s, err := NewSMTP(srv.URL(), "Verdict <v@example.com>", 2)
			if err != nil {
				t.Fatal(err)
			}
			if err := send(t, s, email("m0", "ok@example.com"), 2*time.Second); err != nil {
				t.Fatalf("warm-up: %v", err)
			}
			srv.FaultTo("bad@example.com", tc.fault)
			start := time.Now()
			err = send(t, s, email("m1", "bad@example.com"), 300*time.Millisecond)
			if err == nil {
				t.Fatal("the faulty message was accepted")
			}
			if got := outbox.IsPermanent(err); got != tc.permanent {
				t.Fatalf("permanent=%v, want %v (%v)", got, tc.permanent, err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %q does not show the reply %q", err, tc.contains)
			}
			if took := time.Since(start); took > 2*time.Second {
				t.Fatalf("the fault held the sender %v, past its deadline", took)
			}
			if err := send(t, s, email("m2", "ok@example.com"), 2*time.Second); err != nil {
				t.Fatalf("the next message: %v", err)
			}
			if got := len(srv.Messages()); got != 2 {
				t.Fatalf("%d messages received, want 2", got)
			}
		})
	}
}

// TestSMTPRedialsDroppedConnection: when the server has dropped an idle
// connection, the next message goes over a new one without an error.
func TestSMTPRedialsDroppedConnection(t *testing.T) {
	srv := mailtest.Start(t, "u", "p")
	s, err := NewSMTP(srv.URL(), "Verdict <v@example.com>", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := send(t, s, email("m1", "a@example.com"), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	srv.Stop() // closes the kept connection
	srv.Restart()
	if err := send(t, s, email("m2", "a@example.com"), 2*time.Second); err != nil {
		t.Fatalf("after the server dropped the connection: %v", err)
	}
	if got := len(srv.Messages()); got != 2 {
		t.Fatalf("%d messages, want 2", got)
	}
}

// TestSMTPRefused: a server refusing connections is a temporary failure,
// and delivery resumes when it accepts again.
func TestSMTPRefused(t *testing.T) {
	srv := mailtest.Start(t, "", "")
	s, err := NewSMTP(srv.URL(), "Verdict <v@example.com>", 1)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetFault(mailtest.Fault{Refuse: true})
	err = send(t, s, email("m1", "a@example.com"), time.Second)
	if err == nil || outbox.IsPermanent(err) {
		t.Fatalf("refused: err=%v, want a temporary error", err)
	}
	srv.SetFault(mailtest.Fault{})
	if err := send(t, s, email("m1", "a@example.com"), 2*time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestSMTPSilentServer: a server that accepts connections and never greets
// costs a message its deadline, not go-mail's much longer timeout.
func TestSMTPSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var open []net.Conn // held silent until the listener closes
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range open {
					c.Close()
				}
				return
			}
			open = append(open, c)
		}
	}()
	s, err := NewSMTP("smtp://"+ln.Addr().String()+"?tls=none", "Verdict <v@example.com>", 1)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = send(t, s, email("m1", "a@example.com"), 200*time.Millisecond)
	if took := time.Since(start); err == nil || outbox.IsPermanent(err) || took > time.Second {
		t.Fatalf("err=%v after %v, want a temporary error at the 200ms deadline", err, took)
	}
}

// TestSMTPBadAddressIsPermanent: an address go-mail refuses never gets
// better.
func TestSMTPBadAddressIsPermanent(t *testing.T) {
	s, err := NewSMTP("smtp://127.0.0.1:1?tls=none", "Verdict <v@example.com>", 1)
	if err != nil {
		t.Fatal(err)
	}
	err = send(t, s, email("m1", "not an address"), time.Second)
	var p *outbox.PermanentError
	if !errors.As(err, &p) {
		t.Fatalf("err=%v, want permanent", err)
	}
}

// TestSMTPImplicitTLS: over smtps the connection is TLS from the first
// byte, and go-mail sees it as encrypted, so AUTH may send the password.
func TestSMTPImplicitTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	srv := mailtest.StartTLS(t, "u", "p", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	s, err := NewSMTP(srv.URL(), "Verdict <v@example.com>", 1)
	if err != nil {
		t.Fatal(err)
	}
	s.implicitTLS.RootCAs = roots
	if err := send(t, s, email("m1", "a@example.com"), 5*time.Second); err != nil {
		t.Fatalf("smtps with AUTH: %v", err)
	}
	if got := len(srv.Messages()); got != 1 {
		t.Fatalf("%d messages, want 1", got)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, roots
}
