package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
	"github.com/verdict-cms/verdict/internal/transfer"
)

// ContentFile documents the export file (internal/transfer) on the wire:
// the export endpoint answers with it and the import endpoint takes it.
// The bytes are transfer's; this type only describes them to the OpenAPI
// document and the SDK.
type ContentFile struct {
	// Format is "verdict-export" (absent in version 1 files).
	Format string `json:"format" openapi:"optional"`
	// Version is 2 (1 is still read).
	Version      int                 `json:"version"`
	Categories   []CategoryRequest   `json:"categories"`
	Technologies []TechnologyRequest `json:"technologies"`
	// Names of categories and technologies in locales other than the
	// default, by slug.
	CategoryTranslations   []ExportedName  `json:"category_translations,omitempty"`
	TechnologyTranslations []ExportedName  `json:"technology_translations,omitempty"`
	Guides                 []ExportedGuide `json:"guides"`
}

// ExportedGuide is a guide's draft and whether it is public, with its
// translations.
type ExportedGuide struct {
	Status       guide.Status          `json:"status"`
	Document     GuideDocument         `json:"document"`
	Translations []ExportedTranslation `json:"translations,omitempty"`
}

// ExportedTranslation is a translation's draft texts and whether it is
// public in its locale.
type ExportedTranslation struct {
	Locale string           `json:"locale"`
	Status guide.Status     `json:"status"`
	Texts  translationTexts `json:"texts"`
}

// ExportedName is a category's or technology's name in a locale.
type ExportedName struct {
	Slug        string `json:"slug"`
	Locale      string `json:"locale"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ImportReport says what an import did, or would do on a dry run.
type ImportReport struct {
	DryRun  bool     `json:"dry_run"`
	Created []string `json:"created"`
	Updated []string `json:"updated"`
	Same    int      `json:"unchanged"`
}

func (a *API) handleExport(c *fiber.Ctx) error {
	q := newQuery(c)
	var status guide.Status
	if s := q.str("status"); s != "" && s != "all" {
		if status = guide.Status(s); !status.Valid() {
			q.fields.Add("status", "invalid", "must be all, draft, scheduled, published or archived")
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	// Written whole before the first byte is sent, so that a failure is
	// still a problem document.
	var buf bytes.Buffer
	if err := transfer.Export(c.UserContext(), a.guides, status, &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="verdict-content.json"`)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(buf.Bytes())
}

// importTimeout bounds an import's database work.
const importTimeout = 2 * time.Minute

func (a *API) handleImport(c *fiber.Ctx) error {
	q := newQuery(c)
	dry := q.boolean("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	if !isJSON(c.Get(fiber.HeaderContentType)) {
		return apperr.New(apperr.UnsupportedMediaType, "the request body must be JSON (Content-Type: application/json)")
	}
	// An import writes a whole site in one transaction: it gets longer than
	// the request deadline, and is still bounded.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), importTimeout)
	defer cancel()
	rep, err := transfer.Import(ctx, a.guides, currentUser(c).ID, bytes.NewReader(c.Body()), transfer.Options{DryRun: dry != nil && *dry})
	if err != nil {
		return err
	}
	if !rep.DryRun {
		a.record(c, "content.imported", "content", "", fmt.Sprintf("%d created, %d updated", len(rep.Created), len(rep.Updated)))
	}
	return c.JSON(ImportReport{DryRun: rep.DryRun, Created: rep.Created, Updated: rep.Updated, Same: rep.Same})
}
