package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/store"
)

const browserUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

type funnelReport struct {
	From, To string
	Leads    bool `json:"leads_visible"`
	Guides   []struct {
		Guide           string
		Views           int64
		Uniques         int64 `json:"unique_visitors"`
		ChecklistStarts int64 `json:"checklist_starts"`
		Recommendations int64
		CTAClicks       int64  `json:"cta_clicks"`
		Leads           *int64 `json:"leads"`
		LeadsWon        *int64 `json:"leads_won"`
		Conversion      map[string]*float64
		Referrers       []struct {
			Value string
			Views int64
		} `json:"top_referrers"`
		Campaigns []struct {
			Value string
			Views int64
		} `json:"top_campaigns"`
		Daily []struct {
			Date    string
			Views   int64
			Uniques int64 `json:"unique_visitors"`
		}
	}
}

// sendEvents posts a batch as a browser beacon does (text/plain).
func (e *testEnv) sendEvents(ua string, events ...map[string]any) response {
	e.t.Helper()
	return e.do("POST", "/api/v1/events", "", map[string]any{"events": events}, "User-Agent", ua, "Content-Type", "text/plain;charset=UTF-8",
		"Origin", "https://guides.example.com")
}

func ev(typ string, kv ...string) map[string]any {
	m := map[string]any{"type": typ, "guide": "node-vs-django"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func (e *testEnv) flushFunnel() {
	e.t.Helper()
	if err := e.funnel.Flush(context.Background()); err != nil {
		e.t.Fatalf("flush: %v", err)
	}
}

func (e *testEnv) funnelReport(token, query string) funnelReport {
	e.t.Helper()
	var r funnelReport
	e.do("GET", "/api/v1/admin/analytics/funnel?"+query, token, nil).wantStatus(200).decode(&r)
	return r
}

func TestFunnelCountsEachStepAndShowsLeadsByRole(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		in.sendEvents(browserUA,
			ev("view", "referrer", "https://news.ycombinator.com/item?id=1", "utm_source", "HN", "utm_campaign", "launch"),
			ev("view", "referrer", "https://www.news.ycombinator.com/"),
			ev("view", "referrer", "https://guides.example.com/g/"), // the site itself: not a source
			ev("checklist_start"), ev("recommendation"), ev("cta_click")).wantStatus(202)
		in.sendEvents(browserUA+" Firefox/1", ev("view"), ev("checklist_start")).wantStatus(202) // a second visitor
		in.submit(submission("Ada Lovelace")).wantStatus(201)                                    // counted in the intake transaction
		in.drain()                                                                               // routes it to its consultant
		in.flushFunnel()

		r := in.funnelReport(in.admin, "")
		if len(r.Guides) != 1 {
			t.Fatalf("guides: %+v", r)
		}
		g := r.Guides[0]
		got := []int64{g.Views, g.Uniques, g.ChecklistStarts, g.Recommendations, g.CTAClicks, *g.Leads, *g.LeadsWon}
		if want := []int64{4, 2, 2, 1, 1, 1, 0}; !slices.Equal(got, want) {
			t.Fatalf("views, uniques, starts, recommendations, cta, leads, won = %v, want %v", got, want)
		}
		if c := g.Conversion["checklist_start_per_view"]; c == nil || *c != 0.5 {
			t.Fatalf("conversion %v", g.Conversion)
		}
		if len(g.Referrers) != 1 || g.Referrers[0].Value != "news.ycombinator.com" || g.Referrers[0].Views != 2 {
			t.Fatalf("referrers %+v", g.Referrers)
		}
		if len(g.Campaigns) != 1 || g.Campaigns[0].Value != "launch" {
			t.Fatalf("campaigns %+v", g.Campaigns)
		}
		if len(g.Daily) != 1 || g.Daily[0].Views != 4 {
			t.Fatalf("daily %+v", g.Daily)
		}

		// Both shapes (with and without lead figures) match the description.
		doc := loadOpenAPI(t, in.testEnv)
		for _, tok := range []string{in.admin, in.tok} {
			var v any
			in.do("GET", "/api/v1/admin/analytics/funnel", tok, nil).wantStatus(200).decode(&v)
			if errs := doc.validate(doc.responseSchema(t, "GET", "/api/v1/admin/analytics/funnel"), v); len(errs) > 0 {
				t.Fatalf("the funnel report does not match its schema: %v", errs)
			}
		}

		// Editors see content metrics only; consultants their own leads.
		ed := in.funnelReport(in.tok, "")
		if ed.Leads || ed.Guides[0].Leads != nil || ed.Guides[0].Views != 4 || ed.Guides[0].Conversion["lead_per_view"] != nil {
			t.Fatalf("editor sees %+v", ed.Guides[0])
		}
		owned := *in.funnelReport(in.noraTok, "").Guides[0].Leads + *in.funnelReport(in.benTok, "").Guides[0].Leads
		if owned != 1 {
			t.Fatalf("the consultants own %d leads between them, want 1", owned)
		}
		// A locale no event had: nothing.
		if r := in.funnelReport(in.admin, "locale=fr"); len(r.Guides) != 0 {
			t.Fatalf("locale=fr: %+v", r.Guides)
		}
	})
}

