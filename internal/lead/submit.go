package lead

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Submission is what a prospect sends.
type Submission struct {
	Name                  string
	Email                 string
	Company               string
	Role                  string
	Project               string
	Guide                 string
	Answers               map[string][]string // question ID → choice IDs, or one text for an open question
	PreferredTechnologies []string
	RequestVolume         string
	TeamLanguage          string
	Timeline              string
	Budget                string
	Consent               bool
	Referrer              string
	UTM                   UTM
	// Website is a honeypot: a field people never see and bots fill in.
	Website string
}

// Meta is what the server knows about a submission.
type Meta struct {
	IP             string
	UserAgent      string
	IdempotencyKey string
	RequestHash    string // identifies the request body for idempotent replays
	Locale         string // the prospect's language, a configured locale
	// Quota, if set, is counted in the transaction that stores the lead:
	// one round trip for both, and a refused submission stores nothing.
	Quota *Quota
}

// Quota is a limit of Max submissions per Key in a fixed Window, shared by
// every instance.
type Quota struct {
	Key    string
	Max    int
	Window time.Duration
}

// Usage is a Quota's count in its current window, this submission included.
type Usage struct {
	Hits  int
	Reset time.Time // when the window ends
}

// Receipt is what the prospect is told.
type Receipt struct {
	Reference string
	Replayed  bool // an Idempotency-Key replay of an earlier submission
	// Usage is Meta.Quota counted with the lead; nil when it was not
	// counted (no quota, or a replay that stored nothing).
	Usage *Usage
	// OverQuota: the quota refused the submission and nothing was stored.
	OverQuota bool
}

