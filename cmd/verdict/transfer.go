package main

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/transfer"
)

// cmdExport writes the content as an export file to stdout.
func cmdExport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "export", "export [--status all|draft|published|scheduled|archived] > content.json")
	status := fs.String("status", "all", "which guides to export")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var st guide.Status
	if *status != "all" {
		if st = guide.Status(*status); !st.Valid() {
			return fmt.Errorf("%w: --status must be all, draft, published, scheduled or archived", errUsage)
		}
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	return transfer.Export(ctx, d.Guides, st, e.stdout)
}

// cmdImport applies an export file, all or nothing, reading it as a stream.
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
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	rep, err := transfer.Import(ctx, d.Guides, "", f, transfer.Options{DryRun: *dry, Progress: progress(e)})
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), describe(err))
	}
	verb := "imported"
	if rep.DryRun {
		verb = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(e.stdout, "%s: %d created, %d updated, %d unchanged\n", verb, len(rep.Created), len(rep.Updated), rep.Same)
	w := bufio.NewWriter(e.stdout)
	for _, c := range rep.Created {
		fmt.Fprintln(w, "  + "+c)
	}
	for _, u := range rep.Updated {
		fmt.Fprintln(w, "  ~ "+u)
	}
	return w.Flush()
}

// progress counts items on a terminal and stays silent otherwise (a
// streamed file's total is not known in advance).
func progress(e env) func(done int) {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done int) {
		if done%100 == 0 {
			fmt.Fprintf(f, "\r%d items", done)
		}
	}
}
