package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/funnel"
)

// eventsMaxBytes bounds a batch of events: twenty events fit easily.
const eventsMaxBytes = 16 << 10

type eventsRequest struct {
	Events []eventDoc `json:"events"`
}

type eventDoc struct {
	Type        string `json:"type"`
	Guide       string `json:"guide"`
	Locale      string `json:"locale"`
	Referrer    string `json:"referrer"`
	UTMSource   string `json:"utm_source"`
	UTMMedium   string `json:"utm_medium"`
	UTMCampaign string `json:"utm_campaign"`
	UTMTerm     string `json:"utm_term"`
	UTMContent  string `json:"utm_content"`
}

func (d eventDoc) input() funnel.Input { return funnel.Input(d) }

// handleEventsPost takes a batch from a page or the widget. Beacons send it
// as text/plain (no CORS preflight), so that type is read as JSON too.
func (a *API) handleEventsPost(c *fiber.Ctx) error {
	if len(c.Body()) > eventsMaxBytes {
		return apperr.New(apperr.TooLarge, "a batch of events is at most %d bytes", eventsMaxBytes)
	}
	if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || (mt != fiber.MIMETextPlain && !isJSON(mt)) {
		return apperr.New(apperr.UnsupportedMediaType, "events are sent as JSON (application/json or text/plain)")
	}
	var req eventsRequest
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "the request body must hold exactly one JSON value")
	}
	in := make([]funnel.Input, len(req.Events))
	for i, e := range req.Events {
		in[i] = e.input()
	}
	if err := a.recordEvents(c, in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusAccepted)
}

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// handleEventsPixel records one event from an <img> on a page without
// script: /api/v1/events/pixel.gif?type=view&guide=…
func (a *API) handleEventsPixel(c *fiber.Ctx) error {
	q := newQuery(c)
	str := func(name string) string { return strings.Clone(q.str(name)) } // Fiber reuses its buffers; counters keep these
	e := funnel.Input{Type: str("type"), Guide: str("guide"), Locale: str("locale"), Referrer: str("referrer"),
		UTMSource: str("utm_source"), UTMMedium: str("utm_medium"), UTMCampaign: str("utm_campaign"),
		UTMTerm: str("utm_term"), UTMContent: str("utm_content")}
	if err := q.err(); err != nil {
		return err
	}
	if err := a.recordEvents(c, []funnel.Input{e}); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "image/gif")
	return c.Send(pixel)
}

// recordEvents limits, filters bots, validates and counts. Bots get the
// same answer as people, so they learn nothing.
func (a *API) recordEvents(c *fiber.Ctx, in []funnel.Input) error {
	if a.funnel == nil {
		return apperr.New(apperr.NotFound, "analytics are not enabled")
	}
	ip := c.IP()
	if ok, remaining, reset := a.eventLimit.Allow(ip); a.eventLimit.Limit() > 0 {
		secs := max(int(time.Until(reset).Seconds()+0.999), 1)
		c.Set("RateLimit-Limit", strconv.Itoa(a.eventLimit.Limit()))
		c.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		c.Set("RateLimit-Reset", strconv.Itoa(secs))
		if !ok {
			e := apperr.New(apperr.RateLimited, "too many events from your address; try again later")
			e.RetryAfter = time.Duration(secs) * time.Second
			return e
		}
	}
	ua := c.Get(fiber.HeaderUserAgent)
	if funnel.IsBot(ua) {
		return nil
	}
	site := hostOf(c.Get(fiber.HeaderOrigin))
	if site == "" {
		site = hostOf(c.Get(fiber.HeaderReferer))
	}
	events, err := funnel.Validate(c.UserContext(), a.funnelGuides, in, site)
	if err != nil {
		return err
	}
	// The address and user agent are hashed at once and never kept.
	return a.funnel.Record(c.UserContext(), events, funnel.Visitor{IP: ip, UserAgent: ua, Site: site})
}

