package guide

import (
	"context"
	"fmt"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/locale"
)

// Translation is a guide in a locale other than the default: its own slug,
// draft, revisions, publish state and schedule. SourceTexts is the default
// locale's texts when an editor last saved or reviewed it.
type Translation struct {
	GuideID             string
	Locale              string
	Slug                string
	Title               string
	Status              Status // draft, scheduled or published
	Version             int
	DraftRevisionID     *string
	PublishedRevisionID *string
	SourceTexts         Texts
	ScheduledAt         *time.Time
	PublishedAt         *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// TranslationRevision is an immutable snapshot of a translation's texts.
type TranslationRevision struct {
	ID        string
	GuideID   string
	Locale    string
	Number    int
	Action    string
	Texts     Texts
	AuthorID  *string
	CreatedAt time.Time
}

// TranslationDraft is a translation in editor form, beside its source.
type TranslationDraft struct {
	Translation *Translation
	Texts       Texts
	Revision    int
	// Source is the default locale's current draft texts; OutOfDate names
	// those that changed since the translation was last saved or reviewed.
	Source    Texts
	OutOfDate []string
}

// TranslationKey names one translation.
type TranslationKey struct {
	GuideID string
	Locale  string
}

// Alternate is a locale a guide is published in, for hreflang.
type Alternate struct {
	Locale string
	Slug   string
}

// SetLocales tells the service which locales are configured; without it
// only the default locale "en" exists.
func (s *Service) SetLocales(l *locale.Set) { s.locales = l }

// Locales is the configured locale set.
func (s *Service) Locales() *locale.Set {
	if s.locales == nil {
		return locale.MustParse("en")
	}
	return s.locales
}

func (s *Service) translationLocale(loc string) (string, error) {
	l, ok := s.Locales().Lookup(loc)
	if !ok || !s.Locales().IsTranslation(l) {
		return "", apperr.New(apperr.NotFound, "no such locale: translations are made into the configured locales other than the default")
	}
	return l, nil
}

// Translations lists a guide's translations, one per configured locale
// other than the default; a locale without one has a nil Translation.
func (s *Service) Translations(ctx context.Context, guideID string) ([]*TranslationDraft, error) {
	d, err := s.Guide(ctx, guideID)
	if err != nil {
		return nil, err
	}
	src, err := s.sourceTexts(ctx, s.store, d.Guide)
	if err != nil {
		return nil, err
	}
	ts, err := s.store.ListTranslations(ctx, guideID)
	if err != nil {
		return nil, err
	}
	byLoc := map[string]*Translation{}
	for _, t := range ts {
		byLoc[t.Locale] = t
	}
	var out []*TranslationDraft
	for _, loc := range s.Locales().All()[1:] {
		td := &TranslationDraft{Source: src, Translation: byLoc[loc]}
		if td.Translation == nil {
			td.Translation = &Translation{GuideID: guideID, Locale: loc}
		} else {
			td.OutOfDate = ChangedFields(td.Translation.SourceTexts, src)
		}
		out = append(out, td)
	}
	return out, nil
}

// Translation returns one translation in editor form; one not made yet
// has version 0 and only its source.
func (s *Service) Translation(ctx context.Context, guideID, loc string) (*TranslationDraft, error) {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return nil, err
	}
	d, err := s.Guide(ctx, guideID)
	if err != nil {
		return nil, err
	}
	t, err := s.store.FindTranslation(ctx, guideID, loc)
	if apperr.IsKind(err, apperr.NotFound) {
		// None yet: the source alone, for an editor to start from.
		src, err := s.sourceTexts(ctx, s.store, d.Guide)
		return &TranslationDraft{Translation: &Translation{GuideID: guideID, Locale: loc}, Source: src}, err
	}
	if err != nil {
		return nil, err
	}
	return s.translationDraft(ctx, s.store, d.Guide, t)
}

func (s *Service) translationDraft(ctx context.Context, tx Store, g *Guide, t *Translation) (*TranslationDraft, error) {
	src, err := s.sourceTexts(ctx, tx, g)
	if err != nil {
		return nil, err
	}
	rev, err := tx.FindTranslationRevisionByID(ctx, *t.DraftRevisionID)
	if err != nil {
		return nil, err
	}
	return &TranslationDraft{Translation: t, Texts: rev.Texts, Revision: rev.Number, Source: src,
		OutOfDate: ChangedFields(t.SourceTexts, src)}, nil
}

