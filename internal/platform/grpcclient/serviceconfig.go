package grpcclient

import "encoding/json"

// serviceConfig is the gRPC service config (gRFC A2) every client gets.
type serviceConfig struct {
	LoadBalancingConfig []map[string]struct{} `json:"loadBalancingConfig"`
	HealthCheckConfig   healthCheckConfig     `json:"healthCheckConfig"`
	MethodConfig        []methodConfig        `json:"methodConfig,omitempty"`
	RetryThrottling     *retryThrottling      `json:"retryThrottling,omitempty"`
}

type healthCheckConfig struct {
	ServiceName string `json:"serviceName"`
}

type methodName struct {
	Service string `json:"service"`
	Method  string `json:"method"`
}

type methodConfig struct {
	Name        []methodName `json:"name"`
	RetryPolicy retryPolicy  `json:"retryPolicy"`
}

type retryPolicy struct {
	MaxAttempts          int      `json:"maxAttempts"`
	InitialBackoff       string   `json:"initialBackoff"`
	MaxBackoff           string   `json:"maxBackoff"`
	BackoffMultiplier    float64  `json:"backoffMultiplier"`
	RetryableStatusCodes []string `json:"retryableStatusCodes"`
}

type retryThrottling struct {
	MaxTokens  int     `json:"maxTokens"`
	TokenRatio float64 `json:"tokenRatio"`
}

// buildServiceConfig returns the JSON service config for c, which must be
// valid.
func buildServiceConfig(c Config) string {
	sc := serviceConfig{
		// gRPC's default, pick_first, pins every call to one pod for the
		// life of the connection.
		LoadBalancingConfig: []map[string]struct{}{{"round_robin": {}}},
		// Health checking against the overall ("") status takes a pod out
		// of rotation as soon as it drains or loses its database, before
		// DNS catches up. A server without the health service counts as
		// healthy.
		HealthCheckConfig: healthCheckConfig{ServiceName: ""},
	}
	if len(c.Retry) > 0 {
		var names []methodName
		for _, m := range c.Retry {
			service, method, _ := splitMethod(m)
			names = append(names, methodName{Service: service, Method: method})
		}
		sc.MethodConfig = []methodConfig{{Name: names, RetryPolicy: retryPolicy{
			MaxAttempts: 3, InitialBackoff: "0.05s", MaxBackoff: "0.5s", BackoffMultiplier: 2,
			RetryableStatusCodes: []string{"UNAVAILABLE"},
		}}}
		// Stops retrying while most calls fail, so retries cannot multiply
		// the load on a service that is already down.
		sc.RetryThrottling = &retryThrottling{MaxTokens: 10, TokenRatio: 0.1}
	}
	out, err := json.Marshal(sc)
	if err != nil {
		panic(err) // plain structs of strings and numbers always marshal
	}
	return string(out)
}
