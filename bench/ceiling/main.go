// Command ceiling is the benchmark's reference: a minimal Fiber program that
// answers GETs with fixed, pre-encoded bodies (JSON, or HTML for a .html
// file), on Verdict's own server configuration (httpapi.ServerConfig: write
// buffer, timeouts, streamed request bodies). Verdict's public reads are
// reported as a ratio of what this does on the same machine: the cost of
// Verdict's handlers and middleware.
//
//	ceiling ADDR FILE   every path answered with FILE's bytes
//	ceiling ADDR DIR    /api/v1/guides/NAME answered with DIR/NAME.json
//
// The second form is the reference for reads spread over many guides: the
// same bytes Verdict sends for each, so that reading a thousand bodies from
// memory instead of one counts against both alike. An unknown name is a
// 404, which the bench reports as a failure.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/httpapi"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ceiling ADDR FILE|DIR")
		os.Exit(2)
	}
	handler, err := load(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	app := fiber.New(httpapi.ServerConfig(httpapi.Options{})) // tuned as Verdict is
	app.Get("/*", handler)
	if err := app.Listen(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// load reads what the ceiling serves from path, a file or a directory.
func load(path string) (fiber.Handler, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		body, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		contentType := fiber.MIMEApplicationJSONCharsetUTF8
		if strings.HasSuffix(path, ".html") { // the hosted page's bytes
			contentType = fiber.MIMETextHTMLCharsetUTF8
		}
		return func(c *fiber.Ctx) error {
			c.Set(fiber.HeaderContentType, contentType)
			return c.Send(body)
		}, nil
	}
	files, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("ceiling: no .json files in %s", path)
	}
	bodies := make(map[string][]byte, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		bodies["/api/v1/guides/"+strings.TrimSuffix(filepath.Base(f), ".json")] = b
	}
	return func(c *fiber.Ctx) error {
		body, ok := bodies[c.Path()]
		if !ok {
			return c.SendStatus(fiber.StatusNotFound)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(body)
	}, nil
}
