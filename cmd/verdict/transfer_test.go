package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// TestExportImportBetweenDatabases moves the demo content from a SQLite
// instance to a PostgreSQL one and reads it back identical; importing again
// changes nothing, and a dry run changes nothing either.
func TestExportImportBetweenDatabases(t *testing.T) {
	src := newProgram(t, "")
	src.mustRun("", "bootstrap")
	exported := src.mustRun("", "export")
	file := filepath.Join(t.TempDir(), "content.json")
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}

	dst := newProgram(t, dbtest.PostgresURL(t, false))
	dry := dst.mustRun("", "import", "--dry-run", file)
	if !strings.Contains(dry, "would import (dry run, nothing changed): 14 created") {
		t.Fatalf("dry run: %s", dry)
	}
	if out := dst.mustRun("", "export"); strings.Contains(out, "node-vs-django") {
		t.Fatal("the dry run changed the database")
	}
	if out := dst.mustRun("", "import", file); !strings.Contains(out, "imported: 14 created, 0 updated") {
		t.Fatalf("import: %s", out)
	}
	if back := dst.mustRun("", "export"); back != exported {
		t.Fatalf("content read back differs:\n%s", firstDiff(back, exported))
	}
	if out := dst.mustRun("", "import", file); !strings.Contains(out, "0 created, 0 updated, 14 unchanged") {
		t.Fatalf("second import: %s", out)
	}
}

// TestImportIsAllOrNothing breaks one guide of a file: the import fails
// naming that guide's field, and nothing before it was kept.
func TestImportIsAllOrNothing(t *testing.T) {
	src := newProgram(t, "")
	src.mustRun("", "bootstrap")
	exported := src.mustRun("", "export")
	broken := strings.Replace(exported, `"technology":"django"`, `"technology":"cobol"`, 1)
	file := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	dst := newProgram(t, "")
	_, _, err := dst.run("", "import", file)
	if err == nil || !strings.Contains(err.Error(), "guides[3].document.options[1].technology") {
		t.Fatalf("import error %v, want the bad item's path", err)
	}
	if out := dst.mustRun("", "export"); strings.Contains(out, `"backend"`) {
		t.Fatalf("a failed import left content behind:\n%s", out)
	}
}

// TestImportRefusesNUL: a NUL character in an import file is named by its
// path on both databases, before anything is written (PostgreSQL cannot
// store it).
func TestImportRefusesNUL(t *testing.T) {
	src := newProgram(t, "")
	src.mustRun("", "bootstrap")
	exported := src.mustRun("", "export")
	broken := strings.Replace(exported, `"technology":"django"`, `"technology":"djan\u0000go"`, 1)
	file := filepath.Join(t.TempDir(), "nul.json")
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, url := range map[string]string{"sqlite": "", "postgres": dbtest.PostgresURL(t, false)} {
		t.Run(name, func(t *testing.T) {
			_, _, err := newProgram(t, url).run("", "import", file)
			if err == nil || !strings.Contains(err.Error(), "guides[3].document.options[1].technology contains a NUL") {
				t.Fatalf("import error %v, want the NUL's path", err)
			}
		})
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + al[i] + "\nwant: " + bl[i]
		}
	}
	return "lengths differ"
}
