package krakend

import (
	"os"
	"strings"
	"testing"
)

func TestTheGatewayDocListsTheCurrentRoutes(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/gateway.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := ReplaceTable(string(doc), RoutesTable(loadAPI(t)))
	if err != nil {
		t.Fatal(err)
	}
	if string(doc) != want {
		t.Fatal("docs/gateway.md routes table is stale: run `go run ./cmd/gateway-config routes`")
	}
}

func TestReplaceTable(t *testing.T) {
	got, err := ReplaceTable("a\n"+DocBegin+"\nold\n"+DocEnd+"\nb\n", "new\n")
	if err != nil || got != "a\n"+DocBegin+"\nnew\n"+DocEnd+"\nb\n" {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, doc := range []string{"no markers", DocBegin + " but no end"} {
		if _, err := ReplaceTable(doc, "x"); err == nil || !strings.Contains(err.Error(), "marker missing") {
			t.Errorf("%q: got %v", doc, err)
		}
	}
}
