package main

import (
	"context"
	"fmt"

	"github.com/verdict-cms/verdict/internal/seed"
)

// cmdSeed loads the demo content; existing slugs are left alone.
func cmdSeed(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "seed", "seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	return runSeed(ctx, e, d, "")
}

func runSeed(ctx context.Context, e env, d *deps, actorID string) error {
	r, err := seed.Load(ctx, d.Guides, actorID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded %d categories, %d technologies, %d published guides\n", r.Categories, r.Technologies, r.Guides)
	return nil
}
