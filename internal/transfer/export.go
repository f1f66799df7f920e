package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/verdict-cms/verdict/internal/guide"
)

// page is how many guides export reads per query.
const page = 100

// Export writes the categories, technologies and the guides whose status
// is status ("" for all) to w as a current-version file, one guide at a
// time: each top-level part on a line of its own, then one guide per line. Guides are ordered so that linked-to guides come first: an import
// then creates them in order.
func Export(ctx context.Context, svc *guide.Service, status guide.Status, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cats, techs, catNames, techNames, err := taxonomy(ctx, svc)
	if err != nil {
		return err
	}
	bw.WriteString("{\n")
	for _, f := range []struct {
		name string
		v    any
	}{{"format", FormatName}, {"version", Version}, {"categories", cats}, {"technologies", techs},
		{"category_translations", catNames}, {"technology_translations", techNames}} {
		fmt.Fprintf(bw, "%q:", f.name)
		if err := writeJSON(bw, f.v); err != nil {
			return err
		}
		bw.WriteString(",\n")
	}
	order, err := guideOrder(ctx, svc, status)
	if err != nil {
		return err
	}
	bw.WriteString(`"guides":[`)
	for i, gid := range order {
		d, err := svc.Guide(ctx, gid)
		if err != nil {
			return fmt.Errorf("export guide %s: %w", gid, err)
		}
		trs, err := translations(ctx, svc, gid)
		if err != nil {
			return fmt.Errorf("export %s: %w", d.Guide.Slug, err)
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
		if err := writeJSON(bw, Guide{Status: d.Guide.Status, Document: FromInput(d.Input), Translations: trs}); err != nil {
			return err
		}
	}
	bw.WriteString("\n]}\n")
	return bw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("transfer: encode: %w", err)
	}
	_, err = w.Write(b)
	return err
}

func taxonomy(ctx context.Context, svc *guide.Service) (cats []Category, techs []Technology, catNames, techNames []Name, err error) {
	cats, techs, catNames, techNames = []Category{}, []Technology{}, []Name{}, []Name{}
	cs, err := svc.Categories(ctx)
	if err != nil {
		return
	}
	for _, c := range cs {
		cats = append(cats, Category{Slug: c.Slug, Name: c.Name, Description: c.Description, Position: c.Position})
		if catNames, err = names(ctx, svc, guide.NameCategory, c.ID, c.Slug, catNames); err != nil {
			return
		}
	}
	for after := ""; ; {
		ts, err := svc.Technologies(ctx, after, page)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		for _, t := range ts {
			techs = append(techs, Technology{Slug: t.Slug, Name: t.Name, Description: t.Description,
				Language: t.Language, WebsiteURL: t.WebsiteURL, LogoURL: t.LogoURL})
			if techNames, err = names(ctx, svc, guide.NameTechnology, t.ID, t.Slug, techNames); err != nil {
				return nil, nil, nil, nil, err
			}
		}
		if len(ts) < page {
			break
		}
		after = ts[len(ts)-1].Slug
	}
	return cats, techs, catNames, techNames, nil
}

// guideOrder lists the IDs of the guides to export, linked-to guides before
// the guides linking to them. It keeps only IDs and links in memory.
func guideOrder(ctx context.Context, svc *guide.Service, status guide.Status) ([]string, error) {
	f := guide.AdminFilter{Limit: page}
	if status != "" {
		f.Status = &status
	}
	var ids []string
	related := map[string][]string{} // guide ID → related slugs
	bySlug := map[string]string{}
	for {
		gs, err := svc.Guides(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			d, err := svc.Guide(ctx, g.ID)
			if err != nil {
				return nil, fmt.Errorf("export %s: %w", g.Slug, err)
			}
			ids = append(ids, g.ID)
			bySlug[d.Input.Slug] = g.ID
			if len(d.Input.Related) > 0 {
				related[g.ID] = d.Input.Related
			}
		}
		if len(gs) < page {
			break
		}
		f.AfterID = gs[len(gs)-1].ID
	}
	out := make([]string, 0, len(ids))
	done := map[string]bool{}
	var visit func(gid string)
	visit = func(gid string) {
		if done[gid] {
			return
		}
		done[gid] = true
		for _, r := range related[gid] {
			if t := bySlug[r]; t != "" {
				visit(t)
			}
		}
		out = append(out, gid)
	}
	for _, gid := range ids {
		visit(gid)
	}
	return out, nil
}

func translations(ctx context.Context, svc *guide.Service, guideID string) ([]Translation, error) {
	ds, err := svc.Translations(ctx, guideID)
	if err != nil {
		return nil, err
	}
	var out []Translation
	for _, d := range ds {
		if d.Translation.Version == 0 {
			continue // none in this locale
		}
		full, err := svc.Translation(ctx, guideID, d.Translation.Locale)
		if err != nil {
			return nil, err
		}
		out = append(out, Translation{Locale: full.Translation.Locale, Status: full.Translation.Status, Texts: full.Texts})
	}
	return out, nil
}

func names(ctx context.Context, svc *guide.Service, kind guide.NameKind, id, slug string, out []Name) ([]Name, error) {
	m, err := svc.NameTranslations(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	for _, loc := range svc.Locales().All()[1:] {
		if n, ok := m[loc]; ok {
			out = append(out, Name{Slug: slug, Locale: loc, Name: n.Name, Description: n.Description})
		}
	}
	return out, nil
}
