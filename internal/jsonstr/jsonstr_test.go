package jsonstr_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/jsonstr"
)

// TestAppendIsEncodingJSONs: byte for byte what json.Marshal writes (html)
// and what an Encoder without HTML escaping writes (not html), on the
// strings that need escaping and on plain ones.
func TestAppendIsEncodingJSONs(t *testing.T) {
	for _, s := range []string{"", "/api/v1/guides", `quo"te\back`, "ctl\x00\x01\x1f\n\r\t\b\f", "ünïcode ✓",
		"bad\xffutf8", "cut\xe2\x82", "<script>&amp;</script>", "line\u2028para\u2029", "\x7f", strings.Repeat("a", 300)} {
		for _, html := range []bool{true, false} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(html)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			if got := string(jsonstr.Append(nil, s, html)); got != strings.TrimSuffix(want.String(), "\n") {
				t.Errorf("%q html=%t: got %s, want %s", s, html, got, want.String())
			}
		}
	}
}

func TestAppendKeepsPrefix(t *testing.T) {
	if got := string(jsonstr.Append([]byte(`{"k":`), "v", false)); got != `{"k":"v"` {
		t.Fatalf("got %s", got)
	}
}
