package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestFunnelTwoInstancesShutdownMidStream sends events to two instances on
// one PostgreSQL database, stops one gracefully while events still flow,
// then the other: the counters hold exactly the events that were answered
// 202, and a reader seen by both instances is one unique visitor.
func TestFunnelTwoInstancesShutdownMidStream(t *testing.T) {
	p := newProgram(t, dbtest.PostgresURL(t, false))
	password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
	p.env["VERDICT_ANALYTICS_FLUSH"] = "100ms"
	p.env["VERDICT_ANALYTICS_RATE_LIMIT"] = "0"
	a, b := startInstance(t, p), startInstance(t, p)

	var views, starts atomic.Int64
	const senders = 3 // per instance; sender i uses the same user agent on both
	batch, _ := json.Marshal(map[string]any{"events": []map[string]string{
		{"type": "view", "guide": "node-vs-django"}, {"type": "checklist_start", "guide": "node-vs-django"}, {"type": "view", "guide": "node-vs-django"},
	}})
	stopSending := make(chan struct{})
	var wg sync.WaitGroup
	for _, in := range []*instance{a, b} {
		for i := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 5 * time.Second}
				for {
					select {
					case <-stopSending:
						return
					default:
					}
					req, _ := http.NewRequest("POST", in.base+"/api/v1/events", bytes.NewReader(batch))
					req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
					req.Header.Set("User-Agent", fmt.Sprintf("Mozilla/5.0 (X11; Linux x86_64) Firefox/%d.0", i))
					res, err := client.Do(req)
					if err != nil {
						return // this instance has stopped
					}
					res.Body.Close()
					if res.StatusCode != http.StatusAccepted {
						t.Errorf("events: %d", res.StatusCode)
						return
					}
					views.Add(2)
					starts.Add(1)
				}
			}()
		}
	}
	time.Sleep(400 * time.Millisecond)
	a.stop() // graceful, like SIGTERM: in-flight requests finish, then the last flush
	err := <-a.done
	a.done <- err
	if err != nil {
		t.Fatalf("instance a: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	close(stopSending)
	wg.Wait()
	b.stop()
	err = <-b.done
	b.done <- err
	if err != nil {
		t.Fatalf("instance b: %v", err)
	}
	if views.Load() < 100 {
		t.Fatalf("only %d views were sent", views.Load())
	}

	c := startInstance(t, p)
	_, _, raw := c.call(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@example.com", "password": password})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(raw, &tok)
	status, _, raw := c.call(t, "GET", "/api/v1/admin/analytics/funnel", tok.AccessToken, nil)
	var r struct {
		Guides []struct {
			Views           int64 `json:"views"`
			Uniques         int64 `json:"unique_visitors"`
			ChecklistStarts int64 `json:"checklist_starts"`
		} `json:"guides"`
	}
	if err := json.Unmarshal(raw, &r); err != nil || status != 200 || len(r.Guides) != 1 {
		t.Fatalf("report: %d %s", status, raw)
	}
	g := r.Guides[0]
	if g.Views != views.Load() || g.ChecklistStarts != starts.Load() || g.Uniques != senders {
		t.Fatalf("counted views %d, starts %d, uniques %d; accepted %d, %d from %d readers", g.Views, g.ChecklistStarts, g.Uniques, views.Load(), starts.Load(), senders)
	}
	t.Logf("%d views and %d starts accepted by two instances, all counted", views.Load(), starts.Load())
}

// TestJanitorPrunesFunnel: the janitor's funnel step deletes counter rows
// past VERDICT_ANALYTICS_RETENTION and hashes and salts of days before
// yesterday, and keeps the rest.
func TestJanitorPrunesFunnel(t *testing.T) {
	p := newProgram(t, "")
	p.mustRun("", "bootstrap")
	p.env["VERDICT_ANALYTICS_RETENTION"] = "720h"
	d, err := load(t.Context(), env{getenv: func(k string) string { return p.env[k] }, stderr: io.Discard}, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var gid string
	if err := d.DB.DB.Raw("SELECT id FROM guides WHERE slug = 'node-vs-django'").Row().Scan(&gid); err != nil {
		t.Fatal(err)
	}
	day := func(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format(time.DateOnly) }
	for _, n := range []int{-40, -29, 0} {
		if err := d.DB.DB.Exec("INSERT INTO funnel_days (guide_id, day, locale, views) VALUES (?, ?, '', 1)", gid, day(n)).Error; err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{-2, -1, 0} {
		if err := d.DB.DB.Exec("INSERT INTO funnel_visitors (day, guide_id, hash) VALUES (?, ?, 'h')", day(n), gid).Error; err != nil {
			t.Fatal(err)
		}
		if err := d.DB.DB.Exec("INSERT INTO funnel_salts (day, salt) VALUES (?, 's')", day(n)).Error; err != nil {
			t.Fatal(err)
		}
	}
	pruneFunnel(t.Context(), d)
	for table, want := range map[string]string{"funnel_days": day(-29), "funnel_visitors": day(-1), "funnel_salts": day(-1)} {
		var oldest string
		if err := d.DB.DB.Raw("SELECT min(day) FROM " + table).Row().Scan(&oldest); err != nil || oldest != want {
			t.Errorf("%s: oldest day %q (%v), want %s", table, oldest, err, want)
		}
	}
}
