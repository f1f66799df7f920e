package httpapi

import (
	"context"
	"encoding/json"

	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

// ContentFile is Verdict's export format: every part in the admin API's
// document format, so a file moves between instances and databases.
type ContentFile struct {
	Version      int                 `json:"version"`
	Categories   []CategoryRequest   `json:"categories"`
	Technologies []TechnologyRequest `json:"technologies"`
	Guides       []ExportedGuide     `json:"guides"`
}

// ExportedGuide is a guide's draft and whether it is public.
type ExportedGuide struct {
	Status   guide.Status  `json:"status"`
	Document GuideDocument `json:"document"`
}

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	DryRun  bool     `json:"dry_run"`
	Created []string `json:"created"`
	Updated []string `json:"updated"`
	Same    int      `json:"unchanged"`
}

// ExportContent writes categories, technologies and the guides whose
// status is in statuses (all when empty).
func ExportContent(ctx context.Context, svc *guide.Service, statuses []guide.Status) (*ContentFile, error) {
	f := &ContentFile{Version: 1, Categories: []CategoryRequest{}, Technologies: []TechnologyRequest{}, Guides: []ExportedGuide{}}
	cats, err := svc.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		f.Categories = append(f.Categories, CategoryRequest{Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position})
	}
	for after := ""; ; {
		techs, err := svc.Technologies(ctx, after, 100)
		if err != nil {
			return nil, err
		}
		for _, t := range techs {
			f.Technologies = append(f.Technologies, TechnologyRequest{Slug: t.Slug, Name: t.Name, Description: t.Description,
				Language: t.Language, WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL})
		}
		if len(techs) < 100 {
			break
		}
		after = techs[len(techs)-1].Slug
	}
	// Guides that others link to first, so an import can create them in order.
	var all []*guide.Draft
	for after := ""; ; {
		gs, err := svc.Guides(ctx, guide.AdminFilter{AfterID: after, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			if len(statuses) > 0 && !containsStatus(statuses, g.Status) {
				continue
			}
			d, err := svc.Guide(ctx, g.ID)
			if err != nil {
				return nil, fmt.Errorf("export %s: %w", g.Slug, err)
			}
			all = append(all, d)
		}
		if len(gs) < 100 {
			break
		}
		after = gs[len(gs)-1].ID
	}
	for _, d := range linkOrder(all) {
		f.Guides = append(f.Guides, ExportedGuide{Status: d.Guide.Status, Document: toGuideDocument(d.Input)})
	}
	return f, nil
}

// linkOrder puts linked-to guides before the guides that link to them.
func linkOrder(ds []*guide.Draft) []*guide.Draft {
	bySlug := map[string]*guide.Draft{}
	for _, d := range ds {
		bySlug[d.Input.Slug] = d
	}
	var out []*guide.Draft
	done := map[string]bool{}
	var visit func(d *guide.Draft)
	visit = func(d *guide.Draft) {
		if done[d.Input.Slug] {
			return
		}
		done[d.Input.Slug] = true
		for _, r := range d.Input.Related {
			if t := bySlug[r]; t != nil {
				visit(t)
			}
		}
		out = append(out, d)
	}
	for _, d := range ds {
		visit(d)
	}
	return out
}

