package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/lead"
)

// consultationRequest is the public intake form.
type consultationRequest struct {
	Name                  string                     `json:"name"`
	Email                 string                     `json:"email"`
	Company               string                     `json:"company" openapi:"optional"`
	Role                  string                     `json:"role" openapi:"optional"`
	ProjectDescription    string                     `json:"project_description"`
	Guide                 string                     `json:"guide" openapi:"optional"`
	Answers               map[string]json.RawMessage `json:"answers" openapi:"optional"`
	PreferredTechnologies []string                   `json:"preferred_technologies" openapi:"optional"`
	RequestVolume         string                     `json:"request_volume" openapi:"optional"`
	TeamLanguage          string                     `json:"team_language" openapi:"optional"`
	Timeline              string                     `json:"timeline" openapi:"optional"`
	Budget                string                     `json:"budget" openapi:"optional"`
	Consent               bool                       `json:"consent"`
	Referrer              string                     `json:"referrer" openapi:"optional"`
	UTMSource             string                     `json:"utm_source" openapi:"optional"`
	UTMMedium             string                     `json:"utm_medium" openapi:"optional"`
	UTMCampaign           string                     `json:"utm_campaign" openapi:"optional"`
	UTMTerm               string                     `json:"utm_term" openapi:"optional"`
	UTMContent            string                     `json:"utm_content" openapi:"optional"`
	Website               string                     `json:"website" openapi:"optional"` // honeypot: hidden from people
	// Locale is the prospect's language (BCP 47), for their confirmation
	// email; without it the Accept-Language header decides.
	Locale string `json:"locale" openapi:"optional"`
}

func (r consultationRequest) submission(answers map[string][]string) lead.Submission {
	return lead.Submission{
		Name: r.Name, Email: r.Email, Company: r.Company, Role: r.Role, Project: r.ProjectDescription, Guide: r.Guide,
		Answers: answers, PreferredTechnologies: r.PreferredTechnologies, RequestVolume: r.RequestVolume,
		TeamLanguage: r.TeamLanguage, Timeline: r.Timeline, Budget: r.Budget, Consent: r.Consent, Referrer: r.Referrer,
		UTM:     lead.UTM{Source: r.UTMSource, Medium: r.UTMMedium, Campaign: r.UTMCampaign, Term: r.UTMTerm, Content: r.UTMContent},
		Website: r.Website,
	}
}

type consultationResponse struct {
	Reference string `json:"reference"`
	Status    string `json:"status"`
}

// handleConsultationSubmit stores a lead. The intake limit is counted in
// the lead's own transaction, one round trip for both; a request that
// stores nothing (bad input, a replay) has it counted on its own, and a
// client past the limit is told so first, as if it were counted up front.
func (a *API) handleConsultationSubmit(c *fiber.Ctx) error {
	r, err := a.submitConsultation(c)
	var counted *lead.Usage
	if r != nil {
		counted = r.Usage
	}
	if counted == nil && !isFault(err) {
		if lerr := a.intakeLimit(c); lerr != nil {
			return lerr
		}
	} else if counted != nil {
		if lerr := a.rateLimited(c, counted.Hits, counted.Reset); lerr != nil {
			return lerr
		}
	}
	if err != nil {
		return err
	}
	if r.Replayed {
		c.Set("Idempotent-Replayed", "true")
	} else if a.onLead != nil {
		a.onLead()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(consultationResponse{Reference: r.Reference, Status: "received"})
}

// isFault reports whether err is the server's or the database's trouble,
// not the client's: counting the client's limit then would only fail too.
func isFault(err error) bool {
	if err == nil {
		return false
	}
	e, ok := apperr.As(err)
	return !ok || e.Kind == apperr.Unavailable
}

func (a *API) submitConsultation(c *fiber.Ctx) (*lead.Receipt, error) {
	key := c.Get("Idempotency-Key")
	if len(key) > 200 || !printable(key) {
		return nil, apperr.Fields{{Field: "Idempotency-Key", Code: "invalid", Message: "must be at most 200 printable ASCII characters"}}.Err()
	}
	req, answers, err := consultationForm(c)
	if err != nil {
		return nil, err
	}
	loc, err := a.prospectLocale(c, req.Locale)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(c.Body())
	meta := lead.Meta{Locale: loc, IP: a.clientIP(c), UserAgent: strings.ToValidUTF8(c.Get(fiber.HeaderUserAgent), "\uFFFD"),
		IdempotencyKey: key, RequestHash: hex.EncodeToString(sum[:])}
	if a.opts.IntakeLimit > 0 && a.throttle != nil {
		meta.Quota = &lead.Quota{Key: a.intakeKey(c), Max: a.opts.IntakeLimit, Window: a.opts.IntakeWindow}
	}
	return a.leads.Submit(c.UserContext(), req.submission(answers), meta)
}

// consultationForm decodes the form and its answers: a plain valid form in
// one pass (decodeConsultation), any other body the general way, which
// words every problem.
func consultationForm(c *fiber.Ctx) (consultationRequest, map[string][]string, error) {
	if isJSON(c.Get(fiber.HeaderContentType)) {
		if req, answers, ok := decodeConsultation(c.Body()); ok {
			return req, answers, nil
		}
	}
	var req consultationRequest
	if err := decodeJSON(c, &req); err != nil {
		return req, nil, err
	}
	answers, err := decodeAnswers(req.Answers)
	return req, answers, err
}

// intakeKey is the key the intake limit counts a client under.
func (a *API) intakeKey(c *fiber.Ctx) string { return "intake:ip:" + rateKey(a.clientAddr(c)) }

// intakeLimit counts submissions per client IP in a window shared by every
// instance, and answers 429 past the limit, with the IETF RateLimit headers.
func (a *API) intakeLimit(c *fiber.Ctx) error {
	if a.opts.IntakeLimit <= 0 || a.throttle == nil {
		return nil
	}
	hits, reset, err := a.throttle.Hit(c.UserContext(), a.intakeKey(c), a.opts.IntakeWindow)
	if err != nil {
		return err
	}
	return a.rateLimited(c, hits, reset)
}

// rateLimited sets the RateLimit headers for a count of hits in a window
// ending at reset, and is the 429 past the limit.
func (a *API) rateLimited(c *fiber.Ctx, hits int, reset time.Time) error {
	limit := a.opts.IntakeLimit
	secs := max(int(time.Until(reset).Seconds()+0.999), 1)
	c.Set("RateLimit-Limit", strconv.Itoa(limit))
	c.Set("RateLimit-Remaining", strconv.Itoa(max(limit-hits, 0)))
	c.Set("RateLimit-Reset", strconv.Itoa(secs))
	if hits > limit {
		e := apperr.New(apperr.RateLimited, "too many requests from your address; try again later")
		e.RetryAfter = time.Duration(secs) * time.Second
		return e
	}
	return nil
}

// prospectLocale is the configured locale closest to the one the form
// names, else the Accept-Language header's best match.
func (a *API) prospectLocale(c *fiber.Ctx, asked string) (string, error) {
	set := a.guides.Locales()
	if asked == "" {
		return set.Negotiate(c.Get(fiber.HeaderAcceptLanguage)), nil
	}
	loc, ok := set.Resolve(asked)
	if !ok {
		return "", apperr.Fields{{Field: "locale", Code: "invalid", Message: "must be a BCP 47 language tag such as de or pt-BR"}}.Err()
	}
	return loc, nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
