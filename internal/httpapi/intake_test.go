package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/mailtest"
)

// intake is a content env with an admin and two routed consultants: Nora
// knows Node.js, Ben covers the Backend category.
type intake struct {
	*content
	admin      string
	nora, ben  *auth.User
	noraTok    string
	benTok     string
	consultant func(email string, techs, cats []string) *auth.User
}

func newIntake(t *testing.T, db *database.DB) *intake {
	t.Helper()
	c := newContent(t, db)
	in := &intake{content: c}
	c.user("root@example.com", auth.RoleAdmin)
	in.admin = c.login("root@example.com").AccessToken
	in.consultant = func(email string, techs, cats []string) *auth.User {
		u := c.user(email, auth.RoleConsultant)
		c.do("PUT", "/api/v1/admin/consultants/"+u.ID, in.admin, map[string]any{"active": true, "technologies": techs, "categories": cats}).wantStatus(200)
		return u
	}
	in.nora = in.consultant("nora@example.com", []string{"nodejs"}, nil)
	in.ben = in.consultant("ben@example.com", nil, []string{"backend"})
	in.noraTok, in.benTok = c.login("nora@example.com").AccessToken, c.login("ben@example.com").AccessToken
	return in
}

func submission(name string) map[string]any {
	return map[string]any{
		"name": name, "email": strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", "company": "Analytical Engines",
		"role": "CTO", "project_description": "A real-time dashboard for our factory.\nMust scale.", "guide": "node-vs-django",
		"answers":                map[string]any{"realtime": "yes", "team-language": "javascript", "databases": []string{"mongodb"}},
		"preferred_technologies": []string{"nodejs"}, "request_volume": "1k-100k-per-day", "team_language": "javascript",
		"timeline": "1-3-months", "budget": "10k-50k", "consent": true, "referrer": "https://example.com/blog",
		"utm_source": "newsletter",
	}
}

func (in *intake) submit(body any, headers ...string) response {
	in.t.Helper()
	return in.do("POST", "/api/v1/consultations", "", body, headers...)
}

func TestIntakeStoresRoutesAndEmails(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		var receipt struct{ Reference, Status string }
		res := in.submit(submission("Ada Lovelace")).wantStatus(201)
		res.decode(&receipt)
		if !strings.HasPrefix(receipt.Reference, "VRD-") || receipt.Status != "received" || strings.Contains(string(res.body), "id") {
			t.Fatalf("receipt %s", res.body)
		}
		in.drain()
		msgs := in.smtp.Wait(2, 5*time.Second)
		time.Sleep(50 * time.Millisecond) // a third message would be a leak
		msgs = in.smtp.Messages()
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want a notification to the owner alone and a confirmation", len(msgs))
		}
		byTo := map[string]mailtest.Message{}
		for _, m := range msgs {
			byTo[m.To[0]] = m
		}
		// Nora and Ben both match; only the owner, the one consultant the
		// API shows the lead to, is sent its details.
		var lead struct {
			OwnerID *string `json:"owner_id"`
		}
		var first struct{ Data []struct{ ID string } }
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&first)
		in.do("GET", "/api/v1/admin/leads/"+first.Data[0].ID, in.admin, nil).wantStatus(200).decode(&lead)
		owner, other := in.nora, in.ben
		if lead.OwnerID == nil || *lead.OwnerID == in.ben.ID {
			owner, other = in.ben, in.nora
		}
		note, ok := byTo[owner.Email]
		if !ok || lead.OwnerID == nil || *lead.OwnerID != owner.ID {
			t.Fatalf("the owner (%v) was not notified: %v", lead.OwnerID, byTo)
		}
		if _, leaked := byTo[other.Email]; leaked {
			t.Fatalf("%s, who may not see the lead, was mailed its details", other.Email)
		}
		if note.Header.Get("Reply-To") != "<ada.lovelace@example.com>" || !strings.Contains(note.Header.Get("Subject"), receipt.Reference) {
			t.Fatalf("notification headers %v", note.Header)
		}
		for _, want := range []string{"text/plain", "text/html", "Checklist verdict: leans Node.js, 100%", "JavaScript/TypeScript", "Analytical Engines", "https://cms.example.com/admin/leads/"} {
			if !strings.Contains(string(note.Raw), want) {
				t.Errorf("notification lacks %q", want)
			}
		}
		conf := byTo["ada.lovelace@example.com"]
		if !strings.Contains(conf.Header.Get("Subject"), receipt.Reference) {
			t.Fatalf("no confirmation to the prospect: %v", byTo)
		}
		// The prospect's address is unverified: nothing they wrote is echoed.
		for _, typed := range []string{"Ada", "Lovelace", "dashboard", "Analytical"} {
			if strings.Contains(string(conf.Raw), typed) {
				t.Errorf("confirmation echoes the submitter's text %q", typed)
			}
		}

		// Round-robin: the owner alternates between the matching consultants.
		var owners []string
		for i := range 4 {
			in.clock.Advance(time.Second)
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(201)
			in.drain()
		}
		var list struct {
			Data []struct {
				OwnerID *string `json:"owner_id"`
			}
		}
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&list)
		for _, l := range list.Data {
			if l.OwnerID == nil {
				t.Fatal("a routed lead has no owner")
			}
			owners = append(owners, *l.OwnerID)
		}
		for i := 1; i < len(owners); i++ {
			if owners[i] == owners[i-1] {
				t.Fatalf("owners do not alternate: %v", owners)
			}
		}
	})
}

