package locale

import (
	"slices"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "en,de,fr,pt-BR", want: []string{"en", "de", "fr", "pt-BR"}},
		{in: " en , pt-br ", want: []string{"en", "pt-BR"}},
		{in: "", err: true},
		{in: "en,xx-!!", err: true},
		{in: "en,EN", err: true},
	} {
		s, err := Parse(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("Parse(%q): no error", tc.in)
			}
			continue
		}
		if err != nil || !slices.Equal(s.All(), tc.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tc.in, s.All(), err, tc.want)
		}
	}
}

func TestChainAndResolve(t *testing.T) {
	s := MustParse("en,de,pt,pt-BR")
	for _, tc := range []struct {
		in      string
		resolve string
		chain   []string
	}{
		{"pt-BR", "pt-BR", []string{"pt-BR", "pt", "en"}},
		{"pt-PT", "pt", []string{"pt", "en"}},
		{"de-AT", "de", []string{"de", "en"}},
		{"fr", "en", []string{"en"}},
		{"en", "en", []string{"en"}},
	} {
		got, ok := s.Resolve(tc.in)
		if !ok || got != tc.resolve {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.in, got, ok, tc.resolve)
		}
		if c := s.Chain(got); !slices.Equal(c, tc.chain) {
			t.Errorf("Chain(%q) = %v, want %v", got, c, tc.chain)
		}
	}
	if _, ok := s.Resolve("not a tag!"); ok {
		t.Error("Resolve accepted a malformed tag")
	}
}

func TestNegotiate(t *testing.T) {
	s := MustParse("en,de,pt-BR")
	for _, tc := range []struct{ header, want string }{
		{"", "en"},
		{"de-DE,de;q=0.9,en;q=0.8", "de"},
		{"fr-FR,fr;q=0.9", "en"},
		{"pt-BR", "pt-BR"},
		{"en-US,en;q=0.9", "en"},
		{";;;garbage", "en"},
	} {
		for range 2 { // the second answer comes from the memo
			if got := s.Negotiate(tc.header); got != tc.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tc.header, got, tc.want)
			}
		}
	}
}

func TestMultiple(t *testing.T) {
	if MustParse("en").Multiple() || !MustParse("en,de").Multiple() {
		t.Fatal("Multiple")
	}
}
