package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"testing"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
	"github.com/verdict-cms/verdict/internal/store"
)

// TestMediaBlobs stores files of several sizes around the chunk size and
// reads them back through the chunked reader; a second Put of the same name
// keeps the first, and a missing name is NotFound.
func TestMediaBlobs(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		blobs := store.MediaBlobs{Store: store.New(db)}
		for _, size := range []int{1, 64 << 10, 64<<10 + 1, 300 << 10} {
			content := make([]byte, size)
			_, _ = rand.Read(content)
			name := "f" + string(rune('a'+size%26)) + ".png"
			if err := blobs.Put(ctx, name, bytes.NewReader(content), int64(size)); err != nil {
				t.Fatalf("put %d bytes: %v", size, err)
			}
			if err := blobs.Put(ctx, name, bytes.NewReader(make([]byte, size)), int64(size)); err != nil {
				t.Fatalf("put again: %v", err)
			}
			r, err := blobs.Open(ctx, name)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			got, err := io.ReadAll(r)
			r.Close()
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("%d bytes read back as %d (equal %v): %v", size, len(got), bytes.Equal(got, content), err)
			}
		}
		if _, err := blobs.Open(ctx, "missing.png"); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("open missing: %v", err)
		}
	})
}