func TestIntakeWithoutMatchGoesToTeam(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		s := submission("Grace Hopper")
		delete(s, "guide")
		delete(s, "answers")
		s["preferred_technologies"] = []string{"react"}
		in.submit(s).wantStatus(201)
		in.drain()
		msgs := in.smtp.Wait(2, 5*time.Second)
		var to []string
		for _, m := range msgs {
			to = append(to, m.To...)
		}
		slices.Sort(to)
		if !slices.Equal(to, []string{"grace.hopper@example.com", "team@example.com"}) {
			t.Fatalf("recipients %v", to)
		}
	})
}

func TestIntakeBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		with := func(k string, v any) map[string]any {
			s := submission("Ada Lovelace")
			if v == nil {
				delete(s, k)
			} else {
				s[k] = v
			}
			return s
		}
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"missing name", with("name", nil), "name"},
			{"header injection in name", with("name", "Ada\r\nBcc: victim@example.com"), "name"},
			{"newline in company", with("company", "ACME\nX-Header: 1"), "company"},
			{"unicode line separator", with("role", "CTO\u2028Bcc: x"), "role"},
			{"invalid email", with("email", "ada@"), "email"},
			{"email with display name", with("email", "Ada <ada@example.com>"), "email"},
			{"email header injection", with("email", "ada@example.com\r\nBcc: x@example.com"), "email"},
			{"missing project", with("project_description", " "), "project_description"},
			{"over-long project", with("project_description", strings.Repeat("p", 5001)), "project_description"},
			{"over-long name", with("name", strings.Repeat("n", 201)), "name"},
			{"unknown guide", with("guide", "cobol-vs-fortran"), "guide"},
			{"answer to unknown question", with("answers", map[string]string{"favourite-colour": "blue"}), "answers.favourite-colour"},
			{"empty answer", with("answers", map[string]string{"realtime": ""}), "answers.realtime"},
			{"unknown choice", with("answers", map[string]string{"realtime": "maybe"}), "answers.realtime"},
			{"two choices for one", with("answers", map[string][]string{"realtime": {"yes", "no"}}), "answers.realtime"},
			{"answer of the wrong type", with("answers", map[string]any{"realtime": true}), "answers.realtime"},
			{"no consent", with("consent", false), "consent"},
			{"missing consent", with("consent", nil), "consent"},
			{"unknown technology", with("preferred_technologies", []string{"cobol"}), "preferred_technologies[0]"},
			{"bad volume", with("request_volume", "lots"), "request_volume"},
			{"bad timeline", with("timeline", "yesterday"), "timeline"},
			{"bad budget", with("budget", "$$$"), "budget"},
			{"bad language", with("team_language", "klingon"), "team_language"},
			{"over-long utm", with("utm_source", strings.Repeat("u", 201)), "utm_source"},
			{"unknown field", with("phone", "123"), "phone"},
			{"wrong type", with("consent", "yes"), "consent"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := &intake{content: &content{testEnv: in.sub(t), tok: in.tok}}
				p := in.submit(tc.body).problem(http.StatusBadRequest)
				if !slices.Contains(p.fields(), tc.field) {
					t.Fatalf("fields=%v, want %s", p.fields(), tc.field)
				}
			})
		}
		var list struct{ Data []any }
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&list)
		if len(list.Data) != 0 {
			t.Fatalf("%d invalid submissions were stored", len(list.Data))
		}
		if n := in.drain(); n != 0 {
			t.Fatalf("invalid submissions queued %d outbox rows", n)
		}
	})
}

