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

// leadView is what the templates show of a lead. Its fields are its own,
// none embedded: the templates look each up by name for every lead, and
// reflect finds a name among embedded fields many times slower.
type leadView struct {
	Reference, Name, Email, Company, Role, Project, GuideTitle string
	RequestVolume, TeamLanguage, Timeline, Budget              string
	PreferredTechnologies                                      []string
	Answers                                                    []lead.Answer
	Recommendation                                             *lead.Recommendation
	OwnerName, Link, Site                                      string
}

func viewOf(l *lead.Lead, site string) leadView {
	return leadView{Reference: l.Reference, Name: l.Name, Email: l.Email, Company: l.Company, Role: l.Role, Project: l.Project,
		GuideTitle: l.GuideTitle, RequestVolume: l.RequestVolume, TeamLanguage: l.TeamLanguage, Timeline: l.Timeline, Budget: l.Budget,
		PreferredTechnologies: l.PreferredTechnologies, Answers: l.Answers, Recommendation: l.Recommendation, Site: site}
}

// Notification implements lead.Composer.
func (c Composer) Notification(l *lead.Lead, owner *lead.Consultant) (lead.Mail, error) {
	v := viewOf(l, c.SiteName)
	v.Link = strings.TrimRight(c.AdminURL, "/") + "/admin/leads/" + l.ID
	if owner != nil {
		v.OwnerName = or(owner.Name, owner.Email)
	}
	subject := fmt.Sprintf("New consultation request %s from %s", l.Reference, l.Name)
	if l.GuideTitle != "" {
		subject += " (" + l.GuideTitle + ")"
	}
	return render(subject, l.Email, notificationText, notificationHTML, v)
}

// Confirmation implements lead.Composer, in the prospect's language when
// there is a template for it (by primary language: de-AT gets German),
// else in English.
func (c Composer) Confirmation(l *lead.Lead) (lead.Mail, error) {
	t := confirmationIn(l.Locale)
	m, err := render(fmt.Sprintf(t.subject, l.Reference), "", t.text, t.html, viewOf(l, c.SiteName))
	m.To = []string{l.Email}
	return m, err
}

// confirmation is the prospect's email in one language.
type confirmation struct {
	subject string // with %s for the reference
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

var confirmations = map[string]confirmation{
	"en": {"We received your request (%s)", confirmationText, confirmationHTML},
	"de": {"Wir haben Ihre Anfrage erhalten (%s)", confirmationTextDE, confirmationHTMLDE},
}

func confirmationIn(locale string) confirmation {
	lang, _, _ := strings.Cut(strings.ToLower(locale), "-")
	if t, ok := confirmations[lang]; ok {
		return t
	}
	return confirmations["en"]
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

var confirmationTextDE = texttemplate.Must(texttemplate.New("c-de").Parse(`Guten Tag,

vielen Dank für Ihre Anfrage. Wir haben sie unter der Referenz {{.Reference}} erhalten;
eine Beraterin oder ein Berater meldet sich in Kürze bei Ihnen.
{{if .GuideTitle}}
Ihre Frage betraf: {{.GuideTitle}}
{{end}}
— {{.Site}}
`))

var confirmationHTMLDE = htmltemplate.Must(htmltemplate.New("c-de").Parse(`<!doctype html>
<html lang="de"><body style="font-family:sans-serif;line-height:1.5">
<p>Guten Tag,</p>
<p>vielen Dank für Ihre Anfrage. Wir haben sie unter der Referenz <strong>{{.Reference}}</strong> erhalten;
eine Beraterin oder ein Berater meldet sich in Kürze bei Ihnen.</p>
{{if .GuideTitle}}<p>Ihre Frage betraf: {{.GuideTitle}}</p>{{end}}
<p>— {{.Site}}</p>
</body></html>`))
