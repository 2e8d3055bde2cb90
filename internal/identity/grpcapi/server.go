// Package grpcapi adapts identity's use cases to the identity.v1 gRPC
// contract (and through the gateway to REST): proto in, use case, proto
// out. The rules and the error answers live in usecase.
package grpcapi

import (
	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
)

// Server implements identityv1.IdentityServiceServer.
type Server struct {
	identityv1.UnimplementedIdentityServiceServer
	identity *usecase.Identity
}

// New returns the gRPC service over the use cases.
func New(identity *usecase.Identity) *Server { return &Server{identity: identity} }
