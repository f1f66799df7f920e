package transfer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/nulbyte"
)

// sink receives a file's parts as the reader meets them.
type sink interface {
	categories([]Category) error
	technologies([]Technology) error
	names(key string, ns []Name) error
	// guide gets the guides one by one, i counting from 0; end follows
	// the last.
	guide(i int, g *Guide) error
	end() error
}

// reader streams a file: the small lists are decoded whole, the guides
// one at a time, so a file of any size is read in bounded memory.
type reader struct {
	src io.Reader
	dec *json.Decoder
}

func newReader(r io.Reader) *reader {
	br := bufio.NewReaderSize(r, 1<<16)
	return &reader{src: r, dec: json.NewDecoder(br)}
}

// read decodes the whole file into s. The version must come before the
// guides (a reader must know what it streams); the small lists may come
// before it, and are applied once it is known.
func (r *reader) read(s sink) error {
	if err := r.delim('{', "the file must be a JSON object"); err != nil {
		return err
	}
	version, format := 0, ""
	// The small lists wait until the guides begin (or the file ends), when
	// the format and version, in whatever order they came, are known.
	var held []func() error
	ready := false
	start := func() error {
		if ready {
			return nil
		}
		if version == 0 {
			// Written after the guides (by a tool that sorts keys): a file
			// or a body in memory is read twice, a stream cannot be.
			var err error
			if version, format, err = r.peekVersion(); err != nil {
				return err
			}
		}
		if version == 0 {
			return invalid("version", "required", "must come before the guides (1 or 2)")
		}
		if err := checkVersion(version, format); err != nil {
			return err
		}
		ready = true
		for _, f := range held {
			if err := f(); err != nil {
				return err
			}
		}
		held = nil
		return nil
	}
	apply := func(f func() error) error {
		if ready {
			return f()
		}
		held = append(held, f)
		return nil
	}
	for r.dec.More() {
		key, err := r.key()
		if err != nil {
			return err
		}
		switch key {
		case "format":
			if err := r.dec.Decode(&format); err != nil {
				return r.syntax("format", err)
			}
			if format != FormatName {
				return invalid("format", "unknown", fmt.Sprintf("is %q, not %q", format, FormatName))
			}
		case "version":
			if err := r.dec.Decode(&version); err != nil {
				return r.syntax("version", err)
			}
		case "categories":
			var cs []Category
			if err = r.list(key, &cs); err == nil {
				err = apply(func() error { return s.categories(cs) })
			}
		case "technologies":
			var ts []Technology
			if err = r.list(key, &ts); err == nil {
				err = apply(func() error { return s.technologies(ts) })
			}
		case "category_translations", "technology_translations":
			var ns []Name
			if err = r.list(key, &ns); err == nil {
				err = apply(func() error { return s.names(key, ns) })
			}
		case "guides":
			if err = start(); err == nil {
				err = r.guides(s)
			}
		default:
			return invalid(key, "unknown", "is not part of an export file")
		}
		if err != nil {
			return err
		}
	}
	if err := start(); err != nil {
		return err
	}
	if _, err := r.dec.Token(); err != nil { // the closing brace
		return r.syntax("file", err)
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return invalid("file", "trailing", "has data after the closing brace")
	}
	return s.end()
}

// peekVersion reads the format and version of a file that can be read
// again from the start; zero when it cannot.
func (r *reader) peekVersion() (int, string, error) {
	ra, ok := r.src.(io.ReaderAt)
	if !ok {
		return 0, "", nil
	}
	size := int64(1<<63 - 1)
	if s, ok := r.src.(interface{ Size() int64 }); ok {
		size = s.Size()
	} else if f, ok := r.src.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(ra, 0, size), 1<<16)).Decode(&head); err != nil {
		return 0, "", r.syntax("file", err)
	}
	return head.Version, head.Format, nil
}

