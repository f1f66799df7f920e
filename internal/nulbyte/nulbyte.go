// Package nulbyte finds NUL characters in untrusted input. PostgreSQL cannot
// store U+0000 in text and fails the whole statement, so every string from
// outside is checked for it at the edge and refused with the field named,
// the same on every database.
package nulbyte

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// In reports whether s holds a NUL character.
func In(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// escaped is how JSON writes a NUL inside a string.
var escaped = []byte(`\u0000`)

// JSONPath returns the path of the first object key or string in the JSON
// document data that holds a NUL, like "options[1].technology", or "" and
// false when there is none. A document that is not valid JSON has no path
// (the decoder reports it); the check costs one scan unless the document
// contains the escape at all.
func JSONPath(data []byte) (string, bool) {
	if !bytes.Contains(data, escaped) && bytes.IndexByte(data, 0) < 0 {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec}
	path, found := w.value("")
	return path, found
}

type walker struct {
	dec   *json.Decoder
	depth int
	err   bool // the decoder failed: stop everywhere
}

// maxDepth bounds recursion on hostile nesting (encoding/json's own limit
// applies only when decoding into values).
const maxDepth = 1000

func (w *walker) token() (json.Token, bool) {
	tok, err := w.dec.Token()
	if err != nil {
		w.err = true
		return nil, false
	}
	return tok, true
}

func (w *walker) more() bool { return !w.err && w.dec.More() }

func (w *walker) value(path string) (string, bool) {
	tok, ok := w.token()
	if !ok {
		return "", false
	}
	switch t := tok.(type) {
	case string:
		return path, In(t)
	case json.Delim:
		if w.depth++; w.depth > maxDepth {
			w.err = true
			return "", false
		}
		defer func() { w.depth-- }()
		if t == '{' {
			return w.object(path)
		}
		return w.array(path)
	}
	return "", false
}

func (w *walker) object(path string) (string, bool) {
	for w.more() {
		tok, ok := w.token()
		if !ok {
			return "", false
		}
		key, _ := tok.(string)
		child := key
		if path != "" {
			child = path + "." + key
		}
		if In(key) {
			return strings.ReplaceAll(child, "\x00", `\u0000`), true
		}
		if p, found := w.value(child); found {
			return p, true
		}
	}
	w.token() // '}'
	return "", false
}

func (w *walker) array(path string) (string, bool) {
	for i := 0; w.more(); i++ {
		if p, found := w.value(path + "[" + strconv.Itoa(i) + "]"); found {
			return p, true
		}
	}
	w.token() // ']'
	return "", false
}
