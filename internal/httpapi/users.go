package httpapi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
)

type userResponse struct {
	ID                string     `json:"id"`
	Email             string     `json:"email"`
	Name              string     `json:"name"`
	Role              auth.Role  `json:"role"`
	Disabled          bool       `json:"disabled"`
	DisabledAt        *time.Time `json:"disabled_at"`
	LastLoginAt       *time.Time `json:"last_login_at"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	Version           int        `json:"version"`
	GeneratedPassword string     `json:"generated_password,omitempty"`
}

func toUserResponse(u *auth.User) userResponse {
	return userResponse{
		ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, Disabled: u.Disabled(),
		DisabledAt: u.DisabledAt, LastLoginAt: u.LastLoginAt, CreatedAt: u.CreatedAt,
		UpdatedAt: u.UpdatedAt, Version: u.Version,
	}
}

type userCreateRequest struct {
	Email    string    `json:"email"`
	Name     string    `json:"name" openapi:"optional"`
	Role     auth.Role `json:"role"`
	Password string    `json:"password" openapi:"optional"`
}

type userUpdateRequest struct {
	Name     string    `json:"name"`
	Role     auth.Role `json:"role"`
	Disabled bool      `json:"disabled"`
}

type passwordResetRequest struct {
	Password string `json:"password" openapi:"optional"`
}

func (a *API) handleUserList(c *fiber.Ctx) error {
	q := newQuery(c)
	f := auth.UserFilter{Query: q.str("q"), Disabled: q.boolean("disabled"), Limit: q.limit(), AfterID: q.cursor()}
	withTotal := q.boolean("include_total")
	if r := q.str("role"); r != "" {
		role := auth.Role(r)
		if !role.Valid() {
			q.fields.Add("role", "invalid", "must be admin, editor or consultant")
		}
		f.Role = &role
	}
	if err := q.err(); err != nil {
		return err
	}
	limit := f.Limit
	f.Limit++ // one more tells whether a next page exists
	users, err := a.auth.Users(c.UserContext(), f)
	if err != nil {
		return err
	}
	resp, _ := page(users, limit, func(u *auth.User) string { return u.ID }, toUserResponse, nil)
	if err := addTotal(withTotal, &resp, func() (int, error) { return a.auth.CountUsers(c.UserContext(), f) }); err != nil {
		return err
	}
	return c.JSON(resp)
}

func (a *API) handleUserCreate(c *fiber.Ctx) error {
	var req userCreateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, password, err := a.auth.CreateUser(c.UserContext(), auth.NewUser(req))
	if err != nil {
		return err
	}
	a.record(c, "user.created", "user", u.ID, "role "+string(u.Role))
	resp := toUserResponse(u)
	if req.Password == "" {
		resp.GeneratedPassword = password
	}
	c.Location("/api/v1/admin/users/" + u.ID)
	return c.Status(fiber.StatusCreated).JSON(resp)
}

func (a *API) handleUserGet(c *fiber.Ctx) error {
	u, err := a.auth.User(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.Itoa(u.Version)))
	return c.JSON(toUserResponse(u))
}

func (a *API) handleUserUpdate(c *fiber.Ctx) error {
	version, err := ifMatchVersion(c)
	if err != nil {
		return err
	}
	var req userUpdateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := a.auth.User(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID && (req.Disabled || req.Role != auth.RoleAdmin) {
		return apperr.New(apperr.Conflict, "you cannot disable or demote yourself; ask another admin")
	}
	role, disabled := u.Role, u.Disabled()
	u, err = a.auth.UpdateUser(c.UserContext(), u.ID, auth.UserUpdate(req), version)
	if err != nil {
		return err
	}
	a.record(c, "user.updated", "user", u.ID, fmt.Sprintf("role %s→%s, disabled %v→%v", role, u.Role, disabled, u.Disabled()))
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.Itoa(u.Version)))
	return c.JSON(toUserResponse(u))
}

func (a *API) handleUserResetPassword(c *fiber.Ctx) error {
	var req passwordResetRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	u, err := a.auth.User(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	password, err := a.auth.ResetPassword(c.UserContext(), u.ID, req.Password)
	if err != nil {
		return err
	}
	a.record(c, "user.password_reset", "user", u.ID, "")
	if req.Password != "" {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(generatedPasswordResponse{GeneratedPassword: password})
}

// ifMatchVersion reads the version a client last saw from If-Match. Updates
// without it are refused, so no client can overwrite blindly.
func ifMatchVersion(c *fiber.Ctx) (int, error) {
	h := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if h == "" {
		return 0, apperr.New(apperr.PreconditionRequired, `send If-Match: "<version>" with the version you last read`)
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.Atoi(strings.Trim(h, `"`))
	if err != nil || v < 1 || v > math.MaxInt32 { // versions are 32-bit columns
		return 0, apperr.Fields{{Field: "If-Match", Code: "invalid", Message: `must be a version like "3"`}}.Err()
	}
	return v, nil
}