func (s *Service) sourceTexts(ctx context.Context, tx Store, g *Guide) (Texts, error) {
	rev, err := tx.FindRevisionByID(ctx, *g.DraftRevisionID)
	if err != nil {
		return Texts{}, err
	}
	return TextsOf(&rev.Document), nil
}

// SaveTranslation stores texts as the translation's new draft, creating the
// translation when version is 0 and it does not exist yet. Saving counts as
// a review: the translation is up to date with the source's current texts.
func (s *Service) SaveTranslation(ctx context.Context, actor, guideID, loc string, texts Texts, version int) (*TranslationDraft, bool, error) {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return nil, false, err
	}
	if err := checkTexts(&texts); err != nil {
		return nil, false, err
	}
	var (
		out     *TranslationDraft
		created bool
	)
	err = s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		src, err := s.sourceTexts(ctx, tx, g)
		if err != nil {
			return err
		}
		now := s.now()
		t, err := tx.FindTranslation(ctx, guideID, loc)
		switch {
		case apperr.IsKind(err, apperr.NotFound) && version == 0:
			created = true
			t = &Translation{GuideID: guideID, Locale: loc, Status: StatusDraft, Version: 1, CreatedAt: now}
		case err != nil:
			return err
		case t.Version != version:
			return versionConflict(t.Version)
		}
		revID := id.New()
		t.Slug, t.Title, t.SourceTexts, t.DraftRevisionID, t.UpdatedAt = texts.Slug, texts.Title, src, &revID, now
		if created {
			err = tx.CreateTranslation(ctx, t)
		} else {
			err = tx.SaveTranslation(ctx, t, version)
		}
		if err != nil {
			return slugTaken(err)
		}
		rev, err := s.addTranslationRevision(ctx, tx, revID, t, texts, actor, "saved")
		if err != nil {
			return err
		}
		out = &TranslationDraft{Translation: t, Texts: texts, Revision: rev.Number, Source: src}
		return nil
	})
	return out, created, err
}

func (s *Service) addTranslationRevision(ctx context.Context, tx Store, revID string, t *Translation, texts Texts, actor, action string) (*TranslationRevision, error) {
	n, err := tx.LastTranslationRevisionNumber(ctx, t.GuideID, t.Locale)
	if err != nil {
		return nil, err
	}
	rev := &TranslationRevision{ID: revID, GuideID: t.GuideID, Locale: t.Locale, Number: n + 1, Action: action,
		Texts: texts, AuthorID: optional(actor), CreatedAt: s.now()}
	return rev, tx.CreateTranslationRevision(ctx, rev)
}

// ReviewTranslation marks a translation up to date with its source's
// current texts without changing it.
func (s *Service) ReviewTranslation(ctx context.Context, guideID, loc string, version int) (*TranslationDraft, error) {
	return s.translationStep(ctx, guideID, loc, version, false, func(tx Store, g *Guide, t *Translation) error {
		src, err := s.sourceTexts(ctx, tx, g)
		t.SourceTexts = src
		return err
	})
}

// PublishTranslation makes a translation's draft public in its locale,
// over the default locale's published structure; other locales are not
// touched. The default locale must be published first.
func (s *Service) PublishTranslation(ctx context.Context, guideID, loc string, version int) (*TranslationDraft, error) {
	return s.translationStep(ctx, guideID, loc, version, true, func(tx Store, g *Guide, t *Translation) error {
		if g.PublishedRevisionID == nil {
			return apperr.New(apperr.Conflict, "publish the guide in the default locale first: a translation shares its structure")
		}
		return s.publishTranslation(ctx, tx, g, t)
	})
}

func (s *Service) publishTranslation(ctx context.Context, tx Store, g *Guide, t *Translation) error {
	now := s.now()
	t.Status, t.PublishedRevisionID, t.PublishedAt, t.ScheduledAt = StatusPublished, t.DraftRevisionID, &now, nil
	return s.writePublishedTranslation(ctx, tx, g, t)
}

// writePublishedTranslation merges t's published texts onto g's published
// document and stores the result as t's public row.
func (s *Service) writePublishedTranslation(ctx context.Context, tx Store, g *Guide, t *Translation) error {
	src, err := tx.FindRevisionByID(ctx, *g.PublishedRevisionID)
	if err != nil {
		return err
	}
	rev, err := tx.FindTranslationRevisionByID(ctx, *t.PublishedRevisionID)
	if err != nil {
		return err
	}
	doc := rev.Texts.Apply(&src.Document)
	return slugTaken(tx.PublishTranslation(ctx, t, &doc, rev.ID))
}

