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
	"fmt"
	"io"
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

// Storage keeps file bytes.
type Storage interface {
	Put(ctx context.Context, name string, content []byte) error
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

// Upload stores content if it is an allowed image within the size limit.
func (s *Service) Upload(ctx context.Context, actor, originalName string, content []byte) (*Item, error) {
	if int64(len(content)) > s.maxBytes {
		return nil, apperr.New(apperr.TooLarge, "the file is larger than %d bytes", s.maxBytes)
	}
	ct := http.DetectContentType(content)
	if _, ok := allowed[ct]; !ok {
		return nil, apperr.Fields{{Field: "file", Code: "type", Message: "must be a PNG, JPEG, GIF or WebP image (found " + ct + ")"}}.Err()
	}
	sum := sha256.Sum256(content)
	item := &Item{ID: hex.EncodeToString(sum[:]), ContentType: ct, Size: int64(len(content)), OriginalName: cleanName(originalName), CreatedAt: s.now()}
	if actor != "" {
		item.CreatedByID = &actor
	}
	if err := s.storage.Put(ctx, item.Name(), content); err != nil {
		return nil, fmt.Errorf("media: store %s: %w", item.Name(), err)
	}
	if err := s.store.SaveMedia(ctx, item); err != nil {
		return nil, err
	}
	return item, nil
}

var publicName = regexp.MustCompile(`^([0-9a-f]{64})\.(png|jpg|gif|webp)$`)

// Open returns a file by its public name.
func (s *Service) Open(ctx context.Context, name string) (*Item, io.ReadCloser, error) {
	m := publicName.FindStringSubmatch(name)
	if m == nil {
		return nil, nil, apperr.New(apperr.NotFound, "no such file")
	}
	item, err := s.store.FindMedia(ctx, m[1])
	if err != nil {
		return nil, nil, err
	}
	if item.Name() != name {
		return nil, nil, apperr.New(apperr.NotFound, "no such file")
	}
	r, err := s.storage.Open(ctx, name)
	return item, r, err
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

// Disk is Storage in a local directory.
type Disk struct{ Dir string }

// Put implements Storage, writing through a temporary file so a crash never
// leaves half a file under its final name.
func (d Disk) Put(_ context.Context, name string, content []byte) error {
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
	if _, err := tmp.Write(content); err != nil {
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
