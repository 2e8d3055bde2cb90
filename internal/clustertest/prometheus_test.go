package clustertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestQueryDecodesVectorsAndScalars against a server answering as
// Prometheus's HTTP API does.
func TestQueryDecodesVectorsAndScalars(t *testing.T) {
	answers := map[string]string{
		"up":      `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1700000000.1,"1"]},{"metric":{"job":"b"},"value":[1700000000.1,"0"]}]}}`,
		"1+1":     `{"status":"success","data":{"resultType":"scalar","result":[1700000000.1,"2"]}}`,
		"up[1m]":  `{"status":"success","data":{"resultType":"matrix","result":[]}}`,
		"garbled": `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, answers[r.URL.Query().Get("query")])
	}))
	defer srv.Close()
	got, err := Query(srv.URL, "up")
	if err != nil || len(got) != 2 || got[0].Labels["job"] != "a" || got[0].Value != 1 || got[1].Value != 0 {
		t.Errorf("vector: %+v, %v", got, err)
	}
	got, err = Query(srv.URL, "1+1")
	if err != nil || len(got) != 1 || got[0].Value != 2 {
		t.Errorf("scalar: %+v, %v", got, err)
	}
	if _, err := Query(srv.URL, "up[1m]"); err == nil {
		t.Error("a matrix result was taken for a vector")
	}
	if _, err := Query(srv.URL, "garbled"); err == nil {
		t.Error("a value that is no number was accepted")
	}
}
