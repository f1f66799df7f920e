package guide

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Input is a guide as editors write it: references by slug.
type Input struct {
	Title           string
	Slug            string
	Category        string
	Summary         string
	SEOTitle        string
	SEODescription  string
	Options         []InputOption
	Comparison      []Row
	ChecklistIntro  string
	Checklist       []InputQuestion
	Tradeoffs       []InputTradeoff
	Recommendations []InputRecommendation
	FAQ             []FAQ
	Related         []string
	CTA             *CTA
}

// InputOption is an Option with its technology by slug.
type InputOption struct {
	Technology string
	ChooseIf   []string
}

// InputTradeoff is a Tradeoff with its optional technology by slug.
type InputTradeoff struct {
	ID         string
	Text       string
	Technology string
}

// InputRecommendation is a Recommendation with its technology by slug.
type InputRecommendation struct {
	ID         string
	Technology string
	Scenario   string
}

// InputQuestion is a Question whose choices weigh options by slug.
type InputQuestion struct {
	ID      string
	Text    string
	Help    string
	Kind    QuestionKind
	Choices []InputChoice
}

// InputChoice is a Choice with weights by technology slug.
type InputChoice struct {
	ID       string
	Label    string
	Weights  map[string]int
	Supports string
}

// Limits on a guide's size, so one document stays readable and cheap to serve.
const (
	maxOptions  = 6
	maxItems    = 50 // per list: rows, questions, tradeoffs, FAQ …
	maxShort    = 300
	maxLong     = 5000
	maxTitleLen = 200
)

