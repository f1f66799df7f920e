package httpapi

import (
	"encoding/json"
	"unicode/utf8"
)

// decodeConsultation is the intake's fast decoder: one pass over the body
// into the form and its answers, where the general path (decodeJSON, then
// decodeAnswers) decodes the answers twice through reflection. It knows only
// the plain shape of a valid form: the fields spelt exactly, each once,
// strings, string lists, a boolean, nulls. On anything else (a problem, a
// number, a key in other case, a duplicate) it reports false and the caller
// takes the general path, which makes the same value of every body this one
// accepts (FuzzConsultationDecoders) and the same problems of every other.
func decodeConsultation(body []byte) (req consultationRequest, answers map[string][]string, ok bool) {
	d := formDecoder{b: body}
	if !d.consume('{') {
		return req, nil, false
	}
	answers = map[string][]string{}
	var seen uint32
	for first := true; ; first = false {
		if d.consume('}') {
			break
		}
		if !first && !d.consume(',') {
			return req, nil, false
		}
		key, ok := d.plainKey()
		if !ok || !d.consume(':') {
			return req, nil, false
		}
		f, ok := consultationFields[string(key)] // no allocation: a lookup
		if !ok || seen&(1<<f) != 0 {
			return req, nil, false
		}
		seen |= 1 << f
		switch f {
		case fieldAnswers:
			ok = d.answers(answers)
		case fieldTechnologies:
			req.PreferredTechnologies, ok = d.strings()
		case fieldConsent:
			req.Consent, ok = d.boolean()
		default:
			ok = d.stringInto(req.stringField(f))
		}
		if !ok {
			return req, nil, false
		}
	}
	d.space()
	return req, answers, d.i == len(d.b)
}

// The form's fields by number: a bit each in decodeConsultation's record of
// fields seen.
const (
	fieldAnswers = iota
	fieldTechnologies
	fieldConsent
	fieldName
	fieldEmail
	fieldCompany
	fieldRole
	fieldProject
	fieldGuide
	fieldRequestVolume
	fieldTeamLanguage
	fieldTimeline
	fieldBudget
	fieldReferrer
	fieldUTMSource
	fieldUTMMedium
	fieldUTMCampaign
	fieldUTMTerm
	fieldUTMContent
	fieldWebsite
	fieldLocale
)

// consultationFields are consultationRequest's JSON names and their numbers
// (TestConsultationFieldsNameEveryField keeps it whole).
var consultationFields = map[string]int{
	"answers": fieldAnswers, "preferred_technologies": fieldTechnologies, "consent": fieldConsent,
	"name": fieldName, "email": fieldEmail, "company": fieldCompany, "role": fieldRole,
	"project_description": fieldProject, "guide": fieldGuide, "request_volume": fieldRequestVolume,
	"team_language": fieldTeamLanguage, "timeline": fieldTimeline, "budget": fieldBudget, "referrer": fieldReferrer,
	"utm_source": fieldUTMSource, "utm_medium": fieldUTMMedium, "utm_campaign": fieldUTMCampaign,
	"utm_term": fieldUTMTerm, "utm_content": fieldUTMContent, "website": fieldWebsite, "locale": fieldLocale,
}

// stringField is the form's string field number f.
func (r *consultationRequest) stringField(f int) *string {
	return [...]*string{fieldName: &r.Name, fieldEmail: &r.Email, fieldCompany: &r.Company, fieldRole: &r.Role,
		fieldProject: &r.ProjectDescription, fieldGuide: &r.Guide, fieldRequestVolume: &r.RequestVolume,
		fieldTeamLanguage: &r.TeamLanguage, fieldTimeline: &r.Timeline, fieldBudget: &r.Budget,
		fieldReferrer: &r.Referrer, fieldUTMSource: &r.UTMSource, fieldUTMMedium: &r.UTMMedium,
		fieldUTMCampaign: &r.UTMCampaign, fieldUTMTerm: &r.UTMTerm, fieldUTMContent: &r.UTMContent,
		fieldWebsite: &r.Website, fieldLocale: &r.Locale}[f]
}

// formDecoder reads JSON tokens from b at i. Every method reports false on
// what it does not know, and the whole decode then gives up.
type formDecoder struct {
	b []byte
	i int
}

// space skips JSON whitespace.
func (d *formDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// consume skips whitespace and c, if c is next.
func (d *formDecoder) consume(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// literal skips whitespace and the word w (true, false, null), if next.
func (d *formDecoder) literal(w string) bool {
	d.space()
	if len(d.b)-d.i >= len(w) && string(d.b[d.i:d.i+len(w)]) == w {
		d.i += len(w)
		return true
	}
	return false
}

// plainKey reads an object key without escapes, as the bytes it is (a
// field name is looked up with it, not stored).
func (d *formDecoder) plainKey() ([]byte, bool) {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			k := d.b[d.i+1 : j]
			d.i = j + 1
			return k, true
		case c == '\\' || c < 0x20:
			return nil, false
		}
	}
	return nil, false
}

// str reads a string. One without escapes in valid UTF-8 is copied as it
// is; any other is handed to encoding/json, so that escapes and invalid
// UTF-8 come out exactly as the general path has them.
func (d *formDecoder) str() (string, bool) {
	d.space()
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false
	}
	plain := true
	for j := d.i + 1; j < len(d.b); j++ {
		switch c := d.b[j]; {
		case c == '"':
			tok := d.b[d.i : j+1]
			d.i = j + 1
			if plain && utf8.Valid(tok) {
				return string(tok[1 : len(tok)-1]), true
			}
			var s string
			return s, json.Unmarshal(tok, &s) == nil
		case c == '\\':
			plain = false
			j++ // the escaped character cannot end the string
		case c < 0x20:
			return "", false
		}
	}
	return "", false
}

// stringInto reads a string, or null (which leaves dst as it is).
func (d *formDecoder) stringInto(dst *string) bool {
	if d.literal("null") {
		return true
	}
	s, ok := d.str()
	*dst = s
	return ok
}

func (d *formDecoder) boolean() (v, ok bool) {
	switch {
	case d.literal("true"):
		return true, true
	case d.literal("false"), d.literal("null"):
		return false, true
	}
	return false, false
}

// strings reads a list of strings (never null ones), or null.
func (d *formDecoder) strings() ([]string, bool) {
	if d.literal("null") {
		return nil, true
	}
	if !d.consume('[') {
		return nil, false
	}
	out := []string{}
	for first := true; ; first = false {
		if d.consume(']') {
			return out, true
		}
		if !first && !d.consume(',') {
			return nil, false
		}
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
}

// answers reads the answers object into dst: each a choice ID (a one-item
// list) or a list of them, as decodeAnswers has them; null is no answers.
// A repeated question gives up, as does any other kind of value (a field
// problem the general path reports).
func (d *formDecoder) answers(dst map[string][]string) bool {
	if d.literal("null") {
		return true
	}
	if !d.consume('{') {
		return false
	}
	for first := true; ; first = false {
		if d.consume('}') {
			return true
		}
		if !first && !d.consume(',') {
			return false
		}
		qid, ok := d.str()
		if !ok || !d.consume(':') {
			return false
		}
		if _, dup := dst[qid]; dup {
			return false
		}
		d.space()
		var vals []string
		if d.i < len(d.b) && d.b[d.i] == '"' {
			var one string
			one, ok = d.str()
			vals = []string{one}
		} else if d.i < len(d.b) && d.b[d.i] == '[' {
			vals, ok = d.strings()
		} else {
			ok = false
		}
		if !ok {
			return false
		}
		dst[qid] = vals
	}
}
