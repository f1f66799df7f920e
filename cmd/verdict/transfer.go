package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"github.com/verdict-cms/verdict/internal/nulbyte"
)

// cmdExport writes the content as JSON to stdout.
func cmdExport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "export", "export [--status all|draft|published|scheduled|archived] > content.json")
	status := fs.String("status", "all", "which guides to export")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var statuses []guide.Status
	if *status != "all" {
		if !guide.Status(*status).Valid() {
			return fmt.Errorf("%w: --status must be all, draft, published, scheduled or archived", errUsage)
		}
		statuses = []guide.Status{guide.Status(*status)}
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	f, err := httpapi.ExportContent(ctx, d.Guides, statuses)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// cmdImport applies a content file, all or nothing.
func cmdImport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "import", "import [--dry-run] content.json")
	dry := fs.Bool("dry-run", false, "report what would change, change nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: import needs one file", errUsage)
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	if path, found := nulbyte.JSONPath(raw); found { // PostgreSQL cannot store it
		return fmt.Errorf("%s: %s contains a NUL character (U+0000)", fs.Arg(0), path)
	}
	var f httpapi.ContentFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := httpapi.ImportContent(ctx, d.Guides, "", &f, *dry, progressBar(e))
	if err != nil {
		return describe(err)
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(e.stdout, "%s: %d created, %d updated, %d unchanged\n", verb, len(rep.Created), len(rep.Updated), rep.Same)
	for _, c := range rep.Created {
		fmt.Fprintln(e.stdout, "  + "+c)
	}
	for _, u := range rep.Updated {
		fmt.Fprintln(e.stdout, "  ~ "+u)
	}
	return nil
}

// progressBar draws on a terminal and stays silent otherwise.
func progressBar(e env) func(done, total int) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done, total int) {
		const width = 30
		n := width * done / max(total, 1)
		fmt.Fprintf(f, "\r[%s%s] %d/%d", strings.Repeat("=", n), strings.Repeat(" ", width-n), done, total)
		if done == total {
			fmt.Fprintln(f)
		}
	}
}