func TestIntakeHoneypot(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		bot := submission("Spam Bot")
		bot["website"] = "https://cheap-pills.example"
		var receipt struct{ Reference string }
		in.submit(bot).wantStatus(201).decode(&receipt)
		if receipt.Reference == "" {
			t.Fatal("the honeypot answer differs from a real one")
		}
		if n := in.drain(); n != 0 {
			t.Fatalf("spam queued %d outbox rows", n)
		}
		if got := len(in.smtp.Messages()); got != 0 {
			t.Fatalf("spam was emailed: %d messages", got)
		}
		var list struct {
			Data []struct{ Status string }
		}
		in.do("GET", "/api/v1/admin/leads?status=spam", in.admin, nil).wantStatus(200).decode(&list)
		if len(list.Data) != 1 {
			t.Fatalf("spam not stored as spam: %+v", list.Data)
		}
	})
}

func TestIntakeRateLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.IntakeLimit = 3 })
		if _, err := seedLoad(e); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			res := e.do("POST", "/api/v1/consultations", "", submission(fmt.Sprintf("P %d", i))).wantStatus(201)
			if res.header.Get("RateLimit-Remaining") != strconv.Itoa(2-i) || res.header.Get("RateLimit-Limit") != "3" {
				t.Fatalf("RateLimit headers %v", res.header)
			}
		}
		res := e.do("POST", "/api/v1/consultations", "", submission("P 4"))
		res.problem(http.StatusTooManyRequests)
		if ra, err := strconv.Atoi(res.header.Get("Retry-After")); err != nil || ra < 1 {
			t.Fatalf("Retry-After=%q", res.header.Get("Retry-After"))
		}
	})
}

// TestIntakeRateLimitCountsEveryRequest: the limit is counted with the
// lead in one statement, and on its own for requests that store nothing, so
// refused input uses the limit up too; past it a client hears 429 before
// any other answer, and a refused submission stores neither lead nor event.
func TestIntakeRateLimitCountsEveryRequest(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(o *httpapiOptions, _ *auth.Config) { o.IntakeLimit = 2 })
		if _, err := seedLoad(e); err != nil {
			t.Fatal(err)
		}
		invalid := submission("No Consent")
		invalid["consent"] = false
		count := func(table, where string) (n int64) {
			t.Helper()
			if err := db.Table(table).Where(where).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i, tc := range []struct {
			body      map[string]any
			status    int
			remaining string
			leads     int64
		}{
			{invalid, http.StatusBadRequest, "1", 0},
			{submission("Ada Lovelace"), http.StatusCreated, "0", 1},
			{submission("Grace Hopper"), http.StatusTooManyRequests, "0", 1},
			{invalid, http.StatusTooManyRequests, "0", 1},
		} {
			res := e.do("POST", "/api/v1/consultations", "", tc.body)
			if res.status != tc.status || res.header.Get("RateLimit-Remaining") != tc.remaining {
				t.Fatalf("%d: %d with RateLimit-Remaining %q, want %d and %q: %s", i, res.status,
					res.header.Get("RateLimit-Remaining"), tc.status, tc.remaining, res.body)
			}
			if l, o := count("leads", "1 = 1"), count("outbox", "kind = 'lead.created'"); l != tc.leads || o != tc.leads {
				t.Fatalf("%d: %d leads, %d events, want %d of each", i, l, o, tc.leads)
			}
		}
	})
}