// syncTranslations keeps the public translations of g in step with its
// default locale: republished on its new structure when g is published,
// taken down with it when it is not.
func (s *Service) syncTranslations(ctx context.Context, tx Store, g *Guide) error {
	if g.PublishedRevisionID == nil {
		return tx.UnpublishTranslation(ctx, g.ID, "")
	}
	ts, err := tx.ListTranslations(ctx, g.ID)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.PublishedRevisionID != nil {
			if err := s.writePublishedTranslation(ctx, tx, g, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// UnpublishTranslation takes one locale off the public API.
func (s *Service) UnpublishTranslation(ctx context.Context, guideID, loc string, version int) (*TranslationDraft, error) {
	return s.translationStep(ctx, guideID, loc, version, true, func(tx Store, _ *Guide, t *Translation) error {
		if t.PublishedRevisionID == nil {
			return apperr.New(apperr.Conflict, "the translation is not published")
		}
		t.Status, t.PublishedRevisionID, t.PublishedAt, t.ScheduledAt = StatusDraft, nil, nil, nil
		return tx.UnpublishTranslation(ctx, t.GuideID, t.Locale)
	})
}

// ScheduleTranslation publishes a translation's draft at a future time.
func (s *Service) ScheduleTranslation(ctx context.Context, guideID, loc string, at time.Time, version int) (*TranslationDraft, error) {
	if !at.After(s.now()) {
		return nil, apperr.Fields{{Field: "publish_at", Code: "invalid", Message: "must be in the future"}}.Err()
	}
	return s.translationStep(ctx, guideID, loc, version, false, func(_ Store, _ *Guide, t *Translation) error {
		at := at.UTC()
		t.Status, t.ScheduledAt = StatusScheduled, &at
		return nil
	})
}

// DeleteTranslation removes a translation, its revisions and public row.
func (s *Service) DeleteTranslation(ctx context.Context, guideID, loc string) error {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return err
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		if _, err := s.lockGuide(ctx, tx, guideID); err != nil {
			return err
		}
		if err := tx.UnpublishTranslation(ctx, guideID, loc); err != nil {
			return err
		}
		if err := tx.DeleteTranslation(ctx, guideID, loc); err != nil {
			return err
		}
		return s.changed(ctx, tx)
	})
	if err == nil {
		s.afterChange()
	}
	return err
}

// PreviewTranslation renders a translation's draft over its guide's draft
// as the public would see it in loc once both are published.
func (s *Service) PreviewTranslation(ctx context.Context, guideID, loc string) (*View, error) {
	d, err := s.Translation(ctx, guideID, loc)
	if err != nil {
		return nil, err
	}
	if d.Translation.Version == 0 {
		return nil, apperr.New(apperr.NotFound, "no such translation")
	}
	g, err := s.store.FindGuide(ctx, guideID)
	if err != nil {
		return nil, err
	}
	src, err := s.store.FindRevisionByID(ctx, *g.DraftRevisionID)
	if err != nil {
		return nil, err
	}
	doc := d.Texts.Apply(&src.Document)
	return s.TranslatedView(ctx, &Published{GuideID: g.ID, Slug: doc.Slug, RevisionID: src.ID, Document: doc, PublishedAt: d.Translation.UpdatedAt}, d.Translation.Locale)
}

// TranslationRevisions lists a translation's revisions, newest first.
func (s *Service) TranslationRevisions(ctx context.Context, guideID, loc string) ([]*TranslationRevision, error) {
	if _, err := s.Translation(ctx, guideID, loc); err != nil {
		return nil, err
	}
	l, _ := s.Locales().Lookup(loc)
	return s.store.ListTranslationRevisions(ctx, guideID, l)
}

// translationStep runs one workflow step on a translation at version, with
// its guide locked; public steps notify every instance.
func (s *Service) translationStep(ctx context.Context, guideID, loc string, version int, public bool, step func(Store, *Guide, *Translation) error) (*TranslationDraft, error) {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return nil, err
	}
	var out *TranslationDraft
	err = s.store.InTx(ctx, func(tx Store) error {
		g, err := s.lockGuide(ctx, tx, guideID)
		if err != nil {
			return err
		}
		t, err := tx.FindTranslation(ctx, guideID, loc)
		if err != nil {
			return err
		}
		if t.Version != version {
			return versionConflict(t.Version)
		}
		if err := step(tx, g, t); err != nil {
			return err
		}
		t.UpdatedAt = s.now()
		if err := tx.SaveTranslation(ctx, t, version); err != nil {
			return err
		}
		if out, err = s.translationDraft(ctx, tx, g, t); err != nil {
			return err
		}
		if public {
			if err := s.emitTranslation(ctx, tx, t); err != nil {
				return err
			}
			return s.changed(ctx, tx)
		}
		return nil
	})
	if err == nil && public {
		s.afterChange()
	}
	return out, err
}

