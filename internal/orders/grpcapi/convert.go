package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	ordersv1 "github.com/shipshape-dev/shipshape/api/orders/v1"
	"github.com/shipshape-dev/shipshape/internal/orders/domain"
)

// toStatus shows a cancel in progress as cancelled: it was decided, cannot
// be undone, and recovery finishes it.
var toStatus = map[domain.Status]ordersv1.OrderStatus{
	domain.StatusPaid:       ordersv1.OrderStatus_ORDER_STATUS_PAID,
	domain.StatusShipped:    ordersv1.OrderStatus_ORDER_STATUS_SHIPPED,
	domain.StatusDelivered:  ordersv1.OrderStatus_ORDER_STATUS_DELIVERED,
	domain.StatusCancelling: ordersv1.OrderStatus_ORDER_STATUS_CANCELLED,
	domain.StatusCancelled:  ordersv1.OrderStatus_ORDER_STATUS_CANCELLED,
}

// fromStatus lists the statuses an admin may set (paid is only ever set by
// checkout).
var fromStatus = map[ordersv1.OrderStatus]domain.Status{
	ordersv1.OrderStatus_ORDER_STATUS_SHIPPED:   domain.StatusShipped,
	ordersv1.OrderStatus_ORDER_STATUS_DELIVERED: domain.StatusDelivered,
	ordersv1.OrderStatus_ORDER_STATUS_CANCELLED: domain.StatusCancelled,
}

func money(currency string, minor int64) *ordersv1.Money {
	return &ordersv1.Money{CurrencyCode: currency, AmountMinor: minor}
}

func toProto(o domain.Order) *ordersv1.Order {
	out := &ordersv1.Order{Id: o.ID, UserId: o.UserID, Status: toStatus[o.Status], Total: money(o.Total.Currency, o.Total.AmountMinor),
		CardLast4: o.CardLast4, CreateTime: timestamppb.New(o.CreatedAt), UpdateTime: timestamppb.New(o.UpdatedAt)}
	for _, l := range o.Lines {
		out.Lines = append(out.Lines, &ordersv1.OrderLine{ProductId: l.ProductID, Slug: l.Slug, Name: l.Name,
			UnitPrice: money(o.Total.Currency, l.UnitPrice), Quantity: l.Quantity, LineTotal: money(o.Total.Currency, l.Total())})
	}
	return out
}
