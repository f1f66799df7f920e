package media

import (
	"context"
	"strings"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Use is a place that shows a file: a guide's draft or published text, or
// a technology's logo.
type Use struct {
	Kind  string // "guide" or "technology"
	ID    string
	Slug  string
	Title string
	Where string // "draft", "published" or "logo"
}

// LibraryStore searches, traces and removes file metadata.
type LibraryStore interface {
	SearchMedia(ctx context.Context, q, beforeID string, limit int) ([]*Item, error)
	MediaUses(ctx context.Context, id string) ([]Use, error)
	DeleteMedia(ctx context.Context, id string) error
}

// Library is the editors' view of uploads: find a file, see where it is
// shown, delete one nothing shows.
type Library struct{ store LibraryStore }

// NewLibrary wires the media library.
func NewLibrary(store LibraryStore) *Library { return &Library{store: store} }

// Search lists files whose original name contains q, newest first.
func (l *Library) Search(ctx context.Context, q, beforeID string, limit int) ([]*Item, error) {
	return l.store.SearchMedia(ctx, strings.TrimSpace(q), beforeID, limit)
}

// Uses lists where a file is shown; the id is matched as text, so it must
// be a hash (never a pattern).
func (l *Library) Uses(ctx context.Context, id string) ([]Use, error) {
	if !isHash(id) {
		return nil, apperr.New(apperr.NotFound, "no such file")
	}
	return l.store.MediaUses(ctx, id)
}

// Delete removes a file's record, so it is no longer served. A file still
// shown somewhere is a Conflict naming the places, so a page never loses
// its image silently. The bytes stay in storage: the name is the content's
// hash, and a later upload of the same image finds them again.
func (l *Library) Delete(ctx context.Context, id string) error {
	uses, err := l.Uses(ctx, id)
	if err != nil {
		return err
	}
	if len(uses) > 0 {
		e := apperr.New(apperr.Conflict, "the file is used by %d %s; remove it there first", len(uses), plural(len(uses), "place", "places"))
		e.Extra = map[string]any{"used_by": uses}
		return e
	}
	return l.store.DeleteMedia(ctx, id)
}

func isHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
