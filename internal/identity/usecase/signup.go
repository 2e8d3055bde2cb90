package usecase

import (
	"context"
	"errors"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// SignUp creates a customer account.
func (id *Identity) SignUp(ctx context.Context, in domain.SignUp) (domain.User, error) {
	in, err := domain.ValidateSignUp(in)
	if err != nil {
		return domain.User{}, err
	}
	// Hashing before the insert also makes a taken e-mail cost as much
	// time as a new account.
	hash, err := id.Hasher.Hash(ctx, in.Password)
	if err != nil {
		return domain.User{}, err
	}
	u, err := id.Store.CreateUser(ctx, domain.NewUser{Email: in.Email, Name: in.Name, PasswordHash: hash,
		Roles: []string{auth.RoleCustomer}})
	if errors.Is(err, domain.ErrEmailTaken) {
		return domain.User{}, emailTaken()
	}
	if err != nil {
		return domain.User{}, err
	}
	id.Metrics.signups.Inc()
	return u, nil
}
