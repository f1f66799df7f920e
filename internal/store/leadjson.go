package store

import (
	"math"
	"strconv"

	"github.com/verdict-cms/verdict/internal/jsonstr"
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
		b = jsonstr.Append(b, a.QuestionID, true)
		b = append(b, `,"question":`...)
		b = jsonstr.Append(b, a.Question, true)
		b = append(b, `,"answer":`...)
		b = jsonstr.Append(b, a.Answer, true)
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
		b = jsonstr.Append(b, s, true)
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
		b = jsonstr.Append(b, f.value, true)
	}
	return append(b, '}')
}

func appendRecommendation(b []byte, r *lead.Recommendation) []byte {
	b = append(b, `{"leaning":`...)
	b = jsonstr.Append(b, r.Leaning, true)
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
			b = jsonstr.Append(b, o.Slug, true)
			b = append(b, `,"name":`...)
			b = jsonstr.Append(b, o.Name, true)
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
