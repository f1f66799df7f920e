// Package mail delivers Verdict's email with go-mail, over SMTP or, with no
// server configured, into .eml files, and writes the emails leads cause.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/verdict-cms/verdict/internal/outbox"
)

// SMTP sends over SMTP, one message at a time per connection, keeping up
// to Concurrency connections open between messages. A message's deadline
// comes from its context: a server that stops answering costs that one
// message, whose connection is then closed and redialled for the next.
type SMTP struct {
	host        string
	opts        []gomail.Option
	implicitTLS *tls.Config // smtps: TLS from the first byte, with this configuration
	from        string
	idle        chan *conn
}

// noDeadline bounds a message sent with a context that has no deadline.
const noDeadline = time.Minute

// NewSMTP parses an smtp:// (STARTTLS when offered; ?tls=required demands
// it, ?tls=none refuses it) or smtps:// (implicit TLS) URL, with optional
// user:password for SMTP AUTH.
func NewSMTP(rawURL, from string, concurrency int) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: VERDICT_SMTP_URL must look like smtp://user:pass@host:587")
	}
	// go-mail's own timeout is only a backstop: contexts set the deadlines.
	// A message costs MAIL, RCPT, DATA and its body, not also two NOOPs and
	// an RSET: a completed transaction leaves the session reset (RFC 5321
	// 4.1.1.4), and a connection the server dropped shows at MAIL, before
	// anything was sent, where Send redials as a NOOP would have made it.
	opts := []gomail.Option{gomail.WithTimeout(time.Hour), gomail.WithoutNoop(), gomail.WithoutRset()}
	port, plaintext := 25, false
	var implicitTLS *tls.Config
	switch u.Scheme {
	case "smtp":
		port = 587
		switch u.Query().Get("tls") {
		case "", "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		case "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "none":
			opts, plaintext = append(opts, gomail.WithTLSPolicy(gomail.NoTLS)), true
		default:
			return nil, fmt.Errorf("mail: VERDICT_SMTP_URL tls must be opportunistic, required or none")
		}
	case "smtps":
		// dial wraps the connection in TLS itself; go-mail then finds the
		// connection encrypted (no STARTTLS is offered on it), so AUTH may
		// send the password.
		port, implicitTLS = 465, &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		return nil, fmt.Errorf("mail: VERDICT_SMTP_URL scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad port in VERDICT_SMTP_URL")
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pw, _ := u.User.Password()
		// Autodiscovery never sends a password in the clear; tls=none is the
		// operator's explicit choice of a plaintext link (a local relay), so
		// only then is PLAIN allowed without TLS.
		auth := gomail.SMTPAuthAutoDiscover
		if plaintext {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &SMTP{host: u.Hostname(), opts: opts, implicitTLS: implicitTLS, from: from,
		idle: make(chan *conn, max(concurrency, 1))}, nil
}

// Send implements outbox.Sender. A 5xx reply is permanent; a 4xx reply,
// a refused connection or a missed deadline is worth another attempt.
func (s *SMTP) Send(ctx context.Context, e *outbox.Email) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, noDeadline)
		defer cancel()
	}
	msg, err := build(s.from, e)
	if err != nil {
		return outbox.Permanent(err)
	}
	for first := true; ; first = false {
		c, reused, err := s.take(ctx)
		if err != nil {
			return fmt.Errorf("smtp connect: %w", err)
		}
		err = c.send(ctx, msg)
		var se *gomail.SendError
		isSendErr := errors.As(err, &se)
		switch {
		case err == nil:
			s.put(c)
			return nil
		case reused && first && isSendErr && dropped(se) && ctx.Err() == nil:
			// The server dropped the idle connection; nothing was sent on it.
			c.close()
			continue
		case isSendErr && se.ErrorCode() >= 400 && !c.aborted():
			s.put(c) // the server answered: the connection is fine
		default:
			c.close()
		}
		if isSendErr && se.ErrorCode() >= 500 {
			return outbox.Permanent(fmt.Errorf("smtp: %w", err))
		}
		return fmt.Errorf("smtp: %w", err)
	}
}

