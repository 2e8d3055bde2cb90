package domain

import (
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func TestValidateItem(t *testing.T) {
	const id = "0b7f0c42-5d5e-4a5f-9f55-3c1c2a4d7e10"
	cases := []struct {
		name   string
		id     string
		qty    int32
		fields []string
	}{
		{"valid", id, 1, nil},
		{"maximum", id, 99, nil},
		{"zero", id, 0, []string{"quantity"}},
		{"negative", id, -3, []string{"quantity"}},
		{"huge", id, 100, []string{"quantity"}},
		{"missing id", "", 1, []string{"productId"}},
		{"not a uuid", "storm-lantern", 1, []string{"productId"}},
		{"uppercase uuid", strings.ToUpper(id), 1, []string{"productId"}},
		{"braced uuid", "{" + id + "}", 1, []string{"productId"}},
		{"both wrong", "x", 0, []string{"productId", "quantity"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateItem(tc.id, tc.qty)
			if tc.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e := apperr.As(err)
			if e.Kind != apperr.KindInvalidArgument || len(e.Fields) != len(tc.fields) {
				t.Fatalf("got %v, want InvalidArgument naming %v", err, tc.fields)
			}
			for i, f := range tc.fields {
				if e.Fields[i].Field != f {
					t.Fatalf("fields %v, want %v", e.Fields, tc.fields)
				}
			}
		})
	}
	if e := apperr.As(ValidateItem(id, 100)); !strings.Contains(e.Fields[0].Reason, "at most 99") {
		t.Fatalf("reason %q must state the limit", e.Fields[0].Reason)
	}
	if ValidateIfVersion(0) != nil || ValidateIfVersion(7) != nil || ValidateIfVersion(-1) == nil {
		t.Fatal("ifVersion: 0 and positive are fine, negative is not")
	}
}
