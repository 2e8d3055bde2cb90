package apperr

import "testing"

func TestGatewayFields(t *testing.T) {
	for _, tc := range []struct{ msg, field string }{
		{`proto: (line 1:2): unknown field "colour"`, "colour"},
		{`parsing field "page_size": strconv.ParseInt: parsing "x": invalid syntax`, "pageSize"},
		{`type mismatch, parameter: id_or_slug, error: strconv.ParseInt: invalid syntax`, "idOrSlug"},
		{`proto: syntax error (line 1:9): unexpected token }`, "body"},
		{`unexpected EOF`, "body"},
	} {
		got := gatewayFields(tc.msg)
		if len(got) != 1 || got[0].Field != tc.field {
			t.Errorf("%q: got %+v, want field %q", tc.msg, got, tc.field)
		}
	}
}

func TestGatewayFieldsUnknownMessage(t *testing.T) {
	if got := gatewayFields("quantity must be positive"); got != nil {
		t.Fatalf("got %+v, want nil", got)
	}
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{
		"price.amount_minor": "price.amountMinor",
		"page_size":          "pageSize",
		"id_or_slug":         "idOrSlug",
		"colour":             "colour",
		"":                   "",
	} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}
