//go:build cluster

package cluster_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// The PostgreSQL member's pod, deleted, comes back on the same volume as
// Patroni's leader with every committed row: a customer and an order
// written before are there after, and the services recover on their own.
func TestPostgresPodComesBackWithItsData(t *testing.T) {
	rolledOut(t)
	api := apiURL(t)
	email, me := customer(t, api)
	order := buy(t, api, me, "galley")

	pod := object(t, "pod", "postgres-0")
	uid := pod["metadata"].(map[string]any)["uid"].(string)
	claim := object(t, "pvc", "data-postgres-0")
	volume := claim["spec"].(map[string]any)["volumeName"]

	kubectl(t, "delete", "pod", "postgres-0", "--wait=true", "--timeout=120s")
	// kubectl wait fails at once on a pod that does not exist yet: the
	// StatefulSet makes the replacement a moment after the deletion
	if err := clustertest.PollErr(time.Minute, 500*time.Millisecond, func() error {
		out, err := kubectlErr("get", "pod", "postgres-0", "-o", "jsonpath={.metadata.uid}")
		if err != nil || out == "" || out == uid {
			return fmt.Errorf("no replacement yet: %v %s", err, out)
		}
		return nil
	}); err != nil {
		t.Fatalf("postgres-0 was not replaced: %v\n%s", err, diagnose())
	}
	if out, err := kubectlErr("wait", "--for=condition=Ready", "pod/postgres-0", "--timeout=240s"); err != nil {
		t.Fatalf("postgres-0 did not come back: %v\n%s\n%s", err, out, diagnose())
	}
	if got := object(t, "pvc", "data-postgres-0")["spec"].(map[string]any)["volumeName"]; got != volume {
		t.Fatalf("the claim is bound to %v now, was %v", got, volume)
	}
	checkLeaderIs(t, "postgres-0")

	// The services reconnect by themselves; the data is all there.
	var ids []string
	stacktest.Eventually(t, 2*time.Minute, "sign-in and the order history after the restart", func() bool {
		status, tokens := stacktest.Call(t, "POST", api+"/auth/signin", `{"email":"`+email+`","password":"`+password+`"}`, nil)
		if status != 200 {
			return false
		}
		me = stacktest.Bearer(tokens["accessToken"].(string))
		status, _ = stacktest.Call(t, "GET", api+"/orders?pageSize=1", "", me)
		return status == 200
	})
	ids = orderIDs(t, api, me)
	if !slices.Equal(ids, []string{order}) {
		t.Fatalf("orders after the restart %v, want [%s]", ids, order)
	}
	servingAgain(t, api)
}

// servingAgain waits until identity, catalog, cart and orders serve again
// after PostgreSQL went away: each marks itself not serving while its
// database is gone (readiness and gRPC health) and serves again by itself
// once it answers. Signing up needs identity, a product in the cart catalog
// and cart, a checkout orders and its calls to both (orders' view of the
// others' health may lag theirs: a CI run's first checkout after the
// failover test met a NOT_SERVING status while the cart already worked).
// Once a second, not faster: a checkout is limited to 5 a minute per
// customer, and each try leaves exactly one item in the cart (one added
// per try of a fast loop outgrew the stock, and no checkout could pass).
func servingAgain(t *testing.T, api string) {
	t.Helper()
	var me stacktest.Header
	clustertest.Poll(t, 2*time.Minute, time.Second, "identity, catalog, cart and orders to serve again", func() error {
		if me == nil {
			email := fmt.Sprintf("again-%d@example.com", time.Now().UnixNano())
			if status, body := stacktest.Call(t, "POST", api+"/auth/signup", fmt.Sprintf(`{"email":%q,"password":%q,"name":"Again"}`, email, password), nil); status != 201 {
				return fmt.Errorf("sign-up: %d %v", status, body)
			}
			me = signIn(t, api, email)
		}
		status, listing := stacktest.Call(t, "GET", api+"/products?pageSize=1", "", nil)
		if status != 200 {
			return fmt.Errorf("products: %d %v", status, listing)
		}
		product := listing["products"].([]any)[0].(map[string]any)["id"]
		_, _ = stacktest.Call(t, "DELETE", fmt.Sprintf("%s/cart/items/%v", api, product), "", me)
		if status, body := stacktest.Call(t, "POST", api+"/cart/items", fmt.Sprintf(`{"productId":%q,"quantity":1}`, product), me); status != 200 {
			return fmt.Errorf("add to cart: %d %v", status, body)
		}
		status, order := stacktest.Call(t, "POST", api+"/orders", card, me.With("Idempotency-Key", uuid.NewString()))
		if status != 201 || order["status"] != "ORDER_STATUS_PAID" {
			return fmt.Errorf("checkout: %d %v", status, order)
		}
		return nil
	})
}
