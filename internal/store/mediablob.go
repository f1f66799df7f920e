package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/verdict-cms/verdict/internal/media"
	"github.com/verdict-cms/verdict/models"
)

// MediaBlobs is media.Storage in the database: each file in chunks of
// mediaChunk bytes, written in one transaction and read one chunk per
// query, so neither an upload nor a download holds a file in memory, and
// a slow reader holds no connection between chunks.
type MediaBlobs struct{ *Store }

var _ media.Storage = MediaBlobs{}

const (
	mediaChunk = 64 << 10
	// chunkTimeout bounds each chunk's query while a response streams,
	// after the request's own context is gone.
	chunkTimeout = 5 * time.Second
)

// Put implements media.Storage.
func (s MediaBlobs) Put(ctx context.Context, name string, content io.Reader, size int64) error {
	var n int64
	if err := s.db.WithContext(ctx).Model(&models.MediaChunk{}).Where("name = ? AND seq = 0", name).Count(&n).Error; err != nil {
		return dbError("find media chunks", err)
	}
	if n > 0 {
		return nil // content-addressed: already stored
	}
	return s.inTx(ctx, func(tx *Store) error {
		buf := make([]byte, mediaChunk)
		r := io.LimitReader(content, size)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(r, buf)
			if n > 0 {
				// A concurrent upload of the same bytes writes the same chunks.
				row := models.MediaChunk{Name: name, Seq: seq, Data: buf[:n]}
				if err := tx.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
					return dbError("save media chunk", err)
				}
			}
			switch {
			case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
				return nil
			case err != nil:
				return fmt.Errorf("store: read upload: %w", err)
			}
		}
	})
}

// Open implements media.Storage. The first chunk is read with ctx, so that
// a missing file is a NotFound before any byte is sent.
func (s MediaBlobs) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	first, err := s.chunk(ctx, name, 0)
	if err != nil {
		return nil, notFound(err, "file")
	}
	return &chunkReader{blobs: s, name: name, buf: first, next: 1}, nil
}

func (s MediaBlobs) chunk(ctx context.Context, name string, seq int) ([]byte, error) {
	var row models.MediaChunk
	err := s.db.WithContext(ctx).Select("data").Where("name = ? AND seq = ?", name, seq).Take(&row).Error
	return row.Data, err
}

// chunkReader reads a file chunk by chunk.
type chunkReader struct {
	blobs MediaBlobs
	name  string
	buf   []byte
	next  int
	done  bool
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		ctx, cancel := context.WithTimeout(context.Background(), chunkTimeout)
		b, err := r.blobs.chunk(ctx, r.name, r.next)
		cancel()
		if errors.Is(err, gorm.ErrRecordNotFound) {
			r.done = true
			return 0, io.EOF
		}
		if err != nil {
			return 0, dbError("read media chunk", err)
		}
		r.buf, r.next = b, r.next+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *chunkReader) Close() error {
	r.buf, r.done = nil, true
	return nil
}
