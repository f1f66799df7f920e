package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

// Report says what an import did, or would do on a dry run.
type Report struct {
	DryRun  bool
	Created []string
	Updated []string
	Same    int
}

// Options tune an import.
type Options struct {
	// DryRun reports what would change and rolls everything back.
	DryRun bool
	// Progress, if set, is called with the number of items applied so far.
	Progress func(done int)
}

// chunk is how many guides are looked up by slug at once.
const chunk = 200

// Import applies the file r holds as actor, matching everything by slug:
// missing items are created, changed ones updated, equal ones left alone.
// It is one transaction: on any error nothing is changed, and the error
// names the bad item (its path, and the line when r is a file or bytes).
// New guides are written in batches (guide.Bulk); existing ones go through
// the same updates as the editor's.
func Import(ctx context.Context, svc *guide.Service, actor string, r io.Reader, opt Options) (*Report, error) {
	rep := &Report{DryRun: opt.DryRun, Created: []string{}, Updated: []string{}}
	errDryRun := errors.New("dry run")
	err := svc.InTx(ctx, func(tx *guide.Service) error {
		im := &importer{ctx: ctx, tx: tx, actor: actor, rep: rep, progress: opt.Progress,
			bulk: tx.NewBulk(actor), seen: map[string]bool{}}
		err := newReader(r).read(im)
		if werr := im.bulk.Wait(); err == nil { // never end the transaction under a write
			err = werr
		}
		if err != nil {
			return err
		}
		if err := im.bad.err(); err != nil {
			return err
		}
		if opt.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		return rep, nil
	}
	if err != nil {
		return nil, err
	}
	return rep, nil
}

type importer struct {
	ctx      context.Context
	tx       *guide.Service
	actor    string
	rep      *Report
	progress func(int)
	bulk     *guide.Bulk
	bad      invalidItems
	done     int
	seen     map[string]bool // slugs of guides this file created or updated
	queue    []queued
}

type queued struct {
	i int
	g *Guide
}

func (im *importer) step() {
	im.done++
	if im.progress != nil {
		im.progress(im.done)
	}
}

func (im *importer) categories(cs []Category) error {
	for i, c := range cs {
		if err := im.bad.check(itemError(fmt.Sprintf("categories[%d]", i), im.category(c))); err != nil {
			return err
		}
		im.step()
	}
	return nil
}

func (im *importer) technologies(ts []Technology) error {
	for i, t := range ts {
		if err := im.bad.check(itemError(fmt.Sprintf("technologies[%d]", i), im.technology(t))); err != nil {
			return err
		}
		im.step()
	}
	return nil
}

func (im *importer) names(key string, ns []Name) error {
	// Version 1 files list names after the guides: those are written first.
	if err := im.drain(); err != nil {
		return err
	}
	if err := im.bulk.Flush(im.ctx); err != nil {
		return err
	}
	kind := guide.NameCategory
	if key == "technology_translations" {
		kind = guide.NameTechnology
	}
	for i, n := range ns {
		if err := im.bad.check(itemError(fmt.Sprintf("%s[%d]", key, i), im.name(kind, n))); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) guide(i int, g *Guide) error {
	im.queue = append(im.queue, queued{i, g})
	if len(im.queue) >= chunk {
		return im.drain()
	}
	return nil
}

func (im *importer) end() error {
	if err := im.drain(); err != nil {
		return err
	}
	return im.bulk.Flush(im.ctx)
}

// drain applies the queued guides: one lookup says which exist.
func (im *importer) drain() error {
	if len(im.queue) == 0 {
		return nil
	}
	slugs := make([]string, 0, len(im.queue))
	for _, q := range im.queue {
		slugs = append(slugs, q.g.Document.Slug)
	}
	existing, err := im.bulk.Known(im.ctx, slugs)
	if err != nil {
		return err
	}
	for _, q := range im.queue {
		if err := im.apply(q.i, q.g, existing[q.g.Document.Slug] != ""); err != nil {
			return err
		}
		im.step()
	}
	im.queue = im.queue[:0]
	return nil
}

func (im *importer) apply(i int, g *Guide, exists bool) error {
	slug := g.Document.Slug
	var gid string
	var err error
	if exists || im.seen[slug] {
		// An update goes through the editor's path, on written rows.
		if err := im.bulk.Flush(im.ctx); err != nil {
			return err
		}
		gid, err = im.update(g)
	} else {
		gid, err = im.bulk.Add(im.ctx, g.Document.Input(), g.Status == guide.StatusPublished)
		if err == nil {
			im.rep.Created = append(im.rep.Created, "guide "+slug)
		}
	}
	im.seen[slug] = true
	if err := im.bad.check(itemError(fmt.Sprintf("guides[%d].document", i), err)); err != nil {
		return err
	}
	if gid == "" || len(g.Translations) == 0 {
		return nil // an invalid guide is reported; its translations cannot be
	}
	if err := im.bulk.Flush(im.ctx); err != nil {
		return err
	}
	for j, tr := range g.Translations {
		if err := im.bad.check(itemError(fmt.Sprintf("guides[%d].translations[%d]", i, j), im.translation(gid, slug, tr))); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) category(c Category) error {
	ctx, svc := im.ctx, im.tx
	cur, err := svc.CategoryBySlug(ctx, c.Slug)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		_, err = svc.CreateCategory(ctx, guide.CategoryInput(c))
		im.rep.Created = append(im.rep.Created, "category "+c.Slug)
		return err
	case err != nil:
		return err
	case Category{Slug: cur.Slug, Name: cur.Name, Description: cur.Description, Position: cur.Position} == c:
		im.rep.Same++
		return nil
	}
	_, err = svc.UpdateCategory(ctx, cur.ID, guide.CategoryInput(c), cur.Version)
	im.rep.Updated = append(im.rep.Updated, "category "+c.Slug)
	return err
}

func (im *importer) technology(t Technology) error {
	ctx, svc := im.ctx, im.tx
	cur, err := svc.TechnologyBySlug(ctx, t.Slug)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		_, err = svc.CreateTechnology(ctx, guide.TechnologyInput(t))
		im.rep.Created = append(im.rep.Created, "technology "+t.Slug)
		return err
	case err != nil:
		return err
	case Technology{Slug: cur.Slug, Name: cur.Name, Description: cur.Description, Language: cur.Language,
		WebsiteURL: cur.WebsiteURL, LogoURL: cur.LogoURL} == t:
		im.rep.Same++
		return nil
	}
	_, err = svc.UpdateTechnology(ctx, cur.ID, guide.TechnologyInput(t), cur.Version)
	im.rep.Updated = append(im.rep.Updated, "technology "+t.Slug)
	return err
}

// update applies g to the guide of its slug (created earlier, or by an
// earlier line of the same file): unchanged, saved, published.
func (im *importer) update(g *Guide) (string, error) {
	ctx, svc, actor := im.ctx, im.tx, im.actor
	cur, err := svc.GuideBySlug(ctx, g.Document.Slug)
	var d *guide.Draft
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		if d, err = svc.CreateGuide(ctx, actor, g.Document.Input()); err != nil {
			return "", err
		}
		im.rep.Created = append(im.rep.Created, "guide "+g.Document.Slug)
	case err != nil:
		return "", err
	case sameJSON(FromInput(cur.Input), g.Document) && cur.Guide.Status == g.Status:
		im.rep.Same++
		return cur.Guide.ID, nil
	default:
		if d, err = svc.UpdateGuide(ctx, actor, cur.Guide.ID, g.Document.Input(), cur.Guide.Version); err != nil {
			return "", err
		}
		im.rep.Updated = append(im.rep.Updated, "guide "+g.Document.Slug)
	}
	if g.Status == guide.StatusPublished && (d.Guide.Status != guide.StatusPublished || d.Guide.HasUnpublishedChanges()) {
		_, err = svc.Publish(ctx, actor, d.Guide.ID, d.Guide.Version)
	}
	return d.Guide.ID, err
}

