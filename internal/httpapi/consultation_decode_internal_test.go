package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// generalConsultation is the intake's general decoding, the reference the
// fast decoder must agree with.
func generalConsultation(body []byte) (consultationRequest, map[string][]string, error) {
	var req consultationRequest
	if err := decodeJSONBody(body, &req); err != nil {
		return req, nil, err
	}
	answers, err := decodeAnswers(req.Answers)
	req.Answers = nil // the fast decoder leaves the raw answers out: nothing reads them after decodeAnswers
	return req, answers, err
}

var consultationBodies = []struct {
	name string
	body string
	fast bool // the fast decoder takes it
}{
	{"the bench's form", `{"name":"Ada Lovelace","email":"ada@example.com","company":"Analytical Engines","role":"CTO",
	  "project_description":"A real-time dashboard.","guide":"node-vs-django","consent":true,"utm_source":"bench",
	  "answers":{"q1":"c1","q2":["c2","c3"],"q3":"In our own words."},"preferred_technologies":["nodejs"],
	  "request_volume":"1k-100k-per-day","team_language":"javascript","timeline":"1-3-months","budget":"10k-50k"}`, true},
	{"every field", `{"name":"n","email":"e","company":"c","role":"r","project_description":"p","guide":"g","answers":{},
	  "preferred_technologies":[],"request_volume":"v","team_language":"l","timeline":"t","budget":"b","consent":false,
	  "referrer":"ref","utm_source":"s","utm_medium":"m","utm_campaign":"c","utm_term":"t","utm_content":"c",
	  "website":"w","locale":"de"}`, true},
	{"whitespace everywhere", " \t\n{ \"name\" : \"x\" , \"answers\" : { \"q\" : [ \"a\" , \"b\" ] } , \"consent\" : true }\r\n", true},
	{"empty object", `{}`, true},
	{"nulls", `{"name":null,"answers":null,"preferred_technologies":null,"consent":null}`, true},
	{"escapes", `{"name":"A\u00e9\n\"b\"\\/","answers":{"q\u0031":"\ud83d\ude00"}}`, true},
	{"invalid UTF-8 is replaced", "{\"name\":\"a\xffb\",\"answers\":{\"q\xfe\":\"c\"}}", true},
	{"non-ASCII text", `{"name":"Zoë Ørsted 李","project_description":"naïve"}`, true},
	{"an empty answer list", `{"answers":{"q":[]}}`, true},

	{"a key in other case", `{"Name":"x"}`, false},
	{"an unknown field", `{"name":"x","nickname":"y"}`, false},
	{"a repeated field", `{"name":"x","name":"y"}`, false},
	{"a repeated answer", `{"answers":{"q":"a","q":"b"}}`, false},
	{"an escaped key", `{"n\u0061me":"x"}`, false},
	{"a number", `{"name":1}`, false},
	{"a boolean as text", `{"consent":"yes"}`, false},
	{"an answer of another kind", `{"answers":{"q":1}}`, false},
	{"a null answer", `{"answers":{"q":null}}`, false},
	{"a null in a list", `{"preferred_technologies":["a",null]}`, false},
	{"a list of numbers", `{"answers":{"q":[1]}}`, false},
	{"trailing data", `{"name":"x"} {}`, false},
	{"a trailing comma", `{"name":"x",}`, false},
	{"no comma", `{"name":"x" "email":"y"}`, false},
	{"cut short", `{"name":"x`, false},
	{"a control character", "{\"name\":\"a\tb\"}", false},
	{"a bad escape", `{"name":"\x"}`, false},
	{"not an object", `["name"]`, false},
	{"empty", ``, false},
}

func TestDecodeConsultationAgreesWithTheGeneralPath(t *testing.T) {
	for _, tc := range consultationBodies {
		t.Run(tc.name, func(t *testing.T) {
			req, answers, ok := decodeConsultation([]byte(tc.body))
			if ok != tc.fast {
				t.Fatalf("fast decoder took it: %v, want %v", ok, tc.fast)
			}
			if ok {
				sameConsultation(t, []byte(tc.body), req, answers)
			}
		})
	}
}

// FuzzConsultationDecoders: whatever the fast decoder takes, the general
// path takes too, with the same form and answers.
func FuzzConsultationDecoders(f *testing.F) {
	for _, tc := range consultationBodies {
		f.Add(tc.body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if req, answers, ok := decodeConsultation([]byte(body)); ok {
			sameConsultation(t, []byte(body), req, answers)
		}
	})
}

func sameConsultation(t *testing.T, body []byte, req consultationRequest, answers map[string][]string) {
	t.Helper()
	want, wantAnswers, err := generalConsultation(body)
	if err != nil {
		t.Fatalf("the fast decoder took %q, the general path refused it: %v", body, err)
	}
	if !reflect.DeepEqual(req, want) || !reflect.DeepEqual(answers, wantAnswers) {
		t.Fatalf("%q:\nfast    %+v %#v\ngeneral %+v %#v", body, req, answers, want, wantAnswers)
	}
}

// Every field of the form has its JSON name in consultationFields, so the
// fast decoder takes every valid form the general path does.
func TestConsultationFieldsNameEveryField(t *testing.T) {
	typ := reflect.TypeFor[consultationRequest]()
	if typ.NumField() != len(consultationFields) {
		t.Fatalf("the form has %d fields, consultationFields %d", typ.NumField(), len(consultationFields))
	}
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if _, ok := consultationFields[name]; !ok {
			t.Errorf("field %s (%q) missing", typ.Field(i).Name, name)
		}
		value, _ := json.Marshal(map[string]any{name: reflect.Zero(typ.Field(i).Type).Interface()})
		if _, _, ok := decodeConsultation(value); !ok {
			t.Errorf("the fast decoder refuses %s", value)
		}
	}
}
