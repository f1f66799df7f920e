package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/verdict-cms/verdict/internal/migrate"
)

func cmdMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "migrate", "migrate up|down|status")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: migrate needs one of up, down, status", errUsage)
	}
	d, err := load(ctx, e, false, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	m, err := migrate.New(d.DB)
	if err != nil {
		return err
	}
	switch fs.Arg(0) {
	case "up":
		rs, err := m.Up(ctx)
		if err != nil {
			return err
		}
		for _, r := range rs {
			fmt.Fprintf(e.stdout, "applied %05d %s\n", r.Version, r.Name)
		}
		fmt.Fprintf(e.stdout, "%d migration(s) applied\n", len(rs))
	case "down":
		r, err := m.Down(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rolled back %05d %s\n", r.Version, r.Name)
	case "status":
		ss, err := m.Status(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT")
		for _, s := range ss {
			state, at := "pending", ""
			if s.Applied {
				state, at = "applied", s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(tw, "%05d\t%s\t%s\t%s\n", s.Version, s.Name, state, at)
		}
		return tw.Flush()
	default:
		fs.Usage()
		return fmt.Errorf("%w: unknown migrate command %q", errUsage, fs.Arg(0))
	}
	return nil
}
