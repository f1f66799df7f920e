package store

import (
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/lead"
)

// leadJSON is a lead's JSON columns (answers, preferred technologies, UTM
// fields, recommendation) byte for byte as encoding/json writes them
// (TestLeadJSONIsEncodingJSONs), without its reflection: every intake
// request writes them. The four share one string, one allocation.
func leadJSON(l *lead.Lead) (answers, techs, utm, rec string) {
	b := make([]byte, 0, 1024)
	b = appendAnswers(b, l.Answers)
	n1 := len(b)
	b = appendStrings(b, l.PreferredTechnologies)
	n2 := len(b)
	b = appendUTM(b, l.UTM)
	n3 := len(b)
	if l.Recommendation != nil {
		b = appendRecommendation(b, l.Recommendation)
	}
	all := string(b)
	return all[:n1], all[n1:n2], all[n2:n3], all[n3:]
}

func appendAnswers(b []byte, as []lead.Answer) []byte {
	if as == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, a := range as {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"question_id":`...)
		b = appendJSONString(b, a.QuestionID)
		b = append(b, `,"question":`...)
		b = appendJSONString(b, a.Question)
		b = append(b, `,"answer":`...)
		b = appendJSONString(b, a.Answer)
		if len(a.ChoiceIDs) > 0 { // omitempty
			b = append(b, `,"choice_ids":`...)
			b = appendStrings(b, a.ChoiceIDs)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

func appendUTM(b []byte, u lead.UTM) []byte {
	b = append(b, '{')
	first := true
	for _, f := range [...]struct{ key, value string }{{`"source":`, u.Source}, {`"medium":`, u.Medium},
		{`"campaign":`, u.Campaign}, {`"term":`, u.Term}, {`"content":`, u.Content}} {
		if f.value == "" { // omitempty
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.key...)
		b = appendJSONString(b, f.value)
	}
	return append(b, '}')
}

func appendRecommendation(b []byte, r *lead.Recommendation) []byte {
	b = append(b, `{"leaning":`...)
	b = appendJSONString(b, r.Leaning)
	b = append(b, `,"tie":`...)
	b = strconv.AppendBool(b, r.Tie)
	b = append(b, `,"options":`...)
	if r.Options == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, o := range r.Options {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"slug":`...)
			b = appendJSONString(b, o.Slug)
			b = append(b, `,"name":`...)
			b = appendJSONString(b, o.Name)
			b = append(b, `,"score":`...)
			b = strconv.AppendInt(b, int64(o.Score), 10)
			b = append(b, `,"share":`...)
			b = appendJSONFloat(b, o.Share)
			b = append(b, `,"rank":`...)
			b = strconv.AppendInt(b, int64(o.Rank), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendJSONFloat writes f as encoding/json does: the shortest form,
// exponent only for the very small and very large. (A share is never NaN
// or infinite, which encoding/json refuses.)
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString writes s quoted as encoding/json does with its HTML
// escaping: <, > and & as \u003c…, U+2028 and U+2029 escaped, invalid UTF-8
// as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