func hostOf(u string) string {
	if u == "" {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Hostname()
}

type funnelResponse struct {
	From   string              `json:"from"`
	To     string              `json:"to"`
	Leads  bool                `json:"leads_visible"`
	Guides []funnelGuideReport `json:"guides"`
}

type funnelCounts struct {
	Views           int64  `json:"views"`
	Uniques         int64  `json:"unique_visitors"`
	ChecklistStarts int64  `json:"checklist_starts"`
	Recommendations int64  `json:"recommendations"`
	CTAClicks       int64  `json:"cta_clicks"`
	Leads           *int64 `json:"leads"`
	LeadsWon        *int64 `json:"leads_won"`
}

type funnelConversion struct {
	StartPerView           *float64 `json:"checklist_start_per_view"`
	RecommendationPerStart *float64 `json:"recommendation_per_start"`
	CTAPerRecommendation   *float64 `json:"cta_click_per_recommendation"`
	LeadPerCTA             *float64 `json:"lead_per_cta_click"`
	WonPerLead             *float64 `json:"won_per_lead"`
	LeadPerView            *float64 `json:"lead_per_view"`
}

type funnelGuideReport struct {
	Guide string `json:"guide"`
	Title string `json:"title"`
	funnelCounts
	Conversion funnelConversion    `json:"conversion"`
	Referrers  []funnelSourceCount `json:"top_referrers"`
	Sources    []funnelSourceCount `json:"top_sources"`
	Campaigns  []funnelSourceCount `json:"top_campaigns"`
	Daily      []funnelDay         `json:"daily"`
}

type funnelSourceCount struct {
	Value string `json:"value"`
	Views int64  `json:"views"`
}

type funnelDay struct {
	Date string `json:"date"`
	funnelCounts
}

func toFunnelCounts(c funnel.Counts, won int64, leads bool) funnelCounts {
	out := funnelCounts{Views: c.Views, Uniques: c.Uniques, ChecklistStarts: c.ChecklistStarts, Recommendations: c.Recommendations, CTAClicks: c.CTAClicks}
	if leads {
		out.Leads, out.LeadsWon = &c.Leads, &won
	}
	return out
}

func toFunnelGuideReport(r funnel.GuideReport, leads bool) funnelGuideReport {
	out := funnelGuideReport{Guide: r.Slug, Title: r.Title, funnelCounts: toFunnelCounts(r.Counts, r.LeadsWon, leads),
		Conversion: funnelConversion{
			StartPerView:           funnel.Rate(r.ChecklistStarts, r.Views),
			RecommendationPerStart: funnel.Rate(r.Recommendations, r.ChecklistStarts),
			CTAPerRecommendation:   funnel.Rate(r.CTAClicks, r.Recommendations),
		},
		Referrers: convert(r.Referrers, func(s funnel.SourceCount) funnelSourceCount { return funnelSourceCount(s) }),
		Sources:   convert(r.Sources, func(s funnel.SourceCount) funnelSourceCount { return funnelSourceCount(s) }),
		Campaigns: convert(r.Campaigns, func(s funnel.SourceCount) funnelSourceCount { return funnelSourceCount(s) }),
		Daily: convert(r.Daily, func(d funnel.DayCounts) funnelDay {
			return funnelDay{Date: d.Day, funnelCounts: toFunnelCounts(d.Counts, d.LeadsWon, leads)}
		}),
	}
	if leads {
		out.Conversion.LeadPerCTA = funnel.Rate(r.Leads, r.CTAClicks)
		out.Conversion.WonPerLead = funnel.Rate(r.LeadsWon, r.Leads)
		out.Conversion.LeadPerView = funnel.Rate(r.Leads, r.Views)
	}
	return out
}

// handleFunnelReport is the funnel per guide over a date range (default:
// the last 30 days).
func (a *API) handleFunnelReport(c *fiber.Ctx) error {
	if a.funnelReport == nil {
		return apperr.New(apperr.NotFound, "analytics are not enabled")
	}
	q := newQuery(c)
	today := time.Now().UTC()
	f := funnel.Filter{From: q.str("from"), To: q.str("to")}
	if f.To == "" {
		f.To = today.Format(time.DateOnly)
	}
	if f.From == "" {
		f.From = today.AddDate(0, 0, -29).Format(time.DateOnly)
	}
	if g := q.str("guide"); g != "" {
		f.GuideSlug = &g
	}
	if _, ok := c.Queries()["locale"]; ok {
		l := q.str("locale")
		f.Locale = &l
	} else {
		q.str("locale")
	}
	if err := q.err(); err != nil {
		return err
	}
	u := currentUser(c)
	v := funnel.Viewer{UserID: u.ID, Role: funnel.RoleAdmin}
	switch u.Role {
	case auth.RoleEditor:
		v.Role = funnel.RoleEditor
	case auth.RoleConsultant:
		v.Role = funnel.RoleConsultant
	}
	rs, err := funnel.Report(c.UserContext(), a.funnelReport, v, f)
	if err != nil {
		return err
	}
	return c.JSON(funnelResponse{From: f.From, To: f.To, Leads: v.ShowsLeads(),
		Guides: convert(rs, func(r funnel.GuideReport) funnelGuideReport { return toFunnelGuideReport(r, v.ShowsLeads()) })})
}
