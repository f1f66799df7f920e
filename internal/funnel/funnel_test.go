package funnel

import (
	"context"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

func TestIsBot(t *testing.T) {
	for _, c := range []struct {
		ua  string
		bot bool
	}{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", false},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1", false},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", false},
		{"", true},
		{"curl/8.5.0", true},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true},
		{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", true},
		{"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) Chrome/131 Mobile Safari/537.36 (compatible; Google-InspectionTool/1.0; Lighthouse)", true},
		{"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", true},
		{"python-requests/2.32.3", true},
		{"Go-http-client/1.1", true},
	} {
		if got := IsBot(c.ua); got != c.bot {
			t.Errorf("IsBot(%q) = %v, want %v", c.ua, got, c.bot)
		}
	}
}

func TestRefHost(t *testing.T) {
	for _, c := range []struct{ ref, site, want string }{
		{"https://news.ycombinator.com/item?id=1", "guides.example.com", "news.ycombinator.com"},
		{"https://www.Google.com/", "guides.example.com", "google.com"},
		{"https://guides.example.com/g/", "guides.example.com", ""},
		{"https://www.guides.example.com/g/", "guides.example.com", ""},
		{"t.co/abc", "", "t.co"},
		{"", "x", ""},
		{"http://[::1", "", ""},
	} {
		if got := refHost(c.ref, c.site); got != c.want {
			t.Errorf("refHost(%q, %q) = %q, want %q", c.ref, c.site, got, c.want)
		}
	}
}

func TestValidateCollectsEveryFieldError(t *testing.T) {
	resolve := func(_ context.Context, slug string) (string, error) {
		if slug == "node-vs-django" {
			return "g1", nil
		}
		return "", apperr.New(apperr.NotFound, "no such guide")
	}
	_, err := Validate(t.Context(), resolve, []Input{{Type: "view", Guide: "nope"}, {Type: "lead", Guide: "node-vs-django", Locale: "a\tb"}}, "")
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Fields) != 3 {
		t.Fatalf("err = %v (%+v)", err, e)
	}
	evs, err := Validate(t.Context(), resolve, []Input{{Type: "cta_click", Guide: "node-vs-django", UTMSource: " HN ", Referrer: "https://hn.example/"}}, "")
	if err != nil || evs[0].GuideID != "g1" || evs[0].Source != "hn" || evs[0].ReferrerHost != "hn.example" {
		t.Fatalf("%+v, %v", evs, err)
	}
	if _, err := Validate(t.Context(), resolve, make([]Input, MaxBatch+1), ""); !apperr.IsKind(err, apperr.TooLarge) {
		t.Fatalf("oversized batch: %v", err)
	}
}

func TestLimiterWindows(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	l := NewLimiter(2, time.Minute, func() time.Time { return now })
	for i, want := range []bool{true, true, false} {
		if ok, _, _ := l.Allow("192.0.2.1"); ok != want {
			t.Fatalf("hit %d: %v, want %v", i, ok, want)
		}
	}
	if ok, _, _ := l.Allow("192.0.2.2"); !ok {
		t.Fatal("another address shares the first one's count")
	}
	now = now.Add(time.Minute)
	if ok, remaining, _ := l.Allow("192.0.2.1"); !ok || remaining != 1 {
		t.Fatalf("a new window: %v, %d left", ok, remaining)
	}
	if ok, _, _ := NewLimiter(0, time.Minute, time.Now).Allow("x"); !ok {
		t.Fatal("limit 0 is off")
	}
}