func checkVersion(v int, format string) error {
	switch {
	case v == 1 && format == "", v == Version && format == FormatName:
		return nil
	case v == Version:
		return invalid("format", "required", fmt.Sprintf("must be %q in a version %d file", FormatName, v))
	}
	return invalid("version", "unsupported", fmt.Sprintf("%d is not a version this Verdict reads (1 or %d); export the content again with a matching Verdict", v, Version))
}

// guides streams the guides array.
func (r *reader) guides(s sink) error {
	if err := r.delim('[', "guides must be a list"); err != nil {
		return err
	}
	for i := 0; r.dec.More(); i++ {
		at := r.dec.InputOffset()
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			return r.syntax(fmt.Sprintf("guides[%d]%s", i, r.line(at)), err)
		}
		var g Guide
		if err := strictDecode(raw, &g); err != nil {
			return invalid(fmt.Sprintf("guides[%d]", i), "invalid", fmt.Sprintf("%s%s: %v", slugOf(raw), r.line(at), err))
		}
		if path, found := nulbyte.JSONPath(raw); found {
			return nulError(fmt.Sprintf("guides[%d].%s", i, path))
		}
		if err := s.guide(i, &g); err != nil {
			return err
		}
	}
	_, err := r.dec.Token()
	return r.syntax("guides", err)
}

// list decodes a small top-level list whole.
func (r *reader) list(key string, v any) error {
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return r.syntax(key, err)
	}
	if path, found := nulbyte.JSONPath(raw); found {
		return nulError(key + path)
	}
	if err := strictDecode(raw, v); err != nil {
		return invalid(key, "invalid", err.Error())
	}
	return nil
}

func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func (r *reader) key() (string, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return "", r.syntax("file", err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", invalid("file", "invalid", "expected a key")
	}
	return k, nil
}

func (r *reader) delim(want json.Delim, msg string) error {
	tok, err := r.dec.Token()
	if err != nil {
		return r.syntax("file", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return invalid("file", "invalid", msg)
	}
	return nil
}

// syntax names where a file stopped being JSON.
func (r *reader) syntax(where string, err error) error {
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return invalid(where, "malformed", fmt.Sprintf("not valid JSON%s: %v", r.line(se.Offset), err))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return invalid(where, "malformed", "the file ends too early (cut short?)")
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		return invalid(where, "malformed", fmt.Sprintf("%v%s", err, r.line(ue.Offset)))
	}
	return fmt.Errorf("transfer: read %s: %w", where, err)
}

// line says on which line of the file offset is, when the file can be read
// again from the start (a file or a request body in memory).
func (r *reader) line(offset int64) string {
	ra, ok := r.src.(io.ReaderAt)
	if !ok {
		return fmt.Sprintf(" (byte %d)", offset)
	}
	n, buf := 1, make([]byte, 1<<16)
	for pos := int64(0); pos < offset; {
		k, err := ra.ReadAt(buf[:min(int64(len(buf)), offset-pos)], pos)
		n += bytes.Count(buf[:k], []byte{'\n'})
		pos += int64(k)
		if err != nil || k == 0 {
			break
		}
	}
	// The offset may be at the end of the previous line: the value starts
	// after the separator and the white space.
	k, _ := ra.ReadAt(buf[:256], offset)
	for _, c := range buf[:k] {
		if c == '\n' {
			n++
		} else if c != ' ' && c != '\t' && c != '\r' && c != ',' {
			break
		}
	}
	return fmt.Sprintf(" (line %d)", n)
}

// slugOf names a guide whose document did not decode, if its slug can be
// read.
func slugOf(raw []byte) string {
	var g struct {
		Document struct {
			Slug string `json:"slug"`
		} `json:"document"`
	}
	if json.Unmarshal(raw, &g) == nil && g.Document.Slug != "" {
		return fmt.Sprintf("guide %q", g.Document.Slug)
	}
	return "guide"
}

func invalid(field, code, msg string) error {
	e := apperr.Fields{{Field: field, Code: code, Message: msg}}.Err()
	return e
}

func nulError(path string) error {
	return invalid(path, "nul", "contains a NUL character (U+0000)")
}
