package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
)

func toProto(p domain.Product) *catalogv1.Product {
	return &catalogv1.Product{
		Id: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description,
		Price:      &catalogv1.Money{CurrencyCode: p.Price.Currency, AmountMinor: p.Price.AmountMinor},
		CategoryId: p.CategoryID, CategorySlug: p.CategorySlug, ImageUrl: p.ImageURL, Stock: p.Stock,
		CreateTime: timestamppb.New(p.CreatedAt), UpdateTime: timestamppb.New(p.UpdatedAt),
	}
}

func toProtos(ps []domain.Product) []*catalogv1.Product {
	out := make([]*catalogv1.Product, len(ps))
	for i, p := range ps {
		out[i] = toProto(p)
	}
	return out
}

func fromMoney(m *catalogv1.Money) domain.Money {
	return domain.Money{Currency: m.GetCurrencyCode(), AmountMinor: m.GetAmountMinor()}
}

var statuses = map[domain.ReservationStatus]catalogv1.ReservationStatus{
	domain.StatusHeld:      catalogv1.ReservationStatus_RESERVATION_STATUS_HELD,
	domain.StatusConfirmed: catalogv1.ReservationStatus_RESERVATION_STATUS_CONFIRMED,
	domain.StatusReleased:  catalogv1.ReservationStatus_RESERVATION_STATUS_RELEASED,
	domain.StatusExpired:   catalogv1.ReservationStatus_RESERVATION_STATUS_EXPIRED,
}

func toReservation(r domain.Reservation) *catalogv1.Reservation {
	out := &catalogv1.Reservation{Id: r.ID, Status: statuses[r.Status], ExpireTime: timestamppb.New(r.ExpiresAt)}
	for _, it := range r.Items {
		out.Items = append(out.Items, &catalogv1.StockItem{ProductId: it.ProductID, Quantity: it.Quantity})
	}
	return out
}
