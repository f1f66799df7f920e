package faulttest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/faulttest"
	"github.com/verdict-cms/verdict/internal/mailtest"
)

func prospects(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i)
	}
	return out
}

// TestTwoInstancesSlowMailServer: every message takes longer than the lease
// (well under the per-message timeout). Two instances deliver each message
// exactly once, on its first attempt: leases are renewed while held.
func TestTwoInstancesSlowMailServer(t *testing.T) {
	c := newCluster(t, map[string]string{"VERDICT_OUTBOX_LEASE": "1500ms", "VERDICT_OUTBOX_SEND_TIMEOUT": "5s"})
	c.smtp.SetFault(mailtest.Fault{Delay: 1700 * time.Millisecond})
	a, b := c.start(), c.start()
	c.submit(a, prospects(4, "a%d@example.com")...)
	c.submit(b, prospects(4, "b%d@example.com")...)
	tl := c.tally(c.settle(30 * time.Second))
	if tl.sent != tl.mails || tl.delivered != tl.mails || tl.duplicates != 0 || tl.maxAttempts != 1 {
		t.Fatalf("%+v: want every message sent and received once, on its first attempt", tl)
	}
	if got := c.smtp.Attempts(); got != tl.mails {
		t.Fatalf("the server saw %d deliveries for %d messages", got, tl.mails)
	}
}

// TestStopMidDrain stops one of two instances while it delivers: with
// SIGTERM it finishes its messages in flight, records them and gives back
// the rest, so nothing is sent twice; with kill -9 the other instance takes
// its messages once their leases expire. Every message is delivered, and at
// most the killed instance's in-flight messages (its concurrency) twice.
func TestStopMidDrain(t *testing.T) {
	const concurrency = 4
	for _, tc := range []struct {
		name string
		stop func(t *testing.T, a *faulttest.Process)
		// clean: the stopped instance finished what it had started and gave
		// back the rest, so no message was sent twice or lost an attempt.
		clean bool
	}{
		{"SIGTERM", func(t *testing.T, a *faulttest.Process) {
			a.Term()
			if err := a.Wait(10 * time.Second); err != nil {
				t.Errorf("SIGTERM: exit %v, want a clean exit", err)
			}
		}, true},
		{"kill -9", func(t *testing.T, a *faulttest.Process) { a.Kill() }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCluster(t, map[string]string{"VERDICT_OUTBOX_CONCURRENCY": fmt.Sprint(concurrency), "VERDICT_OUTBOX_LEASE": "1s"})
			c.smtp.SetFault(mailtest.Fault{Delay: 250 * time.Millisecond})
			a, b := c.start(), c.start()
			c.submit(a, prospects(10, "a%d@example.com")...)
			c.submit(b, prospects(10, "b%d@example.com")...)
			c.waitDelivered(6, 20*time.Second)
			stoppedAt := len(c.smtp.Messages())
			tc.stop(t, a)
			rows := c.settle(30 * time.Second)
			tl := c.tally(rows)
			t.Logf("stopped after %d of %d messages were received", stoppedAt, tl.mails)
			if stoppedAt >= tl.mails {
				t.Fatalf("the instance was stopped after the drain, not during it")
			}
			if tl.sent != tl.mails || tl.delivered != tl.mails || tl.duplicates > concurrency {
				t.Fatalf("%+v: want every message sent and received, at most %d twice", tl, concurrency)
			}
			if tc.clean && (tl.duplicates != 0 || tl.maxAttempts != 1) {
				t.Fatalf("%+v: want no message sent twice or tried twice after a graceful stop", tl)
			}
		})
	}
}

// TestHangingConnection: the mail server never answers one message. The
// others are delivered meanwhile, held up by no more than one per-message
// timeout; once the server answers again the hung one is delivered too.
func TestHangingConnection(t *testing.T) {
	const timeout = time.Second
	c := newCluster(t, map[string]string{"VERDICT_OUTBOX_SEND_TIMEOUT": timeout.String(), "VERDICT_OUTBOX_CONCURRENCY": "2"})
	c.smtp.FaultTo("hang@example.com", mailtest.Fault{Hang: true})
	a := c.start()
	start := time.Now()
	c.submit(a, "hang@example.com")
	c.submit(a, prospects(5, "p%d@example.com")...)
	const others = 6*2 - 1 // a team notification and a confirmation per lead, but the hung one
	c.waitDelivered(others, 10*time.Second)
	took := time.Since(start)
	t.Logf("the %d other messages took %v with one hanging (per-message timeout %v)", others, took, timeout)
	if took > timeout+2*time.Second {
		t.Fatalf("the other messages took %v: held up behind the hanging one", took)
	}
	c.smtp.FaultTo("hang@example.com", mailtest.Fault{})
	c.smtp.Release()
	tl := c.tally(c.settle(15 * time.Second))
	if tl.sent != tl.mails || tl.delivered != tl.mails || tl.duplicates != 0 || tl.maxAttempts < 2 {
		t.Fatalf("%+v: want all received once, the hung one after a retry", tl)
	}
	if tl.retried != 1 {
		t.Fatalf("%d messages needed more than one attempt, want only the hung one", tl.retried)
	}
}

// TestReplyCodes: a 5xx reply fails the message at once, with the reply in
// the admin outbox list, and an admin's retry delivers it; a 4xx reply is
// retried until the message is delivered.
func TestReplyCodes(t *testing.T) {
	c := newCluster(t, nil)
	c.smtp.FaultTo("gone@example.com", mailtest.Fault{Code: 550})
	c.smtp.FaultTo("busy@example.com", mailtest.Fault{Code: 451, Times: 2})
	a := c.start()
	c.submit(a, "gone@example.com", "busy@example.com", "fine@example.com")
	rows := c.settle(15 * time.Second)
	tl := c.tally(rows)
	if tl.failed != 1 || tl.sent != tl.mails-1 || tl.duplicates != 0 {
		t.Fatalf("%+v: want one failed, the rest sent once", tl)
	}
	attempts := map[string]int{}
	for _, r := range rows {
		if r.Attempts > 1 {
			attempts[r.Status]++
		}
	}
	if attempts["sent"] != 1 {
		t.Fatalf("messages retried before being sent: %d, want only the 4xx one", attempts["sent"])
	}

	token := c.adminToken(a)
	status, raw := c.call(a, "GET", "/api/v1/admin/outbox?status=failed", token, nil)
	var list struct {
		Data []struct {
			ID        string `json:"id"`
			Attempts  int    `json:"attempts"`
			LastError string `json:"last_error"`
		} `json:"data"`
	}
	if status != http.StatusOK || json.Unmarshal(raw, &list) != nil || len(list.Data) != 1 {
		t.Fatalf("failed list: %d %s", status, raw)
	}
	failed := list.Data[0]
	if failed.Attempts != 1 || !strings.Contains(failed.LastError, "550") {
		t.Fatalf("the failed message shows %d attempts, error %q; want 1 and the 550 reply", failed.Attempts, failed.LastError)
	}
	c.smtp.FaultTo("gone@example.com", mailtest.Fault{})
	if status, raw := c.call(a, "POST", "/api/v1/admin/outbox/"+failed.ID+"/retry", token, nil); status != http.StatusAccepted {
		t.Fatalf("retry: %d %s", status, raw)
	}
	tl = c.tally(c.settle(15 * time.Second))
	if tl.sent != tl.mails || tl.delivered != tl.mails || tl.duplicates != 0 {
		t.Fatalf("after the retry: %+v, want all sent and received once", tl)
	}
}
