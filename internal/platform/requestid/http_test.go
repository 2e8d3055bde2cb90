package requestid

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestHTTPMiddleware(t *testing.T) {
	srv := httptest.NewServer(HTTPMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Echo what the handler sees in ctx and in the request header.
		_, _ = io.WriteString(w, FromContext(r.Context())+"|"+r.Header.Get(Header))
	})))
	defer srv.Close()

	get := func(id string) (body, header string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if id != "" {
			req.Header.Set(Header, id)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header.Get(Header)
	}

	body, hdr := get("client-id-1")
	if body != "client-id-1|client-id-1" || hdr != "client-id-1" {
		t.Fatalf("valid id not kept: body %q header %q", body, hdr)
	}

	for _, in := range []string{"", "bad id with spaces"} {
		body, hdr = get(in)
		if !Valid(hdr) || hdr == in || body != hdr+"|"+hdr {
			t.Fatalf("incoming %q: body %q header %q", in, body, hdr)
		}
	}
}
