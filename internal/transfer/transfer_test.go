package transfer_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/seed"
	"github.com/verdict-cms/verdict/internal/store"
	"github.com/verdict-cms/verdict/internal/transfer"
)

// site is a seeded content service and its database.
type site struct {
	svc *guide.Service
	db  *database.DB
}

func newSite(t *testing.T, db *database.DB) *site {
	t.Helper()
	svc := guide.NewService(store.GuideStore{Store: store.New(db)}, guide.CTA{Title: "Talk to us"}, time.Now)
	if _, err := seed.Load(t.Context(), svc, ""); err != nil {
		t.Fatal(err)
	}
	return &site{svc: svc, db: db}
}

func (s *site) export(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := transfer.Export(t.Context(), s.svc, "", &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// count returns the rows of table.
func (s *site) count(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := s.db.DB.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// clones writes file (an export) with n more published guides shaped like
// its node-vs-django guide, changed by edit (i counts from 1; its changes
// stay for the following clones).
func clones(t *testing.T, file []byte, n int, edit func(i int, doc map[string]any)) []byte {
	t.Helper()
	var f map[string]json.RawMessage
	if err := json.Unmarshal(file, &f); err != nil {
		t.Fatal(err)
	}
	var guides []map[string]any
	if err := json.Unmarshal(f["guides"], &guides); err != nil {
		t.Fatal(err)
	}
	var proto map[string]any
	for _, g := range guides {
		if d := g["document"].(map[string]any); d["slug"] == "node-vs-django" {
			proto = d
		}
	}
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	w.WriteString("{")
	for _, k := range []string{"format", "version", "categories", "technologies"} {
		fmt.Fprintf(w, "%q:%s,\n", k, f[k])
	}
	w.WriteString(`"guides":[`)
	for i, g := range guides {
		b, _ := json.Marshal(g)
		if i > 0 {
			w.WriteString(",")
		}
		w.WriteString("\n")
		w.Write(b)
	}
	for i := 1; i <= n; i++ {
		proto["slug"], proto["title"] = fmt.Sprintf("guide-%d", i), fmt.Sprintf("Guide %d vs Django", i)
		if edit != nil {
			edit(i, proto)
		}
		b, _ := json.Marshal(map[string]any{"status": "published", "document": proto})
		w.WriteString(",\n")
		w.Write(b)
	}
	w.WriteString("\n]}\n")
	w.Flush()
	return out.Bytes()
}

func importFile(t *testing.T, svc *guide.Service, file []byte) (*transfer.Report, error) {
	t.Helper()
	// A file on disk, as `verdict import` reads it: errors name lines.
	path := filepath.Join(t.TempDir(), "content.json")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return transfer.Import(t.Context(), svc, "", f, transfer.Options{})
}

// TestImportTenThousandIsAllOrNothing imports 10,000 guides on both
// databases: a bad guide near the end, or a file cut short near the end,
// leaves nothing of the file stored; the whole file then imports, every
// guide published and found by search.
func TestImportTenThousandIsAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 guides")
	}
	const n = 10000
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		base := s.export(t)
		before := map[string]int64{}
		tables := []string{"guides", "guide_revisions", "published_guides", "guide_technologies", "guide_links", "outbox"}
		for _, tb := range tables {
			before[tb] = s.count(t, tb)
		}
		unchanged := func(what string) {
			t.Helper()
			for _, tb := range tables {
				if got := s.count(t, tb); got != before[tb] {
					t.Fatalf("%s left %d rows in %s, had %d", what, got, tb, before[tb])
				}
			}
		}

		bad := clones(t, base, n, func(i int, d map[string]any) {
			d["category"] = "backend"
			if i == n-5 {
				d["category"] = "no-such-category"
			}
		})
		_, err := importFile(t, s.svc, bad)
		e, ok := apperr.As(err)
		want := fmt.Sprintf("guides[%d].document.category", 4+n-6)
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != want {
			t.Fatalf("import with a bad guide: %v, want a field error at %s", err, want)
		}
		unchanged("a bad guide")

		good := clones(t, base, n, nil)
		cut := good[:len(good)-2000]
		_, err = importFile(t, s.svc, cut)
		if err == nil || !strings.Contains(describe(err), "ends too early") {
			t.Fatalf("import of a cut file: %v", err)
		}
		unchanged("a cut file")

		rep, err := importFile(t, s.svc, good)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Created) != n || rep.Same != int(before["guides"])+2+int(s.count(t, "technologies")) {
			t.Fatalf("report: %d created, %d unchanged", len(rep.Created), rep.Same)
		}
		if got := s.count(t, "published_guides"); got != before["published_guides"]+n {
			t.Fatalf("%d published guides, want %d", got, before["published_guides"]+n)
		}
		if _, err := s.svc.PublishedGuide(t.Context(), fmt.Sprintf("guide-%d", n)); err != nil {
			t.Fatalf("the last imported guide: %v", err)
		}
		res, err := s.svc.PublishedGuides(t.Context(), guide.PublicFilter{Query: fmt.Sprintf("guide %d", n-1), Sort: guide.SortRelevance, Limit: 5})
		if err != nil || len(res) == 0 || res[0].Slug != fmt.Sprintf("guide-%d", n-1) {
			t.Fatalf("search for an imported guide: %v %v", res, err)
		}
	})
}

