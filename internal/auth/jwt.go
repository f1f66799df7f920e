package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const issuer = "verdict"

// signingMethod is pinned: tokens signed any other way, including alg "none",
// are refused by the parser before their claims are read.
var signingMethod = jwt.SigningMethodHS256

type accessClaims struct {
	Role Role `json:"role"`
	// Epoch is the user's token epoch at issue; see User.TokenEpoch.
	Epoch int `json:"epoch,omitempty"`
	jwt.RegisteredClaims
}

// Signer issues and verifies short-lived access tokens.
type Signer struct {
	key    []byte
	ttl    time.Duration
	now    func() time.Time
	parser *jwt.Parser
}

// NewSigner returns a Signer with an HMAC key of at least 32 bytes.
func NewSigner(key []byte, ttl time.Duration, now func() time.Time) (*Signer, error) {
	if len(key) < 32 {
		return nil, errors.New("auth: JWT key must be at least 32 bytes")
	}
	return &Signer{
		key: key, ttl: ttl, now: now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{signingMethod.Alg()}),
			jwt.WithIssuer(issuer),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithTimeFunc(now),
		),
	}, nil
}

// Sign returns an access token for u and its lifetime.
func (s *Signer) Sign(u *User) (string, time.Duration, error) {
	now := s.now()
	claims := accessClaims{
		Role: u.Role, Epoch: u.TokenEpoch,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   u.ID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(s.ttl)),
		},
	}
	tok, err := jwt.NewWithClaims(signingMethod, claims).SignedString(s.key)
	if err != nil {
		return "", 0, fmt.Errorf("auth: sign access token: %w", err)
	}
	return tok, s.ttl, nil
}

// Verify checks an access token's signature, algorithm, issuer and times and
// returns its subject (the user ID) and the token epoch it was issued in.
func (s *Signer) Verify(token string) (string, int, error) {
	var claims accessClaims
	if _, err := s.parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) {
		return s.key, nil
	}); err != nil {
		return "", 0, err
	}
	if claims.Subject == "" {
		return "", 0, errors.New("auth: access token has no subject")
	}
	return claims.Subject, claims.Epoch, nil
}
