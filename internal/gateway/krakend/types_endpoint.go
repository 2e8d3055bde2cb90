package krakend

// Endpoint is one public route of the gateway.
type Endpoint struct {
	Endpoint          string        `json:"endpoint"`
	Method            string        `json:"method"`
	OutputEncoding    string        `json:"output_encoding"`
	Timeout           string        `json:"timeout"`
	InputQueryStrings []string      `json:"input_query_strings"`
	InputHeaders      []string      `json:"input_headers"`
	ExtraConfig       EndpointExtra `json:"extra_config"`
	Backend           []Backend     `json:"backend"`
}

// Name is how messages refer to the endpoint: "GET /api/v1/cart". KrakenD's
// method defaults to GET.
func (e Endpoint) Name() string {
	method := e.Method
	if method == "" {
		method = "GET"
	}
	return method + " " + e.Endpoint
}

// EndpointExtra is an endpoint's extra_config.
type EndpointExtra struct {
	Validator *Validator `json:"auth/validator"`
	RateLimit *RateLimit `json:"qos/ratelimit/router"`
}

// Validator is auth/validator: JWT validation against a JWKS.
type Validator struct {
	Alg                  string   `json:"alg"`
	JWKURL               string   `json:"jwk_url"`
	DisableJWKSecurity   bool     `json:"disable_jwk_security"`
	Cache                bool     `json:"cache"`
	CacheDuration        int      `json:"cache_duration"`
	FailedJWKKeyCooldown string   `json:"failed_jwk_key_cooldown"`
	Issuer               string   `json:"issuer"`
	Audience             []string `json:"audience"`
	OperationDebug       bool     `json:"operation_debug"`
	RolesKey             string   `json:"roles_key"`
	Roles                []string `json:"roles"`
}

// RateLimit is qos/ratelimit/router: a token bucket for the endpoint as a
// whole (max_rate) and one per client (client_max_rate), refilled every
// "every".
type RateLimit struct {
	MaxRate        float64 `json:"max_rate"`
	Capacity       int     `json:"capacity"`
	ClientMaxRate  float64 `json:"client_max_rate"`
	ClientCapacity int     `json:"client_capacity"`
	Every          string  `json:"every"`
	// Strategy identifies a client: "ip", or "header" with Key.
	Strategy string `json:"strategy"`
	Key      string `json:"key"`
}

// Backend is one call an endpoint makes to a service.
type Backend struct {
	Host        []string     `json:"host"`
	URLPattern  string       `json:"url_pattern"`
	Method      string       `json:"method"`
	Encoding    string       `json:"encoding"`
	Group       string       `json:"group"`
	ExtraConfig BackendExtra `json:"extra_config"`
}

// BackendExtra is a backend's extra_config.
type BackendExtra struct {
	CircuitBreaker *CircuitBreaker `json:"qos/circuit-breaker"`
}

// CircuitBreaker is qos/circuit-breaker: after MaxErrors consecutive errors
// within Interval seconds the backend is not called for Timeout seconds.
type CircuitBreaker struct {
	Interval        int    `json:"interval"`
	Timeout         int    `json:"timeout"`
	MaxErrors       int    `json:"max_errors"`
	Name            string `json:"name"`
	LogStatusChange bool   `json:"log_status_change"`
}