// publishDueTranslations publishes one scheduled translation whose time
// has come, if any, and reports whether it did.
func (s *Service) publishDueTranslation(ctx context.Context) (bool, error) {
	did := false
	err := s.store.InTx(ctx, func(tx Store) error {
		keys, err := tx.DueTranslations(ctx, s.now(), 1)
		if err != nil || len(keys) == 0 {
			return err
		}
		g, err := s.lockGuide(ctx, tx, keys[0].GuideID)
		if err != nil {
			return err
		}
		t, err := tx.FindTranslation(ctx, keys[0].GuideID, keys[0].Locale)
		if err != nil {
			return err
		}
		version := t.Version
		if g.PublishedRevisionID == nil {
			// Nothing to publish onto yet: keep the translation a draft.
			t.Status, t.ScheduledAt = StatusDraft, nil
		} else if err := s.publishTranslation(ctx, tx, g, t); err != nil {
			return err
		}
		t.UpdatedAt = s.now()
		if err := tx.SaveTranslation(ctx, t, version); err != nil {
			return err
		}
		did = true
		if t.PublishedRevisionID != nil {
			if err := s.emitTranslation(ctx, tx, t); err != nil {
				return err
			}
		}
		return s.changed(ctx, tx)
	})
	if did && err == nil {
		s.afterChange()
	}
	return did, err
}

// checkTexts validates a translation's texts like the source's.
func checkTexts(t *Texts) error {
	var c checker
	c.line("title", t.Title, true, maxTitleLen)
	c.slug("slug", t.Slug)
	c.block("summary", t.Summary, true, 2000)
	c.line("seo_title", t.SEOTitle, false, maxTitleLen)
	c.line("seo_description", t.SEODescription, false, 500)
	c.line("checklist_intro", t.ChecklistIntro, false, maxShort)
	for i, o := range t.Options {
		for j, s := range o.ChooseIf {
			c.line(fieldf("options[%d].choose_if[%d]", i, j), s, false, maxShort)
		}
	}
	for i, r := range t.Comparison {
		c.line(fieldf("comparison[%d].feature", i), r.Feature, false, maxShort)
		for j, v := range r.Values {
			c.line(fieldf("comparison[%d].values[%d]", i, j), v, false, maxShort)
		}
	}
	for i, q := range t.Checklist {
		c.line(fieldf("checklist[%d].text", i), q.Text, false, maxShort)
		c.block(fieldf("checklist[%d].help", i), q.Help, false, maxLong)
		for j, ch := range q.Choices {
			c.line(fieldf("checklist[%d].choices[%d].label", i, j), ch.Label, false, maxShort)
		}
	}
	for i, s := range t.Tradeoffs {
		c.line(fieldf("tradeoffs[%d]", i), s, false, maxShort)
	}
	for i, s := range t.Recommendations {
		c.line(fieldf("recommendations[%d]", i), s, false, maxShort)
	}
	for i, f := range t.FAQ {
		c.line(fieldf("faq[%d].question", i), f.Question, false, maxShort)
		c.block(fieldf("faq[%d].answer", i), f.Answer, false, maxLong)
	}
	if t.CTA != nil {
		c.line("cta.heading", t.CTA.Heading, false, maxShort)
		c.line("cta.title", t.CTA.Title, false, maxShort)
		c.block("cta.text", t.CTA.Text, false, maxLong)
	}
	return c.Err()
}

var fieldf = fmt.Sprintf

// emitTranslation tells webhooks a translation went public or came down:
// the guide events, with the locale.
func (s *Service) emitTranslation(ctx context.Context, tx Store, t *Translation) error {
	event := "guide.unpublished"
	if t.PublishedRevisionID != nil {
		event = "guide.published"
	}
	return tx.Emit(ctx, event, map[string]any{"id": t.GuideID, "locale": t.Locale, "slug": t.Slug, "title": t.Title,
		"status": t.Status, "published_at": t.PublishedAt}, s.now())
}
