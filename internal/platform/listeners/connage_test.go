package listeners

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"testing"
	"time"
)

// Sequential requests of one client share a kept-alive connection until
// it is older than the age; then the server closes it after a response
// and the client's next request opens a new one.
func TestAgedConnectionsAreClosed(t *testing.T) {
	const age = 200 * time.Millisecond
	srv := httptest.NewUnstartedServer(closeAged(age, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	})))
	srv.Config.ConnContext = connStart
	srv.Start()
	defer srv.Close()
	client := srv.Client()
	get := func() (reused bool) {
		trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = info.Reused }}
		req, err := http.NewRequestWithContext(httptrace.WithClientTrace(t.Context(), trace), http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return reused
	}
	if get() {
		t.Fatal("the first request reused a connection")
	}
	if !get() {
		t.Fatal("a young connection was not kept alive")
	}
	// the connection's age, not synchronisation
	time.Sleep(age + 50*time.Millisecond)
	get() // answered with Connection: close
	if get() {
		t.Fatal("the request after an aged connection's last one reused it")
	}
	if !get() {
		t.Fatal("the new connection was not kept alive")
	}
}

// A connection accepted an hour ago: closed after its response when the
// age is a minute, kept when the age is 0 (off).
func TestAgeZeroKeepsConnections(t *testing.T) {
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for age, want := range map[time.Duration]string{0: "", time.Minute: "close"} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req = req.WithContext(context.WithValue(req.Context(), connStartKey{}, time.Now().Add(-time.Hour)))
		closeAged(age, h).ServeHTTP(rec, req)
		if got := rec.Header().Get("Connection"); got != want {
			t.Errorf("age %v: Connection %q on an hour-old connection, want %q", age, got, want)
		}
	}
}
