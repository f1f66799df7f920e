package httpapi_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestLoginThrottleIsAtomic sends 40 wrong passwords at once against a limit
// of 5: only attempts that were counted within the limit reach bcrypt (a 401);
// the rest are refused before it (a 429).
func TestLoginThrottleIsAtomic(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(_ *httpapiOptions, c *auth.Config) {
			c.LoginMaxFailuresPerAccount, c.LoginMaxFailuresPerIP = 5, 1000
		})
		e.user("ada@example.com", auth.RoleAdmin)
		const attempts = 40
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			statuses = map[int]int{}
		)
		for range attempts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": "a wrong guess!!"})
				mu.Lock()
				statuses[res.status]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if statuses[http.StatusUnauthorized] > 5 || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != attempts {
			t.Fatalf("statuses %v: want at most 5 checked passwords (401) and the rest 429", statuses)
		}
		t.Logf("%d concurrent attempts: %v", attempts, statuses)
	})
}

// TestLockoutIsPerAddress: failures from one address lock the account for
// that address only; its owner still signs in from another, and a success
// there does not unlock the attacker's address.
func TestLockoutIsPerAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(o *httpapiOptions, c *auth.Config) {
			c.LoginMaxFailuresPerAccount, c.LoginMaxFailuresPerIP = 3, 100
			o.TrustedProxies = []string{"0.0.0.0/32"}
		})
		e.user("ada@example.com", auth.RoleAdmin)
		from := func(addr, password string) response {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ada@example.com", "password": password}, "X-Forwarded-For", addr)
		}
		const attacker, owner = "203.0.113.66", "198.51.100.7"
		for range 3 {
			from(attacker, "a wrong guess!!").problem(http.StatusUnauthorized)
		}
		from(attacker, "correct horse battery").problem(http.StatusTooManyRequests)
		from(owner, "correct horse battery").wantStatus(http.StatusOK)
		from(attacker, "correct horse battery").problem(http.StatusTooManyRequests)
		// An attacker rotating through one IPv6 /64 is one address.
		for _, a := range []string{"2001:db8:6:6::1", "2001:db8:6:6::2", "2001:db8:6:6::3"} {
			from(a, "a wrong guess!!").problem(http.StatusUnauthorized)
		}
		from("2001:db8:6:6::4", "correct horse battery").problem(http.StatusTooManyRequests)
	})
}

// TestLoginSuccessesDoNotUseUpTheAddressLimit: people behind one NAT who
// sign in correctly do not lock each other out.
func TestLoginSuccessesDoNotUseUpTheAddressLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db, func(_ *httpapiOptions, c *auth.Config) { c.LoginMaxFailuresPerIP = 3 })
		e.user("ada@example.com", auth.RoleEditor)
		for range 10 {
			e.login("ada@example.com")
		}
	})
}