// dropped reports whether a kept connection failed before a message was
// under way on it: gone when checked, or cut at its first command, MAIL,
// with no reply from the server (a reply has a code).
func dropped(se *gomail.SendError) bool {
	return se.Reason == gomail.ErrConnCheck || se.Reason == gomail.ErrSMTPMailFrom && se.ErrorCode() == 0
}

// take returns an idle connection, or dials a new one.
func (s *SMTP) take(ctx context.Context) (c *conn, reused bool, err error) {
	select {
	case c := <-s.idle:
		return c, true, nil
	default:
	}
	c = &conn{}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		raw, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.setRaw(raw)
		if s.implicitTLS == nil {
			return raw, nil
		}
		tc := tls.Client(raw, s.implicitTLS)
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = raw.Close()
			return nil, err
		}
		return tc, nil
	}
	if c.client, err = gomail.NewClient(s.host, append(slices.Clip(s.opts), gomail.WithDialContextFunc(dial))...); err != nil {
		return nil, false, err
	}
	// go-mail watches the context only while connecting; a server that
	// accepts and never greets is cut off here.
	stop := context.AfterFunc(ctx, c.abort)
	err = c.client.DialWithContext(ctx)
	if !stop() || err != nil {
		c.close()
		return nil, false, errors.Join(err, ctx.Err())
	}
	return c, false, nil
}

// put keeps a connection for the next message, or closes it when enough
// are kept.
func (s *SMTP) put(c *conn) {
	select {
	case s.idle <- c:
	default:
		_ = c.client.Close() // QUIT: the server answered a moment ago
		c.close()
	}
}

// conn is one SMTP connection and the TCP connection under it, which is
// what a deadline closes: go-mail's own Close waits for the server.
type conn struct {
	client *gomail.Client
	mu     sync.Mutex
	raw    net.Conn
	cut    bool
}

func (c *conn) setRaw(raw net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.raw = raw
}

// send sends one message within ctx.
func (c *conn) send(ctx context.Context, m *gomail.Msg) error {
	stop := context.AfterFunc(ctx, c.abort)
	defer stop()
	return c.client.Send(m)
}

func (c *conn) abort() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut = true
	if c.raw != nil {
		_ = c.raw.Close()
	}
}

func (c *conn) aborted() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cut
}

func (c *conn) close() { c.abort() }

// build turns an outbox email into a MIME message: plain text with an HTML
// alternative. Addresses and the subject pass through go-mail, which
// validates and encodes them; lead fields were refused earlier if they held
// line breaks, so no header can be injected.
func build(from string, e *outbox.Email) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := m.To(e.To...); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	if e.ReplyTo != "" {
		if err := m.ReplyTo(e.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
	}
	m.Subject(e.Subject)
	m.SetMessageIDWithValue(e.ID + "@verdict")
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, e.Text)
	if e.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	}
	return m, nil
}

// Files writes each email as an .eml file, for installs with no SMTP
// server: the whole flow works, and the files open in any mail client.
type Files struct {
	dir  string
	from string
	log  *slog.Logger
}

// NewFiles writes into dir.
func NewFiles(dir, from string, log *slog.Logger) (*Files, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("mail: create %s: %w", dir, err)
	}
	return &Files{dir: dir, from: from, log: log}, nil
}

// Send implements outbox.Sender.
func (f *Files) Send(_ context.Context, e *outbox.Email) error {
	m, err := build(f.from, e)
	if err != nil {
		return outbox.Permanent(err)
	}
	path := filepath.Join(f.dir, time.Now().UTC().Format("20060102T150405")+"-"+e.ID+".eml")
	if err := m.WriteToFile(path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	f.log.Info("mail written", "id", e.ID, "recipients", len(e.To), "file", path) // no addresses or names: logs carry no personal data
	return nil
}
