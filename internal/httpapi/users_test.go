package httpapi_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type userDoc struct {
	ID                string `json:"id"`
	Email             string `json:"email"`
	Name              string `json:"name"`
	Role              string `json:"role"`
	Disabled          bool   `json:"disabled"`
	Version           int    `json:"version"`
	GeneratedPassword string `json:"generated_password"`
}

func TestUserCreate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		tok := e.login("root@example.com").AccessToken

		res := e.do("POST", "/api/v1/admin/users", tok, map[string]any{"email": "Ed@Example.com", "name": "Ed", "role": "editor"}).wantStatus(201)
		var u userDoc
		res.decode(&u)
		if u.Email != "ed@example.com" || u.Role != "editor" || u.Version != 1 || len(u.GeneratedPassword) != 20 {
			t.Fatalf("created %+v", u)
		}
		if loc := res.header.Get("Location"); loc != "/api/v1/admin/users/"+u.ID {
			t.Fatalf("Location=%q", loc)
		}
		if strings.Contains(string(res.body), "password_hash") || strings.Contains(string(res.body), "$2a$") {
			t.Fatal("response leaks the password hash")
		}
		// The generated password works, once shown.
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "ed@example.com", "password": u.GeneratedPassword}).wantStatus(200)

		// A chosen password is not echoed back.
		res = e.do("POST", "/api/v1/admin/users", tok, map[string]any{"email": "c@example.com", "role": "consultant", "password": "a long enough secret"}).wantStatus(201)
		if strings.Contains(string(res.body), "a long enough secret") || strings.Contains(string(res.body), "generated_password") {
			t.Fatalf("create echoed a password: %s", res.body)
		}
	})
}

func TestUserCreateBadInput(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		tok := e.login("root@example.com").AccessToken
		for _, tc := range []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"missing everything", map[string]any{}, []string{"email", "role"}},
			{"bad email", map[string]any{"email": "not-an-email", "role": "editor"}, []string{"email"}},
			{"email with name", map[string]any{"email": "Ed <ed@example.com>", "role": "editor"}, []string{"email"}},
			{"header injection", map[string]any{"email": "ed@example.com\r\nBcc: x@evil.test", "role": "editor"}, []string{"email"}},
			{"unknown role", map[string]any{"email": "ed@example.com", "role": "owner"}, []string{"role"}},
			{"short password", map[string]any{"email": "ed@example.com", "role": "editor", "password": "short"}, []string{"password"}},
			{"long password", map[string]any{"email": "ed@example.com", "role": "editor", "password": strings.Repeat("x", 73)}, []string{"password"}},
			{"long name", map[string]any{"email": "ed@example.com", "role": "editor", "name": strings.Repeat("n", 201)}, []string{"name"}},
			{"control chars in name", map[string]any{"email": "ed@example.com", "role": "editor", "name": "Ed\nBcc"}, []string{"name"}},
			{"taken email", map[string]any{"email": "ROOT@example.com", "role": "editor"}, []string{"email"}},
			{"unknown field", map[string]any{"email": "ed@example.com", "role": "editor", "admin": true}, []string{"admin"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := e.sub(t)
				p := e.do("POST", "/api/v1/admin/users", tok, tc.body).problem(http.StatusBadRequest)
				if !slices.Equal(p.fields(), tc.fields) {
					t.Fatalf("fields=%v, want %v", p.fields(), tc.fields)
				}
			})
		}
	})
}

func TestUserUpdateOptimisticLocking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		ed := e.user("ed@example.com", auth.RoleEditor)
		tok := e.login("root@example.com").AccessToken
		path := "/api/v1/admin/users/" + ed.ID

		res := e.do("GET", path, tok, nil).wantStatus(200)
		if res.header.Get("ETag") != `"1"` {
			t.Fatalf("ETag=%q", res.header.Get("ETag"))
		}
		var u userDoc
		e.do("PUT", path, tok, map[string]any{"name": "Ed", "role": "consultant"}, "If-Match", `"1"`).wantStatus(200).decode(&u)
		if u.Role != "consultant" || u.Name != "Ed" || u.Version != 2 {
			t.Fatalf("updated %+v", u)
		}
		// A second editor still holding version 1 gets a conflict, not an overwrite.
		p := e.do("PUT", path, tok, map[string]any{"name": "Other", "role": "editor"}, "If-Match", `"1"`).problem(http.StatusConflict)
		if p.CurrentVersion != 2 {
			t.Fatalf("current_version=%d, want 2", p.CurrentVersion)
		}
		e.do("GET", path, tok, nil).wantStatus(200).decode(&u)
		if u.Name != "Ed" {
			t.Fatal("a stale update overwrote the user")
		}
		e.do("PUT", path, tok, map[string]any{"name": "Ed", "role": "editor"}).problem(http.StatusPreconditionRequired)
		p = e.do("PUT", path, tok, map[string]any{"name": "Ed", "role": "editor"}, "If-Match", "abc").problem(http.StatusBadRequest)
		if !slices.Equal(p.fields(), []string{"If-Match"}) {
			t.Fatalf("fields=%v", p.fields())
		}
		p = e.do("PUT", path, tok, map[string]any{"name": "Ed", "role": "boss"}, "If-Match", `"2"`).problem(http.StatusBadRequest)
		if !slices.Equal(p.fields(), []string{"role"}) {
			t.Fatalf("fields=%v", p.fields())
		}
		e.do("PUT", "/api/v1/admin/users/nope", tok, map[string]any{"name": "", "role": "editor"}, "If-Match", `"1"`).problem(http.StatusNotFound)
		e.do("GET", "/api/v1/admin/users/0190c0de-0000-7000-8000-000000000000", tok, nil).problem(http.StatusNotFound)
	})
}

