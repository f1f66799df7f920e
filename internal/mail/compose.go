package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/verdict-cms/verdict/internal/lead"
)

// Composer writes the emails a lead causes, in plain text and HTML. The
// HTML templates escape everything a prospect wrote.
type Composer struct {
	AdminURL string // where consultants open the lead, e.g. https://cms.example.com
	SiteName string
}

var _ lead.Composer = Composer{}

type leadView struct {
	*lead.Lead
	OwnerName string
	Link      string
	Site      string
}

// Notification implements lead.Composer.
func (c Composer) Notification(l *lead.Lead, owner *lead.Consultant) (lead.Mail, error) {
	v := leadView{Lead: l, Link: strings.TrimRight(c.AdminURL, "/") + "/admin/leads/" + l.ID, Site: c.SiteName}
	if owner != nil {
		v.OwnerName = or(owner.Name, owner.Email)
	}
	subject := fmt.Sprintf("New consultation request %s from %s", l.Reference, l.Name)
	if l.GuideTitle != "" {
		subject += " (" + l.GuideTitle + ")"
	}
	return render(subject, l.Email, notificationText, notificationHTML, v)
}

// Confirmation implements lead.Composer.
func (c Composer) Confirmation(l *lead.Lead) (lead.Mail, error) {
	m, err := render(fmt.Sprintf("We received your request (%s)", l.Reference), "", confirmationText, confirmationHTML,
		leadView{Lead: l, Site: c.SiteName})
	m.To = []string{l.Email}
	return m, err
}

func render(subject, replyTo string, text *texttemplate.Template, html *htmltemplate.Template, v leadView) (lead.Mail, error) {
	var tb, hb bytes.Buffer
	if err := text.Execute(&tb, v); err != nil {
		return lead.Mail{}, fmt.Errorf("mail: text template: %w", err)
	}
	if err := html.Execute(&hb, v); err != nil {
		return lead.Mail{}, fmt.Errorf("mail: html template: %w", err)
	}
	return lead.Mail{Subject: subject, ReplyTo: replyTo, Text: tb.String(), HTML: hb.String()}, nil
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

const notificationBody = `New consultation request {{.Reference}}
{{if .OwnerName}}Owner: {{.OwnerName}}
{{end}}{{with .Recommendation}}Checklist verdict: {{.Leaning}}
{{end}}
Name: {{.Name}}
Email: {{.Email}}
{{- if .Company}}
Company: {{.Company}}{{end}}
{{- if .Role}}
Role: {{.Role}}{{end}}
{{- if .GuideTitle}}
Guide: {{.GuideTitle}}{{end}}
{{- if .RequestVolume}}
Expected request volume: {{.RequestVolume}}{{end}}
{{- if .TeamLanguage}}
Team's main language: {{.TeamLanguage}}{{end}}
{{- if .Timeline}}
Timeline: {{.Timeline}}{{end}}
{{- if .Budget}}
Budget: {{.Budget}}{{end}}
{{- if .PreferredTechnologies}}
Preferred technologies: {{join .PreferredTechnologies ", "}}{{end}}

Project:
{{.Project}}
{{if .Answers}}
Checklist answers:
{{range .Answers}}- {{.Question}}
  {{.Answer}}
{{end}}{{end}}
Open the lead: {{.Link}}
Reply to this email to answer {{.Name}} directly.
`

var funcs = map[string]any{"join": strings.Join}

var notificationText = texttemplate.Must(texttemplate.New("n").Funcs(funcs).Parse(notificationBody))

var notificationHTML = htmltemplate.Must(htmltemplate.New("n").Funcs(funcs).Parse(`<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.5">
<h2>New consultation request {{.Reference}}</h2>
{{if .OwnerName}}<p><strong>Owner:</strong> {{.OwnerName}}</p>{{end}}
{{with .Recommendation}}<p><strong>Checklist verdict:</strong> {{.Leaning}}</p>{{end}}
<table cellpadding="4">
<tr><th align="left">Name</th><td>{{.Name}}</td></tr>
<tr><th align="left">Email</th><td>{{.Email}}</td></tr>
{{if .Company}}<tr><th align="left">Company</th><td>{{.Company}}</td></tr>{{end}}
{{if .Role}}<tr><th align="left">Role</th><td>{{.Role}}</td></tr>{{end}}
{{if .GuideTitle}}<tr><th align="left">Guide</th><td>{{.GuideTitle}}</td></tr>{{end}}
{{if .RequestVolume}}<tr><th align="left">Expected request volume</th><td>{{.RequestVolume}}</td></tr>{{end}}
{{if .TeamLanguage}}<tr><th align="left">Team's main language</th><td>{{.TeamLanguage}}</td></tr>{{end}}
{{if .Timeline}}<tr><th align="left">Timeline</th><td>{{.Timeline}}</td></tr>{{end}}
{{if .Budget}}<tr><th align="left">Budget</th><td>{{.Budget}}</td></tr>{{end}}
{{if .PreferredTechnologies}}<tr><th align="left">Preferred technologies</th><td>{{join .PreferredTechnologies ", "}}</td></tr>{{end}}
</table>
<h3>Project</h3><p style="white-space:pre-wrap">{{.Project}}</p>
{{if .Answers}}<h3>Checklist answers</h3><dl>{{range .Answers}}<dt>{{.Question}}</dt><dd>{{.Answer}}</dd>{{end}}</dl>{{end}}
<p><a href="{{.Link}}">Open the lead</a>. Reply to this email to answer the prospect directly.</p>
</body></html>`))

// The confirmation goes to an address nobody has verified, so it holds
// nothing the submitter wrote: no name, no project text. Otherwise the form
// would send anyone's words to anyone, from our domain.
var confirmationText = texttemplate.Must(texttemplate.New("c").Parse(`Hello,

thank you for your request. We have received it under the reference {{.Reference}}
and a consultant will get back to you shortly.
{{if .GuideTitle}}
You asked about: {{.GuideTitle}}
{{end}}
— {{.Site}}
`))

var confirmationHTML = htmltemplate.Must(htmltemplate.New("c").Parse(`<!doctype html>
<html><body style="font-family:sans-serif;line-height:1.5">
<p>Hello,</p>
<p>thank you for your request. We have received it under the reference <strong>{{.Reference}}</strong>
and a consultant will get back to you shortly.</p>
{{if .GuideTitle}}<p>You asked about: {{.GuideTitle}}</p>{{end}}
<p>— {{.Site}}</p>
</body></html>`))
