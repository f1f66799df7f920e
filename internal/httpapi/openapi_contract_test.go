package httpapi_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/httpapi"
)

// TestOpenAPIDocumentIsValid checks the description against the OpenAPI
// 3.1 specification's own schema with a maintained validator.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := libopenapi.NewDocument(httpapi.OpenAPIJSON())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s (%v)", e.Message, e.Reason, e.SchemaValidationErrors)
		}
	}
}

// requiredOf returns a component's required properties, sorted.
func requiredOf(t *testing.T, doc *openAPI, component string) []string {
	t.Helper()
	c, ok := doc.Components.Schemas[component].(map[string]any)
	if !ok {
		t.Fatalf("no component %s", component)
	}
	var out []string
	for _, r := range c["required"].([]any) {
		out = append(out, r.(string))
	}
	slices.Sort(out)
	return out
}

// TestOpenAPIRequiredMeansRequired: the request types name exactly the
// fields the API rejects when missing. Each body is the required fields
// alone (accepted), then each required field removed (a 400 naming it).
func TestOpenAPIRequiredMeansRequired(t *testing.T) {
	e := newContent(t, dbtest.SQLite(t))
	doc := loadOpenAPI(t, e.testEnv)
	full := map[string]map[string]any{
		"ConsultationRequest": {"name": "Ada", "email": "ada@example.com", "project_description": "A dashboard.", "consent": true},
		"GuideDocumentInput": {"title": "Go vs Rust", "slug": "go-vs-rust-min", "category": "backend", "summary": "Which one.",
			"options": []map[string]any{{"technology": "nodejs", "choose_if": []string{"x"}}, {"technology": "django"}}},
	}
	for _, c := range []struct {
		component, path string
		want            []string
	}{
		{"ConsultationRequest", "/api/v1/consultations", []string{"consent", "email", "name", "project_description"}},
		{"GuideDocumentInput", "/api/v1/admin/guides", []string{"category", "options", "slug", "summary", "title"}},
	} {
		t.Run(c.component, func(t *testing.T) {
			got := requiredOf(t, doc, c.component)
			if !slices.Equal(got, c.want) {
				t.Fatalf("required %v, want %v", got, c.want)
			}
			body := map[string]any{}
			for _, f := range got {
				body[f] = full[c.component][f]
			}
			e.do("POST", c.path, e.tok, body).wantStatus(201)
			for _, f := range got {
				less := maps.Clone(body)
				delete(less, f)
				if _, ok := less["slug"]; ok {
					less["slug"] = "other-" + f // never a slug conflict instead of the missing field
				}
				named := false
				for _, fe := range e.do("POST", c.path, e.tok, less).problem(400).Errors {
					named = named || fe.Field == f
				}
				if !named {
					t.Errorf("without %s: no error names it", f)
				}
			}
		})
	}
}

// TestOpenAPIOptionalFields: fields a client may leave out are not required
// in request bodies (the honeypot, UTM, optional guide and taxonomy fields;
// types sent both ways get an "…Input" component), pointers are nullable,
// and responses still promise what the server always sends.
func TestOpenAPIOptionalFields(t *testing.T) {
	doc := loadOpenAPI(t, newEnv(t, dbtest.SQLite(t)))
	for component, optional := range map[string][]string{
		"ConsultationRequest":    {"website", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "company", "answers"},
		"GuideDocumentInput":     {"seo_title", "seo_description", "checklist_intro", "checklist", "comparison", "tradeoffs", "faq", "related", "cta"},
		"CtaDocInput":            {"heading", "text"},
		"CategoryRequestInput":   {"description", "position"},
		"TechnologyRequestInput": {"description", "language", "website_url", "logo_url"},
		"UserCreateRequest":      {"name", "password"},
	} {
		req := requiredOf(t, doc, component)
		for _, f := range optional {
			if slices.Contains(req, f) {
				t.Errorf("%s.%s is required", component, f)
			}
		}
	}
	cta := doc.Components.Schemas["GuideDocumentInput"].(map[string]any)["properties"].(map[string]any)["cta"]
	if errs := doc.validate("#/components/schemas/GuideDocumentInput/properties/cta", nil); len(errs) > 0 {
		t.Errorf("cta %v is not nullable: %v", cta, errs)
	}
	// As the server sends them, the same types have every member.
	for component, always := range map[string][]string{
		"GuideDocument": {"seo_title", "checklist", "related", "cta"}, "CtaDoc": {"heading", "text"}, "CategoryRequest": {"description"},
	} {
		req := requiredOf(t, doc, component)
		for _, f := range always {
			if !slices.Contains(req, f) {
				t.Errorf("response %s.%s is optional, but the server always sends it", component, f)
			}
		}
	}
}
