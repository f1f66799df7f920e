package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/internal/guide"
)

// operation declares one route, once: the router (routes.go) registers its
// handler behind the guard its auth names, and /api/openapi.json documents
// it. Request and response schemas come from the Go types the handler
// decodes and encodes.
type operation struct {
	method, path string // path as Fiber routes it: /api/v1/guides/:slug
	handle       func(*API, *fiber.Ctx) error
	summary, tag string
	auth         string // "", "user", "editor", "consultant", "admin", "metrics", "optional"
	request      any
	status       int // success status
	response     any // nil: no body
	contentType  string
	query        []string
	optional     bool // registered only when configured
	description  string
}

type (
	statusResponse struct {
		Status string `json:"status"`
	}
	generatedPasswordResponse struct {
		GeneratedPassword string `json:"generated_password"`
	}
)

var listQuery = []string{"limit", "cursor"}

// searchDoc says what a search (?q=) lists, and so what its total counts.
const searchDoc = "With `q`, the guides whose text has every word of `q` (stemmed, any case), best match first " +
	"(a word in the title weighs most, then the summary, then the body) unless `sort` is given. A search lists at most " +
	"the 200 most recently published matches: a query matching more guides lists those 200, and `total` " +
	"(with `include_total=true`) counts what the pages list, so it is at most 200."