// resolve validates in and turns it into a Document, collecting every field
// error. guideID is the guide being saved ("" when new), so that a guide
// cannot link to itself.
func (s *Service) resolve(ctx context.Context, tx Store, guideID string, in Input) (*Document, error) {
	var c checker
	c.line("title", in.Title, true, maxTitleLen)
	c.slug("slug", in.Slug)
	c.block("summary", in.Summary, true, 2000)
	c.line("seo_title", in.SEOTitle, false, maxTitleLen)
	c.line("seo_description", in.SEODescription, false, 500)
	c.line("checklist_intro", in.ChecklistIntro, false, maxShort)
	doc := &Document{
		Title: strings.TrimSpace(in.Title), Slug: in.Slug, Summary: in.Summary,
		SEOTitle: in.SEOTitle, SEODescription: in.SEODescription, ChecklistIntro: in.ChecklistIntro,
	}

	if in.Category == "" {
		c.Add("category", "required", "is required")
	} else if cat, err := tx.FindCategoryBySlug(ctx, in.Category); apperr.IsKind(err, apperr.NotFound) {
		c.Add("category", "unknown", "no such category")
	} else if err != nil {
		return nil, err
	} else {
		doc.CategoryID = cat.ID
	}

	techs, err := s.techsBySlug(ctx, tx, in)
	if err != nil {
		return nil, err
	}
	optionIDs := s.resolveOptions(&c, in, techs, doc)
	resolveComparison(&c, in, doc)
	ids := newIDs(&c)
	ref := func(field, slug string, required bool) string {
		switch {
		case slug == "" && required:
			c.Add(field, "required", "is required")
		case slug == "":
		case techs[slug] == nil:
			c.Add(field, "unknown", "no such technology")
		case !optionIDs[techs[slug].ID]:
			c.Add(field, "not_an_option", "must be one of this guide's options")
		default:
			return techs[slug].ID
		}
		return ""
	}
	checkLen(&c, "tradeoffs", len(in.Tradeoffs))
	for i, t := range in.Tradeoffs {
		f := fmt.Sprintf("tradeoffs[%d]", i)
		c.block(f+".text", t.Text, true, maxShort)
		doc.Tradeoffs = append(doc.Tradeoffs, Tradeoff{ID: ids.take(f+".id", t.ID), Text: t.Text, TechnologyID: ref(f+".technology", t.Technology, false)})
	}
	checkLen(&c, "recommendations", len(in.Recommendations))
	for i, r := range in.Recommendations {
		f := fmt.Sprintf("recommendations[%d]", i)
		c.line(f+".scenario", r.Scenario, true, maxShort)
		doc.Recommendations = append(doc.Recommendations, Recommendation{ID: ids.take(f+".id", r.ID), TechnologyID: ref(f+".technology", r.Technology, true), Scenario: r.Scenario})
	}
	resolveChecklist(&c, in, doc, techs, optionIDs, ids.seen)
	checkLen(&c, "faq", len(in.FAQ))
	for i, q := range in.FAQ {
		f := fmt.Sprintf("faq[%d]", i)
		c.line(f+".question", q.Question, true, maxShort)
		c.block(f+".answer", q.Answer, true, maxLong)
		doc.FAQ = append(doc.FAQ, q)
	}
	if err := s.resolveRelated(ctx, tx, &c, guideID, in, doc); err != nil {
		return nil, err
	}
	if in.CTA != nil {
		c.line("cta.heading", in.CTA.Heading, false, 100)
		c.line("cta.title", in.CTA.Title, true, maxTitleLen)
		c.block("cta.text", in.CTA.Text, false, 1000)
		cta := *in.CTA
		doc.CTA = &cta
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return doc, nil
}

func (s *Service) techsBySlug(ctx context.Context, tx Store, in Input) (map[string]*Technology, error) {
	var slugs []string
	for _, o := range in.Options {
		slugs = append(slugs, o.Technology)
	}
	for _, t := range in.Tradeoffs {
		slugs = append(slugs, t.Technology)
	}
	for _, r := range in.Recommendations {
		slugs = append(slugs, r.Technology)
	}
	return tx.TechnologiesBySlugs(ctx, slugs)
}

func (s *Service) resolveOptions(c *checker, in Input, techs map[string]*Technology, doc *Document) map[string]bool {
	switch {
	case len(in.Options) < 2:
		c.Add("options", "too_few", "a guide compares at least 2 options")
	case len(in.Options) > maxOptions:
		c.Add("options", "too_many", fmt.Sprintf("a guide compares at most %d options", maxOptions))
	}
	ids := map[string]bool{}
	for i, o := range in.Options {
		f := fmt.Sprintf("options[%d]", i)
		t := techs[o.Technology]
		switch {
		case o.Technology == "":
			c.Add(f+".technology", "required", "is required")
		case t == nil:
			c.Add(f+".technology", "unknown", "no such technology")
		case ids[t.ID]:
			c.Add(f+".technology", "duplicate", "is already an option")
		default:
			ids[t.ID] = true
		}
		checkLen(c, f+".choose_if", len(o.ChooseIf))
		for j, item := range o.ChooseIf {
			c.line(fmt.Sprintf("%s.choose_if[%d]", f, j), item, true, maxShort)
		}
		opt := Option{ChooseIf: append([]string{}, o.ChooseIf...)}
		if t != nil {
			opt.TechnologyID = t.ID
		}
		doc.Options = append(doc.Options, opt)
	}
	return ids
}

func resolveComparison(c *checker, in Input, doc *Document) {
	checkLen(c, "comparison", len(in.Comparison))
	for i, r := range in.Comparison {
		f := fmt.Sprintf("comparison[%d]", i)
		c.line(f+".feature", r.Feature, true, 100)
		if len(r.Values) != len(in.Options) {
			c.Add(f+".values", "count", fmt.Sprintf("must have one value per option: %d, not %d", len(in.Options), len(r.Values)))
		}
		for j, v := range r.Values {
			c.line(fmt.Sprintf("%s.values[%d]", f, j), v, true, maxShort)
		}
		doc.Comparison = append(doc.Comparison, Row{Feature: r.Feature, Values: append([]string{}, r.Values...)})
	}
}

// resolveChecklist keeps the IDs editors send back and gives new questions
// fresh ones, so answers stored against a question survive edits. Choices
// weigh the guide's options and may cite a recommendation or tradeoff.
func resolveChecklist(c *checker, in Input, doc *Document, techs map[string]*Technology, optionIDs map[string]bool, supports map[string]bool) {
	checkLen(c, "checklist", len(in.Checklist))
	seen := map[string]bool{}
	for i, q := range in.Checklist {
		f := fmt.Sprintf("checklist[%d]", i)
		c.line(f+".text", q.Text, true, maxShort)
		c.block(f+".help", q.Help, false, 1000)
		switch {
		case q.ID == "":
			q.ID = shortID("q")
		case !questionIDRe.MatchString(q.ID):
			c.Add(f+".id", "invalid", "must be 1-64 lower-case letters, digits, - or _")
		case seen[q.ID]:
			c.Add(f+".id", "duplicate", "is used by another question")
		}
		seen[q.ID] = true
		out := Question{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		resolveChoices(c, f, q, &out, techs, optionIDs, supports)
		doc.Checklist = append(doc.Checklist, out)
	}
}

// resolveChoices checks a question's kind and choices: unique IDs, weights
// only for this guide's options, at least one option moved, citations that
// exist.
func resolveChoices(c *checker, f string, q InputQuestion, out *Question, techs map[string]*Technology, optionIDs map[string]bool, supports map[string]bool) {
	switch {
	case !q.Kind.Valid():
		c.Add(f+".kind", "invalid", "must be single, multiple, yes_no, scale, or empty for an open question")
		return
	case q.Kind == KindOpen:
		if len(q.Choices) > 0 {
			c.Add(f+".choices", "not_allowed", "an open question has no choices; give it a kind")
		}
		return
	case q.Kind == KindYesNo && len(q.Choices) != 2:
		c.Add(f+".choices", "count", "a yes/no question has exactly 2 choices")
	case len(q.Choices) < 2 || len(q.Choices) > 20:
		c.Add(f+".choices", "count", "a question with a kind has 2 to 20 choices")
	}
	seen, touched := map[string]bool{}, false
	for j, ch := range q.Choices {
		cf := fmt.Sprintf("%s.choices[%d]", f, j)
		c.line(cf+".label", ch.Label, true, 200)
		if ch.ID == "" {
			ch.ID = choiceID(ch.Label)
		}
		if !questionIDRe.MatchString(ch.ID) {
			c.Add(cf+".id", "invalid", "must be 1-64 lower-case letters, digits, - or _")
		} else if seen[ch.ID] {
			c.Add(cf+".id", "duplicate", "another choice of this question has this ID")
		}
		seen[ch.ID] = true
		choice := Choice{ID: ch.ID, Label: ch.Label, Supports: ch.Supports}
		for _, slug := range slices.Sorted(maps.Keys(ch.Weights)) { // sorted: stable field errors
			w, t := ch.Weights[slug], techs[slug]
			switch {
			case t == nil || !optionIDs[t.ID]:
				c.Add(cf+".weights."+slug, "not_an_option", "weights are only for this guide's options")
			case w < -100 || w > 100:
				c.Add(cf+".weights."+slug, "range", "must be from -100 to 100")
			case w != 0:
				if choice.Weights == nil {
					choice.Weights = map[string]int{}
				}
				choice.Weights[t.ID], touched = w, true
			}
		}
		if ch.Supports != "" && !supports[ch.Supports] {
			c.Add(cf+".supports", "unknown", "must be the id of one of this guide's recommendations or tradeoffs")
		}
		out.Choices = append(out.Choices, choice)
	}
	if !touched {
		c.Add(f+".choices", "no_weights", "at least one choice must weigh at least one option")
	}
}

// ids hands out stable IDs for recommendations and tradeoffs, so choices
// can cite them across edits.
type idSet struct {
	c    *checker
	seen map[string]bool
}

func newIDs(c *checker) *idSet { return &idSet{c: c, seen: map[string]bool{}} }

func (s *idSet) take(field, v string) string {
	switch {
	case v == "":
		v = shortID("r")
	case !questionIDRe.MatchString(v):
		s.c.Add(field, "invalid", "must be 1-64 lower-case letters, digits, - or _")
	case s.seen[v]:
		s.c.Add(field, "duplicate", "is used by another recommendation or tradeoff")
	}
	s.seen[v] = true
	return v
}

func shortID(prefix string) string {
	return prefix + strings.ReplaceAll(id.New(), "-", "")[20:]
}

// choiceID derives a readable ID from a label: "Python" → "python".
func choiceID(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(label) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

func (s *Service) resolveRelated(ctx context.Context, tx Store, c *checker, guideID string, in Input, doc *Document) error {
	if len(in.Related) > 12 {
		c.Add("related", "too_many", "at most 12 related guides")
	}
	ids, err := tx.GuideIDsBySlugs(ctx, in.Related)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, slug := range in.Related {
		f := fmt.Sprintf("related[%d]", i)
		gid, ok := ids[slug]
		switch {
		case slug == in.Slug || (ok && gid == guideID):
			c.Add(f, "self", "a guide cannot link to itself")
		case !ok:
			c.Add(f, "unknown", "no such guide")
		case seen[gid]:
			c.Add(f, "duplicate", "is already linked")
		default:
			seen[gid] = true
			doc.Related = append(doc.Related, gid)
		}
	}
	return nil
}

func checkLen(c *checker, field string, n int) {
	if n > maxItems {
		c.Add(field, "too_many", fmt.Sprintf("at most %d items", maxItems))
	}
}

// toInput turns a stored Document back into the form editors edit.
func (s *Service) toInput(ctx context.Context, doc *Document) (*Input, error) {
	cat, err := s.store.FindCategory(ctx, doc.CategoryID)
	if err != nil {
		return nil, fmt.Errorf("guide: category of %s: %w", doc.Slug, err)
	}
	techs, err := s.store.TechnologiesByIDs(ctx, doc.technologyIDs())
	if err != nil {
		return nil, err
	}
	guides, err := s.store.GuidesByIDs(ctx, doc.Related)
	if err != nil {
		return nil, err
	}
	slug := func(id string) string {
		if t := techs[id]; t != nil {
			return t.Slug
		}
		return ""
	}
	in := &Input{
		Title: doc.Title, Slug: doc.Slug, Category: cat.Slug, Summary: doc.Summary, SEOTitle: doc.SEOTitle,
		SEODescription: doc.SEODescription, Comparison: doc.Comparison, ChecklistIntro: doc.ChecklistIntro,
		FAQ: doc.FAQ, CTA: doc.CTA,
	}
	for _, q := range doc.Checklist {
		iq := InputQuestion{ID: q.ID, Text: q.Text, Help: q.Help, Kind: q.Kind}
		for _, ch := range q.Choices {
			ic := InputChoice{ID: ch.ID, Label: ch.Label, Supports: ch.Supports, Weights: map[string]int{}}
			for tid, w := range ch.Weights {
				ic.Weights[slug(tid)] = w
			}
			iq.Choices = append(iq.Choices, ic)
		}
		in.Checklist = append(in.Checklist, iq)
	}
	for _, o := range doc.Options {
		in.Options = append(in.Options, InputOption{Technology: slug(o.TechnologyID), ChooseIf: o.ChooseIf})
	}
	for _, t := range doc.Tradeoffs {
		in.Tradeoffs = append(in.Tradeoffs, InputTradeoff{ID: t.ID, Text: t.Text, Technology: slug(t.TechnologyID)})
	}
	for _, r := range doc.Recommendations {
		in.Recommendations = append(in.Recommendations, InputRecommendation{ID: r.ID, Technology: slug(r.TechnologyID), Scenario: r.Scenario})
	}
	for _, gid := range doc.Related {
		if g := guides[gid]; g != nil { // a deleted target drops out
			in.Related = append(in.Related, g.Slug)
		}
	}
	return in, nil
}
