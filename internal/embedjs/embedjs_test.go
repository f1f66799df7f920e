package embedjs

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestCompressedForms(t *testing.T) {
	s, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Gzip) > 20<<10 {
		t.Fatalf("widget is %d bytes gzipped, budget 20 KB", len(s.Gzip))
	}
	t.Logf("widget: %d bytes, %d gzip, %d br", len(s.Raw), len(s.Gzip), len(s.Brotli))
	zr, err := gzip.NewReader(bytes.NewReader(s.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]io.Reader{"gzip": zr, "br": brotli.NewReader(bytes.NewReader(s.Brotli))} {
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, s.Raw) {
			t.Errorf("%s does not decode to the script: %v", name, err)
		}
	}
}

func TestEncoded(t *testing.T) {
	s, err := Get()
	if err != nil {
		t.Fatal(err)
	}
	for header, want := range map[string]string{
		"": "", "gzip, deflate, br": "br", "gzip": "gzip", "br;q=0, gzip": "gzip", "identity": "",
		"*": "br", "GZIP": "gzip", "gzip;q=0": "", "deflate": "",
	} {
		if _, got := s.Encoded(header); got != want {
			t.Errorf("Accept-Encoding %q: %q, want %q", header, got, want)
		}
	}
}
