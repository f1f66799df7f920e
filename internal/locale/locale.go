// Package locale holds the configured content locales and negotiates which
// one a request is served in. The first locale is the default: the content
// of the guide tables is in it; other locales are translations of it.
package locale

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Set is the configured locales, in configuration order.
type Set struct {
	tags    []language.Tag
	names   []string // canonical BCP 47 strings, e.g. "pt-BR"
	index   map[string]int
	matcher language.Matcher

	// negotiated memoizes Accept-Language headers: browsers send a handful
	// of distinct values, and matching costs far more than a map read.
	mu         sync.RWMutex
	negotiated map[string]string
}

// Parse reads a comma-separated list of BCP 47 tags; the first is the
// default. Duplicates and malformed tags are errors.
func Parse(list string) (*Set, error) {
	s := &Set{index: map[string]int{}, negotiated: map[string]string{}}
	for _, raw := range strings.Split(list, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		t, err := language.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("%q is not a BCP 47 language tag", raw)
		}
		name := t.String()
		if _, dup := s.index[strings.ToLower(name)]; dup {
			return nil, fmt.Errorf("%q is listed twice", raw)
		}
		s.index[strings.ToLower(name)] = len(s.names)
		s.tags, s.names = append(s.tags, t), append(s.names, name)
	}
	if len(s.names) == 0 {
		return nil, fmt.Errorf("must list at least one locale, e.g. en,de")
	}
	s.matcher = language.NewMatcher(s.tags)
	return s, nil
}

// MustParse is Parse for tests and constants.
func MustParse(list string) *Set {
	s, err := Parse(list)
	if err != nil {
		panic(err)
	}
	return s
}

// Default is the default locale.
func (s *Set) Default() string { return s.names[0] }

// Multiple reports whether there are locales besides the default: only
// then do responses vary by Accept-Language.
func (s *Set) Multiple() bool { return len(s.names) > 1 }

// All lists the locales, the default first.
func (s *Set) All() []string { return append([]string(nil), s.names...) }

// Lookup returns the configured spelling of tag (case-insensitive), and
// whether it is configured.
func (s *Set) Lookup(tag string) (string, bool) {
	i, ok := s.index[strings.ToLower(tag)]
	if !ok {
		return "", false
	}
	return s.names[i], true
}

// IsTranslation reports whether loc is a configured locale other than the
// default.
func (s *Set) IsTranslation(loc string) bool {
	i, ok := s.index[strings.ToLower(loc)]
	return ok && i > 0
}

// Resolve maps a requested tag to the closest configured locale: itself,
// then its parents (pt-BR → pt), then the default. ok is false when tag is
// not a valid BCP 47 tag.
func (s *Set) Resolve(tag string) (loc string, ok bool) {
	if l, found := s.Lookup(tag); found { // the usual case, without parsing on every read
		return l, true
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "", false
	}
	for ; ; t = t.Parent() {
		if l, found := s.Lookup(t.String()); found {
			return l, true
		}
		if t == language.Und {
			return s.Default(), true
		}
	}
}

// Chain is the fallback chain of a configured locale: itself, its
// configured parents, then the default (pt-BR → pt → en).
func (s *Set) Chain(loc string) []string {
	out := []string{}
	if t, err := language.Parse(loc); err == nil {
		for ; t != language.Und; t = t.Parent() {
			if l, ok := s.Lookup(t.String()); ok && (len(out) == 0 || out[len(out)-1] != l) {
				out = append(out, l)
			}
		}
	}
	if len(out) == 0 || out[len(out)-1] != s.Default() {
		out = append(out, s.Default())
	}
	return out
}

// Negotiate picks the configured locale for an Accept-Language header; an
// empty or unusable header gets the default.
func (s *Set) Negotiate(header string) string {
	if header == "" {
		return s.Default()
	}
	s.mu.RLock()
	loc, ok := s.negotiated[header]
	s.mu.RUnlock()
	if ok {
		return loc
	}
	loc = s.Default()
	if prefs, _, err := language.ParseAcceptLanguage(header); err == nil && len(prefs) > 0 {
		_, i, conf := s.matcher.Match(prefs...)
		if conf != language.No {
			loc = s.names[i]
		}
	}
	s.mu.Lock()
	if len(s.negotiated) >= 1024 {
		clear(s.negotiated) // bounded: odd headers cannot grow it forever
	}
	s.negotiated[header] = loc
	s.mu.Unlock()
	return loc
}
