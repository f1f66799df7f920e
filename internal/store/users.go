package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/models"
)

// AuthStore is the auth.Store on GORM.
type AuthStore struct{ *Store }

var _ auth.Store = AuthStore{}

// InTx implements auth.Store.
func (s AuthStore) InTx(ctx context.Context, fn func(auth.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(AuthStore{tx}) })
}

// CreateUser implements auth.Store.
func (s AuthStore) CreateUser(ctx context.Context, u *auth.User) error {
	row := toUserRow(u)
	return dbError("create user", s.db.WithContext(ctx).Create(&row).Error)
}

// FindUserByID implements auth.Store.
func (s AuthStore) FindUserByID(ctx context.Context, id string) (*auth.User, error) {
	var row models.User
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return toUser(row), nil
}

// FindUserByEmail implements auth.Store.
func (s AuthStore) FindUserByEmail(ctx context.Context, email string) (*auth.User, error) {
	var row models.User
	if err := s.db.WithContext(ctx).Where("email = ?", email).Take(&row).Error; err != nil {
		return nil, notFound(err, "user")
	}
	return toUser(row), nil
}

// ListUsers implements auth.Store.
func (s AuthStore) ListUsers(ctx context.Context, f auth.UserFilter) ([]*auth.User, error) {
	q := s.filterUsers(ctx, f).Order("id").Limit(f.Limit)
	if f.AfterID != "" {
		q = q.Where("id > ?", f.AfterID)
	}
	var rows []models.User
	if err := q.Find(&rows).Error; err != nil {
		return nil, dbError("list users", err)
	}
	out := make([]*auth.User, 0, len(rows))
	for _, r := range rows {
		out = append(out, toUser(r))
	}
	return out, nil
}

// CountUsers implements auth.Store: the users f selects, paging ignored.
func (s AuthStore) CountUsers(ctx context.Context, f auth.UserFilter) (int, error) {
	return countRows(s.filterUsers(ctx, f), "count users")
}

// filterUsers is the query of a user filter's conditions, shared by list and count.
func (s AuthStore) filterUsers(ctx context.Context, f auth.UserFilter) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&models.User{})
	if f.Role != nil {
		q = q.Where("role = ?", string(*f.Role))
	}
	if f.Disabled != nil {
		if *f.Disabled {
			q = q.Where("disabled_at IS NOT NULL")
		} else {
			q = q.Where("disabled_at IS NULL")
		}
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("(LOWER(email) LIKE LOWER(?) ESCAPE '\\' OR LOWER(name) LIKE LOWER(?) ESCAPE '\\')", like, like)
	}
	return q
}

// UpdateUser implements auth.Store: the version check and bump happen in the
// UPDATE itself, so two concurrent saves cannot both succeed.
func (s AuthStore) UpdateUser(ctx context.Context, u *auth.User, version int) error {
	res := s.db.WithContext(ctx).Model(&models.User{}).
		Where("id = ? AND version = ?", u.ID, version).
		Updates(map[string]any{
			"name": u.Name, "role": string(u.Role), "password_hash": u.PasswordHash,
			"disabled_at": u.DisabledAt, "updated_at": u.UpdatedAt, "version": version + 1,
		})
	if err := s.versioned(ctx, res, "user", &models.User{}, u.ID); err != nil {
		return err
	}
	u.Version = version + 1
	return nil
}

// CountActiveAdmins implements auth.Store.
func (s AuthStore) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.User{}).
		Where("role = ? AND disabled_at IS NULL", string(auth.RoleAdmin)).Count(&n).Error
	return int(n), dbError("count admins", err)
}

// LockActiveAdmins implements auth.Store. PostgreSQL locks the rows (and
// re-checks them after waiting, so an admin demoted meanwhile drops out);
// SQLite's IMMEDIATE transactions already serialize writers.
func (s AuthStore) LockActiveAdmins(ctx context.Context) (int, error) {
	var ids []string
	q := s.db.WithContext(ctx).Model(&models.User{}).Where("role = ? AND disabled_at IS NULL", string(auth.RoleAdmin))
	err := s.forUpdate(q).Pluck("id", &ids).Error
	return len(ids), dbError("lock admins", err)
}

// SetLastLogin implements auth.Store.
func (s AuthStore) SetLastLogin(ctx context.Context, userID string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", userID).Update("last_login_at", at.UTC())
	return mustAffect(res, "set last login", "user")
}

func toUserRow(u *auth.User) models.User {
	return models.User{
		ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), PasswordHash: u.PasswordHash,
		Version: u.Version, DisabledAt: u.DisabledAt, LastLoginAt: u.LastLoginAt,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, TokenEpoch: u.TokenEpoch,
	}
}

func toUser(r models.User) *auth.User {
	return &auth.User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: auth.Role(r.Role), PasswordHash: r.PasswordHash,
		Version: r.Version, DisabledAt: utcPtr(r.DisabledAt), LastLoginAt: utcPtr(r.LastLoginAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), TokenEpoch: r.TokenEpoch,
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// escapeLike escapes LIKE wildcards so user text matches literally.
func escapeLike(s string) string {
	r := make([]rune, 0, len(s))
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}