// operations lists every API route, in the order the router registers them
// (a literal segment before a parameter: /leads/export.csv before /leads/:id).
// TestOpenAPICoversEveryRoute holds it to the router in both directions and
// TestRouteRolesMatchGuards the documented roles to the guards.
var operations = []operation{
	{method: "GET", path: "/healthz", handle: (*API).handleHealth, summary: "The process is alive", tag: "operations", status: 200, response: statusResponse{}},
	{method: "GET", path: "/readyz", handle: (*API).handleReady, summary: "The database answers (503 when not)", tag: "operations", status: 200, response: statusResponse{}},
	{method: "GET", path: "/metrics", summary: "Prometheus metrics", tag: "operations", auth: "metrics", status: 200, contentType: "text/plain", optional: true},
	{method: "GET", path: "/api/openapi.json", handle: (*API).handleOpenAPI, summary: "This description", tag: "operations", status: 200, response: map[string]any{}},
	{method: "GET", path: "/api/docs", handle: (*API).handleDocs, summary: "Interactive API documentation", tag: "operations", status: 200, contentType: "text/html"},

	{method: "GET", path: "/api/v1/guides", handle: (*API).handlePublicGuideList, summary: "List published guides", tag: "public", auth: "optional", status: 200, response: listResponse[guideSummary]{},
		query: []string{"category", "technology", "q", "sort", "include_total", "limit", "cursor", "locale"}, description: searchDoc},
	{method: "GET", path: "/api/v1/guides/:slug", handle: (*API).handlePublicGuideGet, summary: "A published guide (drafts with ?preview=true and a preview token)", tag: "public", auth: "optional", status: 200, response: publicGuide{}, query: []string{"preview", "locale"}},
	{method: "POST", path: "/api/v1/guides/:slug/recommendation", handle: (*API).handleGuideRecommendation, summary: "Score checklist answers", tag: "public", request: recommendationRequest{}, status: 200, response: recommendationResponse{}},
	{method: "GET", path: "/api/v1/categories", handle: (*API).handlePublicCategoryList, summary: "List categories", tag: "public", status: 200, response: listResponse[categoryResponse]{}, query: []string{"limit", "cursor", "locale"}},
	{method: "GET", path: "/api/v1/technologies", handle: (*API).handlePublicTechnologyList, summary: "List technologies", tag: "public", status: 200, response: listResponse[technologyResponse]{}, query: []string{"limit", "cursor", "locale"}},
	{method: "GET", path: "/api/v1/technologies/:slug", handle: (*API).handlePublicTechnologyGet, summary: "A technology and the published guides that compare it", tag: "public", status: 200, response: technologyWithGuides{}, query: []string{"locale"}},
	{method: "POST", path: "/api/v1/consultations", handle: (*API).handleConsultationSubmit, summary: "Ask for a consultation (Idempotency-Key honoured)", tag: "public", request: consultationRequest{}, status: 201, response: consultationResponse{}},

	{method: "POST", path: "/api/v1/auth/login", handle: (*API).handleAuthLogin, summary: "Sign in", tag: "auth", request: loginRequest{}, status: 200, response: tokenResponse{}},
	{method: "POST", path: "/api/v1/auth/refresh", handle: (*API).handleAuthRefresh, summary: "Exchange a refresh token (rotated on use)", tag: "auth", request: refreshRequest{}, status: 200, response: tokenResponse{}},
	{method: "POST", path: "/api/v1/auth/logout", handle: (*API).handleAuthLogout, summary: "Sign out: revokes every refresh token of its user and refuses their earlier access tokens", tag: "auth", request: refreshRequest{}, status: 204},
	{method: "GET", path: "/api/v1/auth/me", handle: (*API).handleAuthMe, summary: "The signed-in user", tag: "auth", auth: "user", status: 200, response: userResponse{}},
	{method: "POST", path: "/api/v1/auth/password", handle: (*API).handleAuthPasswordChange, summary: "Change your password; signs out every other session and returns a fresh token pair", tag: "auth", auth: "user", request: passwordChangeRequest{}, status: 200, response: tokenResponse{}},

	{method: "GET", path: "/api/v1/admin/users", handle: (*API).handleUserList, summary: "List users", tag: "users", auth: "admin", status: 200, response: listResponse[userResponse]{}, query: []string{"role", "disabled", "q", "include_total", "limit", "cursor"}},
	{method: "POST", path: "/api/v1/admin/users", handle: (*API).handleUserCreate, summary: "Create a user (a password is generated when none is given)", tag: "users", auth: "admin", request: userCreateRequest{}, status: 201, response: userResponse{}},
	{method: "GET", path: "/api/v1/admin/users/:id", handle: (*API).handleUserGet, summary: "A user", tag: "users", auth: "admin", status: 200, response: userResponse{}},
	{method: "PUT", path: "/api/v1/admin/users/:id", handle: (*API).handleUserUpdate, summary: "Change a user's name, role or disabled state (If-Match)", tag: "users", auth: "admin", request: userUpdateRequest{}, status: 200, response: userResponse{}},
	{method: "POST", path: "/api/v1/admin/users/:id/password", handle: (*API).handleUserResetPassword, summary: "Reset a password (204 when one is given)", tag: "users", auth: "admin", request: passwordResetRequest{}, status: 200, response: generatedPasswordResponse{}},
	{method: "GET", path: "/api/v1/admin/consultants/:id", handle: (*API).handleConsultantGet, summary: "A consultant's routing profile", tag: "users", auth: "admin", status: 200, response: consultantDoc{}},
	{method: "PUT", path: "/api/v1/admin/consultants/:id", handle: (*API).handleConsultantPut, summary: "Set a consultant's expertise and activity", tag: "users", auth: "admin", request: consultantRequest{}, status: 200, response: consultantDoc{}},
	{method: "GET", path: "/api/v1/admin/api-tokens", handle: (*API).handleAPITokenList, summary: "List API tokens", tag: "users", auth: "admin", status: 200, response: listResponse[apiTokenResponse]{}},
	{method: "POST", path: "/api/v1/admin/api-tokens", handle: (*API).handleAPITokenCreate, summary: "Create an API token (its secret is shown once)", tag: "users", auth: "admin", request: apiTokenCreateRequest{}, status: 201, response: apiTokenResponse{}},
	{method: "DELETE", path: "/api/v1/admin/api-tokens/:id", handle: (*API).handleAPITokenRevoke, summary: "Revoke an API token", tag: "users", auth: "admin", status: 204},
	{method: "GET", path: "/api/v1/admin/audit", handle: (*API).handleAuditList, summary: "The audit log, newest first", tag: "operations", auth: "admin", status: 200, response: listResponse[auditResponse]{}, query: []string{"action", "actor", "subject", "limit", "cursor"}},

	{method: "GET", path: "/api/v1/admin/categories", handle: (*API).handleCategoryList, summary: "List categories", tag: "content", auth: "editor", status: 200, response: listResponse[categoryResponse]{}, query: listQuery},
	{method: "POST", path: "/api/v1/admin/categories", handle: (*API).handleCategoryCreate, summary: "Create a category", tag: "content", auth: "editor", request: CategoryRequest{}, status: 201, response: categoryResponse{}},
	{method: "GET", path: "/api/v1/admin/categories/:id", handle: (*API).handleCategoryGet, summary: "A category", tag: "content", auth: "editor", status: 200, response: categoryResponse{}},
	{method: "PUT", path: "/api/v1/admin/categories/:id", handle: (*API).handleCategoryUpdate, summary: "Update a category (If-Match)", tag: "content", auth: "editor", request: CategoryRequest{}, status: 200, response: categoryResponse{}},
	{method: "DELETE", path: "/api/v1/admin/categories/:id", handle: (*API).handleCategoryDelete, summary: "Delete an unused category", tag: "content", auth: "editor", status: 204},
	{method: "GET", path: "/api/v1/admin/technologies", handle: (*API).handleTechnologyList, summary: "List technologies", tag: "content", auth: "editor", status: 200, response: listResponse[technologyResponse]{}, query: listQuery},
	{method: "POST", path: "/api/v1/admin/technologies", handle: (*API).handleTechnologyCreate, summary: "Create a technology", tag: "content", auth: "editor", request: TechnologyRequest{}, status: 201, response: technologyResponse{}},
	{method: "GET", path: "/api/v1/admin/technologies/:id", handle: (*API).handleTechnologyGet, summary: "A technology", tag: "content", auth: "editor", status: 200, response: technologyResponse{}},
	{method: "PUT", path: "/api/v1/admin/technologies/:id", handle: (*API).handleTechnologyUpdate, summary: "Update a technology (If-Match)", tag: "content", auth: "editor", request: TechnologyRequest{}, status: 200, response: technologyResponse{}},
	{method: "DELETE", path: "/api/v1/admin/technologies/:id", handle: (*API).handleTechnologyDelete, summary: "Delete an unused technology", tag: "content", auth: "editor", status: 204},
	{method: "GET", path: "/api/v1/admin/guides", handle: (*API).handleGuideList, summary: "List guides", tag: "content", auth: "editor", status: 200, response: listResponse[guideListItem]{},
		query: []string{"status", "category", "technology", "q", "include_total", "limit", "cursor"}},
	{method: "POST", path: "/api/v1/admin/guides", handle: (*API).handleGuideCreate, summary: "Create a draft guide", tag: "content", auth: "editor", request: GuideDocument{}, status: 201, response: guideAdminResponse{}},
	{method: "GET", path: "/api/v1/admin/guides/:id", handle: (*API).handleGuideGet, summary: "A guide and its draft", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "PUT", path: "/api/v1/admin/guides/:id", handle: (*API).handleGuideUpdate, summary: "Save the draft (If-Match; 409 with the current version)", tag: "content", auth: "editor", request: GuideDocument{}, status: 200, response: guideAdminResponse{}},
	{method: "DELETE", path: "/api/v1/admin/guides/:id", handle: (*API).handleGuideDelete, summary: "Delete a guide no other guide links to", tag: "content", auth: "editor", status: 204},
	{method: "GET", path: "/api/v1/admin/guides/:id/preview", handle: (*API).handleGuidePreview, summary: "The draft rendered as the public API would (?locale=: a translation's draft over it)", tag: "content", auth: "editor", status: 200, response: publicGuide{}, query: []string{"locale"}},
	{method: "POST", path: "/api/v1/admin/guides/:id/publish", handle: guideAction("published", guidePublish), summary: "Publish the draft (If-Match)", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/unpublish", handle: guideAction("unpublished", guideUnpublish), summary: "Take the guide off the public API (If-Match)", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/schedule", handle: guideAction("scheduled", guideSchedule), summary: "Publish the draft at a time (If-Match)", tag: "content", auth: "editor", request: scheduleRequest{}, status: 200, response: guideAdminResponse{}},
	{method: "DELETE", path: "/api/v1/admin/guides/:id/schedule", handle: guideAction("unscheduled", guideUnschedule), summary: "Cancel a scheduled publish (If-Match): back to published or draft", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/archive", handle: guideAction("archived", guideArchive), summary: "Archive the guide (If-Match)", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "GET", path: "/api/v1/admin/guides/:id/revisions", handle: (*API).handleGuideRevisions, summary: "A guide's revisions, newest first", tag: "content", auth: "editor", status: 200, response: listResponse[revisionResponse]{}},
	{method: "GET", path: "/api/v1/admin/guides/:id/revisions/:number", handle: (*API).handleGuideRevisionGet, summary: "One revision", tag: "content", auth: "editor", status: 200, response: revisionResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/revisions/:number/restore", handle: (*API).handleGuideRevisionRestore, summary: "Restore a revision as a new draft (If-Match)", tag: "content", auth: "editor", status: 200, response: guideAdminResponse{}},
	{method: "GET", path: "/api/v1/admin/guides/:id/translations", handle: (*API).handleTranslationList, summary: "The guide's translations, one per configured locale (exists, status, out of date)", tag: "content", auth: "editor", status: 200, response: listResponse[translationResponse]{}},
	{method: "GET", path: "/api/v1/admin/guides/:id/translations/:locale", handle: (*API).handleTranslationGet, summary: "A translation beside its source's current texts (exists: false and the source alone when there is none yet)", tag: "content", auth: "editor", status: 200, response: translationResponse{}},
	{method: "PUT", path: "/api/v1/admin/guides/:id/translations/:locale", handle: (*API).handleTranslationPut, summary: "Save a translation's draft (If-Match; without it, create: 201)", tag: "content", auth: "editor", request: translationTexts{}, status: 200, response: translationResponse{}},
	{method: "DELETE", path: "/api/v1/admin/guides/:id/translations/:locale", handle: (*API).handleTranslationDelete, summary: "Delete a translation", tag: "content", auth: "editor", status: 204},
	{method: "POST", path: "/api/v1/admin/guides/:id/translations/:locale/publish", handle: translationAction("published", translationPublish), summary: "Publish a translation in its locale only (If-Match)", tag: "content", auth: "editor", status: 200, response: translationResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/translations/:locale/unpublish", handle: translationAction("unpublished", translationUnpublish), summary: "Take a translation off the public API (If-Match)", tag: "content", auth: "editor", status: 200, response: translationResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/translations/:locale/schedule", handle: translationAction("scheduled", translationSchedule), summary: "Publish a translation later (If-Match)", tag: "content", auth: "editor", request: scheduleRequest{}, status: 200, response: translationResponse{}},
	{method: "POST", path: "/api/v1/admin/guides/:id/translations/:locale/review", handle: translationAction("reviewed", translationReview), summary: "Mark a translation up to date with its source (If-Match)", tag: "content", auth: "editor", status: 200, response: translationResponse{}},
	{method: "GET", path: "/api/v1/admin/guides/:id/translations/:locale/revisions", handle: (*API).handleTranslationRevisions, summary: "A translation's revisions, newest first", tag: "content", auth: "editor", status: 200, response: listResponse[revisionResponse]{}},
	{method: "GET", path: "/api/v1/admin/categories/:id/translations", handle: nameTranslationList(guide.NameCategory), summary: "A category's translated names", tag: "content", auth: "editor", status: 200, response: listResponse[nameTranslation]{}},
	{method: "PUT", path: "/api/v1/admin/categories/:id/translations/:locale", handle: nameTranslationPut(guide.NameCategory), summary: "Set a category's name in a locale", tag: "content", auth: "editor", request: nameTranslationRequest{}, status: 200, response: nameTranslation{}},
	{method: "DELETE", path: "/api/v1/admin/categories/:id/translations/:locale", handle: nameTranslationDelete(guide.NameCategory), summary: "Remove a category's name in a locale", tag: "content", auth: "editor", status: 204},
	{method: "GET", path: "/api/v1/admin/technologies/:id/translations", handle: nameTranslationList(guide.NameTechnology), summary: "A technology's translated names", tag: "content", auth: "editor", status: 200, response: listResponse[nameTranslation]{}},
	{method: "PUT", path: "/api/v1/admin/technologies/:id/translations/:locale", handle: nameTranslationPut(guide.NameTechnology), summary: "Set a technology's name in a locale", tag: "content", auth: "editor", request: nameTranslationRequest{}, status: 200, response: nameTranslation{}},
	{method: "DELETE", path: "/api/v1/admin/technologies/:id/translations/:locale", handle: nameTranslationDelete(guide.NameTechnology), summary: "Remove a technology's name in a locale", tag: "content", auth: "editor", status: 204},
	{method: "POST", path: "/api/v1/admin/guides/preview", handle: (*API).handleGuideDraftPreview, summary: "The hosted page of an unsaved guide document, as HTML (never cached)", tag: "content", auth: "editor", request: GuideDocument{}, status: 200, contentType: "text/html"},
	{method: "GET", path: "/g/", handle: (*API).handleSiteIndex, summary: "Hosted index of published guides by category", tag: "site", status: 200, contentType: "text/html"},
	{method: "GET", path: "/g/:slug", handle: (*API).handleSiteGuide, summary: "Hosted page of a published guide", tag: "site", status: 200, contentType: "text/html"},
	{method: "GET", path: "/sitemap.xml", handle: (*API).handleSitemap, summary: "Sitemap of published guides (an index of numbered files past 50,000)", tag: "site", status: 200, contentType: "application/xml"},
	{method: "GET", path: "/sitemap-:page.xml", handle: (*API).handleSitemapPage, summary: "One numbered file of the sitemap index", tag: "site", status: 200, contentType: "application/xml"},
	{method: "GET", path: "/robots.txt", handle: (*API).handleRobots, summary: "Crawler rules naming the sitemap", tag: "site", status: 200, contentType: "text/plain"},
	{method: "GET", path: "/feed.xml", handle: (*API).handleFeed, summary: "Atom feed of the newest guides", tag: "site", status: 200, contentType: "application/atom+xml"},
	{method: "GET", path: "/embed/v1/verdict.js", handle: (*API).handleEmbedScript, summary: "The embeddable decision widget (<verdict-decision>, <verdict-consult>); gzip and br", tag: "site", status: 200, contentType: "text/javascript"},
	{method: "GET", path: "/og/:slug.png", handle: (*API).handleOGImage, summary: "A guide's 1200x630 Open Graph image, redrawn on publish", tag: "site", status: 200, contentType: "image/png"},
	{method: "GET", path: "/g/assets/:file", handle: (*API).handleSiteStyle, summary: "The hosted pages' stylesheet (content-hashed, immutable)", tag: "site", status: 200, contentType: "text/css"},
	{method: "GET", path: "/media/:name", handle: (*API).handleMediaGet, summary: "An uploaded image, cacheable forever", tag: "content", status: 200, contentType: "image/*"},
	{method: "GET", path: "/api/v1/admin/media", handle: (*API).handleMediaList, summary: "Uploaded images, newest first; q searches original names", tag: "content", auth: "editor", status: 200, response: listResponse[mediaResponse]{}, query: []string{"q", "limit", "cursor"}},
	{method: "POST", path: "/api/v1/admin/media", handle: (*API).handleMediaUpload, summary: "Upload an image (multipart field \"file\"; PNG, JPEG, GIF, WebP)", tag: "content", auth: "editor", status: 201, response: mediaResponse{}},
	{method: "GET", path: "/api/v1/admin/presentation", handle: (*API).handlePresentationGet, summary: "Presentation defaults: the checklist intro, the recommendation verb, the default call to action", tag: "content", auth: "editor", status: 200, response: presentationResponse{}},
	{method: "GET", path: "/api/v1/admin/media/:id/uses", handle: (*API).handleMediaUses, summary: "Where an image is shown: guides' current draft or published text, technology logos", tag: "content", auth: "editor", status: 200, response: listResponse[mediaUseResponse]{}},
	{method: "DELETE", path: "/api/v1/admin/media/:id", handle: (*API).handleMediaDelete, summary: "Delete an image nothing shows (409 with used_by otherwise)", tag: "content", auth: "editor", status: 204},
	{method: "GET", path: "/api/v1/admin/export", handle: (*API).handleExport, summary: "Export content as a file", tag: "content", auth: "editor", status: 200, response: ContentFile{}, query: []string{"status"}},
	{method: "POST", path: "/api/v1/admin/import", handle: (*API).handleImport, summary: "Import a content file, all or nothing", tag: "content", auth: "admin", request: ContentFile{}, status: 200, response: ImportReport{}, query: []string{"dry_run"}},

	{method: "GET", path: "/api/v1/admin/leads", handle: (*API).handleLeadList, summary: "List leads (consultants: their own)", tag: "leads", auth: "consultant", status: 200, response: listResponse[leadResponse]{},
		query: []string{"status", "owner", "guide", "from", "to", "q", "include_total", "limit", "cursor"}},
	{method: "GET", path: "/api/v1/admin/leads/export.csv", handle: (*API).handleLeadExport, summary: "Export leads as CSV (streamed)", tag: "leads", auth: "consultant", status: 200, contentType: "text/csv",
		query: []string{"status", "owner", "guide", "from", "to", "q", "limit", "cursor"}},
	{method: "GET", path: "/api/v1/admin/leads/:id", handle: (*API).handleLeadGet, summary: "A lead with its notes", tag: "leads", auth: "consultant", status: 200, response: leadResponse{}},
	{method: "POST", path: "/api/v1/admin/leads/:id/status", handle: (*API).handleLeadStatus, summary: "Move a lead along the funnel", tag: "leads", auth: "consultant", request: leadStatusRequest{}, status: 200, response: leadResponse{}},
	{method: "POST", path: "/api/v1/admin/leads/:id/assign", handle: (*API).handleLeadAssign, summary: "Give a lead to another consultant", tag: "leads", auth: "consultant", request: leadAssignRequest{}, status: 200, response: leadResponse{}},
	{method: "POST", path: "/api/v1/admin/leads/:id/notes", handle: (*API).handleLeadNote, summary: "Add a note", tag: "leads", auth: "consultant", request: noteRequest{}, status: 201, response: noteDoc{}},
	{method: "DELETE", path: "/api/v1/admin/leads/:id", handle: (*API).handleLeadErase, summary: "Erase a lead's personal data", tag: "leads", auth: "admin", status: 204},
	{method: "GET", path: "/api/v1/admin/analytics", handle: (*API).handleAnalytics, summary: "Lead analytics computed by the database", tag: "leads", auth: "consultant", status: 200, response: analyticsResponse{}, query: []string{"guide", "from", "to"}},
	{method: "POST", path: "/api/v1/events", handle: (*API).handleEventsPost, summary: "Count funnel events (1 to 20; JSON or text/plain for sendBeacon; bots dropped; rate limited per address)", tag: "analytics", request: eventsRequest{}, status: 202},
	{method: "GET", path: "/api/v1/events/pixel.gif", handle: (*API).handleEventsPixel, summary: "Count one funnel event from an image (pages without script)", tag: "analytics", status: 200, contentType: "image/gif",
		query: []string{"type", "guide", "locale", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}},
	{method: "GET", path: "/api/v1/admin/analytics/funnel", handle: (*API).handleFunnelReport, summary: "Funnel per guide: views to leads, conversion per step, sources, daily series (editors: no leads; consultants: their own)", tag: "analytics", auth: "user", status: 200, response: funnelResponse{}, query: []string{"from", "to", "guide", "locale"}},
	{method: "GET", path: "/api/v1/admin/outbox", handle: (*API).handleOutboxList, summary: "Outgoing messages and their state", tag: "operations", auth: "admin", status: 200, response: listResponse[outboxResponse]{}, query: []string{"status", "include_total", "limit", "cursor"}},
	{method: "POST", path: "/api/v1/admin/outbox/:id/retry", handle: (*API).handleOutboxRetry, summary: "Queue a failed message again", tag: "operations", auth: "admin", status: 202},
	{method: "GET", path: "/api/v1/admin/webhooks", handle: (*API).handleWebhookList, summary: "List webhooks", tag: "webhooks", auth: "admin", status: 200, response: listResponse[webhookResponse]{}},
	{method: "POST", path: "/api/v1/admin/webhooks", handle: (*API).handleWebhookCreate, summary: "Register a webhook (its secret is shown once)", tag: "webhooks", auth: "admin", request: webhookRequest{}, status: 201, response: webhookResponse{}},
	{method: "GET", path: "/api/v1/admin/webhooks/:id", handle: (*API).handleWebhookGet, summary: "A webhook", tag: "webhooks", auth: "admin", status: 200, response: webhookResponse{}},
	{method: "PUT", path: "/api/v1/admin/webhooks/:id", handle: (*API).handleWebhookUpdate, summary: "Update a webhook (If-Match)", tag: "webhooks", auth: "admin", request: webhookRequest{}, status: 200, response: webhookResponse{}},
	{method: "DELETE", path: "/api/v1/admin/webhooks/:id", handle: (*API).handleWebhookDelete, summary: "Delete a webhook", tag: "webhooks", auth: "admin", status: 204},
	{method: "GET", path: "/api/v1/admin/webhooks/:id/deliveries", handle: (*API).handleWebhookDeliveries, summary: "A webhook's delivery log, newest first", tag: "webhooks", auth: "admin", status: 200, response: listResponse[deliveryResponse]{}, query: listQuery},
	{method: "POST", path: "/api/v1/admin/webhooks/:id/deliveries/:delivery/redeliver", handle: (*API).handleWebhookRedeliver, summary: "Deliver an event again", tag: "webhooks", auth: "admin", status: 202},
}

var fiberParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPIDocument builds the OpenAPI 3.1 description.
func openAPIDocument() map[string]any {
	s := &schemas{components: map[string]any{}, names: map[reflect.Type]string{}, taken: map[string]reflect.Type{}, outputs: map[reflect.Type]bool{}}
	for _, op := range operations {
		if op.response != nil {
			structsIn(reflect.TypeOf(op.response), s.outputs)
		}
	}
	problemSchema := s.of(problem{})
	if c, ok := s.components["Problem"].(map[string]any); ok {
		c["additionalProperties"] = true // kind-specific members: current_version, linked_from
	}
	paths := map[string]any{}
	for _, op := range operations {
		path := fiberParam.ReplaceAllString(op.path, "{$1}")
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		o := map[string]any{"summary": op.summary, "tags": []string{op.tag},
			"operationId": operationID(op), "responses": responses(s, op, problemSchema)}
		var params []any
		for _, m := range fiberParam.FindAllStringSubmatch(op.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		for _, q := range op.query {
			params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
		}
		if op.description != "" {
			o["description"] = op.description
		}
		if len(params) > 0 {
			o["parameters"] = params
		}
		if op.request != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": s.ofInput(op.request)}}}
		}
		switch op.auth {
		case "":
		case "optional":
			o["security"] = []any{map[string]any{}, map[string]any{"bearer": []any{}}}
		case "metrics":
			o["security"] = []any{map[string]any{"metricsToken": []any{}}}
		default:
			o["security"] = []any{map[string]any{"bearer": []any{}}}
			o["x-roles"] = roles(op.auth)
		}
		item[strings.ToLower(op.method)] = o
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Verdict API", "version": "1",
			"description": "Technology decision guides and consultation intake. Errors are RFC 9457 problem documents; lists are cursor-paginated."},
		"paths": paths,
		"components": map[string]any{
			"schemas": s.components,
			"securitySchemes": map[string]any{
				"bearer":       map[string]any{"type": "http", "scheme": "bearer", "description": "A user's access token (JWT) or an API token (vdt_…)."},
				"metricsToken": map[string]any{"type": "http", "scheme": "bearer"},
			},
		},
	}
}

func responses(s *schemas, op operation, problemSchema map[string]any) map[string]any {
	ok := map[string]any{"description": http.StatusText(op.status)}
	switch {
	case op.response != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": s.of(op.response)}}
	case op.contentType != "":
		ok["content"] = map[string]any{op.contentType: map[string]any{"schema": map[string]any{"type": "string"}}}
	}
	return map[string]any{
		itoaStatus(op.status): ok,
		"default":             map[string]any{"description": "A problem document", "content": map[string]any{"application/problem+json": map[string]any{"schema": problemSchema}}},
	}
}

// roles are the x-roles of a route whose auth is a: the roles its guard
// admits (every role for "user").
func roles(a string) []string {
	rs := allowedRoles(a)
	if rs == nil {
		rs = auth.Roles
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func operationID(op operation) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(op.method))
	for _, part := range strings.FieldsFunc(op.path, func(r rune) bool { return r == '/' || r == '.' || r == '-' || r == ':' || r == '_' }) {
		if part == "api" || part == "v1" {
			continue
		}
		b.WriteString(upperFirst(part))
	}
	return b.String()
}

func itoaStatus(code int) string { return strconv.Itoa(code) }

// handleOpenAPI serves the description, built once.
func (a *API) handleOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(a.openapi)
}

func mustOpenAPI() []byte {
	b, err := json.Marshal(openAPIDocument())
	if err != nil {
		panic(err) // built from static types: fails in every test, never only in production
	}
	return b
}

// OpenAPIJSON is the OpenAPI description, for tools that generate clients.
func OpenAPIJSON() []byte { return mustOpenAPI() }
