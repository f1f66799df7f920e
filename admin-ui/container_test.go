package adminui

import (
	"os"
	"regexp"
	"testing"
)

// TestContainerImageHasUIAndVolume guards the production-like setup
// (docker compose up), which CI cannot build without a Docker daemon: the
// image builds the UI in a Node stage and embeds it, and the data directory
// (media uploads, SQLite) is a named volume.
func TestContainerImageHasUIAndVolume(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	docker, compose := read("../Dockerfile"), read("../docker-compose.yml")
	for _, want := range []struct{ what, in, re string }{
		{"a Node stage", docker, `(?m)^FROM node:\S+ AS ui$`},
		{"the UI built in it", docker, `(?m)^RUN npm ci .*\n(?:.*\n)*?RUN npm run build$`},
		{"the build copied before go build", docker, `COPY --from=ui /src/admin-ui/dist ./admin-ui/dist\nRUN CGO_ENABLED=0 go build`},
		{"the data directory declared a volume", docker, `VOLUME \["/var/lib/verdict"\]`},
		{"a named volume on the data directory", compose, `(?m)^\s+- verdict-data:/var/lib/verdict$`},
		{"the named volume declared", compose, `(?m)^volumes:\n(?:\s+\S+:\n)*\s+verdict-data:`},
	} {
		if !regexp.MustCompile(want.re).MatchString(want.in) {
			t.Errorf("missing %s (%s)", want.what, want.re)
		}
	}
	if ignore := read("../.dockerignore"); !regexp.MustCompile(`(?m)^admin-ui/node_modules$`).MatchString(ignore) {
		t.Error(".dockerignore must keep the host's node_modules out of the image")
	}
}
