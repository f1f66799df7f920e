// Package embedjs holds the embeddable decision widget, the script a site
// adds with one tag. It is compressed once, at start-up, with gzip and
// Brotli at their best settings, so serving it costs no CPU per request.
package embedjs

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Path is the widget's URL. v1 changes only compatibly: a breaking change
// is a new /embed/v2/ path, so v1 may be cached for a year.
const Path = "/embed/v1/verdict.js"

//go:embed verdict.js
var source []byte

// Script is the widget in each encoding with a strong ETag.
type Script struct {
	Raw, Gzip, Brotli []byte
	ETag              string
}

// Get returns the widget, compressed on first use and shared after.
var Get = sync.OnceValues(load)

func load() (*Script, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("embedjs: gzip: %w", err)
	}
	if _, err := zw.Write(source); err != nil {
		return nil, fmt.Errorf("embedjs: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("embedjs: gzip: %w", err)
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(source); err != nil {
		return nil, fmt.Errorf("embedjs: brotli: %w", err)
	}
	if err := bw.Close(); err != nil {
		return nil, fmt.Errorf("embedjs: brotli: %w", err)
	}
	sum := sha256.Sum256(source)
	return &Script{Raw: source, Gzip: gz.Bytes(), Brotli: br.Bytes(), ETag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}, nil
}

// Encoded picks the smallest encoding the client accepts: br, then gzip,
// then none. q=0 refuses an encoding.
func (s *Script) Encoded(acceptEncoding string) (body []byte, encoding string) {
	accepts := func(name string) bool {
		for _, part := range strings.Split(acceptEncoding, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if strings.EqualFold(strings.TrimSpace(coding), name) || strings.TrimSpace(coding) == "*" {
				q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
				return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
			}
		}
		return false
	}
	switch {
	case accepts("br"):
		return s.Brotli, "br"
	case accepts("gzip"):
		return s.Gzip, "gzip"
	}
	return s.Raw, ""
}
