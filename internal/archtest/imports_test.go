package archtest

import (
	"go/build"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/verdict-cms/verdict/"

// Every package of the module, by role. A new package fails
// TestEveryPackageHasARole until someone decides where it belongs.
var (
	// domain: types, rules and services; the standard library and each other only.
	domain = []string{"internal/apperr", "internal/id", "internal/audit", "internal/auth", "internal/catalog",
		"internal/guide", "internal/lead", "internal/outbox", "internal/funnel", "internal/locale", "internal/transfer"}
	// libraries: pure helpers with no module imports, usable from anywhere.
	libraries = []string{"internal/markdown", "internal/nulbyte", "internal/requestid", "internal/cache", "internal/batch", "internal/jsonstr"}
	// services that own one kind of I/O themselves (files, outgoing HTTP):
	// the domain may be imported, no framework, ORM or adapter.
	ioServices = []string{"internal/media", "internal/webhook"}
	// adapters: one technology each; they import the domain, never each other.
	adapters = []string{"internal/store", "internal/mail", "internal/httpapi", "internal/pgnotify", "internal/metrics",
		"internal/database", "internal/migrate"}
	// renderers: pure functions from values to bytes, used by httpapi.
	renderers = []string{"internal/site", "internal/ogimage", "internal/embedjs"}
	// the rest: configuration, plumbing, composition and test helpers.
	others = []string{"internal/app", "internal/config", "internal/logsink", "internal/seed", "models", "migrations", "cmd/verdict",
		"internal/dbtest", "internal/mailtest", "internal/faulttest", "internal/archtest"}

	// adapterEdges are the allowed imports between adapters, each for a reason.
	adapterEdges = map[string]string{
		"internal/store -> internal/database":   "the store runs on the opened database handle",
		"internal/migrate -> internal/database": "migrations need the dialect of the opened database",
		"internal/httpapi -> internal/metrics":  "the HTTP layer counts requests and cache hits, and serves /metrics",
	}

	// technology the domain never sees.
	// (database/sql is the standard library: apperr classifies its errors.)
	forbidden = []string{"github.com/gofiber/", "github.com/valyala/fasthttp", "gorm.io/", "github.com/jackc/",
		"net/http", module + "models"}
)

func root(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// imports returns the non-test imports of a module package.
func imports(t *testing.T, rel string) []string {
	t.Helper()
	p, err := build.Default.ImportDir(filepath.Join(root(t), rel), 0)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return p.Imports
}

// closure returns every package rel reaches, following module packages.
func closure(t *testing.T, rel string) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	var walk func(rel string)
	walk = func(rel string) {
		for _, imp := range imports(t, rel) {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if r, ok := strings.CutPrefix(imp, module); ok {
				walk(r)
			}
		}
	}
	walk(rel)
	return seen
}

func TestEveryPackageHasARole(t *testing.T) {
	known := map[string]bool{}
	for _, l := range [][]string{domain, libraries, ioServices, adapters, renderers, others} {
		for _, p := range l {
			if known[p] {
				t.Errorf("%s has two roles", p)
			}
			known[p] = true
		}
	}
	var found []string
	for _, dir := range []string{"internal", "cmd"} {
		entries, _ := filepath.Glob(filepath.Join(root(t), dir, "*"))
		for _, e := range entries {
			if _, err := build.Default.ImportDir(e, 0); err == nil {
				rel, _ := filepath.Rel(root(t), e)
				found = append(found, filepath.ToSlash(rel))
			}
		}
	}
	for _, p := range found {
		if !known[p] {
			t.Errorf("package %s has no role in imports_test.go: decide whether it is domain, an adapter, ...", p)
		}
	}
	if len(found) < 25 {
		t.Fatalf("found only %d packages", len(found))
	}
}

func TestDomainImportsNoTechnology(t *testing.T) {
	allowed := map[string]bool{}
	for _, p := range slices.Concat(domain, libraries) {
		allowed[module+p] = true
	}
	for _, p := range slices.Concat(domain, ioServices) {
		for _, imp := range slices.Sorted(maps.Keys(closure(t, p))) {
			for _, f := range forbidden {
				if strings.HasPrefix(imp, f) && !(slices.Contains(ioServices, p) && imp == "net/http") {
					t.Errorf("%s reaches %s", p, imp)
				}
			}
			if strings.HasPrefix(imp, module) && !allowed[imp] {
				t.Errorf("%s imports %s, which is not a domain package", p, imp)
			}
		}
	}
}

func TestAdaptersDoNotImportEachOther(t *testing.T) {
	for _, a := range adapters {
		for _, imp := range imports(t, a) {
			rel, ok := strings.CutPrefix(imp, module)
			if !ok || !slices.Contains(adapters, rel) {
				continue
			}
			if _, ok := adapterEdges[a+" -> "+rel]; !ok {
				t.Errorf("adapter %s imports adapter %s", a, rel)
			}
		}
	}
}

func TestRenderersImportNoModulePackage(t *testing.T) {
	for _, r := range slices.Concat(renderers, libraries) {
		for _, imp := range imports(t, r) {
			if strings.HasPrefix(imp, module) || strings.HasPrefix(imp, "github.com/gofiber/") {
				t.Errorf("renderer %s imports %s", r, imp)
			}
		}
	}
}

// TestOnlyTheStoreImportsModels: GORM rows never leak past storage.
func TestOnlyTheStoreImportsModels(t *testing.T) {
	for _, p := range slices.Concat(domain, libraries, ioServices, adapters, renderers, others) {
		if p == "internal/store" || p == "models" || p == "migrations" || p == "internal/archtest" {
			continue
		}
		if slices.Contains(imports(t, p), module+"models") {
			t.Errorf("%s imports models", p)
		}
	}
}
