package domain

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
)

// Paging limits of the public API.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Input limits.
const (
	maxSlugLen        = 100
	maxNameLen        = 200
	maxDescriptionLen = 5000
	maxURLLen         = 2048
	maxQueryLen       = 200
	maxQuantity       = 1000
	maxItems          = 100
	maxStock          = 1_000_000
	maxPriceMinor     = 100_000_000_00 // 100 million in major units
)

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// ValidID reports a UUID in canonical form (lowercase, hyphenated), the only
// form the API returns, so ids compare as plain strings.
func ValidID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}

// ValidSlug reports a lowercase, hyphenated slug.
func ValidSlug(s string) bool { return len(s) <= maxSlugLen && slugPattern.MatchString(s) }

// PageSize validates a requested page size; 0 means the default.
func PageSize(field string, n int32) (int, error) {
	switch {
	case n == 0:
		return DefaultPageSize, nil
	case n < 0:
		return 0, apperr.InvalidField(field, "must not be negative")
	case n > MaxPageSize:
		return 0, apperr.InvalidField(field, fmt.Sprintf("must be at most %d", MaxPageSize))
	}
	return int(n), nil
}

// RequireID validates a required UUID field.
func RequireID(field, id string) error {
	if id == "" {
		return apperr.InvalidField(field, "is required")
	}
	if !ValidID(id) {
		return apperr.InvalidField(field, "must be a UUID")
	}
	return nil
}

// ValidateIDOrSlug accepts either a product id or a slug.
func ValidateIDOrSlug(field, s string) error {
	if s == "" {
		return apperr.InvalidField(field, "is required")
	}
	if !ValidID(s) && !ValidSlug(s) {
		return apperr.InvalidField(field, "must be a UUID or a slug of lowercase letters, digits and hyphens")
	}
	return nil
}

// ValidateQuery checks a search query.
func ValidateQuery(field, q string) (string, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return "", apperr.InvalidField(field, "is required")
	case utf8.RuneCountInString(q) > maxQueryLen:
		return "", apperr.InvalidField(field, fmt.Sprintf("must be at most %d characters", maxQueryLen))
	}
	return q, nil
}

// ValidateNewProduct checks every field and reports all problems at once.
func ValidateNewProduct(p NewProduct) error {
	var v apperr.Violations
	checkSlug(&v, "slug", p.Slug)
	checkText(&v, "name", p.Name, maxNameLen, true)
	checkText(&v, "description", p.Description, maxDescriptionLen, false)
	checkMoney(&v, "price", &p.Price)
	checkSlug(&v, "category", p.CategorySlug)
	checkImageURL(&v, "imageUrl", p.ImageURL)
	checkStock(&v, "stock", p.Stock)
	return v.Err()
}

// ValidateProductPatch checks the fields a patch sets.
func ValidateProductPatch(id string, p ProductPatch) error {
	var v apperr.Violations
	if !ValidID(id) {
		v.Add("id", "must be a UUID")
	}
	if p.Empty() {
		v.Add("body", "sets no field to change")
	}
	if p.Name != nil {
		checkText(&v, "name", *p.Name, maxNameLen, true)
	}
	if p.Description != nil {
		checkText(&v, "description", *p.Description, maxDescriptionLen, false)
	}
	if p.Price != nil {
		checkMoney(&v, "price", p.Price)
	}
	if p.CategorySlug != nil {
		checkSlug(&v, "category", *p.CategorySlug)
	}
	if p.ImageURL != nil {
		checkImageURL(&v, "imageUrl", *p.ImageURL)
	}
	if p.Stock != nil {
		checkStock(&v, "stock", *p.Stock)
	}
	return v.Err()
}

// NormalizeItems validates a reservation's items and sorts them by product,
// which is also the order rows are locked in (no deadlocks between two
// reservations of the same products).
func NormalizeItems(field string, items []StockItem) ([]StockItem, error) {
	var v apperr.Violations
	switch {
	case len(items) == 0:
		v.Add(field, "at least one item is required")
	case len(items) > maxItems:
		v.Add(field, fmt.Sprintf("at most %d items", maxItems))
	}
	seen := map[string]bool{}
	for i, it := range items {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !ValidID(it.ProductID) {
			v.Add(f+".productId", "must be a UUID")
		} else if seen[it.ProductID] {
			v.Add(f+".productId", "appears twice; combine the quantities")
		}
		seen[it.ProductID] = true
		if it.Quantity <= 0 {
			v.Add(f+".quantity", "must be positive")
		} else if it.Quantity > maxQuantity {
			v.Add(f+".quantity", fmt.Sprintf("must be at most %d", maxQuantity))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := append([]StockItem(nil), items...)
	sort.Slice(out, func(i, j int) bool { return out[i].ProductID < out[j].ProductID })
	return out, nil
}

// ReservationTTL validates a requested lifetime; 0 means the default.
func ReservationTTL(field string, seconds int32) (time.Duration, error) {
	ttl := time.Duration(seconds) * time.Second
	switch {
	case seconds == 0:
		return DefaultReservationTTL, nil
	case seconds < 0:
		return 0, apperr.InvalidField(field, "must not be negative")
	case ttl > MaxReservationTTL:
		return 0, apperr.InvalidField(field, fmt.Sprintf("must be at most %d", int(MaxReservationTTL.Seconds())))
	}
	return ttl, nil
}

func checkSlug(v *apperr.Violations, field, s string) {
	if s == "" {
		v.Add(field, "is required")
	} else if !ValidSlug(s) {
		v.Add(field, "must be lowercase letters, digits and single hyphens, at most 100 characters")
	}
}

func checkText(v *apperr.Violations, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

func checkMoney(v *apperr.Violations, field string, m *Money) {
	if !currencyPattern.MatchString(m.Currency) {
		v.Add(field+".currencyCode", "must be an ISO 4217 code such as EUR")
	}
	if m.AmountMinor < 0 {
		v.Add(field+".amountMinor", "must not be negative")
	} else if m.AmountMinor > maxPriceMinor {
		v.Add(field+".amountMinor", "is too large")
	}
}

func checkStock(v *apperr.Violations, field string, n int32) {
	if n < 0 {
		v.Add(field, "must not be negative")
	} else if n > maxStock {
		v.Add(field, fmt.Sprintf("must be at most %d", maxStock))
	}
}

// Image URLs are either absolute https URLs or paths on our own origin.
func checkImageURL(v *apperr.Violations, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	switch {
	case len(s) > maxURLLen:
		v.Add(field, "is too long")
	case err != nil:
		v.Add(field, "is not a URL")
	case u.Scheme == "https" && u.Host != "":
	case u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(s, "//"):
	default:
		v.Add(field, "must be an https URL or a path starting with /")
	}
}
