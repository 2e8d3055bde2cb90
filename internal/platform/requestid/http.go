package requestid

import "net/http"

// HTTPMiddleware takes a valid incoming X-Request-Id or generates one, stores
// it in the request context and sets it on the response header.
func HTTPMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := orNew(r.Header.Get(Header))
		// Overwrite the request header too, so anything that forwards
		// headers downstream (e.g. a gateway header matcher) sees the
		// sanitised id rather than the raw one.
		r.Header.Set(Header, id)
		w.Header().Set(Header, id)
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), id)))
	})
}
