package mail

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/lead"
)

func TestNewSMTP(t *testing.T) {
	for _, tc := range []struct {
		url     string
		ok      bool
		host    string
		options int // options beyond the timeout, NOOP, RSET and port
	}{
		{"smtp://mail.example.com", true, "mail.example.com", 1},
		{"smtp://user:pw@mail.example.com:2525", true, "mail.example.com", 4},
		{"smtp://mail.example.com?tls=required", true, "mail.example.com", 1},
		{"smtp://u:p@127.0.0.1:1025?tls=none", true, "127.0.0.1", 4},
		{"smtps://mail.example.com", true, "mail.example.com", 1},
		{"smtp://mail.example.com?tls=maybe", false, "", 0},
		{"http://mail.example.com", false, "", 0},
		{"smtp://mail.example.com:port", false, "", 0},
		{"smtp://", false, "", 0},
	} {
		s, err := NewSMTP(tc.url, "Verdict <v@example.com>", 4)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err=%v, want ok=%v", tc.url, err, tc.ok)
			continue
		}
		if tc.ok && (s.host != tc.host || len(s.opts) != 4+tc.options) {
			t.Errorf("%s: host %q, %d options", tc.url, s.host, len(s.opts))
		}
	}
}

// TestComposerEscapesHTML: prospects write the lead, so everything they
// wrote is text in the HTML part, never markup.
func TestComposerEscapesHTML(t *testing.T) {
	l := &lead.Lead{ID: "id", Reference: "VRD-1", Name: `<script>alert(1)</script>`, Email: "a@example.com",
		Project: `<img src=x onerror=alert(1)>`, Answers: []lead.Answer{{Question: "Q?", Answer: `"><b>x</b>`}}}
	m, err := Composer{AdminURL: "https://cms.example.com/", SiteName: "Verdict"}.Notification(l, &lead.Consultant{Name: "Nora"})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script>", "<img", "<b>x"} {
		if strings.Contains(m.HTML, bad) {
			t.Fatalf("HTML part carries %q:\n%s", bad, m.HTML)
		}
	}
	if !strings.Contains(m.Text, "<script>alert(1)</script>") || !strings.Contains(m.HTML, "https://cms.example.com/admin/leads/id") {
		t.Fatalf("text part lost the name, or the link is wrong:\n%s", m.Text)
	}
	if m.ReplyTo != "a@example.com" || !strings.Contains(m.Subject, "VRD-1") || !strings.Contains(m.Text, "Owner: Nora") {
		t.Fatalf("mail %+v", m)
	}
}

func TestConfirmationInProspectLocale(t *testing.T) {
	for _, tc := range []struct {
		locale, subject, text string
	}{
		{"", "We received your request (VRD-7)", "thank you for your request"},
		{"en", "We received your request (VRD-7)", "thank you for your request"},
		{"de", "Wir haben Ihre Anfrage erhalten (VRD-7)", "vielen Dank für Ihre Anfrage"},
		{"de-AT", "Wir haben Ihre Anfrage erhalten (VRD-7)", "vielen Dank für Ihre Anfrage"},
		{"pt-BR", "We received your request (VRD-7)", "thank you for your request"}, // no Portuguese template yet
	} {
		l := &lead.Lead{Reference: "VRD-7", Email: "p@example.com", Locale: tc.locale, GuideTitle: "Node.js vs Django"}
		m, err := Composer{SiteName: "Verdict"}.Confirmation(l)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != tc.subject || !strings.Contains(m.Text, tc.text) || !strings.Contains(m.HTML, tc.text) ||
			!strings.Contains(m.Text, "VRD-7") || m.To[0] != "p@example.com" {
			t.Fatalf("%q: %+v", tc.locale, m)
		}
	}
}