func TestIntakeIdempotency(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		var first, again struct{ Reference string }
		in.submit(submission("Ada Lovelace"), "Idempotency-Key", "form-123").wantStatus(201).decode(&first)
		res := in.submit(submission("Ada Lovelace"), "Idempotency-Key", "form-123").wantStatus(201)
		res.decode(&again)
		if again.Reference != first.Reference || res.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay gave %s (first %s)", again.Reference, first.Reference)
		}
		// The same submitter reusing the key for another request is refused.
		changed := submission("Ada Lovelace")
		changed["company"] = "Difference Engines"
		in.submit(changed, "Idempotency-Key", "form-123").problem(http.StatusConflict)
		in.submit(submission("Ada Lovelace"), "Idempotency-Key", "bad key with spaces").problem(http.StatusBadRequest)
		// Another prospect with the same key (guessed, or a careless
		// frontend) is neither refused nor given Ada's reference.
		var other struct{ Reference string }
		res = in.submit(submission("Someone Else"), "Idempotency-Key", "form-123").wantStatus(201)
		res.decode(&other)
		if other.Reference == first.Reference || res.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another prospect got a replay of %s", first.Reference)
		}
		var list struct{ Data []any }
		in.do("GET", "/api/v1/admin/leads", in.admin, nil).wantStatus(200).decode(&list)
		if len(list.Data) != 2 {
			t.Fatalf("%d leads, want 2", len(list.Data))
		}
	})
}

// TestIntakeMailServerDown submits leads while the SMTP server is down:
// every lead is stored, and once the server is back every message arrives
// exactly once.
func TestIntakeMailServerDown(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		in.smtp.Stop()
		for i := range 5 {
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(201)
		}
		in.drain() // expands the events; sending fails and is rescheduled
		in.clock.Advance(5 * time.Millisecond)
		in.drain()
		if got := len(in.smtp.Messages()); got != 0 {
			t.Fatalf("%d messages delivered while the server was down", got)
		}
		in.smtp.Restart()
		in.clock.Advance(time.Second) // past the backoff
		in.drain()
		msgs := in.smtp.Wait(10, 5*time.Second) // 5 leads × (owner + confirmation)
		ids := map[string]int{}
		for _, m := range msgs {
			ids[m.Header.Get("Message-Id")]++
		}
		if len(msgs) != 10 || len(ids) != 10 {
			t.Fatalf("%d messages with %d distinct IDs, want 10 each", len(msgs), len(ids))
		}
	})
}

// TestOutboxFailedAndRetry exhausts a message's attempts, shows it to the
// admin with its error, and delivers it after a manual retry.
func TestOutboxFailedAndRetry(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		in.smtp.Stop()
		in.submit(submission("Ada Lovelace")).wantStatus(201)
		for range 5 { // 3 attempts each, then failed
			in.drain()
			in.clock.Advance(time.Second)
		}
		var failed struct {
			Data []struct {
				ID        string `json:"id"`
				Status    string `json:"status"`
				LastError string `json:"last_error"`
				Attempts  int    `json:"attempts"`
			}
		}
		in.do("GET", "/api/v1/admin/outbox?status=failed", in.admin, nil).wantStatus(200).decode(&failed)
		if len(failed.Data) != 2 || failed.Data[0].LastError == "" || failed.Data[0].Attempts != 3 {
			t.Fatalf("failed messages %+v", failed.Data)
		}
		var counted struct{ Total *int }
		in.do("GET", "/api/v1/admin/outbox?status=failed&include_total=true&limit=1", in.admin, nil).wantStatus(200).decode(&counted)
		if counted.Total == nil || *counted.Total != len(failed.Data) {
			t.Fatalf("failed total %v, want %d", counted.Total, len(failed.Data))
		}
		in.do("GET", "/api/v1/admin/outbox", in.noraTok, nil).problem(http.StatusForbidden)
		in.smtp.Restart()
		for _, m := range failed.Data {
			in.do("POST", "/api/v1/admin/outbox/"+m.ID+"/retry", in.admin, nil).wantStatus(http.StatusAccepted)
		}
		in.do("POST", "/api/v1/admin/outbox/"+failed.Data[0].ID+"/retry", in.admin, nil).problem(http.StatusConflict)
		in.drain()
		in.smtp.Wait(2, 5*time.Second)
	})
}

