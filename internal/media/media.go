// Package media stores uploaded images: the type is sniffed from the bytes
// (never trusted from the client), the size is bounded, and each file is
// stored once under the SHA-256 of its content behind a Storage interface
// (local disk by default), so it can be served with caching forever.
package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Allowed types and their file extensions. SVG is not among them: it can
// carry script.
var allowed = map[string]string{"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}

// Item is a stored file.
type Item struct {
	ID           string // hex SHA-256
	ContentType  string
	Size         int64
	OriginalName string
	CreatedByID  *string
	CreatedAt    time.Time
}

// Name is the file's public name: its hash and extension.
func (i *Item) Name() string { return i.ID + allowed[i.ContentType] }

// URL is where the file is served.
func (i *Item) URL() string { return "/media/" + i.Name() }

// Storage keeps file bytes, streamed both ways so that no file is ever
// held in memory whole.
type Storage interface {
	// Put stores the size bytes read from content under name. A name that
	// is already stored is kept: names are content hashes.
	Put(ctx context.Context, name string, content io.Reader, size int64) error
	// Open streams name's bytes, or fails with NotFound. The reader is read
	// while the response is sent, after the request's handler (and its
	// context) is done, so it must not depend on ctx beyond Open.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
}

// Store keeps file metadata.
type Store interface {
	SaveMedia(ctx context.Context, i *Item) error // an existing ID is not an error
	FindMedia(ctx context.Context, id string) (*Item, error)
	ListMedia(ctx context.Context, beforeID string, limit int) ([]*Item, error)
}

// Service accepts uploads and finds files.
type Service struct {
	store    Store
	storage  Storage
	maxBytes int64
	now      func() time.Time
}

// NewService wires the media service.
func NewService(store Store, storage Storage, maxBytes int64, now func() time.Time) *Service {
	return &Service{store: store, storage: storage, maxBytes: maxBytes, now: now}
}

// Upload stores size bytes of content if they are an allowed image within
// the size limit. content is read twice (hash, then store): pass a spooled
// file (Spool), not the request body.
func (s *Service) Upload(ctx context.Context, actor, originalName string, content io.ReadSeeker, size int64) (*Item, error) {
	if size > s.maxBytes {
		return nil, apperr.New(apperr.TooLarge, "the file is larger than %d bytes", s.maxBytes)
	}
	head := make([]byte, 512) // all http.DetectContentType looks at
	n, err := io.ReadFull(content, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	ct := http.DetectContentType(head[:n])
	if _, ok := allowed[ct]; !ok {
		return nil, apperr.Fields{{Field: "file", Code: "type", Message: "must be a PNG, JPEG, GIF or WebP image (found " + ct + ")"}}.Err()
	}
	sum := sha256.New()
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("media: rewind upload: %w", err)
	}
	if _, err := io.Copy(sum, content); err != nil {
		return nil, fmt.Errorf("media: hash upload: %w", err)
	}
	if _, err := content.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("media: rewind upload: %w", err)
	}
	item := &Item{ID: hex.EncodeToString(sum.Sum(nil)), ContentType: ct, Size: size, OriginalName: cleanName(originalName), CreatedAt: s.now()}
	if actor != "" {
		item.CreatedByID = &actor
	}
	if err := s.storage.Put(ctx, item.Name(), content, size); err != nil {
		if _, ok := apperr.As(err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("media: store %s: %w", item.Name(), err)
	}
	if err := s.store.SaveMedia(ctx, item); err != nil {
		return nil, err
	}
	return item, nil
}

var publicName = regexp.MustCompile(`^([0-9a-f]{64})\.(png|jpg|gif|webp)$`)

// Find returns a file's metadata by its public name.
func (s *Service) Find(ctx context.Context, name string) (*Item, error) {
	m := publicName.FindStringSubmatch(name)
	if m == nil {
		return nil, apperr.New(apperr.NotFound, "no such file")
	}
	item, err := s.store.FindMedia(ctx, m[1])
	if err != nil {
		return nil, err
	}
	if item.Name() != name {
		return nil, apperr.New(apperr.NotFound, "no such file")
	}
	return item, nil
}

// Content streams a file's bytes.
func (s *Service) Content(ctx context.Context, item *Item) (io.ReadCloser, error) {
	r, err := s.storage.Open(ctx, item.Name())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, apperr.Wrap(apperr.NotFound, err, "no such file")
	}
	return r, err
}

// List returns uploaded files, newest first.
func (s *Service) List(ctx context.Context, beforeID string, limit int) ([]*Item, error) {
	return s.store.ListMedia(ctx, beforeID, limit)
}

func cleanName(n string) string {
	n = filepath.Base(n)
	if len(n) > 200 {
		n = n[:200]
	}
	return string(bytes.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, []byte(n)))
}

// Disk is Storage in a local directory. Several instances behind a load
// balancer need a shared directory; with PostgreSQL use the database store.
type Disk struct{ Dir string }

// Put implements Storage, writing through a temporary file so a crash never
// leaves half a file under its final name.
func (d Disk) Put(_ context.Context, name string, content io.Reader, size int64) error {
	if err := os.MkdirAll(d.Dir, 0o750); err != nil {
		return err
	}
	final := filepath.Join(d.Dir, name)
	if _, err := os.Stat(final); err == nil {
		return nil // content-addressed: already there
	}
	tmp, err := os.CreateTemp(d.Dir, ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, io.LimitReader(content, size)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}

// Open implements Storage.
func (d Disk) Open(_ context.Context, name string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.Dir, name))
}

// Fallback reads from Primary and, for files Primary lacks, from Legacy;
// it writes to Primary only. It serves files uploaded to disk before the
// database became the store.
type Fallback struct{ Primary, Legacy Storage }

// Put implements Storage.
func (f Fallback) Put(ctx context.Context, name string, content io.Reader, size int64) error {
	return f.Primary.Put(ctx, name, content, size)
}

// Open implements Storage.
func (f Fallback) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	r, err := f.Primary.Open(ctx, name)
	if apperr.IsKind(err, apperr.NotFound) || errors.Is(err, fs.ErrNotExist) {
		return f.Legacy.Open(ctx, name)
	}
	return r, err
}