// Submit validates and stores a lead with its outbox event in one
// transaction. A filled honeypot is answered like any success but stored as
// spam and never emailed, so bots learn nothing.
func (s *Service) Submit(ctx context.Context, in Submission, meta Meta) (*Receipt, error) {
	if meta.IdempotencyKey != "" {
		meta.IdempotencyKey = idempotencyScope(meta.IP, in.Email, meta.IdempotencyKey)
		if r, err := s.replay(ctx, meta); r != nil || err != nil {
			return r, err
		}
	}
	l, err := s.validate(ctx, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	l.ID, l.Reference, l.CreatedAt, l.UpdatedAt, l.ConsentedAt = id.New(), newReference(), now, now, &now
	l.IP, l.UserAgent, l.RequestHash, l.Locale = meta.IP, truncate(meta.UserAgent, 500), meta.RequestHash, meta.Locale
	if meta.IdempotencyKey != "" {
		l.IdempotencyKey = &meta.IdempotencyKey
	}
	l.Status = StatusNew
	if in.Website != "" {
		l.Status = StatusSpam
	}
	kind := KindLeadCreated
	if l.Status == StatusSpam {
		kind = "" // stored, never mailed
	}
	usage, err := s.store.CreateLeadWithEvent(ctx, l, kind, []byte("{}"), now, meta.Quota)
	if err == nil && meta.Quota != nil && usage.Hits > meta.Quota.Max {
		return &Receipt{Usage: usage, OverQuota: true}, nil
	}
	if apperr.IsKind(err, apperr.Conflict) && meta.IdempotencyKey != "" {
		// Another request with this key won the race: answer with its lead.
		if r, rerr := s.replay(ctx, meta); r != nil || rerr != nil {
			return r, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	return &Receipt{Reference: l.Reference, Usage: usage}, nil
}

// idempotencyScope is the stored form of an Idempotency-Key: the key as sent
// by this submitter (client address and email address), hashed. A key is a
// client's own retry token, so another prospect who sends the same key,
// guessed or by accident, starts their own request instead of being refused
// or answered with someone else's reference.
func idempotencyScope(ip, email, key string) string {
	sum := sha256.Sum256([]byte(ip + "\n" + strings.ToLower(strings.TrimSpace(email)) + "\n" + key))
	return "s1:" + hex.EncodeToString(sum[:])
}

func (s *Service) replay(ctx context.Context, meta Meta) (*Receipt, error) {
	prev, err := s.store.FindLeadByIdempotencyKey(ctx, meta.IdempotencyKey)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if prev.RequestHash != meta.RequestHash {
		return nil, apperr.New(apperr.Conflict, "this Idempotency-Key was used for a different request")
	}
	return &Receipt{Reference: prev.Reference, Replayed: true}, nil
}

// validate checks every field and returns the lead to store.
func (s *Service) validate(ctx context.Context, in Submission) (*Lead, error) {
	var f apperr.Fields
	line(&f, "name", in.Name, true, 200)
	line(&f, "company", in.Company, false, 200)
	line(&f, "role", in.Role, false, 200)
	block(&f, "project_description", in.Project, true, 5000)
	email := strings.TrimSpace(in.Email)
	if msg := emailProblem(email); msg != "" {
		f.Add("email", "invalid", msg)
	}
	if !in.Consent {
		f.Add("consent", "required", "must be true: we may only contact you with your consent")
	}
	choice(&f, "request_volume", in.RequestVolume, RequestVolumes)
	choice(&f, "team_language", in.TeamLanguage, TeamLanguages)
	choice(&f, "timeline", in.Timeline, Timelines)
	choice(&f, "budget", in.Budget, Budgets)
	line(&f, "referrer", in.Referrer, false, 2000)
	for _, u := range [...]struct{ field, value string }{{"utm_source", in.UTM.Source}, {"utm_medium", in.UTM.Medium},
		{"utm_campaign", in.UTM.Campaign}, {"utm_term", in.UTM.Term}, {"utm_content", in.UTM.Content}} {
		line(&f, u.field, u.value, false, 200) // an array, not a map: nothing to allocate, problems in form order
	}
	l := &Lead{
		Name: strings.TrimSpace(in.Name), Email: email, Company: strings.TrimSpace(in.Company), Role: strings.TrimSpace(in.Role),
		Project: in.Project, RequestVolume: in.RequestVolume, TeamLanguage: in.TeamLanguage, Timeline: in.Timeline,
		Budget: in.Budget, Referrer: in.Referrer, UTM: in.UTM, Answers: []Answer{}, PreferredTechnologies: []string{},
	}
	if err := s.validateGuide(ctx, &f, in, l); err != nil {
		return nil, err
	}
	if len(in.PreferredTechnologies) > 10 {
		f.Add("preferred_technologies", "too_many", "at most 10")
	} else if len(in.PreferredTechnologies) > 0 {
		ids, err := s.catalog.TechnologyIDs(ctx, in.PreferredTechnologies)
		if err != nil {
			return nil, err
		}
		for i, slug := range in.PreferredTechnologies {
			if ids[slug] == "" {
				f.Add(fmt.Sprintf("preferred_technologies[%d]", i), "unknown", "no such technology")
			} else if !slices.Contains(l.PreferredTechnologies, slug) {
				l.PreferredTechnologies = append(l.PreferredTechnologies, slug)
			}
		}
	}
	return l, f.Err()
}

func (s *Service) validateGuide(ctx context.Context, f *apperr.Fields, in Submission, l *Lead) error {
	if in.Guide == "" {
		if len(in.Answers) > 0 {
			f.Add("answers", "no_guide", "answers need the guide they answer")
		}
		return nil
	}
	g, err := s.catalog.GuideForLead(ctx, in.Guide)
	if apperr.IsKind(err, apperr.NotFound) {
		f.Add("guide", "unknown", "no such published guide")
		return nil
	} else if err != nil {
		return err
	}
	l.GuideID, l.GuideSlug, l.GuideTitle = &g.ID, g.Slug, g.Title
	ids := make([]string, 0, len(in.Answers))
	for qid := range in.Answers {
		ids = append(ids, qid)
	}
	slices.Sort(ids) // stable order for storage and field errors
	chosen := map[string][]string{}
	for _, qid := range ids {
		q, ok := g.Questions[qid]
		vals := in.Answers[qid] // the field's name, "answers."+qid, is built on a problem only
		switch {
		case !ok:
			f.Add("answers."+qid, "unknown", "the guide has no such question")
		case q.Open && len(vals) != 1:
			f.Add("answers."+qid, "type", "is answered with one text")
		case q.Open:
			block(f, "answers."+qid, vals[0], true, 1000)
			l.Answers = append(l.Answers, Answer{QuestionID: qid, Question: q.Text, Answer: vals[0]})
		case len(vals) == 0 || (!q.Multi && len(vals) > 1):
			f.Add("answers."+qid, "one_choice", "choose one of this question's choices")
		default:
			labels, valid := make([]string, 0, len(vals)), true
			for _, v := range vals {
				label, ok := q.Choices[v]
				if !ok {
					f.Add("answers."+qid, "unknown_choice", fmt.Sprintf("%q is not a choice of this question", v))
					valid = false
				}
				labels = append(labels, label)
			}
			if valid {
				chosen[qid] = vals
				l.Answers = append(l.Answers, Answer{QuestionID: qid, Question: q.Text, Answer: strings.Join(labels, ", "), ChoiceIDs: vals})
			}
		}
	}
	if len(chosen) > 0 && len(*f) == 0 && g.Score != nil {
		// Computed now and stored: a later edit of the guide does not
		// change what the consultant sees.
		rec, err := g.Score(chosen)
		if err != nil {
			return err
		}
		l.Recommendation = rec
	}
	return nil
}

// line checks one-line text. Control characters, CR and LF above all, are
// refused: names and subjects end up in mail headers.
func line(f *apperr.Fields, field, s string, required bool, max int) {
	text(f, field, s, required, max, false)
}

func block(f *apperr.Fields, field, s string, required bool, max int) {
	text(f, field, s, required, max, true)
}

func text(f *apperr.Fields, field, s string, required bool, max int, multiline bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			f.Add(field, "required", "is required")
		}
	case !utf8.ValidString(s):
		f.Add(field, "invalid", "must be valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, "too_long", fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t'))) || r == 0x7f || r == 0x2028 || r == 0x2029
	}):
		f.Add(field, "control_characters", "must not contain control characters or line breaks")
	}
}

func choice(f *apperr.Fields, field, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		f.Add(field, "invalid", "must be one of: "+strings.Join(allowed, ", "))
	}
}

func emailProblem(email string) string {
	switch {
	case email == "":
		return "is required"
	case len(email) > 254:
		return "must be at most 254 characters"
	case strings.ContainsAny(email, "\r\n\t<>,;\" "):
		return "must be a plain email address like ada@example.com"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "must be a plain email address like ada@example.com"
	}
	return ""
}

// newReference returns a short public reference such as VRD-7K3M9QXA, in
// Crockford's base32 so it reads aloud without ambiguity.
func newReference() string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return "VRD-" + string(b)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