// TestIntakeIsAtomic breaks the outbox table so that the second write of
// the intake transaction fails: the lead written before it must not remain.
func TestIntakeIsAtomic(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		if err := db.Exec("ALTER TABLE outbox RENAME TO outbox_gone").Error; err != nil {
			t.Fatal(err)
		}
		res := in.submit(submission("Ada Lovelace"))
		if res.status < 500 {
			t.Fatalf("status %d with the outbox gone", res.status)
		}
		var n int64
		if err := db.Table("leads").Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%d half-written leads remain", n)
		}
	})
}

func seedLoad(e *testEnv) (any, error) {
	return seedContent(e)
}

// TestIntakeSeesContentChanges checks the intake's cached view of guides
// follows publishing: a guide taken down cannot be named any more.
func TestIntakeSeesContentChanges(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		in.submit(submission("Ada Lovelace")).wantStatus(201) // caches the guide
		var list struct{ Data []adminGuide }
		in.do("GET", "/api/v1/admin/guides?q=Django", in.tok, nil).wantStatus(200).decode(&list)
		in.act(list.Data[0], "unpublish", nil)
		p := in.submit(submission("Grace Hopper")).problem(http.StatusBadRequest)
		if !slices.Contains(p.fields(), "guide") {
			t.Fatalf("fields %v, want guide", p.fields())
		}
	})
}

// TestIntakeKeepsTheRecommendationItWasGiven: the verdict is computed at
// submission and stored; re-weighting the guide later does not change it.
func TestIntakeKeepsTheRecommendationItWasGiven(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		l := in.ownedLead("Ada Lovelace")
		type rec struct {
			Recommendation *struct {
				Leaning string
				Options []struct {
					Slug  string
					Share float64
				}
			} `json:"recommendation"`
		}
		var before rec
		in.do("GET", "/api/v1/admin/leads/"+l.ID, in.admin, nil).wantStatus(200).decode(&before)
		if before.Recommendation == nil || before.Recommendation.Options[0].Slug != "nodejs" || before.Recommendation.Leaning == "" {
			t.Fatalf("no recommendation stored: %+v", before.Recommendation)
		}

		ask := func() string {
			var r recommendationDoc
			in.do("POST", "/api/v1/guides/node-vs-django/recommendation", "", map[string]any{"answers": map[string]any{"realtime": "yes"}}).wantStatus(200).decode(&r)
			return r.Options[0].Technology.Slug
		}
		if ask() != "nodejs" || ask() != "nodejs" { // the second answer is remembered
			t.Fatal("before the edit, a real-time team should lean Node.js")
		}

		// An editor turns every weight towards Django and republishes.
		var list struct{ Data []adminGuide }
		in.do("GET", "/api/v1/admin/guides?q=Django", in.tok, nil).wantStatus(200).decode(&list)
		var g adminGuide
		in.do("GET", "/api/v1/admin/guides/"+list.Data[0].ID, in.tok, nil).wantStatus(200).decode(&g)
		for _, q := range g.Document["checklist"].([]any) {
			for _, ch := range q.(map[string]any)["choices"].([]any) {
				ch.(map[string]any)["weights"] = map[string]int{"django": 5}
			}
		}
		g = in.put(g, g.Document)
		in.act(g, "publish", nil)

		var after rec
		in.do("GET", "/api/v1/admin/leads/"+l.ID, in.admin, nil).wantStatus(200).decode(&after)
		if after.Recommendation.Leaning != before.Recommendation.Leaning || after.Recommendation.Options[0].Slug != "nodejs" {
			t.Fatalf("the stored recommendation changed: %+v", after.Recommendation)
		}
		if got := ask(); got != "django" {
			t.Fatalf("a remembered recommendation outlived the republish: %s", got)
		}
	})
}
