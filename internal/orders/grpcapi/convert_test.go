package grpcapi

import (
	"encoding/base64"
	"testing"
	"time"

	ordersv1 "github.com/shipshape-dev/shipshape/api/orders/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

func TestToProto(t *testing.T) {
	created := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	o := domain.Order{ID: "o1", UserID: "alice", Status: domain.StatusShipped, CardLast4: "4242", PaymentID: "secret-charge-id",
		Total: domain.Money{Currency: "EUR", AmountMinor: 10070}, CreatedAt: created, UpdatedAt: created.Add(time.Hour),
		Lines: []domain.Line{{ProductID: "p1", Slug: "storm-lantern", Name: "Storm Lantern", UnitPrice: 3290, Quantity: 2}}}
	pb := toProto(o)
	if pb.GetId() != "o1" || pb.GetUserId() != "alice" || pb.GetStatus() != ordersv1.OrderStatus_ORDER_STATUS_SHIPPED ||
		pb.GetCardLast4() != "4242" || pb.GetTotal().GetAmountMinor() != 10070 || pb.GetTotal().GetCurrencyCode() != "EUR" ||
		!pb.GetCreateTime().AsTime().Equal(created) || !pb.GetUpdateTime().AsTime().Equal(created.Add(time.Hour)) {
		t.Fatalf("order = %v", pb)
	}
	l := pb.GetLines()[0]
	if l.GetSlug() != "storm-lantern" || l.GetQuantity() != 2 || l.GetUnitPrice().GetAmountMinor() != 3290 ||
		l.GetLineTotal().GetAmountMinor() != 6580 || l.GetLineTotal().GetCurrencyCode() != "EUR" {
		t.Fatalf("line = %v", l)
	}
	for s := range toStatus {
		if toProto(domain.Order{Status: s}).GetStatus() == ordersv1.OrderStatus_ORDER_STATUS_UNSPECIFIED {
			t.Errorf("status %s has no proto value", s)
		}
	}
}

func TestCursorRoundTripAndForgery(t *testing.T) {
	c := domain.Cursor{CreatedAt: time.Date(2026, 11, 27, 10, 0, 0, 123456789, time.UTC), ID: "0b7f0c42-5d5e-4a5f-9f55-3c1c2a4d7e10"}
	got, err := decodeCursor(encodeCursor(c))
	if err != nil || !got.CreatedAt.Equal(c.CreatedAt) || got.ID != c.ID {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	if got, err := decodeCursor(""); err != nil || got != (domain.Cursor{}) {
		t.Fatalf("empty token = %+v, %v; want the start", got, err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	for _, bad := range []string{"!!!", enc([]byte("no separator")), enc([]byte("yesterday|" + c.ID)),
		enc([]byte(c.CreatedAt.Format(time.RFC3339Nano) + "|not-a-uuid"))} {
		if _, err := decodeCursor(bad); err == nil {
			t.Errorf("token %q accepted", bad)
		}
	}
}
