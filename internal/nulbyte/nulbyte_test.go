package nulbyte_test

import (
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/nulbyte"
)

func TestJSONPath(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      string
		found     bool
	}{
		{"none", `{"email":"a@example.com"}`, "", false},
		{"top-level field", `{"email":"\u0000"}`, "email", true},
		{"in the middle", `{"a":"x","b":"ab\u0000cd"}`, "b", true},
		{"nested", `{"options":[{"technology":"ok"},{"technology":"no\u0000"}]}`, "options[1].technology", true},
		{"array of strings", `{"preferred_technologies":["nodejs","\u0000"]}`, "preferred_technologies[1]", true},
		{"in a key", `{"answers":{"q\u0000":"yes"}}`, `answers.q\u0000`, true},
		{"escaped backslash is not a NUL", `{"a":"\\u0000"}`, "", false},
		{"top-level string", `"\u0000"`, "", true},
		{"numbers and literals skipped", `{"n":1,"b":true,"z":null,"s":"\u0000"}`, "s", true},
		{"malformed stops quietly", `{"a":"\u0000`, "", false},
		{"malformed before the NUL", `{"a":,"b":"\u0000"}`, "", false},
		{"deep nesting is bounded", strings.Repeat("[", 5000) + `"\u0000"` + strings.Repeat("]", 5000), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, found := nulbyte.JSONPath([]byte(tc.doc))
			if got != tc.want || found != tc.found {
				t.Fatalf("JSONPath = %q, %v; want %q, %v", got, found, tc.want, tc.found)
			}
		})
	}
}

func FuzzJSONPath(f *testing.F) {
	for _, s := range []string{`{"a":"\u0000"}`, `[{"b":["\u0000"]}]`, `{"\u0000":1}`, `{"a":`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nulbyte.JSONPath(data) // must not panic or hang
	})
}
