// Package funnel counts how readers move through a guide (view, checklist
// start, recommendation, call-to-action click, lead) without cookies and
// without storing addresses: events are summed in memory per instance and
// flushed as additive upserts into per-guide, per-day counters, so several
// instances add up and no row is written per event.
package funnel

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Type is an event's funnel step.
type Type string

// The funnel steps, in order. Lead is recorded by the server in the intake
// transaction; clients cannot send it.
const (
	View           Type = "view"
	ChecklistStart Type = "checklist_start"
	Recommendation Type = "recommendation"
	CTAClick       Type = "cta_click"
	Lead           Type = "lead"
)

// ClientTypes are the steps a browser may report.
var ClientTypes = []Type{View, ChecklistStart, Recommendation, CTAClick}

// MaxBatch is the most events one request may carry.
const MaxBatch = 20

// Input is one event as a client sends it.
type Input struct {
	Type        string
	Guide       string // slug
	Locale      string
	Referrer    string // a URL or a host; only the host is kept
	UTMSource   string
	UTMMedium   string
	UTMCampaign string
	UTMTerm     string
	UTMContent  string
}

// Event is a validated event: the guide resolved to its ID, the referrer
// reduced to a host.
type Event struct {
	Type         Type
	GuideID      string
	Locale       string
	ReferrerHost string
	Source       string
	Campaign     string
}

// Resolver finds a published guide's ID by slug, or returns NotFound.
type Resolver func(ctx context.Context, slug string) (string, error)

// Validate checks a batch and resolves its guides, collecting every field
// error. site is the host the events come from: a referrer on the same host
// is navigation inside the site, not a source.
func Validate(ctx context.Context, resolve Resolver, in []Input, site string) ([]Event, error) {
	var f apperr.Fields
	switch {
	case len(in) == 0:
		f.Add("events", "required", "send at least one event")
	case len(in) > MaxBatch:
		return nil, apperr.New(apperr.TooLarge, "at most %d events per request", MaxBatch)
	}
	out := make([]Event, 0, len(in))
	for i, e := range in {
		at := func(name string) string { return fmt.Sprintf("events[%d].%s", i, name) }
		ev := Event{Type: Type(e.Type), Locale: e.Locale}
		if !clientType(ev.Type) {
			f.Add(at("type"), "invalid", "must be one of: view, checklist_start, recommendation, cta_click")
		}
		short(&f, at("locale"), e.Locale, 35)
		short(&f, at("referrer"), e.Referrer, 2000)
		for name, v := range map[string]string{"utm_source": e.UTMSource, "utm_medium": e.UTMMedium, "utm_campaign": e.UTMCampaign, "utm_term": e.UTMTerm, "utm_content": e.UTMContent} {
			short(&f, at(name), v, 200)
		}
		if e.Guide == "" {
			f.Add(at("guide"), "required", "is required")
		} else if id, err := resolve(ctx, e.Guide); apperr.IsKind(err, apperr.NotFound) {
			f.Add(at("guide"), "unknown", "no such published guide")
		} else if err != nil {
			return nil, err
		} else {
			ev.GuideID = id
		}
		ev.ReferrerHost = refHost(e.Referrer, site)
		ev.Source, ev.Campaign = strings.ToLower(strings.TrimSpace(e.UTMSource)), strings.TrimSpace(e.UTMCampaign)
		out = append(out, ev)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func clientType(t Type) bool {
	for _, c := range ClientTypes {
		if t == c {
			return true
		}
	}
	return false
}

func short(f *apperr.Fields, field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		f.Add(field, "invalid", "must be valid UTF-8")
	case len(s) > max:
		f.Add(field, "too_long", fmt.Sprintf("must be at most %d bytes", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		f.Add(field, "control_characters", "must not contain control characters")
	}
}

// refHost keeps only the referrer's host, without "www.", and drops
// referrers from the site itself.
func refHost(ref, site string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	host := ref
	if strings.Contains(ref, "://") {
		u, err := url.Parse(ref)
		if err != nil {
			return ""
		}
		host = u.Hostname()
	} else if i := strings.IndexAny(host, "/:?#"); i >= 0 {
		host = host[:i]
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if host == "" || host == strings.TrimPrefix(strings.ToLower(site), "www.") {
		return ""
	}
	return host
}

// botMarks are substrings of the user agents of crawlers, monitors, HTTP
// libraries and headless browsers. Events from them are dropped silently.
var botMarks = []string{
	"bot", "crawl", "spider", "slurp", "headless", "lighthouse", "pingdom", "monitor", "scan", "preview",
	"facebookexternalhit", "curl/", "wget/", "python", "go-http-client", "java/", "okhttp", "axios/",
	"node-fetch", "undici", "httpclient", "libwww", "phantomjs", "selenium", "puppeteer", "playwright",
}

// IsBot reports whether a user agent is a bot's. An empty one is: every
// browser sends one.
func IsBot(ua string) bool {
	if !strings.HasPrefix(ua, "Mozilla/") && !strings.HasPrefix(ua, "Opera/") {
		return true
	}
	low := strings.ToLower(ua)
	for _, m := range botMarks {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}
