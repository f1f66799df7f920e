package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// Store persists users and tokens. Lookups that find nothing return an
// apperr NotFound error, never nil, nil.
type Store interface {
	// InTx runs fn in one transaction; fn's Store works inside it.
	InTx(ctx context.Context, fn func(Store) error) error

	CreateUser(ctx context.Context, u *User) error
	FindUserByID(ctx context.Context, id string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	ListUsers(ctx context.Context, f UserFilter) ([]*User, error)
	CountUsers(ctx context.Context, f UserFilter) (int, error)
	// UpdateUser saves u if its stored version is still version, and bumps it;
	// otherwise it returns a Conflict error.
	UpdateUser(ctx context.Context, u *User, version int) error
	CountActiveAdmins(ctx context.Context) (int, error)
	// LockActiveAdmins counts active admins and locks their rows until the
	// transaction ends, so that two transactions that each remove an admin
	// cannot both count the other one.
	LockActiveAdmins(ctx context.Context) (int, error)
	SetLastLogin(ctx context.Context, userID string, at time.Time) error

	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	FindRefreshToken(ctx context.Context, hash string) (*RefreshToken, error)
	// FindRefreshTokenForUpdate locks the row until the transaction ends.
	FindRefreshTokenForUpdate(ctx context.Context, hash string) (*RefreshToken, error)
	MarkRefreshTokenUsed(ctx context.Context, id string, at time.Time) error
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	RevokeUserRefreshTokens(ctx context.Context, userID string, at time.Time) error
	// EndSessions signs a user out everywhere: it revokes every refresh token
	// of the user and bumps their token epoch, which it returns.
	EndSessions(ctx context.Context, userID string, at time.Time) (int, error)

	CreateAPIToken(ctx context.Context, t *APIToken) error
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	ListAPITokens(ctx context.Context) ([]*APIToken, error)
	RevokeAPIToken(ctx context.Context, id string, at time.Time) error
	TouchAPIToken(ctx context.Context, id string, at time.Time) error
}

// Throttle counts events per key in fixed windows, shared by every instance.
type Throttle interface {
	// Hit adds one hit and returns the new count and when the window ends,
	// in one atomic step.
	Hit(ctx context.Context, key string, window time.Duration) (int, time.Time, error)
	// Undo takes back one hit of key's current window.
	Undo(ctx context.Context, key string, window time.Duration) error
	Reset(ctx context.Context, key string) error
}

// UserFilter selects users for ListUsers. Pointer fields are optional.
type UserFilter struct {
	Role     *Role
	Disabled *bool
	Query    string // substring of email or name
	AfterID  string // keyset cursor: IDs are time-ordered
	Limit    int
}

// Config holds the service's policy.
type Config struct {
	RefreshTTL                 time.Duration
	LoginMaxFailuresPerAccount int
	LoginMaxFailuresPerIP      int
	LoginWindow                time.Duration
}

// Service implements sign-in, token handling and user administration.
type Service struct {
	store    Store
	throttle Throttle
	hasher   *Hasher
	signer   *Signer
	cfg      Config
	now      func() time.Time
}

// NewService wires the auth service.
func NewService(store Store, throttle Throttle, hasher *Hasher, signer *Signer, cfg Config, now func() time.Time) *Service {
	return &Service{store: store, throttle: throttle, hasher: hasher, signer: signer, cfg: cfg, now: now}
}

// Tokens is what a successful login or refresh returns.
type Tokens struct {
	UserID       string
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

var errBadCredentials = apperr.New(apperr.Unauthenticated, "invalid email or password")

// Login checks credentials and returns a new token pair.
//
// Failed attempts are limited per account and client address together, and
// per client address alone (see README, "Sign-in limits"): a stranger who
// knows an admin's email can lock it only for their own address, never for
// the admin's. Each attempt is counted before the password is checked, so
// concurrent attempts cannot all pass a check made before any was counted;
// a successful sign-in takes its count back.
func (s *Service) Login(ctx context.Context, email, password, addr string) (Tokens, error) {
	email = NormalizeEmail(email)
	acctKey, ipKey := "login:acct:"+keyDigest(email)+":"+addr, "login:ip:"+addr
	taken, err := s.take(ctx, limit{acctKey, s.cfg.LoginMaxFailuresPerAccount}, limit{ipKey, s.cfg.LoginMaxFailuresPerIP})
	if err != nil {
		return Tokens{}, err
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && !apperr.IsKind(err, apperr.NotFound) {
		return Tokens{}, s.giveBack(ctx, err, taken...)
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !s.hasher.Check(hash, password) || u.Disabled() {
		return Tokens{}, errBadCredentials // the attempt stays counted
	}
	if err := s.throttle.Reset(ctx, acctKey); err != nil {
		return Tokens{}, err
	}
	if err := s.throttle.Undo(ctx, ipKey, s.cfg.LoginWindow); err != nil {
		return Tokens{}, err
	}
	if err := s.store.SetLastLogin(ctx, u.ID, s.now()); err != nil {
		return Tokens{}, err
	}
	return s.issue(ctx, s.store, u, "")
}

// limit is a throttle key and the most hits its window admits.
type limit struct {
	key string
	max int
}

// take counts one attempt under every limit, atomically per key, and
// refuses with 429 when any is exceeded (taking back the hits it made).
// It returns the keys counted.
func (s *Service) take(ctx context.Context, limits ...limit) ([]string, error) {
	taken := make([]string, 0, len(limits))
	for _, l := range limits {
		hits, reset, err := s.throttle.Hit(ctx, l.key, s.cfg.LoginWindow)
		if err != nil {
			return nil, s.giveBack(ctx, err, taken...)
		}
		taken = append(taken, l.key)
		if hits > l.max {
			e := apperr.New(apperr.RateLimited, "too many failed sign-in attempts; try again later")
			e.RetryAfter = max(reset.Sub(s.now()), time.Second)
			return nil, s.giveBack(ctx, e, taken[:len(taken)-1]...)
		}
	}
	return taken, nil
}

// giveBack takes back hits counted for an attempt that was never judged
// and returns err.
func (s *Service) giveBack(ctx context.Context, err error, keys ...string) error {
	for _, k := range keys {
		if uerr := s.throttle.Undo(ctx, k, s.cfg.LoginWindow); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}

// keyDigest shortens client-chosen text (an email) to a fixed-size throttle
// key part, so that the key is bounded and holds no raw input.
func keyDigest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:12])
}

// issue signs an access token and stores a new refresh token in family
// (a new family when empty).
func (s *Service) issue(ctx context.Context, st Store, u *User, family string) (Tokens, error) {
	access, ttl, err := s.signer.Sign(u)
	if err != nil {
		return Tokens{}, err
	}
	secret := id.Secret(refreshTokenPrefix)
	rt := &RefreshToken{ID: id.New(), UserID: u.ID, FamilyID: family, TokenHash: id.Hash(secret),
		CreatedAt: s.now(), ExpiresAt: s.now().Add(s.cfg.RefreshTTL), Epoch: u.TokenEpoch,
	}
	if rt.FamilyID == "" {
		rt.FamilyID = rt.ID
	}
	if err := st.CreateRefreshToken(ctx, rt); err != nil {
		return Tokens{}, fmt.Errorf("auth: store refresh token: %w", err)
	}
	return Tokens{UserID: u.ID, AccessToken: access, RefreshToken: secret, ExpiresIn: ttl}, nil
}

var errBadRefresh = apperr.New(apperr.Unauthenticated, "refresh token is invalid or expired")

// Refresh exchanges a refresh token for a new pair. Each refresh token works
// once: presenting one that was already used means it was stolen or leaked,
// so every token of its family is revoked and the user must sign in again.
func (s *Service) Refresh(ctx context.Context, secret string) (Tokens, error) {
	var (
		out    Tokens
		reused bool
	)
	err := s.store.InTx(ctx, func(st Store) error {
		rt, err := st.FindRefreshTokenForUpdate(ctx, id.Hash(secret))
		if apperr.IsKind(err, apperr.NotFound) {
			return errBadRefresh
		} else if err != nil {
			return err
		}
		now := s.now()
		switch {
		case rt.RevokedAt != nil:
			return errBadRefresh
		case rt.UsedAt != nil:
			reused = true // commit the revocation, then refuse
			return st.RevokeRefreshFamily(ctx, rt.FamilyID, now)
		case !now.Before(rt.ExpiresAt):
			return errBadRefresh
		}
		u, err := st.FindUserByID(ctx, rt.UserID)
		if err != nil {
			return err
		}
		// An older epoch: the token was issued by a refresh that raced a
		// sign-out and so escaped its revocation.
		if u.Disabled() || rt.Epoch < u.TokenEpoch {
			return errBadRefresh
		}
		if err := st.MarkRefreshTokenUsed(ctx, rt.ID, now); err != nil {
			return err
		}
		out, err = s.issue(ctx, st, u, rt.FamilyID)
		return err
	})
	if err != nil {
		return Tokens{}, err
	}
	if reused {
		return Tokens{}, errBadRefresh
	}
	return out, nil
}

// Logout signs the refresh token's user out everywhere: every refresh token
// is revoked and every access token issued so far is refused. Access tokens
// carry no session of their own, so one session cannot be ended alone. It
// returns the user signed out, "" for an unknown token, which is not an
// error: the outcome the client wants already holds.
func (s *Service) Logout(ctx context.Context, secret string) (string, error) {
	userID := ""
	err := s.store.InTx(ctx, func(st Store) error {
		// Not locked: EndSessions locks the user row, then the tokens.
		rt, err := st.FindRefreshToken(ctx, id.Hash(secret))
		if apperr.IsKind(err, apperr.NotFound) {
			return nil
		} else if err != nil {
			return err
		}
		if rt.RevokedAt != nil {
			return nil // an old token must not sign out a later login
		}
		userID = rt.UserID
		_, err = st.EndSessions(ctx, rt.UserID, s.now())
		return err
	})
	return userID, err
}

var (
	errBadToken  = apperr.New(apperr.Unauthenticated, "the bearer token is invalid or expired")
	errSignedOut = apperr.New(apperr.Unauthenticated, "this session was signed out; sign in again")
)

// apiTokenTouchEvery bounds how often last-used times are written, so that a
// busy frontend does not turn every read into a write.
const apiTokenTouchEvery = time.Minute

// Authenticate resolves a bearer token to a principal. The user is loaded on
// every request so that disabling a user or changing a role takes effect at
// once, not when the access token expires.
func (s *Service) Authenticate(ctx context.Context, bearer string) (Principal, error) {
	if strings.HasPrefix(bearer, APITokenPrefix) {
		return s.authenticateAPIToken(ctx, bearer)
	}
	sub, epoch, err := s.signer.Verify(bearer)
	if err != nil {
		return Principal{}, errBadToken
	}
	u, err := s.store.FindUserByID(ctx, sub)
	if apperr.IsKind(err, apperr.NotFound) {
		return Principal{}, errBadToken
	} else if err != nil {
		return Principal{}, err
	}
	if u.Disabled() {
		return Principal{}, apperr.New(apperr.Unauthenticated, "the account is disabled")
	}
	if epoch < u.TokenEpoch {
		return Principal{}, errSignedOut
	}
	return Principal{User: u}, nil
}

func (s *Service) authenticateAPIToken(ctx context.Context, secret string) (Principal, error) {
	t, err := s.store.FindAPITokenByHash(ctx, id.Hash(secret))
	if apperr.IsKind(err, apperr.NotFound) {
		return Principal{}, errBadToken
	} else if err != nil {
		return Principal{}, err
	}
	now := s.now()
	if !t.Active(now) {
		return Principal{}, errBadToken
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= apiTokenTouchEvery {
		if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
			return Principal{}, err
		}
		t.LastUsedAt = &now
	}
	return Principal{Token: t}, nil
}

// NormalizeEmail is the stored form of an email address.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
