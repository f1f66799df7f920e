package httpapi

import (
	"context"
	"encoding/json"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/guide"
)

// exportTranslations lists a guide's translations with their draft texts;
// a published or scheduled translation keeps that status.
func exportTranslations(ctx context.Context, svc *guide.Service, guideID string) ([]ExportedTranslation, error) {
	ds, err := svc.Translations(ctx, guideID)
	if err != nil {
		return nil, err
	}
	var out []ExportedTranslation
	for _, d := range ds {
		if d.Translation.Version == 0 {
			continue // none in this locale
		}
		full, err := svc.Translation(ctx, guideID, d.Translation.Locale)
		if err != nil {
			return nil, err
		}
		out = append(out, ExportedTranslation{Locale: full.Translation.Locale, Status: full.Translation.Status, Texts: full.Texts})
	}
	return out, nil
}

func exportNames(ctx context.Context, svc *guide.Service, kind guide.NameKind, id, slug string, out []ExportedName) ([]ExportedName, error) {
	m, err := svc.NameTranslations(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	for _, loc := range svc.Locales().All()[1:] {
		if n, ok := m[loc]; ok {
			out = append(out, ExportedName{Slug: slug, Locale: loc, Name: n.Name, Description: n.Description})
		}
	}
	return out, nil
}

// checkLocale refuses, as a field error, a locale this instance does not
// translate into.
func checkLocale(svc *guide.Service, loc string) error {
	if !svc.Locales().IsTranslation(loc) {
		return apperr.Fields{{Field: "locale", Code: "unknown", Message: "is not a configured locale other than the default"}}.Err()
	}
	return nil
}

// importTranslation creates or updates a guide's translation by locale and
// publishes it when the file says it is published. An unchanged one is
// left alone.
func importTranslation(ctx context.Context, svc *guide.Service, actor, guideID, slug string, tr ExportedTranslation, rep *ImportReport) error {
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
		rep.Created = append(rep.Created, what)
	case sameTexts(cur.Texts, tr.Texts) && cur.Translation.Status == tr.Status:
		rep.Same++
		return nil
	default:
		version = cur.Translation.Version
		rep.Updated = append(rep.Updated, what)
	}
	d, _, err := svc.SaveTranslation(ctx, actor, guideID, tr.Locale, tr.Texts, version)
	if err != nil {
		return err
	}
	if tr.Status == guide.StatusPublished {
		_, err = svc.PublishTranslation(ctx, guideID, tr.Locale, d.Translation.Version)
	}
	return err
}

func sameTexts(a, b guide.Texts) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// importName sets a category's or technology's name in a locale.
func importName(ctx context.Context, svc *guide.Service, kind guide.NameKind, n ExportedName, rep *ImportReport) error {
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
		rep.Same++
		return nil
	}
	rep.Updated = append(rep.Updated, string(kind)+" "+n.Slug+" ("+n.Locale+")")
	return svc.SetNameTranslation(ctx, kind, id, n.Locale, want)
}