func containsStatus(ss []guide.Status, s guide.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ImportContent applies a file, matching everything by slug: missing items
// are created, changed ones updated, equal ones left alone. It is one
// transaction: on any error nothing is changed, and the error names the
// bad item's path. A dry run reports and rolls back. progress, if set, is
// called after each item.
func ImportContent(ctx context.Context, svc *guide.Service, actor string, f *ContentFile, dryRun bool, progress func(done, total int)) (*ImportReport, error) {
	if f.Version != 1 {
		return nil, apperr.Fields{{Field: "version", Code: "unsupported", Message: "must be 1"}}.Err()
	}
	rep := &ImportReport{DryRun: dryRun, Created: []string{}, Updated: []string{}}
	total, done := len(f.Categories)+len(f.Technologies)+len(f.Guides), 0
	step := func() {
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	errDryRun := errors.New("dry run")
	err := svc.InTx(ctx, func(tx *guide.Service) error {
		var bad invalidItems
		for i, c := range f.Categories {
			if err := bad.check(itemError(fmt.Sprintf("categories[%d]", i), importCategory(ctx, tx, c, rep))); err != nil {
				return err
			}
			step()
		}
		for i, t := range f.Technologies {
			if err := bad.check(itemError(fmt.Sprintf("technologies[%d]", i), importTechnology(ctx, tx, t, rep))); err != nil {
				return err
			}
			step()
		}
		for i, g := range f.Guides {
			if err := bad.check(itemError(fmt.Sprintf("guides[%d].document", i), importGuide(ctx, tx, actor, g, rep))); err != nil {
				return err
			}
			step()
		}
		if err := bad.err(); err != nil {
			return err
		}
		if dryRun {
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

func importCategory(ctx context.Context, svc *guide.Service, c CategoryRequest, rep *ImportReport) error {
	cur, err := svc.CategoryBySlug(ctx, c.Slug)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		_, err = svc.CreateCategory(ctx, guide.CategoryInput(c))
		rep.Created = append(rep.Created, "category "+c.Slug)
		return err
	case err != nil:
		return err
	case CategoryRequest{Slug: cur.Slug, Name: cur.Name, Description: cur.Description, Position: cur.Position} == c:
		rep.Same++
		return nil
	}
	_, err = svc.UpdateCategory(ctx, cur.ID, guide.CategoryInput(c), cur.Version)
	rep.Updated = append(rep.Updated, "category "+c.Slug)
	return err
}

func importTechnology(ctx context.Context, svc *guide.Service, t TechnologyRequest, rep *ImportReport) error {
	cur, err := svc.TechnologyBySlug(ctx, t.Slug)
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		_, err = svc.CreateTechnology(ctx, guide.TechnologyInput(t))
		rep.Created = append(rep.Created, "technology "+t.Slug)
		return err
	case err != nil:
		return err
	case TechnologyRequest{Slug: cur.Slug, Name: cur.Name, Description: cur.Description, Language: cur.Language,
		WebsiteURL: cur.WebsiteURL, LogoURL: cur.LogoURL} == t:
		rep.Same++
		return nil
	}
	_, err = svc.UpdateTechnology(ctx, cur.ID, guide.TechnologyInput(t), cur.Version)
	rep.Updated = append(rep.Updated, "technology "+t.Slug)
	return err
}

func importGuide(ctx context.Context, svc *guide.Service, actor string, g ExportedGuide, rep *ImportReport) error {
	cur, err := svc.GuideBySlug(ctx, g.Document.Slug)
	var d *guide.Draft
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		if d, err = svc.CreateGuide(ctx, actor, g.Document.Input()); err != nil {
			return err
		}
		rep.Created = append(rep.Created, "guide "+g.Document.Slug)
	case err != nil:
		return err
	case sameJSON(toGuideDocument(cur.Input), g.Document) && cur.Guide.Status == g.Status:
		rep.Same++
		return nil
	default:
		if d, err = svc.UpdateGuide(ctx, actor, cur.Guide.ID, g.Document.Input(), cur.Guide.Version); err != nil {
			return err
		}
		rep.Updated = append(rep.Updated, "guide "+g.Document.Slug)
	}
	if g.Status == guide.StatusPublished && (d.Guide.Status != guide.StatusPublished || d.Guide.HasUnpublishedChanges()) {
		_, err = svc.Publish(ctx, actor, d.Guide.ID, d.Guide.Version)
	}
	return err
}

// sameJSON compares documents as their wire form, where an empty list or
// map and an absent one are the same.
func sameJSON(a, b GuideDocument) bool {
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

func (a *API) handleExport(c *fiber.Ctx) error {
	q := newQuery(c)
	var statuses []guide.Status
	if s := q.str("status"); s != "" && s != "all" {
		st := guide.Status(s)
		if !st.Valid() {
			q.fields.Add("status", "invalid", "must be all, draft, scheduled, published or archived")
		}
		statuses = []guide.Status{st}
	}
	if err := q.err(); err != nil {
		return err
	}
	f, err := ExportContent(c.UserContext(), a.guides, statuses)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="verdict-content.json"`)
	return c.JSON(f)
}

// importTimeout bounds an import's database work.
const importTimeout = 2 * time.Minute

func (a *API) handleImport(c *fiber.Ctx) error {
	q := newQuery(c)
	dry := q.boolean("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	var f ContentFile
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	// An import writes a whole site in one transaction: it gets longer than
	// the request deadline, and is still bounded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), importTimeout)
	defer cancel()
	rep, err := ImportContent(ctx, a.guides, currentUser(c).ID, &f, dry != nil && *dry, nil)
	if err != nil {
		return err
	}
	if !rep.DryRun {
		a.record(c, "content.imported", "content", "", fmt.Sprintf("%d created, %d updated", len(rep.Created), len(rep.Updated)))
	}
	return c.JSON(rep)
}
