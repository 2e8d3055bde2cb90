//go:build cluster

package cluster_test

import "github.com/shipshape-dev/shipshape/internal/clustertest"

// Every request of these tests comes from its own shopper, as the ingress
// controller would say (clustertest.ActAsShoppers);
// TestGatewayEnforcesItsEdgeRules sends from fixed clients instead.
func init() { clustertest.ActAsShoppers() }
