package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// app.Test connects from 0.0.0.0, which these tests trust as their proxy.
func behindProxy(limit int) envOption {
	return func(o *httpapiOptions, _ *auth.Config) {
		o.IntakeLimit, o.TrustedProxies = limit, []string{"0.0.0.0/32", "10.0.0.0/8"}
	}
}

// TestIntakeLimitKeysOnTheRealClient: a client cannot invent a new rate-limit
// key per request by writing its own X-Forwarded-For, nor by rotating
// through its IPv6 /64.
func TestIntakeLimitKeysOnTheRealClient(t *testing.T) {
	for _, tc := range []struct {
		name      string
		proxies   bool
		forwarded func(i int) string // "" sends no header
	}{
		{"spoofed left part", true, func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) }},
		{"garbage left part", true, func(i int) string { return fmt.Sprintf("anything-%d, 203.0.113.8, 10.0.0.1", i) }},
		{"ipv6 rotation in a /64", true, func(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) }},
		{"proxy sends no header", true, func(int) string { return "" }},
		{"header without trusted proxies", false, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, db *database.DB) {
				opt := behindProxy(2)
				if !tc.proxies {
					opt = func(o *httpapiOptions, _ *auth.Config) { o.IntakeLimit = 2 }
				}
				e := newEnv(t, db, opt)
				if _, err := seedLoad(e); err != nil {
					t.Fatal(err)
				}
				post := func(i int) response {
					var h []string
					if f := tc.forwarded(i); f != "" {
						h = []string{"X-Forwarded-For", f}
					}
					return e.do("POST", "/api/v1/consultations", "", submission(fmt.Sprintf("P %d", i)), h...)
				}
				post(0).wantStatus(201)
				post(1).wantStatus(201)
				post(2).problem(http.StatusTooManyRequests)
			})
		})
	}
}

// TestClientAddrReachesLimitsAndAudit: distinct clients behind the proxy
// keep their own limits, and the audit log names the real client.
func TestClientAddrReachesLimitsAndAudit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, behindProxy(1))
		if _, err := seedLoad(e); err != nil {
			t.Fatal(err)
		}
		for i, xff := range []string{"203.0.113.7", "203.0.113.8", "2001:db8:1:2::1", "2001:db8:1:3::1"} {
			e.do("POST", "/api/v1/consultations", "", submission(fmt.Sprintf("P %d", i)), "X-Forwarded-For", "1.1.1.1, "+xff).wantStatus(201)
		}
		root := e.user("root@example.com", auth.RoleAdmin)
		res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": root.Email, "password": "correct horse battery"},
			"X-Forwarded-For", "9.9.9.9, 203.0.113.50, 10.1.1.1")
		var tk tokens
		res.wantStatus(200).decode(&tk)
		var audit struct {
			Data []struct {
				Detail string `json:"detail"`
			} `json:"data"`
		}
		e.do("GET", "/api/v1/admin/audit?action=auth.login", tk.AccessToken, nil).wantStatus(200).decode(&audit)
		if len(audit.Data) != 1 || !strings.HasSuffix(audit.Data[0].Detail, "from 203.0.113.50") {
			t.Fatalf("audit = %+v, want the login from 203.0.113.50", audit.Data)
		}
	})
}

// TestIdempotencyKeyIsTheSubmitters: someone who knows a prospect's email
// and guesses their Idempotency-Key from another address cannot make the
// prospect's request fail or learn its reference.
func TestIdempotencyKeyIsTheSubmitters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, behindProxy(100))
		if _, err := seedLoad(e); err != nil {
			t.Fatal(err)
		}
		post := func(from string, body map[string]any) response {
			return e.do("POST", "/api/v1/consultations", "", body, "X-Forwarded-For", from, "Idempotency-Key", "checkout-1")
		}
		var planted, mine, again struct{ Reference string }
		forged := submission("Ada Lovelace")
		forged["project_description"] = "Not what Ada wants."
		post("198.51.100.66", forged).wantStatus(201).decode(&planted)
		post("203.0.113.7", submission("Ada Lovelace")).wantStatus(201).decode(&mine)
		res := post("203.0.113.7", submission("Ada Lovelace")).wantStatus(201)
		res.decode(&again)
		if mine.Reference == planted.Reference || again.Reference != mine.Reference || res.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("planted %s, mine %s, retry %s: want the retry to replay mine only", planted.Reference, mine.Reference, again.Reference)
		}
	})
}
