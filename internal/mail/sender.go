// Package mail delivers Verdict's email with go-mail, over SMTP or, with no
// server configured, into .eml files, and writes the emails leads cause.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/verdict-cms/verdict/internal/outbox"
)

// SMTP sends over SMTP, spreading a batch over at most Concurrency
// connections and sending many messages on each.
type SMTP struct {
	host        string
	opts        []gomail.Option
	from        string
	concurrency int
}

// NewSMTP parses an smtp:// (STARTTLS when offered; ?tls=required demands
// it, ?tls=none refuses it) or smtps:// (implicit TLS) URL, with optional
// user:password for SMTP AUTH.
func NewSMTP(rawURL, from string, concurrency int) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: VERDICT_SMTP_URL must look like smtp://user:pass@host:587")
	}
	opts := []gomail.Option{gomail.WithTimeout(15 * time.Second)}
	port, plaintext := 25, false
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
		port = 465
		opts = append(opts, gomail.WithSSL())
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
	return &SMTP{host: u.Hostname(), opts: opts, from: from, concurrency: max(concurrency, 1)}, nil
}

// Send implements outbox.Sender.
func (s *SMTP) Send(ctx context.Context, emails []*outbox.Email) []error {
	errs := make([]error, len(emails))
	chunk := (len(emails) + s.concurrency - 1) / s.concurrency
	var wg sync.WaitGroup
	for start := 0; start < len(emails); start += chunk {
		end := min(start+chunk, len(emails))
		wg.Go(func() { s.sendOn(ctx, emails[start:end], errs[start:end]) })
	}
	wg.Wait()
	return errs
}

// sendOn sends emails over one connection.
func (s *SMTP) sendOn(ctx context.Context, emails []*outbox.Email, errs []error) {
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	msgs := make([]*gomail.Msg, len(emails))
	for i, e := range emails {
		msgs[i], errs[i] = build(s.from, e)
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		fail(fmt.Errorf("smtp client: %w", err))
		return
	}
	if err := c.DialWithContext(ctx); err != nil {
		fail(fmt.Errorf("smtp connect: %w", err))
		return
	}
	defer c.Close()
	for i, m := range msgs {
		if m == nil {
			continue
		}
		if err := c.Send(m); err != nil {
			errs[i] = fmt.Errorf("smtp send: %w", err)
		}
	}
}

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
func (f *Files) Send(_ context.Context, emails []*outbox.Email) []error {
	errs := make([]error, len(emails))
	for i, e := range emails {
		m, err := build(f.from, e)
		if err != nil {
			errs[i] = err
			continue
		}
		path := filepath.Join(f.dir, time.Now().UTC().Format("20060102T150405")+"-"+e.ID+".eml")
		if err := m.WriteToFile(path); err != nil {
			errs[i] = fmt.Errorf("write %s: %w", path, err)
			continue
		}
		f.log.Info("mail written", "id", e.ID, "recipients", len(e.To), "file", path) // no addresses or names: logs carry no personal data
	}
	return errs
}
