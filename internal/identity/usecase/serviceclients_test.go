package usecase_test

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
)

func TestParseServiceClients(t *testing.T) {
	h := usecase.HashServiceSecret("secret")
	c, err := usecase.ParseServiceClients("# services\norders=" + strings.ToUpper(h) + "\n\n cart = " + h + " ,")
	if err != nil || len(c) != 2 {
		t.Fatalf("got %v, %v", c, err)
	}
	for _, bad := range []string{"orders", "orders=abc", "Orders=" + h, "orders=" + h + ",orders=" + h, "=" + h, "orders=" + h[:62] + "zz"} {
		if _, err := usecase.ParseServiceClients(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestHashServiceSecretIgnoresSurroundingWhitespace(t *testing.T) {
	if usecase.HashServiceSecret(" s3cret\n") != usecase.HashServiceSecret("s3cret") || len(usecase.HashServiceSecret("x")) != 64 {
		t.Fatal("HashServiceSecret must hash the trimmed secret as 64 hex digits")
	}
}
