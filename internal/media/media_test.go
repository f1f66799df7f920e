package media_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/media"
)

func TestSpoolBoundsTheUpload(t *testing.T) {
	for _, tc := range []struct {
		size     int
		tooLarge bool
	}{{0, false}, {10, false}, {11, true}} {
		s, err := media.Spool(strings.NewReader(strings.Repeat("x", tc.size)), 10)
		if tc.tooLarge {
			if !apperr.IsKind(err, apperr.TooLarge) {
				t.Fatalf("%d bytes over a 10-byte limit: %v", tc.size, err)
			}
			continue
		}
		if err != nil || s.Size != int64(tc.size) {
			t.Fatalf("%d bytes: size %v, %v", tc.size, s, err)
		}
		got, _ := io.ReadAll(s)
		s.Close()
		if len(got) != tc.size {
			t.Fatalf("spooled %d bytes, read back %d", tc.size, len(got))
		}
	}
}

// TestFallbackServesLegacyFiles: files stored before the primary storage
// existed are still read from the legacy one; new files go to the primary.
func TestFallbackServesLegacyFiles(t *testing.T) {
	ctx := context.Background()
	legacy, primary := media.Disk{Dir: t.TempDir()}, media.Disk{Dir: t.TempDir()}
	if err := legacy.Put(ctx, "old.png", strings.NewReader("old"), 3); err != nil {
		t.Fatal(err)
	}
	f := media.Fallback{Primary: primary, Legacy: legacy}
	if err := f.Put(ctx, "new.png", strings.NewReader("new"), 3); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"old.png": "old", "new.png": "new"} {
		r, err := f.Open(ctx, name)
		if err != nil {
			t.Fatalf("open %s: %v", name, err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(got, []byte(want)) {
			t.Fatalf("%s = %q, want %q", name, got, want)
		}
	}
	if r, err := legacy.Open(ctx, "new.png"); err == nil {
		r.Close()
		t.Fatal("a new file was written to the legacy storage")
	}
}
