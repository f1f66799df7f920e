package guide

import (
	"context"
	"fmt"
	"strings"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// CategoryInput is the editable part of a category.
type CategoryInput struct {
	Slug        string
	Name        string
	Description string
	Position    int
}

func (in CategoryInput) validate() error {
	var c checker
	c.slug("slug", in.Slug)
	c.line("name", in.Name, true, 100)
	c.block("description", in.Description, false, 1000)
	if in.Position < -maxPosition || in.Position > maxPosition {
		c.Add("position", "invalid", fmt.Sprintf("must be from %d to %d", -maxPosition, maxPosition))
	}
	return c.Err()
}

// maxPosition bounds a category's sort position well inside its 32-bit column.
const maxPosition = 1_000_000

// CreateCategory adds a category.
func (s *Service) CreateCategory(ctx context.Context, in CategoryInput) (*Category, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	c := &Category{ID: id.New(), Slug: in.Slug, Name: strings.TrimSpace(in.Name), Description: in.Description,
		Position: in.Position, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateCategory(ctx, c); err != nil {
		return nil, slugTaken(err)
	}
	return c, nil
}

// UpdateCategory saves in if the category is still at version.
func (s *Service) UpdateCategory(ctx context.Context, catID string, in CategoryInput, version int) (*Category, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Category
	err := s.store.InTx(ctx, func(tx Store) error {
		c, err := tx.FindCategory(ctx, catID)
		if err != nil {
			return err
		}
		c.Slug, c.Name, c.Description, c.Position, c.UpdatedAt = in.Slug, strings.TrimSpace(in.Name), in.Description, in.Position, s.now()
		if err := tx.UpdateCategory(ctx, c, version); err != nil {
			return slugTaken(err)
		}
		out = c
		return s.changed(ctx, tx) // published guides show the category
	})
	if err == nil {
		s.afterChange()
	}
	return out, err
}

// DeleteCategory removes a category no guide uses.
func (s *Service) DeleteCategory(ctx context.Context, catID string) error {
	if !id.Valid(catID) {
		return apperr.New(apperr.NotFound, "no such category")
	}
	err := s.store.DeleteCategory(ctx, catID)
	if apperr.IsKind(err, apperr.Conflict) {
		return apperr.New(apperr.Conflict, "guides still use this category; move them first")
	}
	return err
}

// Category returns one category.
func (s *Service) Category(ctx context.Context, catID string) (*Category, error) {
	if !id.Valid(catID) {
		return nil, apperr.New(apperr.NotFound, "no such category")
	}
	return s.store.FindCategory(ctx, catID)
}

// CategoryBySlug returns one category by slug.
func (s *Service) CategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	return s.store.FindCategoryBySlug(ctx, slug)
}

// Categories lists every category by position, then name.
func (s *Service) Categories(ctx context.Context) ([]*Category, error) {
	return s.store.ListCategories(ctx)
}

// TechnologyInput is the editable part of a technology.
type TechnologyInput struct {
	Slug        string
	Name        string
	Description string
	Language    string
	WebsiteURL  string
	LogoURL     string
}

func (in TechnologyInput) validate() error {
	var c checker
	c.slug("slug", in.Slug)
	c.line("name", in.Name, true, 100)
	c.block("description", in.Description, false, 1000)
	c.line("language", in.Language, false, 100)
	c.url("website_url", in.WebsiteURL, false)
	c.url("logo_url", in.LogoURL, false)
	return c.Err()
}

func (in TechnologyInput) apply(t *Technology) {
	t.Slug, t.Name, t.Description = in.Slug, strings.TrimSpace(in.Name), in.Description
	t.Language, t.WebsiteURL, t.LogoURL = strings.TrimSpace(in.Language), in.WebsiteURL, in.LogoURL
}

// CreateTechnology adds a technology.
func (s *Service) CreateTechnology(ctx context.Context, in TechnologyInput) (*Technology, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	t := &Technology{ID: id.New(), Version: 1, CreatedAt: now, UpdatedAt: now}
	in.apply(t)
	if err := s.store.CreateTechnology(ctx, t); err != nil {
		return nil, slugTaken(err)
	}
	return t, nil
}

// UpdateTechnology saves in if the technology is still at version.
func (s *Service) UpdateTechnology(ctx context.Context, techID string, in TechnologyInput, version int) (*Technology, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Technology
	err := s.store.InTx(ctx, func(tx Store) error {
		t, err := tx.FindTechnology(ctx, techID)
		if err != nil {
			return err
		}
		in.apply(t)
		t.UpdatedAt = s.now()
		if err := tx.UpdateTechnology(ctx, t, version); err != nil {
			return slugTaken(err)
		}
		out = t
		return s.changed(ctx, tx)
	})
	if err == nil {
		s.afterChange()
	}
	return out, err
}

// DeleteTechnology removes a technology no guide uses.
func (s *Service) DeleteTechnology(ctx context.Context, techID string) error {
	if !id.Valid(techID) {
		return apperr.New(apperr.NotFound, "no such technology")
	}
	return s.store.InTx(ctx, func(tx Store) error {
		if _, err := tx.FindTechnology(ctx, techID); err != nil {
			return err
		}
		used, err := tx.TechnologyInUse(ctx, techID)
		if err != nil {
			return err
		}
		if used {
			return apperr.New(apperr.Conflict, "guides still compare this technology; remove it from them first")
		}
		return tx.DeleteTechnology(ctx, techID)
	})
}

// Technology returns one technology.
func (s *Service) Technology(ctx context.Context, techID string) (*Technology, error) {
	if !id.Valid(techID) {
		return nil, apperr.New(apperr.NotFound, "no such technology")
	}
	return s.store.FindTechnology(ctx, techID)
}

// TechnologyBySlug returns one technology by slug.
func (s *Service) TechnologyBySlug(ctx context.Context, slug string) (*Technology, error) {
	return s.store.FindTechnologyBySlug(ctx, slug)
}

// Technologies lists technologies by slug, a page at a time.
func (s *Service) Technologies(ctx context.Context, afterSlug string, limit int) ([]*Technology, error) {
	return s.store.ListTechnologies(ctx, afterSlug, limit)
}

// slugTaken turns a unique violation into a field error on slug.
func slugTaken(err error) error {
	if apperr.IsKind(err, apperr.Conflict) {
		if e, _ := apperr.As(err); e.Fields == nil && e.Extra == nil {
			return apperr.Fields{{Field: "slug", Code: "taken", Message: "is already used"}}.Err()
		}
	}
	return err
}
