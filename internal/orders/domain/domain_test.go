package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

func fields(err error) []string {
	var out []string
	for _, f := range apperr.As(err).Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestNormalizeCard(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	good := Card{Number: "4242 4242-4242 4242", ExpMonth: 11, ExpYear: 2026, CVC: "123"}
	c, err := NormalizeCard(good, now)
	if err != nil || c.Number != "4242424242424242" || c.Last4() != "4242" {
		t.Fatalf("normalize = %+v, %v", c, err)
	}
	cases := map[string]Card{
		"card.number":   {Number: "4242424242424241", ExpMonth: 12, ExpYear: 2030, CVC: "123"}, // Luhn
		"card.expMonth": {Number: "4242424242424242", ExpMonth: 13, ExpYear: 2030, CVC: "123"},
		"card.expYear":  {Number: "4242424242424242", ExpMonth: 10, ExpYear: 2026, CVC: "123"}, // expired last month
		"card.cvc":      {Number: "4242424242424242", ExpMonth: 12, ExpYear: 2030, CVC: "12a"},
	}
	for want, card := range cases {
		_, err := NormalizeCard(card, now)
		if got := fields(err); len(got) != 1 || got[0] != want {
			t.Errorf("%s: fields %v", want, got)
		}
	}
	_, err = NormalizeCard(Card{}, now)
	if got := fields(err); len(got) != 4 {
		t.Fatalf("an empty card should report every field, got %v", got)
	}
}

func TestFingerprintHidesTheNumberButTellsCardsApart(t *testing.T) {
	a := Card{Number: "4242424242424242", ExpMonth: 12, ExpYear: 2030, CVC: "123"}
	sameEnds := Card{Number: "5555555555004242", ExpMonth: 12, ExpYear: 2030, CVC: "123"} // same last four and expiry
	middle := Card{Number: "4242420000004242", ExpMonth: 12, ExpYear: 2030, CVC: "123"}   // only the middle differs
	fp := a.Fingerprint()
	if fp != a.Fingerprint() || !a.MatchesFingerprint(fp) || strings.Contains(fp, "4242") {
		t.Fatalf("fingerprint %q must be stable, match its card and hold no digits of the number", fp)
	}
	if sameEnds.MatchesFingerprint(fp) {
		t.Fatal("a card with the same last four digits and expiry but another issuer matched")
	}
	for _, other := range []Card{{Number: a.Number, ExpMonth: 11, ExpYear: 2030, CVC: "123"}, {Number: a.Number, ExpMonth: 12, ExpYear: 2030, CVC: "1234"}} {
		if other.MatchesFingerprint(fp) {
			t.Errorf("%+v matched", other)
		}
	}
	// Only what may be kept in the clear goes in, so guessing the input
	// cannot reveal the number: cards differing only in the middle digits
	// match (the price of not keeping a key).
	if !middle.MatchesFingerprint(fp) {
		t.Fatal("the fingerprint depends on the middle digits")
	}
	// Checkouts stored before the current fingerprint keep matching.
	sum := sha256.Sum256([]byte("4242|12|2030"))
	legacy := hex.EncodeToString(sum[:8])
	if !a.MatchesFingerprint(legacy) || (Card{Number: "4242424242421111", ExpMonth: 12, ExpYear: 2030}).MatchesFingerprint(legacy) {
		t.Fatal("a stored legacy fingerprint must match its card and only that")
	}
}

func TestTransitions(t *testing.T) {
	allowed := [][2]Status{{StatusPaid, StatusShipped}, {StatusShipped, StatusDelivered}, {StatusPaid, StatusCancelled}, {StatusCancelling, StatusCancelled}}
	for _, tr := range allowed {
		if err := CheckTransition(tr[0], tr[1]); err != nil {
			t.Errorf("%s -> %s refused: %v", tr[0], tr[1], err)
		}
	}
	refused := [][2]Status{{StatusShipped, StatusCancelled}, {StatusDelivered, StatusShipped}, {StatusCancelled, StatusPaid},
		{StatusPaid, StatusDelivered}, {StatusPaid, StatusPaid}, {StatusCancelling, StatusShipped}, {StatusCancelled, StatusCancelled}}
	for _, tr := range refused {
		if err := CheckTransition(tr[0], tr[1]); !apperr.Is(err, apperr.KindFailedPrecondition) {
			t.Errorf("%s -> %s allowed", tr[0], tr[1])
		}
	}
}

func TestIdempotencyKeyAndPaging(t *testing.T) {
	for _, bad := range []string{"", strings.Repeat("k", 256), "with space", "ünïcode"} {
		if got := fields(ValidateIdempotencyKey(bad)); len(got) != 1 || got[0] != IdempotencyKeyField {
			t.Errorf("key %q accepted or misnamed: %v", bad, got)
		}
	}
	if err := ValidateIdempotencyKey("b4c3f0e2-checkout-1"); err != nil {
		t.Fatal(err)
	}
	if n, err := PageSize(0); n != DefaultPageSize || err != nil {
		t.Fatal(n, err)
	}
	if _, err := PageSize(101); fields(err)[0] != "pageSize" {
		t.Fatal("page size over the maximum accepted")
	}
}
