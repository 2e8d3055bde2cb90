package standin

import (
	"net/http"

	"github.com/shipshape-dev/shipshape/internal/gateway/routes"
	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

// requireAuth validates tokens at the edge, as KrakenD's auth/validator
// does: user and admin routes need a valid access token (401), admin routes
// the admin role (403). Public routes pass any Authorization header through
// unverified (sign-out and refresh work with an expired access token). The
// services verify again either way.
func requireAuth(a auth.Authenticator, level string, next http.Handler) http.Handler {
	if level == routes.AuthPublic {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			apperr.WriteHTTP(w, r, apperr.New(apperr.KindUnauthenticated, "authentication required"))
			return
		}
		token, err := auth.BearerToken(header)
		if err != nil {
			apperr.WriteHTTP(w, r, err)
			return
		}
		// Unauthenticated (401), or Unavailable (503) when the keys cannot
		// be fetched: the token may well be valid.
		p, err := a.Authenticate(r.Context(), token)
		if err != nil {
			apperr.WriteHTTP(w, r, err)
			return
		}
		ctx := auth.NewContext(r.Context(), p)
		if level == routes.AuthAdmin {
			_, err = auth.RequireRole(ctx, auth.RoleAdmin)
		} else {
			_, err = auth.RequireUser(ctx)
		}
		if err != nil {
			apperr.WriteHTTP(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
