package auth

import (
	"net/http"
	"strings"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// HTTPMiddleware is UnaryServerInterceptor for plain HTTP handlers (routes
// beside the REST facade): a bearer token is authenticated and its caller
// put in the request context; a bad one is answered 401; no token passes
// anonymously, and handlers that need a caller call RequireUser.
func HTTPMiddleware(a Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if header == "" {
			next.ServeHTTP(w, r)
			return
		}
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "bearer") || token == "" {
			apperr.WriteHTTP(w, r, apperr.New(apperr.KindUnauthenticated, "authorization must be \"Bearer <token>\""))
			return
		}
		p, err := a.Authenticate(r.Context(), token)
		if err != nil {
			apperr.WriteHTTP(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), p)))
	})
}
