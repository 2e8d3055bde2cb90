package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Card is a payment card as sent by the client. It is passed to the payment
// provider and never stored; orders keep the last four digits.
type Card struct {
	Number   string
	ExpMonth int32
	ExpYear  int32
	CVC      string
}

// Last4 returns the card's last four digits.
func (c Card) Last4() string { return c.Number[len(c.Number)-4:] }

// Fingerprint identifies the request's card, normalized, without storing
// its number, so that an Idempotency-Key replayed with another card is
// refused. It covers what may be kept in the clear (the first six and the
// last four digits), the number's length, the expiry and the CVC's length:
// guessing its input reveals no more of the number than that. (All of the
// number would take a keyed hash and a managed key.)
func (c Card) Fingerprint() string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%d|%02d|%d|%d", c.Number[:6], c.Last4(), len(c.Number), c.ExpMonth, c.ExpYear, len(c.CVC)))
	return fingerprintV2 + hex.EncodeToString(sum[:8])
}

// fingerprintV2 marks fingerprints of the form above; checkouts stored
// before it hold a hash of the last four digits and the expiry only.
const fingerprintV2 = "v2:"

// MatchesFingerprint reports whether fp, stored for an earlier request with
// the key, is this card's.
func (c Card) MatchesFingerprint(fp string) bool {
	if strings.HasPrefix(fp, fingerprintV2) {
		return fp == c.Fingerprint()
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%02d|%d", c.Last4(), c.ExpMonth, c.ExpYear))
	return fp == hex.EncodeToString(sum[:8])
}

// NormalizeCard validates a card (digits only after removing spaces and
// dashes, Luhn check, not expired at now) and reports every problem.
func NormalizeCard(c Card, now time.Time) (Card, error) {
	var v apperr.Violations
	c.Number = strings.NewReplacer(" ", "", "-", "").Replace(c.Number)
	switch {
	case c.Number == "":
		v.Add("card.number", "is required")
	case len(c.Number) < 12 || len(c.Number) > 19 || strings.Trim(c.Number, "0123456789") != "":
		v.Add("card.number", "must be 12 to 19 digits")
	case !luhn(c.Number):
		v.Add("card.number", "is not a valid card number")
	}
	if c.ExpMonth < 1 || c.ExpMonth > 12 {
		v.Add("card.expMonth", "must be 1 to 12")
	}
	if c.ExpYear < 2000 || c.ExpYear > 2100 {
		v.Add("card.expYear", "must be a four-digit year")
	} else if c.ExpMonth >= 1 && c.ExpMonth <= 12 {
		// A card is valid through the last day of its expiry month.
		firstInvalid := time.Date(int(c.ExpYear), time.Month(c.ExpMonth)+1, 1, 0, 0, 0, 0, time.UTC)
		if !now.Before(firstInvalid) {
			v.Add("card.expYear", "the card has expired")
		}
	}
	if len(c.CVC) < 3 || len(c.CVC) > 4 || strings.Trim(c.CVC, "0123456789") != "" {
		v.Add("card.cvc", "must be 3 or 4 digits")
	}
	return c, v.Err()
}

func luhn(digits string) bool {
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}
