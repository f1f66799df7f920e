package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

type openAPI struct {
	Paths      map[string]map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`

	compiler *jsonschema.Compiler // the whole document as one JSON Schema resource
}

const openAPIURL = "https://verdict.test/openapi.json"

func loadOpenAPI(t *testing.T, e *testEnv) *openAPI {
	t.Helper()
	var doc openAPI
	raw := e.do("GET", "/api/openapi.json", "", nil).wantStatus(200).body
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	doc.compiler = jsonschema.NewCompiler()
	doc.compiler.DefaultDraft(jsonschema.Draft2020)
	doc.compiler.AssertFormat()
	if err := doc.compiler.AddResource(openAPIURL, inst); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// TestOpenAPICoversEveryRoute fails when a route is not described or a
// description has no route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	doc := loadOpenAPI(t, e)
	param := regexp.MustCompile(`:([a-z_]+)`)
	routes := map[string]bool{}
	for _, r := range e.app.GetRoutes(true) {
		if r.Method == "HEAD" || r.Path == "/admin" || strings.HasPrefix(r.Path, "/admin/") {
			continue // the admin UI, not the API
		}
		key := r.Method + " " + param.ReplaceAllString(r.Path, "{$1}")
		routes[key] = true
		p, m := param.ReplaceAllString(r.Path, "{$1}"), strings.ToLower(r.Method)
		if doc.Paths[p][m] == nil {
			t.Errorf("route %s has no documented operation", key)
		}
	}
	for p, item := range doc.Paths {
		for m := range item {
			if key := strings.ToUpper(m) + " " + p; !routes[key] && key != "GET /metrics" {
				t.Errorf("documented operation %s has no route", key)
			}
		}
	}
	if len(routes) < 60 {
		t.Fatalf("only %d routes seen", len(routes))
	}
}

// TestOpenAPIResponsesMatchSchemas calls many operations and checks each
// success response against the schema the description gives for it.
func TestOpenAPIResponsesMatchSchemas(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		doc := loadOpenAPI(t, in.testEnv)
		l := in.ownedLead("Ada Lovelace")
		in.do("POST", "/api/v1/admin/leads/"+l.ID+"/notes", in.admin, map[string]string{"body": "Called."}).wantStatus(201)
		var guides struct{ Data []adminGuide }
		in.do("GET", "/api/v1/admin/guides", in.tok, nil).wantStatus(200).decode(&guides)
		gid := guides.Data[0].ID
		checked := 0
		for _, c := range []struct{ method, path, token string }{
			{"GET", "/healthz", ""}, {"GET", "/readyz", ""},
			{"GET", "/api/v1/guides", ""}, {"GET", "/api/v1/guides?include_total=true", ""},
			{"GET", "/api/v1/guides/node-vs-django", ""}, {"GET", "/api/v1/categories", ""},
			{"GET", "/api/v1/technologies", ""}, {"GET", "/api/v1/technologies/nodejs", ""},
			{"GET", "/api/v1/auth/me", in.admin}, {"GET", "/api/v1/admin/users", in.admin},
			{"GET", "/api/v1/admin/users/" + in.nora.ID, in.admin}, {"GET", "/api/v1/admin/consultants/" + in.nora.ID, in.admin},
			{"GET", "/api/v1/admin/api-tokens", in.admin}, {"GET", "/api/v1/admin/audit", in.admin},
			{"GET", "/api/v1/admin/categories", in.tok}, {"GET", "/api/v1/admin/technologies", in.tok},
			{"GET", "/api/v1/admin/guides", in.tok}, {"GET", "/api/v1/admin/guides/" + gid, in.tok},
			{"GET", "/api/v1/admin/guides/" + gid + "/preview", in.tok}, {"GET", "/api/v1/admin/guides/" + gid + "/revisions", in.tok},
			{"GET", "/api/v1/admin/guides/" + gid + "/revisions/1", in.tok}, {"GET", "/api/v1/admin/export", in.tok},
			{"GET", "/api/v1/admin/leads", in.admin}, {"GET", "/api/v1/admin/leads/" + l.ID, in.admin},
			{"GET", "/api/v1/admin/analytics", in.admin}, {"GET", "/api/v1/admin/outbox?status=", in.admin},
			{"GET", "/api/v1/admin/webhooks", in.admin},
		} {
			res := in.do(c.method, c.path, c.token, nil).wantStatus(200)
			path := strings.SplitN(c.path, "?", 2)[0]
			schema := doc.responseSchema(t, c.method, path)
			var v any
			if err := json.Unmarshal(res.body, &v); err != nil {
				t.Fatalf("%s: %v", c.path, err)
			}
			if errs := doc.validate(schema, v); len(errs) > 0 {
				t.Errorf("%s %s does not match its schema:\n  %s", c.method, c.path, strings.Join(errs, "\n  "))
			}
			checked++
		}
		// Bodies written by POST handlers, and a problem document.
		var tok map[string]any
		res := in.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "root@example.com", "password": "correct horse battery"}).wantStatus(200)
		res.decode(&tok)
		if errs := doc.validate(doc.responseSchema(t, "POST", "/api/v1/auth/login"), tok); len(errs) > 0 {
			t.Errorf("login: %v", errs)
		}
		var rec any
		in.do("POST", "/api/v1/guides/node-vs-django/recommendation", "", map[string]any{"answers": map[string]any{"realtime": "yes"}}).wantStatus(200).decode(&rec)
		if errs := doc.validate(doc.responseSchema(t, "POST", "/api/v1/guides/{slug}/recommendation"), rec); len(errs) > 0 {
			t.Errorf("recommendation: %v", errs)
		}
		var prob any
		pr := in.do("GET", "/api/v1/guides/nope", "", nil)
		pr.problem(404)
		pr.decode(&prob)
		if errs := doc.validate("#/components/schemas/Problem", prob); len(errs) > 0 {
			t.Errorf("problem: %v", errs)
		}
		if checked < 25 {
			t.Fatalf("checked %d responses", checked)
		}
	})
}

// responseSchema finds the success schema of an operation for a concrete
// path, as a JSON pointer into the document.
func (d *openAPI) responseSchema(t *testing.T, method, path string) string {
	t.Helper()
	for p, item := range d.Paths {
		if !matchTemplate(p, path) {
			continue
		}
		op := item[strings.ToLower(method)]
		if op == nil {
			continue
		}
		for code, r := range op["responses"].(map[string]any) {
			if code == "default" {
				continue
			}
			content, _ := r.(map[string]any)["content"].(map[string]any)
			if _, ok := content["application/json"]; ok {
				return "#/paths/" + pointerEscape(p) + "/" + strings.ToLower(method) + "/responses/" + code + "/content/application~1json/schema"
			}
		}
	}
	t.Fatalf("no documented JSON response for %s %s", method, path)
	return ""
}

func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func matchTemplate(tmpl, path string) bool {
	a, b := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.HasPrefix(a[i], "{") && a[i] != b[i] {
			return false
		}
	}
	return true
}

// validate checks v (decoded JSON) against the schema at pointer with a
// full JSON Schema 2020-12 validator, formats asserted.
func (d *openAPI) validate(pointer string, v any) []string {
	sch, err := d.compiler.Compile(openAPIURL + pointer)
	if err != nil {
		return []string{"compile " + pointer + ": " + err.Error()}
	}
	var ve *jsonschema.ValidationError
	if err := sch.Validate(v); errors.As(err, &ve) {
		var out []string
		for _, u := range ve.BasicOutput().Errors {
			if u.Error != nil {
				out = append(out, u.InstanceLocation+": "+u.Error.String())
			}
		}
		return out
	} else if err != nil {
		return []string{err.Error()}
	}
	return nil
}

// TestAPIDocsPage: the interactive page loads the description with an
// inline script that the CSP allows by hash, and nothing else.
func TestAPIDocsPage(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.do("GET", "/api/docs", "", nil).wantStatus(200)
	csp := res.header.Get("Content-Security-Policy")
	if !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") || !strings.Contains(csp, "script-src 'sha256-") || strings.Contains(csp, "unsafe-eval") {
		t.Fatalf("headers %v", res.header)
	}
	if !strings.Contains(string(res.body), `fetch("/api/openapi.json")`) {
		t.Fatal("the page does not load the description")
	}
	var doc map[string]any
	e.do("GET", "/api/openapi.json", "", nil).wantStatus(200).decode(&doc)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
}
