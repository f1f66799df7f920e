package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/transfer"
)

// TestImportOneTransaction checks that an import of many guides is one
// transaction without a savepoint per guide, all or nothing, and that
// republished guides are found by their new words only.
func TestImportOneTransaction(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		var file map[string]any
		in.do("GET", "/api/v1/admin/export?status=published", in.tok, nil).wantStatus(200).decode(&file)
		base := file["guides"].([]any)
		const n = 150
		guides := slices.Clone(base)
		for i := range n {
			guides = append(guides, map[string]any{"status": "published", "document": doc(fmt.Sprintf("bulk-%d", i), fmt.Sprintf("Bulk %d vs Django", i))})
		}
		published := func() int {
			var k int64
			if err := db.DB.Table("published_guides").Count(&k).Error; err != nil {
				t.Fatal(err)
			}
			return int(k)
		}
		before := published()
		// Through transfer.Import, as `verdict import` does: the file is
		// larger than the test server's body limit.
		importFile := func() error {
			raw, err := json.Marshal(file)
			if err != nil {
				t.Fatal(err)
			}
			_, err = transfer.Import(t.Context(), in.guides, "", bytes.NewReader(raw), transfer.Options{})
			return err
		}

		// The last guide is invalid: nothing of the file is kept.
		bad := slices.Clone(guides)
		broken := doc("bulk-broken", "Broken")
		broken["category"] = "no-such-category"
		file["guides"] = append(bad, map[string]any{"status": "published", "document": broken})
		err := importFile()
		e, ok := apperr.As(err)
		if !ok || len(e.Fields) == 0 || !strings.HasPrefix(e.Fields[0].Field, fmt.Sprintf("guides[%d]", len(guides))) {
			t.Fatalf("import of a bad file: %v %+v", err, e)
		}
		if got := published(); got != before {
			t.Fatalf("a failed import left %d published guides, had %d", got, before)
		}

		var savepoints atomic.Int64
		_ = db.Callback().Raw().Before("gorm:raw").Register("test:savepoints", func(tx *gorm.DB) {
			if strings.HasPrefix(strings.ToUpper(tx.Statement.SQL.String()), "SAVEPOINT") {
				savepoints.Add(1)
			}
		})
		file["guides"] = guides
		if err := importFile(); err != nil {
			t.Fatal(err)
		}
		if got := published(); got != before+n {
			t.Fatalf("%d published guides after the import, want %d", got, before+n)
		}
		if k := savepoints.Load(); k != 0 {
			t.Fatalf("the import used %d savepoints", k)
		}

		// Republished by a second import: the search index follows.
		renamed := doc("bulk-7", "Quetzalcoatl vs Django")
		guides[len(base)+7] = map[string]any{"status": "published", "document": renamed}
		if err := importFile(); err != nil {
			t.Fatal(err)
		}
		in.cache.Invalidate() // another process's import: this one learns by NOTIFY
		search := func(q string) []string {
			var page summaryPage
			in.do("GET", "/api/v1/guides?q="+q, "", nil).wantStatus(200).decode(&page)
			return page.slugs()
		}
		if got := search("quetzalcoatl"); !slices.Equal(got, []string{"bulk-7"}) {
			t.Fatalf("new title: %v", got)
		}
		if got := search("bulk+7"); slices.Contains(got, "bulk-7") {
			t.Fatalf("old title still indexed: %v", got)
		}
	})
}
