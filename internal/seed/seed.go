// Package seed loads Verdict's demo content: the Node.js vs Django guide
// exactly as its published page reads, and the three guides it links to.
// The file holds the items of an export file (package transfer).
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/transfer"
)

//go:embed demo.json
var demo []byte

type file struct {
	Categories   []transfer.Category   `json:"categories"`
	Technologies []transfer.Technology `json:"technologies"`
	Guides       []transfer.Document   `json:"guides"`
}

// Result counts what Load created; existing items are left alone.
type Result struct {
	Categories, Technologies, Guides int
}

// Load creates and publishes the demo content as actorID. It is idempotent:
// anything whose slug exists already is skipped, never overwritten.
func Load(ctx context.Context, svc *guide.Service, actorID string) (Result, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(demo))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Result{}, fmt.Errorf("seed: decode demo content: %w", err)
	}
	var r Result
	for _, c := range f.Categories {
		created, err := skipExisting(svc.CreateCategory(ctx, guide.CategoryInput(c)))
		if err != nil {
			return r, fmt.Errorf("seed: category %s: %w", c.Slug, err)
		}
		r.Categories += created
	}
	for _, t := range f.Technologies {
		created, err := skipExisting(svc.CreateTechnology(ctx, guide.TechnologyInput(t)))
		if err != nil {
			return r, fmt.Errorf("seed: technology %s: %w", t.Slug, err)
		}
		r.Technologies += created
	}
	for _, g := range f.Guides {
		d, err := svc.CreateGuide(ctx, actorID, g.Input())
		if isTaken(err) {
			continue
		}
		if err != nil {
			return r, fmt.Errorf("seed: guide %s: %w", g.Slug, err)
		}
		if _, err := svc.Publish(ctx, actorID, d.Guide.ID, d.Guide.Version); err != nil {
			return r, fmt.Errorf("seed: publish %s: %w", g.Slug, err)
		}
		r.Guides++
	}
	return r, nil
}

func skipExisting[T any](_ T, err error) (int, error) {
	if isTaken(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return 1, nil
}

// isTaken reports a validation error that is only "slug already used".
func isTaken(err error) bool {
	e, ok := apperr.As(err)
	return ok && len(e.Fields) == 1 && e.Fields[0].Field == "slug" && e.Fields[0].Code == "taken"
}
