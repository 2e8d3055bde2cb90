// Package grpcapi adapts catalog's use cases to the catalog.v1 gRPC
// contract: it converts between proto and domain types and checks who is
// calling (the admin role, the orders service); the rules are the use
// cases'. The REST facade reaches it through the gateway, so the same
// checks hold for both.
package grpcapi

import (
	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/catalog/usecase"
)

// Server implements catalogv1.CatalogServiceServer.
type Server struct {
	catalogv1.UnimplementedCatalogServiceServer
	catalog *usecase.Catalog
}

// New returns the gRPC service over the use cases.
func New(catalog *usecase.Catalog) *Server { return &Server{catalog: catalog} }
