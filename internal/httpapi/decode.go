package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// decodeJSON reads the request body into dst strictly: the content type must
// be JSON, unknown fields and wrong types are field errors, and nothing may
// follow the one JSON value.
func decodeJSON(c *fiber.Ctx, dst any) error {
	if !isJSON(c.Get(fiber.HeaderContentType)) {
		return apperr.New(apperr.UnsupportedMediaType, "the request body must be JSON (Content-Type: application/json)")
	}
	return decodeJSONBody(c.Body(), dst)
}

// decodeJSONBody is decodeJSON's reading of a body known to be JSON.
func decodeJSONBody(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "the request body must hold exactly one JSON value")
	}
	return nil
}

// isJSON reports whether a Content-Type is JSON.
func isJSON(contentType string) bool {
	if contentType == fiber.MIMEApplicationJSON {
		return true // the usual header, without parsing it
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == fiber.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"))
}

func jsonError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "the request body is empty")
	case errors.As(err, &syntax):
		return apperr.New(apperr.Invalid, "malformed JSON at byte %d", syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.New(apperr.Invalid, "the request body must be a JSON %s", jsonType(typ.Type))
		}
		return apperr.Fields{{Field: field, Code: "type", Message: "must be " + jsonType(typ.Type)}}.Err()
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Fields{{Field: name, Code: "unknown", Message: "is not a known field"}}.Err()
	}
	return apperr.Wrap(apperr.Invalid, err, "the request body is not valid JSON")
}

func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		if t.String() == "time.Time" {
			return "an RFC 3339 timestamp string"
		}
		return "an object"
	}
	return fmt.Sprintf("of type %s", t)
}
