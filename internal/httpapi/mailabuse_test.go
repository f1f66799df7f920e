package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/lead"
)

// TestConfirmationCaps: the form cannot be used to mail a stranger's address
// over and over: confirmations are capped per recipient and in total per
// hour, counted across instances; the leads themselves are all kept.
func TestConfirmationCaps(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		policy := lead.Config{TeamEmail: "team@example.com", SendConfirmation: true, ConfirmationsPerRecipient: 2, ConfirmationsPerHour: 3}
		one, two := newEnvLeads(t, db, policy), newEnvLeads(t, db, policy) // two instances
		if _, err := seedLoad(one); err != nil {
			t.Fatal(err)
		}
		submit := func(e *testEnv, email string, i int) {
			body := submission(fmt.Sprintf("Victim %d", i))
			body["email"] = email
			e.do("POST", "/api/v1/consultations", "", body).wantStatus(201)
			e.drain()
		}
		for i := range 3 {
			submit(one, "victim@example.org", i) // 2 confirmations, then capped
		}
		for i := range 2 {
			submit(two, "other@example.org", i) // 1 more reaches the hourly total
		}
		confirmations := func() map[string]int {
			time.Sleep(50 * time.Millisecond)
			got := map[string]int{}
			for _, e := range []*testEnv{one, two} {
				for _, m := range e.smtp.Messages() {
					if strings.HasPrefix(m.Header.Get("Subject"), "We received your request") {
						got[m.To[0]]++
					}
				}
			}
			return got
		}
		one.smtp.Wait(5, 5*time.Second) // 3 team notifications + 2 confirmations
		two.smtp.Wait(3, 5*time.Second) // 2 team notifications + 1 confirmation
		if got := confirmations(); got["victim@example.org"] != 2 || got["other@example.org"] != 1 {
			t.Fatalf("confirmations %v, want victim 2 (per recipient) and other 1 (per hour)", got)
		}
		var leads struct{ Data []any }
		one.do("GET", "/api/v1/admin/leads", adminToken(one), nil).wantStatus(200).decode(&leads)
		if len(leads.Data) != 5 {
			t.Fatalf("%d leads stored, want all 5", len(leads.Data))
		}
		one.clock.Advance(time.Hour)
		submit(one, "victim@example.org", 9)
		one.smtp.Wait(7, 5*time.Second)
		if got := confirmations(); got["victim@example.org"] != 3 {
			t.Fatalf("confirmations %v: a new hour did not admit a new one", got)
		}
	})
}

func adminToken(e *testEnv) string {
	e.t.Helper()
	e.user("root@example.com", "admin")
	return e.login("root@example.com").AccessToken
}