// translation creates or updates a guide's translation by locale and
// publishes it when the file says it is published; an unchanged one is
// left alone.
func (im *importer) translation(guideID, slug string, tr Translation) error {
	ctx, svc := im.ctx, im.tx
	if err := checkLocale(svc, tr.Locale); err != nil {
		return err
	}
	what := "translation " + slug + " (" + tr.Locale + ")"
	cur, err := svc.Translation(ctx, guideID, tr.Locale)
	version := 0
	switch {
	case err != nil:
		return err
	case cur.Translation.Version == 0: // none yet
		im.rep.Created = append(im.rep.Created, what)
	case sameJSON(cur.Texts, tr.Texts) && cur.Translation.Status == tr.Status:
		im.rep.Same++
		return nil
	default:
		version = cur.Translation.Version
		im.rep.Updated = append(im.rep.Updated, what)
	}
	d, _, err := svc.SaveTranslation(ctx, im.actor, guideID, tr.Locale, tr.Texts, version)
	if err != nil {
		return err
	}
	if tr.Status == guide.StatusPublished {
		_, err = svc.PublishTranslation(ctx, guideID, tr.Locale, d.Translation.Version)
	}
	return err
}

// name sets a category's or technology's name in a locale.
func (im *importer) name(kind guide.NameKind, n Name) error {
	ctx, svc := im.ctx, im.tx
	if err := checkLocale(svc, n.Locale); err != nil {
		return err
	}
	var id string
	if kind == guide.NameCategory {
		c, err := svc.CategoryBySlug(ctx, n.Slug)
		if err != nil {
			return err
		}
		id = c.ID
	} else {
		t, err := svc.TechnologyBySlug(ctx, n.Slug)
		if err != nil {
			return err
		}
		id = t.ID
	}
	cur, err := svc.NameTranslations(ctx, kind, id)
	if err != nil {
		return err
	}
	want := guide.NameTexts{Name: n.Name, Description: n.Description}
	if cur[n.Locale] == want {
		im.rep.Same++
		return nil
	}
	im.rep.Updated = append(im.rep.Updated, string(kind)+" "+n.Slug+" ("+n.Locale+")")
	return svc.SetNameTranslation(ctx, kind, id, n.Locale, want)
}

