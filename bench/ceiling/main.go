// Command ceiling is the benchmark's reference: a minimal Fiber program that
// answers every GET with one fixed, pre-encoded body (JSON, or HTML for a
// .html file), on Verdict's own server configuration (httpapi.ServerConfig:
// write buffer, timeouts, streamed request bodies). Verdict's public reads
// are reported as a ratio of what this does on the same machine: the cost
// of Verdict's handlers and middleware.
//
//	ceiling ADDR FILE
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/httpapi"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: ceiling ADDR FILE")
		os.Exit(2)
	}
	body, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	contentType := fiber.MIMEApplicationJSONCharsetUTF8
	if strings.HasSuffix(os.Args[2], ".html") { // the hosted page's bytes
		contentType = fiber.MIMETextHTMLCharsetUTF8
	}
	app := fiber.New(httpapi.ServerConfig(httpapi.Options{})) // tuned as Verdict is
	app.Get("/*", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, contentType)
		return c.Send(body)
	})
	if err := app.Listen(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
