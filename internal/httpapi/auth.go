package httpapi

import (
	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

func toTokenResponse(t auth.Tokens) tokenResponse {
	return tokenResponse{
		AccessToken: t.AccessToken, RefreshToken: t.RefreshToken,
		TokenType: "Bearer", ExpiresIn: int(t.ExpiresIn.Seconds()),
	}
}

func (a *API) handleAuthLogin(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fe apperr.Fields
	if req.Email == "" {
		fe.Add("email", "required", "is required")
	}
	if req.Password == "" {
		fe.Add("password", "required", "is required")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	toks, err := a.auth.Login(c.UserContext(), req.Email, req.Password, rateKey(a.clientAddr(c)))
	if err != nil {
		return err
	}
	a.audit.Record(c.UserContext(), toks.UserID, "auth.login", "user", toks.UserID, "from "+a.clientIP(c))
	return c.JSON(toTokenResponse(toks))
}

func (a *API) decodeRefresh(c *fiber.Ctx) (string, error) {
	var req refreshRequest
	if err := decodeJSON(c, &req); err != nil {
		return "", err
	}
	if req.RefreshToken == "" {
		return "", apperr.Fields{{Field: "refresh_token", Code: "required", Message: "is required"}}.Err()
	}
	return req.RefreshToken, nil
}

func (a *API) handleAuthRefresh(c *fiber.Ctx) error {
	secret, err := a.decodeRefresh(c)
	if err != nil {
		return err
	}
	toks, err := a.auth.Refresh(c.UserContext(), secret)
	if err != nil {
		return err
	}
	return c.JSON(toTokenResponse(toks))
}

func (a *API) handleAuthLogout(c *fiber.Ctx) error {
	secret, err := a.decodeRefresh(c)
	if err != nil {
		return err
	}
	userID, err := a.auth.Logout(c.UserContext(), secret)
	if err != nil {
		return err
	}
	if userID != "" {
		a.audit.Record(c.UserContext(), userID, "auth.logout", "user", userID, "every session ended")
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type passwordChangeRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// handleAuthPasswordChange replaces the signed-in user's password, ends
// every other session and answers like a login, so the caller stays signed in.
func (a *API) handleAuthPasswordChange(c *fiber.Ctx) error {
	var req passwordChangeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u := currentUser(c)
	toks, err := a.auth.ChangePassword(c.UserContext(), u.ID, req.CurrentPassword, req.NewPassword)
	if err != nil {
		return err
	}
	a.record(c, "auth.password_changed", "user", u.ID, "every other session ended")
	return c.JSON(toTokenResponse(toks))
}

func (a *API) handleAuthMe(c *fiber.Ctx) error {
	return c.JSON(toUserResponse(currentUser(c)))
}