// checkLocale refuses, as a field error, a locale this instance does not
// translate into.
func checkLocale(svc *guide.Service, loc string) error {
	if !svc.Locales().IsTranslation(loc) {
		return apperr.Fields{{Field: "locale", Code: "unknown", Message: "is not a configured locale other than the default"}}.Err()
	}
	return nil
}

// sameJSON compares values as written, where an empty list or map and an
// absent one are the same.
func sameJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// invalidItems collects the field errors of every invalid item, so one
// report names them all. Only validation errors are collected: they are
// found before anything is written, so the transaction stays usable; any
// other error ends the import at once.
type invalidItems struct {
	fields apperr.Fields
	items  int
}

func (b *invalidItems) check(err error) error {
	e, ok := apperr.As(err)
	if err == nil || !ok || e.Kind != apperr.Invalid || len(e.Fields) == 0 {
		return err
	}
	b.fields = append(b.fields, e.Fields...)
	b.items++
	return nil
}

func (b *invalidItems) err() error {
	if b.items == 0 {
		return nil
	}
	msg := "1 item is invalid"
	if b.items > 1 {
		msg = fmt.Sprintf("%d items are invalid", b.items)
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: msg, Fields: b.fields}
}

// itemError puts the item's path in front of field paths, and in front of
// the message of any other client error.
func itemError(path string, err error) error {
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok {
		return fmt.Errorf("%s: %w", path, err)
	}
	out := &apperr.Error{Kind: e.Kind, Message: path + ": " + e.Message, RetryAfter: e.RetryAfter, Extra: e.Extra, Err: e.Err}
	for _, fe := range e.Fields {
		fe.Field = path + "." + fe.Field
		out.Fields = append(out.Fields, fe)
	}
	return out
}
