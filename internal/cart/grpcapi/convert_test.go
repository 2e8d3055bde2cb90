package grpcapi

import (
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/cart/domain"
)

func TestToProto(t *testing.T) {
	lantern := domain.Product{ID: "p1", Slug: "storm-lantern", Name: "Storm Lantern", ImageURL: "/i.svg",
		Price: domain.Money{Currency: "EUR", AmountMinor: 4500}, Stock: 6}
	c, err := domain.Price(domain.Cart{Version: 3, UpdatedAt: time.Unix(1700000000, 0),
		Lines: []domain.Line{{ProductID: "p1", Quantity: 2}, {ProductID: "gone", Quantity: 1}}},
		map[string]domain.Product{"p1": lantern})
	if err != nil {
		t.Fatal(err)
	}
	pb := toProto(c)
	item := pb.GetItems()[0]
	if item.GetSlug() != "storm-lantern" || item.GetImageUrl() != "/i.svg" || item.GetAvailable() != 6 ||
		item.GetUnitPrice().GetAmountMinor() != 4500 || item.GetLineTotal().GetAmountMinor() != 9000 {
		t.Fatalf("item = %v", item)
	}
	gone := pb.GetItems()[1]
	if gone.GetProductId() != "gone" || gone.GetQuantity() != 1 || gone.GetUnitPrice() != nil || gone.GetAvailable() != 0 {
		t.Fatalf("unknown item = %v", gone)
	}
	if pb.GetSubtotal().GetAmountMinor() != 9000 || pb.GetSubtotal().GetCurrencyCode() != "EUR" || pb.GetItemCount() != 3 ||
		pb.GetVersion() != 3 || pb.GetUpdateTime().AsTime().Unix() != 1700000000 {
		t.Fatalf("cart = %v", pb)
	}
	empty := toProto(domain.PricedCart{})
	if empty.GetUpdateTime() != nil || empty.GetSubtotal() == nil || len(empty.GetItems()) != 0 {
		t.Fatalf("empty cart = %v", empty)
	}
}