func TestFunnelDropsBots(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		for _, ua := range []string{"", "curl/8.5.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
			"python-requests/2.32", "Mozilla/5.0 (compatible; AhrefsBot/7.0)"} {
			in.sendEvents(ua, ev("view"), ev("checklist_start")).wantStatus(202) // answered like anyone, counted never
		}
		in.flushFunnel()
		if r := in.funnelReport(in.admin, ""); len(r.Guides) != 0 {
			t.Fatalf("bots were counted: %+v", r.Guides)
		}
	})
}

func TestFunnelRefusesBadEvents(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		many := make([]map[string]any, 21)
		for i := range many {
			many[i] = ev("view")
		}
		for _, c := range []struct {
			name, body, ctype string
			status            int
			field             string
		}{
			{"unknown guide", `{"events":[{"type":"view","guide":"nope"}]}`, "application/json", 400, "events[0].guide"},
			{"missing guide", `{"events":[{"type":"view"}]}`, "application/json", 400, "events[0].guide"},
			{"bad type", `{"events":[{"type":"purchase","guide":"node-vs-django"}]}`, "text/plain", 400, "events[0].type"},
			{"lead from a client", `{"events":[{"type":"lead","guide":"node-vs-django"}]}`, "text/plain", 400, "events[0].type"},
			{"unknown field", `{"events":[{"type":"view","guide":"node-vs-django","ip":"1.2.3.4"}]}`, "application/json", 400, "ip"},
			{"no events", `{"events":[]}`, "application/json", 400, "events"},
			{"malformed", `{"events":[`, "application/json", 400, ""},
			{"control characters", `{"events":[{"type":"view","guide":"node-vs-django","utm_campaign":"a\nb"}]}`, "application/json", 400, "events[0].utm_campaign"},
			{"wrong type", `{"events":"view"}`, "application/json", 400, "events"},
			{"too many", mustJSON(t, map[string]any{"events": many}), "application/json", 413, ""},
			{"too large", `{"events":[{"type":"view","guide":"node-vs-django","referrer":"` + strings.Repeat("a", 17<<10) + `"}]}`, "application/json", 413, ""},
			{"form", `type=view`, "application/x-www-form-urlencoded", 415, ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				p := in.sub(t).do("POST", "/api/v1/events", "", c.body, "Content-Type", c.ctype, "User-Agent", browserUA).problem(c.status)
				if c.field != "" && !slices.Contains(p.fields(), c.field) {
					t.Fatalf("fields %v, want %s", p.fields(), c.field)
				}
			})
		}
		in.do("GET", "/api/v1/events/pixel.gif?type=view&guide=nope", "", nil, "User-Agent", browserUA).problem(400)
		in.do("GET", "/api/v1/events/pixel.gif?type=view&guide=node-vs-django&ip=1", "", nil, "User-Agent", browserUA).problem(400)
		res := in.do("GET", "/api/v1/events/pixel.gif?type=view&guide=node-vs-django&utm_campaign=mail", "", nil, "User-Agent", browserUA).wantStatus(200)
		if res.header.Get("Content-Type") != "image/gif" || res.header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(string(res.body), "GIF89a") {
			t.Fatalf("pixel: %v %q", res.header, res.body)
		}
		in.flushFunnel()
		if r := in.funnelReport(in.admin, ""); len(r.Guides) != 1 || r.Guides[0].Views != 1 || r.Guides[0].Campaigns[0].Value != "mail" {
			t.Fatalf("only the pixel's view counts: %+v", r.Guides)
		}
		for _, q := range []string{"from=yesterday", "to=2026-13-01", "from=2026-02-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01", "sort=views"} {
			in.do("GET", "/api/v1/admin/analytics/funnel?"+q, in.admin, nil).problem(400)
		}
		in.do("GET", "/api/v1/admin/analytics/funnel", "", nil).problem(401)
	})
}

func TestFunnelRateLimitsPerAddress(t *testing.T) {
	db := dbtest.SQLite(t)
	e := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.EventsRateLimit = 2 })
	for i, want := range []int{202, 202, 429} {
		res := e.do("POST", "/api/v1/events", "", `{"events":[{"type":"view","guide":"x"}]}`, "Content-Type", "application/json", "User-Agent", "curl/8")
		if res.status != want && !(want == 202 && res.status == 400) {
			t.Fatalf("request %d: %d, want %d", i, res.status, want)
		}
		if i == 2 {
			res.problem(http.StatusTooManyRequests)
			if res.header.Get("Retry-After") == "" || res.header.Get("RateLimit-Limit") != "2" {
				t.Fatalf("headers %v", res.header)
			}
		}
	}
}