// TestImportRefuses: files Verdict cannot read are refused with the reason
// and the place, before anything is stored.
func TestImportRefuses(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		base := string(s.export(t))
		guides := s.count(t, "guides")
		for _, c := range []struct {
			name, file, want string
		}{
			{"unknown version", `{"format":"verdict-export","version":3,"guides":[]}`, "version: 3 is not a version this Verdict reads"},
			{"unknown format", `{"format":"wordpress","version":2,"guides":[]}`, `format: is "wordpress"`},
			{"version 2 without format", `{"version":2,"guides":[]}`, "format: must be"},
			{"no version", `{"categories":[],"guides":[]}`, "version: "},
			{"not an object", `[1,2]`, "must be a JSON object"},
			{"broken JSON on a line", strings.Replace(base, `"slug":"react-vs-nextjs"`, `"slug":"react-vs-nextjs",,`, 1), "guides[1]"},
			{"wrong type names the guide", strings.Replace(base, `"slug":"react-vs-nextjs"`, `"slug":"react-vs-nextjs","faq":7`, 1), `guide "react-vs-nextjs" (line 10)`},
			{"unknown field", strings.Replace(base, `"slug":"react-vs-nextjs"`, `"slug":"react-vs-nextjs","colour":"red"`, 1), `unknown field "colour"`},
			{"NUL", strings.Replace(base, `"technology":"django"`, `"technology":"dj\u0000ango"`, 1), "guides[3].document.options[1].technology: contains a NUL"},
			{"trailing data", base + "{}", "after the closing brace"},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := importFile(t, s.svc, []byte(c.file))
				if err == nil || !strings.Contains(describe(err), c.want) {
					t.Fatalf("error %q, want %q", describe(err), c.want)
				}
				if got := s.count(t, "guides"); got != guides {
					t.Fatalf("%d guides after a refused file, had %d", got, guides)
				}
			})
		}
	})
}

// describe flattens an error with its field errors, as the CLI prints it.
func describe(err error) string {
	if err == nil {
		return "<nil>"
	}
	e, ok := apperr.As(err)
	if !ok {
		return err.Error()
	}
	out := e.Message
	for _, f := range e.Fields {
		out += "; " + f.Field + ": " + f.Message
	}
	return out
}

// TestImportDuplicateSlugs: a slug that exists is updated (or left alone
// when equal); a slug twice in one file is created, then updated by its
// second entry, like two imports in a row.
func TestImportDuplicateSlugs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		base := s.export(t)
		file := clones(t, base, 3, func(i int, d map[string]any) {
			if i == 3 { // the third clone reuses the first one's slug
				d["slug"], d["title"] = "guide-1", "Guide 1 again vs Django"
			}
		})
		rep, err := importFile(t, s.svc, file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rep.Created, ",") != "guide guide-1,guide guide-2" || strings.Join(rep.Updated, ",") != "guide guide-1" {
			t.Fatalf("created %v, updated %v", rep.Created, rep.Updated)
		}
		d, err := s.svc.GuideBySlug(t.Context(), "guide-1")
		if err != nil || d.Input.Title != "Guide 1 again vs Django" || d.Guide.Status != guide.StatusPublished || d.Guide.HasUnpublishedChanges() {
			t.Fatalf("guide-1 after the file: %+v %v", d, err)
		}
		// Again: the first entry of guide-1 updates it, the second back.
		rep, err = importFile(t, s.svc, file)
		if err != nil || len(rep.Created) != 0 || strings.Join(rep.Updated, ",") != "guide guide-1,guide guide-1" {
			t.Fatalf("second import: %+v %v", rep, err)
		}
	})
}

// TestImportVersionOne reads a file as Verdict wrote it before version 2:
// no format, name translations after the guides.
func TestImportVersionOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		s := newSite(t, db)
		var f map[string]any
		if err := json.Unmarshal(s.export(t), &f); err != nil {
			t.Fatal(err)
		}
		delete(f, "format")
		f["version"] = 1
		g := f["guides"].([]any)[0].(map[string]any)["document"].(map[string]any)
		g["slug"], g["title"] = "from-version-one", "From version one"
		// Keys sorted by encoding/json: guides before technologies and version.
		v1, _ := json.Marshal(f)
		rep, err := transfer.Import(t.Context(), s.svc, "", io.NopCloser(bytes.NewReader(v1)), transfer.Options{})
		if err == nil {
			t.Fatal("a stream with its version after the guides was read")
		}
		rep, err = transfer.Import(t.Context(), s.svc, "", bytes.NewReader(v1), transfer.Options{})
		if err != nil || strings.Join(rep.Created, ",") != "guide from-version-one" {
			t.Fatalf("version 1 file: %+v %v", rep, err)
		}
	})
}
