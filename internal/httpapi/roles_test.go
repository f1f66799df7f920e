package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestRouteRolesMatchGuards calls every documented operation as an
// anonymous client, a consultant, an editor and an admin, and holds each
// answer to the operation's documented security: a route with x-roles
// answers 401 to no token, 403 to a role it does not list, and neither to a
// role it lists; a route without security never answers 401 or 403.
func TestRouteRolesMatchGuards(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	doc := loadOpenAPI(t, e)
	tokens := map[string]string{"": ""}
	for _, r := range []auth.Role{auth.RoleConsultant, auth.RoleEditor, auth.RoleAdmin} {
		e.user(string(r)+"@example.com", r)
		tokens[string(r)] = e.login(string(r) + "@example.com").AccessToken
	}
	param := strings.NewReplacer("{id}", "0190c0de-0000-7000-8000-000000000000", "{number}", "1", "{delivery}",
		"0190c0de-0000-7000-8000-000000000001", "{slug}", "no-such-guide", "{name}", "nothing.png", "{file}", "nothing.css", "{page}", "1")
	checked := 0
	for path, item := range doc.Paths {
		for method, op := range item {
			if path == "/metrics" {
				continue // its own token, not a user's
			}
			security, _ := op["security"].([]any)
			var allowed []string
			xr, _ := op["x-roles"].([]any)
			for _, r := range xr {
				allowed = append(allowed, r.(string))
			}
			public := len(security) == 0 || slices.ContainsFunc(security, func(s any) bool { return len(s.(map[string]any)) == 0 })
			for role, tok := range tokens {
				got := e.do(strings.ToUpper(method), param.Replace(path), tok, nil).status
				var bad bool
				switch {
				case public:
					bad = got == http.StatusUnauthorized || got == http.StatusForbidden
				case role == "":
					bad = got != http.StatusUnauthorized
				case slices.Contains(allowed, role):
					bad = got == http.StatusUnauthorized || got == http.StatusForbidden
				default:
					bad = got != http.StatusForbidden
				}
				if bad {
					t.Errorf("%s %s as %q: %d; documented roles %v (public: %v)", strings.ToUpper(method), path, role, got, allowed, public)
				}
				checked++
			}
		}
	}
	if checked < 4*80 {
		t.Fatalf("checked only %d calls", checked)
	}
}
