package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/auth"
)

type apiTokenResponse struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Scope       auth.Scope `json:"scope"`
	Prefix      string     `json:"prefix"`
	CreatedByID *string    `json:"created_by_id"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
	RevokedAt   *time.Time `json:"revoked_at"`
	Token       string     `json:"token,omitempty"` // only in the create response
	// CreatorDisabled: the token stopped working because its creator was disabled.
	CreatorDisabled bool `json:"creator_disabled"`
}

func toAPITokenResponse(t *auth.APIToken) apiTokenResponse {
	return apiTokenResponse{
		ID: t.ID, Name: t.Name, Scope: t.Scope, Prefix: t.Prefix, CreatedByID: t.CreatedByID,
		CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt,
		CreatorDisabled: t.CreatorDisabled,
	}
}

type apiTokenCreateRequest struct {
	Name      string     `json:"name"`
	Scope     auth.Scope `json:"scope"`
	ExpiresAt *time.Time `json:"expires_at" openapi:"optional"`
}

func (a *API) handleAPITokenList(c *fiber.Ctx) error {
	if err := newQuery(c).err(); err != nil {
		return err
	}
	toks, err := a.auth.APITokens(c.UserContext())
	if err != nil {
		return err
	}
	resp := listResponse[apiTokenResponse]{Data: make([]apiTokenResponse, 0, len(toks))}
	for _, t := range toks {
		resp.Data = append(resp.Data, toAPITokenResponse(t))
	}
	return c.JSON(resp)
}

func (a *API) handleAPITokenCreate(c *fiber.Ctx) error {
	var req apiTokenCreateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, secret, err := a.auth.CreateAPIToken(c.UserContext(), auth.NewAPIToken{
		Name: req.Name, Scope: req.Scope, ExpiresAt: req.ExpiresAt, CreatedBy: currentUser(c).ID,
	})
	if err != nil {
		return err
	}
	a.record(c, "api_token.created", "api_token", t.ID, t.Name+" ("+string(t.Scope)+")")
	resp := toAPITokenResponse(t)
	resp.Token = secret
	c.Location("/api/v1/admin/api-tokens/" + t.ID)
	return c.Status(fiber.StatusCreated).JSON(resp)
}

func (a *API) handleAPITokenRevoke(c *fiber.Ctx) error {
	if err := a.auth.RevokeAPIToken(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	a.record(c, "api_token.revoked", "api_token", c.Params("id"), "")
	return c.SendStatus(fiber.StatusNoContent)
}
