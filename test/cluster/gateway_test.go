//go:build cluster

package cluster_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape-dev/shipshape/internal/clustertest"
	"github.com/shipshape-dev/shipshape/internal/gateway/krakend"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

const gatewaySelector = "app.kubernetes.io/name=gateway,app.kubernetes.io/component=gateway"

// A rolling update of the gateway itself under steady load loses no
// request: the new pod is Ready before the old one leaves the Service,
// and the old one, on SIGTERM, keeps serving through its drain (-drain)
// and finishes what it accepted.
func TestRollingUpdateOfGatewayLosesNoRequest(t *testing.T) {
	rolledOut(t)
	rollingUpdateLosesNoRequest(t, "gateway", gatewaySelector, catalogTraffic(t))
}

// The gateway in the cluster enforces the edge rules of the configuration
// it was deployed with: a protected route refuses a request without a
// valid token itself (cart never sees it), a body over max_payload gets
// 413 before identity sees it, and a client's burst beyond its bucket gets
// 429 while another client is still served.
func TestGatewayEnforcesItsEdgeRules(t *testing.T) {
	rolledOut(t)
	api := apiURL(t)
	cfg := deployedGatewayConfig(t)

	cart := serviceRequests(t, "cart", "/v1/cart")
	before := cart()
	forged := unsignedToken(t)
	for name, h := range map[string]stacktest.Header{"no token": nil, "alg none": stacktest.Bearer(forged), "garbage": stacktest.Bearer("x.y.z")} {
		if status, body := stacktest.Call(t, "GET", api+"/cart", "", h); status != http.StatusUnauthorized || body != nil {
			t.Errorf("cart with %s: %d %v, want 401 with no body (the gateway's)", name, status, body)
		}
	}
	if n := cart(); n != before {
		t.Errorf("cart served %d GET /v1/cart during the refused requests, want 0", n-before)
	}
	_, me := customer(t, api)
	if status, body := stacktest.Call(t, "GET", api+"/cart", "", me); status != 200 || cart() != before+1 {
		t.Errorf("cart with a valid token: %d %v, cart's count %d, want 200 and %d", status, body, cart(), before+1)
	}

	limit := cfg.ExtraConfig.Router.MaxPayload
	if limit <= 0 {
		t.Fatal("the deployed configuration has no router max_payload")
	}
	signup := serviceRequests(t, "identity", "/v1/auth/signup")
	before = signup()
	big := fmt.Sprintf(`{"email":"big@example.com","password":%q,"name":"%s"}`, password, strings.Repeat("a", int(limit)))
	if status, body := stacktest.Call(t, "POST", api+"/auth/signup", big, nil); status != http.StatusRequestEntityTooLarge || body != nil {
		t.Errorf("sign-up with a %d-byte body: %d %v, want 413 from the gateway", len(big), status, body)
	}
	if n := signup(); n != before {
		t.Errorf("identity saw %d sign-ups of the oversized body, want 0", n-before)
	}

	// Buckets are per gateway pod: with one (development's replica count)
	// a client meets exactly one. A pod replaced by an earlier rollout keeps
	// serving the connections it holds while it drains, and the test's
	// client may hold one of them (a burst once met two buckets, 18
	// requests for a capacity of 10): wait until such a pod is gone, not
	// only until it stops counting as running.
	stacktest.Eventually(t, 2*time.Minute, "exactly one gateway pod, none terminating", func() bool {
		return len(podNames(t, gatewaySelector)) == 1 && len(runningPods(t, gatewaySelector)) == 1
	})
	burst(t, cfg, api, "GET", "/categories", func(int) string { return "" })
	// Unknown accounts, each tried once: identity's own throttle of failed
	// sign-ins (per account) stays out of the way.
	burst(t, cfg, api, "POST", "/auth/signin", func(i int) string {
		return fmt.Sprintf(`{"email":"nobody-%d-%d@example.com","password":"wrong password"}`, time.Now().UnixNano(), i)
	})
}