func TestUserLastAdminProtected(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		root := e.user("root@example.com", auth.RoleAdmin)
		tok := e.login("root@example.com").AccessToken
		self := "/api/v1/admin/users/" + root.ID
		e.do("PUT", self, tok, map[string]any{"name": "", "role": "editor"}, "If-Match", `"1"`).problem(http.StatusConflict)
		e.do("PUT", self, tok, map[string]any{"name": "", "role": "admin", "disabled": true}, "If-Match", `"1"`).problem(http.StatusConflict)

		// The service refuses to remove the last admin even when asked directly.
		if _, err := e.auth.UpdateUser(t.Context(), root.ID, auth.UserUpdate{Role: auth.RoleEditor}, 1); err == nil {
			t.Fatal("demoted the last admin")
		}
		// With a second admin, one may demote the other.
		second := e.user("second@example.com", auth.RoleAdmin)
		e.do("PUT", "/api/v1/admin/users/"+second.ID, tok, map[string]any{"name": "", "role": "editor"}, "If-Match", `"1"`).wantStatus(200)
	})
}

func TestUserListAndPasswordReset(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		e.user("root@example.com", auth.RoleAdmin)
		for i := range 5 {
			e.user("ed"+strconv.Itoa(i)+"@example.com", auth.RoleEditor)
		}
		c := e.user("carol@example.com", auth.RoleConsultant)
		tok := e.login("root@example.com").AccessToken

		var seen []string
		cursor := ""
		for page := 0; ; page++ {
			var l struct {
				Data       []userDoc `json:"data"`
				NextCursor *string   `json:"next_cursor"`
			}
			e.do("GET", "/api/v1/admin/users?limit=3"+cursor, tok, nil).wantStatus(200).decode(&l)
			for _, u := range l.Data {
				seen = append(seen, u.Email)
			}
			if l.NextCursor == nil {
				break
			}
			cursor = "&cursor=" + *l.NextCursor
			if page > 5 {
				t.Fatal("pagination does not end")
			}
		}
		if len(seen) != 7 || seen[0] != "root@example.com" || seen[6] != "carol@example.com" {
			t.Fatalf("pages gave %v", seen)
		}

		var l struct{ Data []userDoc }
		e.do("GET", "/api/v1/admin/users?role=consultant", tok, nil).wantStatus(200).decode(&l)
		if len(l.Data) != 1 || l.Data[0].ID != c.ID {
			t.Fatalf("role filter gave %+v", l.Data)
		}
		e.do("GET", "/api/v1/admin/users?q=ED3", tok, nil).wantStatus(200).decode(&l)
		if len(l.Data) != 1 || l.Data[0].Email != "ed3@example.com" {
			t.Fatalf("q filter gave %+v", l.Data)
		}
		e.do("GET", "/api/v1/admin/users?q=%25", tok, nil).wantStatus(200).decode(&l)
		if len(l.Data) != 0 {
			t.Fatalf("a %% query matched %d users literally", len(l.Data))
		}
		for _, tc := range []struct {
			query       string
			total, page int
		}{{"include_total=true&limit=2", 7, 2}, {"include_total=true&role=editor", 5, 5}, {"include_total=true&q=nobody", 0, 0}} {
			var counted struct {
				Data  []userDoc
				Total *int
			}
			e.do("GET", "/api/v1/admin/users?"+tc.query, tok, nil).wantStatus(200).decode(&counted)
			if counted.Total == nil || *counted.Total != tc.total || len(counted.Data) != tc.page {
				t.Errorf("?%s: total %v, page %d; want %d, %d", tc.query, counted.Total, len(counted.Data), tc.total, tc.page)
			}
		}
		for _, q := range []string{"limit=0", "limit=101", "limit=x", "role=boss", "disabled=maybe", "include_total=maybe", "cursor=%%%", "sort=email"} {
			p := e.do("GET", "/api/v1/admin/users?"+q, tok, nil).problem(http.StatusBadRequest)
			if want := strings.SplitN(q, "=", 2)[0]; !slices.Contains(p.fields(), want) {
				t.Errorf("?%s: fields=%v, want %s named", q, p.fields(), want)
			}
		}

		// Reset signs the user out everywhere and the new password works.
		session := e.login("carol@example.com")
		var reset struct {
			GeneratedPassword string `json:"generated_password"`
		}
		e.do("POST", "/api/v1/admin/users/"+c.ID+"/password", tok, nil).wantStatus(200).decode(&reset)
		e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": session.RefreshToken}).problem(401)
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "carol@example.com", "password": reset.GeneratedPassword}).wantStatus(200)
		e.do("POST", "/api/v1/admin/users/"+c.ID+"/password", tok, map[string]string{"password": "short"}).problem(400)
		e.do("POST", "/api/v1/admin/users/"+c.ID+"/password", tok, map[string]string{"password": "another good secret"}).wantStatus(204)
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "carol@example.com", "password": "another good secret"}).wantStatus(200)
	})
}
