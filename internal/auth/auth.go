// Package auth is Verdict's identity domain: users and roles, password
// hashing, short-lived access tokens, rotating refresh tokens, login
// throttling and API tokens for frontend sites.
package auth

import (
	"slices"
	"time"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	RoleAdmin      Role = "admin"
	RoleEditor     Role = "editor"
	RoleConsultant Role = "consultant"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleEditor, RoleConsultant}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Scope is what an API token may read.
type Scope string

// The API token scopes.
const (
	ScopeContentRead    Scope = "content:read"
	ScopeContentPreview Scope = "content:preview"
)

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return s == ScopeContentRead || s == ScopeContentPreview }

// User is a person who signs in.
type User struct {
	ID           string
	Email        string
	Name         string
	Role         Role
	PasswordHash string
	Version      int
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// TokenEpoch is bumped to sign the user out everywhere: access tokens
	// issued in an earlier epoch are refused.
	TokenEpoch int
}

// Disabled reports whether the user may no longer sign in or use tokens.
func (u *User) Disabled() bool { return u.DisabledAt != nil }

// RefreshToken is one link of a login's refresh chain. Only its hash is stored.
type RefreshToken struct {
	ID        string
	UserID    string
	FamilyID  string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	Epoch     int // the user's token epoch when it was issued
}

// APIToken lets a frontend site or build pipeline read content.
type APIToken struct {
	ID          string
	Name        string
	Scope       Scope
	TokenHash   string
	Prefix      string // first characters of the secret, to recognise it in lists
	CreatedByID *string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
	// CreatorDisabled is set when the user who made the token is disabled:
	// such a token stops working with its creator.
	CreatorDisabled bool
}

// Active reports whether the token can be used at now.
func (t *APIToken) Active(now time.Time) bool {
	return t.RevokedAt == nil && !t.CreatorDisabled && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// Principal is who is making a request: a signed-in user or an API token.
type Principal struct {
	User  *User     // set for users
	Token *APIToken // set for API tokens
}

// HasRole reports whether the principal is a user with one of roles.
func (p Principal) HasRole(roles ...Role) bool {
	return p.User != nil && slices.Contains(roles, p.User.Role)
}

// CanPreview reports whether the principal may read drafts: editors and
// admins, and API tokens with the preview scope.
func (p Principal) CanPreview() bool {
	if p.Token != nil {
		return p.Token.Scope == ScopeContentPreview
	}
	return p.HasRole(RoleAdmin, RoleEditor)
}