// burst sends the endpoint's requests (the i-th with body(i)) from one new
// client until the gateway answers 429, and checks that this happens once
// the client's bucket (client_capacity, plus what it refilled meanwhile) is
// spent, and that another client is served meanwhile.
func burst(t *testing.T, cfg krakend.Config, api, method, path string, body func(i int) string) {
	t.Helper()
	rl := rateLimit(t, cfg, method, "/api/v1"+path)
	every, err := time.ParseDuration(rl.Every)
	if err != nil {
		t.Fatalf("%s %s: every %q: %v", method, path, rl.Every, err)
	}
	client := stacktest.Header{"X-Forwarded-For": clustertest.NewClientAddress()}
	start, served := time.Now(), 0
	for ; served <= 10*rl.ClientCapacity; served++ {
		status, answer := stacktest.Call(t, method, api+path, body(served), client)
		if status == http.StatusTooManyRequests {
			if answer != nil {
				t.Fatalf("%s %s: 429 from the service (%v), not the gateway", method, path, answer)
			}
			break
		}
	}
	elapsed := time.Since(start)
	refilled := int(math.Ceil(rl.ClientMaxRate * elapsed.Seconds() / every.Seconds()))
	t.Logf("%s %s: client_capacity %d, client_max_rate %g per %s: 429 after %d requests in %v",
		method, path, rl.ClientCapacity, rl.ClientMaxRate, rl.Every, served, elapsed.Round(time.Millisecond))
	if served < rl.ClientCapacity || served > rl.ClientCapacity+refilled {
		t.Errorf("%s %s: 429 after %d requests, want after %d to %d", method, path, served, rl.ClientCapacity, rl.ClientCapacity+refilled)
	}
	other := stacktest.Header{"X-Forwarded-For": clustertest.NewClientAddress()}
	if status, _ := stacktest.Call(t, method, api+path, body(-1), other); status == http.StatusTooManyRequests {
		t.Errorf("%s %s: another client got 429 too", method, path)
	}
}

// deployedGatewayConfig is the krakend.json that the gateway's Deployment
// mounts, decoded strictly.
func deployedGatewayConfig(t *testing.T) krakend.Config {
	t.Helper()
	name := strings.TrimSpace(kubectl(t, "get", "deployment", "gateway", "-o",
		`jsonpath={.spec.template.spec.volumes[?(@.name=="config")].configMap.name}`))
	data := kubectl(t, "get", "configmap", name, "-o", `jsonpath={.data.krakend\.json}`)
	cfg, err := krakend.Decode([]byte(data))
	if err != nil {
		t.Fatalf("configmap %s: %v", name, err)
	}
	return cfg
}

func rateLimit(t *testing.T, cfg krakend.Config, method, endpoint string) *krakend.RateLimit {
	t.Helper()
	for _, e := range cfg.Endpoints {
		if e.Name() == method+" "+endpoint && e.ExtraConfig.RateLimit != nil {
			return e.ExtraConfig.RateLimit
		}
	}
	t.Fatalf("the deployed configuration has no rate limit for %s %s", method, endpoint)
	return nil
}

// serviceRequests returns a function counting the requests the one pod of
// app has answered on route (its REST facade's http_requests_total, read
// from its admin port).
func serviceRequests(t *testing.T, app, route string) func() int {
	t.Helper()
	url := fmt.Sprintf("http://%s:9091/metrics", podIP(t, firstPod(t, app)))
	return func() int {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("%s metrics: %v", app, err)
		}
		defer resp.Body.Close()
		total := 0
		lines := bufio.NewScanner(resp.Body)
		for lines.Scan() {
			line := lines.Text()
			if !strings.HasPrefix(line, "http_requests_total{") || !strings.Contains(line, `route="`+route+`"`) {
				continue
			}
			n, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err != nil {
				t.Fatalf("%s metrics: %q: %v", app, line, err)
			}
			total += int(n)
		}
		if err := lines.Err(); err != nil {
			t.Fatalf("%s metrics: %v", app, err)
		}
		return total
	}
}

// unsignedToken is a token with the right issuer and audience and
// "alg": "none", which no validator may accept.
func unsignedToken(t *testing.T) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	claims := fmt.Sprintf(`{"iss":"shipshape-identity","aud":["shipshape"],"sub":"forged","exp":%d}`, time.Now().Add(time.Hour).Unix())
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc([]byte(claims)) + "."
}
