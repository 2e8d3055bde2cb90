package auth

import (
	"net/http"

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
		token, err := BearerToken(header)
		if err != nil {
			apperr.WriteHTTP(w, r, err)
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
