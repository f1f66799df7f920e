package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// schemas turns Go wire types into OpenAPI 3.1 (JSON Schema 2020-12)
// schemas, so the description is generated from the very types handlers
// encode and cannot drift from them. Named structs become components.
//
// A type used in both directions whose fields a client may leave out (the
// tag openapi:"optional") gets two components: "X" as the server sends it,
// every member present, and "XInput" as a client may send it.
type schemas struct {
	components map[string]any
	names      map[reflect.Type]string // each type's component name, unique
	taken      map[string]reflect.Type
	input      bool                  // describing a request body
	outputs    map[reflect.Type]bool // struct types some response contains
}

// ofInput returns the schema of a request body of v's type.
func (s *schemas) ofInput(v any) map[string]any {
	s.input = true
	defer func() { s.input = false }()
	return s.of(v)
}

// structsIn adds to seen every struct type t contains.
func structsIn(t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		structsIn(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] || t == timeType {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			structsIn(t.Field(i).Type, seen)
		}
	}
}

// hasOptional reports whether t or a type it contains has a field tagged
// openapi:"optional".
func hasOptional(t reflect.Type) bool {
	seen := map[reflect.Type]bool{}
	structsIn(t, seen)
	for st := range seen {
		for i := range st.NumField() {
			if st.Field(i).Tag.Get("openapi") == "optional" {
				return true
			}
		}
	}
	return false
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// of returns the schema of v's type, registering named structs.
func (s *schemas) of(v any) map[string]any {
	if v == nil {
		return nil
	}
	return s.schema(reflect.TypeOf(v))
}

func (s *schemas) schema(t reflect.Type) map[string]any {
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := s.schema(t.Elem())
		return map[string]any{"oneOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": s.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": s.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := s.name(t)
		if name == "" {
			return s.object(t)
		}
		if s.input && s.outputs[t] && hasOptional(t) {
			name += "Input"
		}
		if _, ok := s.components[name]; !ok {
			s.components[name] = map[string]any{} // placeholder: breaks recursion
			s.components[name] = s.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// object describes a struct by its json tags. A property is required unless
// the server may leave it out (omitempty) or, in a request body, a client
// may (the tag openapi:"optional": a field the handler defaults); pointers
// are nullable. Embedded structs contribute their fields.
func (s *schemas) object(t reflect.Type) map[string]any {
	props, required := map[string]any{}, []string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			if tag == "-" || (!f.IsExported() && !f.Anonymous) {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && name == "" {
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				walk(ft)
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = s.schema(f.Type)
			if !strings.Contains(opts, "omitempty") && !(s.input && f.Tag.Get("openapi") == "optional") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// name gives t its component name, qualified by package when another type
// already has the plain one (lead.Recommendation vs the API's response).
func (s *schemas) name(t reflect.Type) string {
	if n, ok := s.names[t]; ok {
		return n
	}
	n := schemaName(t)
	if n == "" {
		return ""
	}
	if other, ok := s.taken[n]; ok && other != t {
		pkg := t.PkgPath()
		n = upperFirst(pkg[strings.LastIndex(pkg, "/")+1:]) + n
	}
	s.names[t], s.taken[n] = n, t
	return n
}

// schemaName is the component name of a struct type: generic lists get
// their element's name ("GuideSummaryList").
func schemaName(t reflect.Type) string {
	name := t.Name()
	if name == "" {
		return ""
	}
	if i := strings.Index(name, "["); i >= 0 {
		elem := name[i+1 : len(name)-1]
		elem = elem[strings.LastIndex(elem, ".")+1:]
		return upperFirst(strings.TrimSuffix(strings.TrimSuffix(elem, "Response"), "Doc")) + "List"
	}
	return upperFirst(strings.TrimSuffix(name, "Response"))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
