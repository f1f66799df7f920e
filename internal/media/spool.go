package media

import (
	"fmt"
	"io"
	"os"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// Spooled is an upload copied to a temporary file: it can be read twice
// (hashed, then stored) without ever being held in memory.
type Spooled struct {
	*os.File
	Size int64
}

// Spool copies r into a temporary file, refusing more than max bytes.
// Close removes the file.
func Spool(r io.Reader, max int64) (*Spooled, error) {
	f, err := os.CreateTemp("", "verdict-upload-*")
	if err != nil {
		return nil, fmt.Errorf("media: spool: %w", err)
	}
	s := &Spooled{File: f}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if err != nil {
		s.Close()
		return nil, apperr.Wrap(apperr.Invalid, err, "the upload could not be read")
	}
	if n > max {
		s.Close()
		return nil, apperr.New(apperr.TooLarge, "the file is larger than %d bytes", max)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		s.Close()
		return nil, fmt.Errorf("media: spool: %w", err)
	}
	s.Size = n
	return s, nil
}

// Close closes and removes the temporary file.
func (s *Spooled) Close() error {
	err := s.File.Close()
	if rerr := os.Remove(s.File.Name()); err == nil {
		err = rerr
	}
	return err
}
