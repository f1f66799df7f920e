package auth

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Token prefixes tell the kinds apart and let secret scanners find leaks.
const (
	APITokenPrefix     = "vdt_"
	refreshTokenPrefix = "vdr_"
)

const maxNameLen = 200

// NewUser is the input for CreateUser. An empty Password means "generate one".
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Password string
}

// CreateUser adds a user. It returns the user and the password in force,
// which is the generated one when none was given: show it once.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (*User, string, error) {
	var fe apperr.Fields
	email := NormalizeEmail(in.Email)
	if msg := emailProblem(email); msg != "" {
		fe.Add("email", "invalid", msg)
	}
	if !in.Role.Valid() {
		fe.Add("role", "invalid", "must be admin, editor or consultant")
	}
	validateName(&fe, in.Name)
	generated := in.Password == ""
	if generated {
		in.Password = GeneratePassword()
	} else if msg := passwordProblem(in.Password); msg != "" {
		fe.Add("password", "invalid", msg)
	}
	if err := fe.Err(); err != nil {
		return nil, "", err
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	u := &User{
		ID: id.New(), Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role,
		PasswordHash: hash, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if apperr.IsKind(err, apperr.Conflict) {
			return nil, "", apperr.Fields{{Field: "email", Code: "taken", Message: "a user with this email already exists"}}.Err()
		}
		return nil, "", err
	}
	return u, in.Password, nil
}

// UserUpdate is the editable part of a user, saved whole.
type UserUpdate struct {
	Name     string
	Role     Role
	Disabled bool
}

// UpdateUser saves upd if the user is still at version. Disabling a user
// revokes their refresh tokens; their access tokens stop at the next request
// because Authenticate reloads the user. The last active admin can be neither
// demoted nor disabled, so an installation can never lock itself out.
func (s *Service) UpdateUser(ctx context.Context, userID string, upd UserUpdate, version int) (*User, error) {
	var fe apperr.Fields
	if !upd.Role.Valid() {
		fe.Add("role", "invalid", "must be admin, editor or consultant")
	}
	validateName(&fe, upd.Name)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	var out *User
	err := s.store.InTx(ctx, func(st Store) error {
		// Lock the admins first, then read the target: a concurrent
		// demotion has committed by then, and both are seen as they are.
		admins, err := st.LockActiveAdmins(ctx)
		if err != nil {
			return err
		}
		u, err := st.FindUserByID(ctx, userID)
		if err != nil {
			return err
		}
		losesAdmin := u.Role == RoleAdmin && !u.Disabled() && (upd.Role != RoleAdmin || upd.Disabled)
		if losesAdmin && admins <= 1 {
			return apperr.New(apperr.Conflict, "this is the last active admin; make another admin first")
		}
		now := s.now()
		u.Name, u.Role, u.UpdatedAt = strings.TrimSpace(upd.Name), upd.Role, now
		switch {
		case upd.Disabled && u.DisabledAt == nil:
			u.DisabledAt = &now
			if err := st.RevokeUserRefreshTokens(ctx, u.ID, now); err != nil {
				return err
			}
		case !upd.Disabled:
			u.DisabledAt = nil
		}
		if err := st.UpdateUser(ctx, u, version); err != nil {
			return err
		}
		out = u
		return nil
	})
	return out, err
}

// ResetPassword sets a user's password (generated when empty), signs them
// out everywhere, and returns the password in force.
func (s *Service) ResetPassword(ctx context.Context, userID, password string) (string, error) {
	if password == "" {
		password = GeneratePassword()
	} else if msg := passwordProblem(password); msg != "" {
		return "", apperr.Fields{{Field: "password", Code: "invalid", Message: msg}}.Err()
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return "", err
	}
	err = s.store.InTx(ctx, func(st Store) error {
		u, err := st.FindUserByID(ctx, userID)
		if err != nil {
			return err
		}
		now := s.now()
		u.PasswordHash, u.UpdatedAt = hash, now
		if err := st.UpdateUser(ctx, u, u.Version); err != nil {
			return err
		}
		_, err = st.EndSessions(ctx, u.ID, now)
		return err
	})
	return password, err
}

// User returns one user.
func (s *Service) User(ctx context.Context, userID string) (*User, error) {
	if !id.Valid(userID) {
		return nil, apperr.New(apperr.NotFound, "no such user")
	}
	return s.store.FindUserByID(ctx, userID)
}

// Users lists users in ID (creation) order.
func (s *Service) Users(ctx context.Context, f UserFilter) ([]*User, error) {
	return s.store.ListUsers(ctx, f)
}

// CountUsers counts the users f selects, paging ignored.
func (s *Service) CountUsers(ctx context.Context, f UserFilter) (int, error) {
	f.AfterID, f.Limit = "", 0
	return s.store.CountUsers(ctx, f)
}

// UserByEmail finds a user by email, for the CLI.
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	return s.store.FindUserByEmail(ctx, NormalizeEmail(email))
}

// HasAdmin reports whether any active admin exists.
func (s *Service) HasAdmin(ctx context.Context) (bool, error) {
	n, err := s.store.CountActiveAdmins(ctx)
	return n > 0, err
}

func emailProblem(email string) string {
	if email == "" {
		return "is required"
	}
	if len(email) > 254 {
		return "must be at most 254 characters"
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return "must be a plain email address like ada@example.com"
	}
	return ""
}

func validateName(fe *apperr.Fields, name string) {
	if utf8.RuneCountInString(name) > maxNameLen {
		fe.Add("name", "too_long", "must be at most 200 characters")
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		fe.Add("name", "invalid", "must not contain control characters")
	}
}
