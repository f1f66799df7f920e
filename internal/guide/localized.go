package guide

import (
	"context"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// NameKind is what a name translation belongs to.
type NameKind string

// The kinds of translated names.
const (
	NameCategory   NameKind = "category"
	NameTechnology NameKind = "technology"
)

// NameTexts is a category's or technology's name and description in a
// locale.
type NameTexts struct {
	Name        string
	Description string
}

// SetNameTranslation stores the name and description of a category or
// technology in a locale other than the default.
func (s *Service) SetNameTranslation(ctx context.Context, kind NameKind, entityID, loc string, n NameTexts) error {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return err
	}
	var c checker
	c.line("name", n.Name, true, maxTitleLen)
	c.block("description", n.Description, false, 2000)
	if err := c.Err(); err != nil {
		return err
	}
	return s.nameChange(ctx, kind, entityID, func(tx Store) error {
		return tx.SetNameTranslation(ctx, kind, entityID, loc, n)
	})
}

// DeleteNameTranslation removes a name translation; the default locale's
// name shows again.
func (s *Service) DeleteNameTranslation(ctx context.Context, kind NameKind, entityID, loc string) error {
	loc, err := s.translationLocale(loc)
	if err != nil {
		return err
	}
	return s.nameChange(ctx, kind, entityID, func(tx Store) error {
		return tx.DeleteNameTranslation(ctx, kind, entityID, loc)
	})
}

func (s *Service) nameChange(ctx context.Context, kind NameKind, entityID string, fn func(Store) error) error {
	if !id.Valid(entityID) {
		return apperr.New(apperr.NotFound, "no such category or technology")
	}
	err := s.store.InTx(ctx, func(tx Store) error {
		var err error
		if kind == NameCategory {
			_, err = tx.FindCategory(ctx, entityID)
		} else {
			_, err = tx.FindTechnology(ctx, entityID)
		}
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		return s.changed(ctx, tx)
	})
	if err == nil {
		s.afterChange()
	}
	return err
}

// NameTranslations returns an entity's names in every locale that has one.
func (s *Service) NameTranslations(ctx context.Context, kind NameKind, entityID string) (map[string]NameTexts, error) {
	out := map[string]NameTexts{}
	for _, loc := range s.Locales().All()[1:] {
		m, err := s.store.NameTranslations(ctx, kind, loc, []string{entityID})
		if err != nil {
			return nil, err
		}
		if n, ok := m[entityID]; ok {
			out[loc] = n
		}
	}
	return out, nil
}

// LocalizedGuide returns the public view of a guide by slug in the first
// locale of chain it is published in (chain ends with the default).
func (s *Service) LocalizedGuide(ctx context.Context, chain []string, slug string) (*View, error) {
	p, loc, err := s.LocalizedPublished(ctx, chain, slug)
	if err != nil {
		return nil, err
	}
	if loc == s.Locales().Default() {
		return s.view(ctx, p)
	}
	return s.TranslatedView(ctx, p, loc)
}

// LocalizedPublished finds the guide slug names and its snapshot in the
// first locale of chain it is published in, and that locale. The slug may
// be the guide's slug in any locale, so that a shared link still finds the
// reader's language.
func (s *Service) LocalizedPublished(ctx context.Context, chain []string, slug string) (*Published, string, error) {
	def := s.Locales().Default()
	guideID := ""
	for _, loc := range append(append([]string(nil), chain...), s.Locales().All()...) {
		var (
			p   *Published
			err error
		)
		if loc == def {
			p, err = s.store.FindPublishedBySlug(ctx, slug)
		} else {
			p, err = s.store.FindPublishedTranslation(ctx, loc, slug)
		}
		if apperr.IsKind(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if loc == chain[0] {
			return p, loc, nil // the common case: the slug of the locale asked for
		}
		guideID = p.GuideID
		break
	}
	if guideID == "" {
		return nil, "", apperr.New(apperr.NotFound, "no such guide")
	}
	for _, loc := range chain {
		if loc == def {
			ps, err := s.store.FindPublishedByIDs(ctx, []string{guideID})
			if err != nil {
				return nil, "", err
			}
			if len(ps) == 1 {
				return ps[0], loc, nil
			}
			continue
		}
		p, err := s.store.FindPublishedTranslationByID(ctx, guideID, loc)
		if apperr.IsKind(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		return p, loc, nil
	}
	return nil, "", apperr.New(apperr.NotFound, "no such guide")
}

// TranslatedView is the view of p, published in loc: names of the category and technologies
// and the related guides in loc where translated.
func (s *Service) TranslatedView(ctx context.Context, p *Published, loc string) (*View, error) {
	v, err := s.view(ctx, p)
	if err != nil {
		return nil, err
	}
	v.Locale = loc
	if err := s.localizeNames(ctx, loc, v.Category, v.Technologies); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(v.Related))
	for _, r := range v.Related {
		ids = append(ids, r.GuideID)
	}
	sums, err := s.store.TranslatedSummaries(ctx, loc, ids)
	if err != nil {
		return nil, err
	}
	for i, r := range v.Related {
		if t := sums[r.GuideID]; t != nil {
			v.Related[i] = t
		}
		if err := s.localizeNames(ctx, loc, v.Related[i].Category, nil); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// localizeNames replaces, in place, the category's and the technologies'
// names with their translations in loc. The values are the caller's
// copies: view builds them per request.
func (s *Service) localizeNames(ctx context.Context, loc string, cat *Category, techs map[string]*Technology) error {
	if cat != nil {
		m, err := s.store.NameTranslations(ctx, NameCategory, loc, []string{cat.ID})
		if err != nil {
			return err
		}
		if n, ok := m[cat.ID]; ok {
			cat.Name, cat.Description = n.Name, or(n.Description, cat.Description)
		}
	}
	if len(techs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(techs))
	for tid := range techs {
		ids = append(ids, tid)
	}
	m, err := s.store.NameTranslations(ctx, NameTechnology, loc, ids)
	if err != nil {
		return err
	}
	for tid, n := range m {
		t := *techs[tid]
		t.Name, t.Description = n.Name, or(n.Description, t.Description)
		techs[tid] = &t
	}
	return nil
}

// LocalizedGuides lists the guides published in loc, with names in loc.
func (s *Service) LocalizedGuides(ctx context.Context, loc string, f PublicFilter) ([]*PublishedSummary, error) {
	if loc == s.Locales().Default() {
		return s.store.ListPublished(ctx, f)
	}
	sums, err := s.store.ListPublishedTranslations(ctx, loc, f)
	if err != nil {
		return nil, err
	}
	for _, sum := range sums {
		techs := map[string]*Technology{}
		for _, t := range sum.Technologies {
			techs[t.ID] = t
		}
		if err := s.localizeNames(ctx, loc, sum.Category, techs); err != nil {
			return nil, err
		}
		for i, t := range sum.Technologies {
			sum.Technologies[i] = techs[t.ID]
		}
	}
	return sums, nil
}

// CountLocalized counts the guides published in loc that f selects.
func (s *Service) CountLocalized(ctx context.Context, loc string, f PublicFilter) (int, error) {
	if loc == s.Locales().Default() {
		return s.store.CountPublished(ctx, f)
	}
	return s.store.CountPublishedTranslations(ctx, loc, f)
}

// NamesIn returns the names in loc of the categories or technologies ids
// that have one.
func (s *Service) NamesIn(ctx context.Context, kind NameKind, loc string, ids []string) (map[string]NameTexts, error) {
	return s.store.NameTranslations(ctx, kind, loc, ids)
}