// TestFunnelUniquesPerDay: the salt rotates at midnight UTC, so one reader
// is one unique per day, and twice the same day is still one.
func TestFunnelUniquesPerDay(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		day := in.clock.Now().Truncate(24 * time.Hour)
		in.clock.mu.Lock()
		in.clock.t = day.Add(24*time.Hour - 30*time.Second) // 23:59:30
		in.clock.mu.Unlock()
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.flushFunnel()
		in.sendEvents(browserUA, ev("view")).wantStatus(202) // flushed already: not inserted again
		in.clock.Advance(time.Minute)                        // 00:00:30 the next day
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.flushFunnel()
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.flushFunnel()

		d1, d2 := day.Format(time.DateOnly), day.AddDate(0, 0, 1).Format(time.DateOnly)
		r := in.funnelReport(in.login("root@example.com").AccessToken, "from="+d1+"&to="+d2)
		g := r.Guides[0]
		if g.Views != 5 || g.Uniques != 2 || len(g.Daily) != 2 || g.Daily[0].Uniques != 1 || g.Daily[1].Uniques != 1 || g.Daily[0].Views != 3 {
			t.Fatalf("views %d uniques %d daily %+v", g.Views, g.Uniques, g.Daily)
		}
		var salts []string
		if err := db.DB.Raw("SELECT salt FROM funnel_salts ORDER BY day").Scan(&salts).Error; err != nil {
			t.Fatal(err)
		}
		if len(salts) != 2 || salts[0] == salts[1] {
			t.Fatalf("salts %v: want one per day", salts)
		}
	})
}

// TestFunnelInstancesAddUp: two instances on one database count apart and
// flush at once; the counters hold the exact sums and a reader seen by both
// is one unique.
func TestFunnelInstancesAddUp(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		a := newIntake(t, db)
		b := newEnv(t, db)
		b.clock = a.clock
		const rounds = 40
		var wg sync.WaitGroup
		for _, e := range []*testEnv{a.testEnv, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range rounds {
					e.sendEvents(browserUA, ev("view"), ev("checklist_start"))
					if i%10 == 0 {
						_ = e.funnel.Flush(context.Background())
					}
				}
			}()
		}
		wg.Wait()
		b.sendEvents(browserUA+" other", ev("view")).wantStatus(202)
		var flushed sync.WaitGroup
		for _, e := range []*testEnv{a.testEnv, b} {
			flushed.Add(1)
			go func() { defer flushed.Done(); _ = e.funnel.Flush(context.Background()) }()
		}
		flushed.Wait()
		a.flushFunnel()
		b.flushFunnel()
		g := a.funnelReport(a.admin, "").Guides[0]
		if g.Views != 2*rounds+1 || g.ChecklistStarts != 2*rounds || g.Uniques != 2 {
			t.Fatalf("views %d starts %d uniques %d, want %d %d 2", g.Views, g.ChecklistStarts, g.Uniques, 2*rounds+1, 2*rounds)
		}
	})
}

// TestFunnelRetention: counters older than the retention go, and hashes and
// salts go once their day is over.
func TestFunnelRetention(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		now := in.clock.Now()
		in.clock.mu.Lock()
		in.clock.t = now.AddDate(-3, 0, 0)
		in.clock.mu.Unlock()
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.flushFunnel()
		in.clock.mu.Lock()
		in.clock.t = now
		in.clock.mu.Unlock()
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		in.flushFunnel()
		count := func(table string) (n int64) {
			if err := db.DB.Table(table).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count("funnel_days") != 2 || count("funnel_visitors") != 2 || count("funnel_salts") != 2 {
			t.Fatal("setup: want two days of rows")
		}
		fs := store.FunnelStore{Store: store.New(db)}
		n, err := fs.PruneFunnel(t.Context(), now.AddDate(-2, 0, 0).Format(time.DateOnly), now.Format(time.DateOnly))
		if err != nil || n != 1 {
			t.Fatalf("pruned %d, %v", n, err)
		}
		for table, want := range map[string]int64{"funnel_days": 1, "funnel_sources": 0, "funnel_visitors": 1, "funnel_salts": 1} {
			if got := count(table); got != want {
				t.Errorf("%s: %d rows, want %d", table, got, want)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// TestFunnelFlushFailureKeepsCounts: a flush the database refuses keeps its
// counts in memory, and the next one writes them with the new ones.
func TestFunnelFlushFailureKeepsCounts(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		in.sendEvents(browserUA, ev("view"), ev("cta_click")).wantStatus(202)
		if err := db.DB.Exec("ALTER TABLE funnel_days RENAME TO funnel_days_away").Error; err != nil {
			t.Fatal(err)
		}
		if err := in.funnel.Flush(t.Context()); err == nil {
			t.Fatal("the flush succeeded without its table")
		}
		in.sendEvents(browserUA, ev("view")).wantStatus(202)
		if err := db.DB.Exec("ALTER TABLE funnel_days_away RENAME TO funnel_days").Error; err != nil {
			t.Fatal(err)
		}
		in.flushFunnel()
		g := in.funnelReport(in.admin, "").Guides[0]
		if g.Views != 2 || g.CTAClicks != 1 || g.Uniques != 1 {
			t.Fatalf("views %d cta %d uniques %d, want 2 1 1", g.Views, g.CTAClicks, g.Uniques)
		}
	})
}
