package krakend

// Go types of every KrakenD CE field the configuration uses (field names
// from the KrakenD v2.13 schema). Decode refuses anything else, so a
// misspelled field, or one the types do not know yet, fails the checks
// instead of being silently ignored by KrakenD. A field added to the
// templates must be added here too.

// Config is the root of the KrakenD configuration (syntax version 3).
type Config struct {
	Schema            string       `json:"$schema"`
	Version           int          `json:"version"`
	Name              string       `json:"name"`
	Port              int          `json:"port"`
	Timeout           string       `json:"timeout"`
	ReadHeaderTimeout string       `json:"read_header_timeout"`
	ReadTimeout       string       `json:"read_timeout"`
	WriteTimeout      string       `json:"write_timeout"`
	IdleTimeout       string       `json:"idle_timeout"`
	MaxHeaderBytes    int          `json:"max_header_bytes"`
	OutputEncoding    string       `json:"output_encoding"`
	DebugEndpoint     bool         `json:"debug_endpoint"`
	ExtraConfig       ServiceExtra `json:"extra_config"`
	Endpoints         []Endpoint   `json:"endpoints"`
}

// ServiceExtra is the root extra_config: service-wide components.
type ServiceExtra struct {
	CORS         *CORS         `json:"security/cors"`
	HTTPSecurity *HTTPSecurity `json:"security/http"`
	Router       *Router       `json:"router"`
	Logging      *Logging      `json:"telemetry/logging"`
}

// CORS is security/cors.
type CORS struct {
	AllowOrigins     []string `json:"allow_origins"`
	AllowMethods     []string `json:"allow_methods"`
	AllowHeaders     []string `json:"allow_headers"`
	ExposeHeaders    []string `json:"expose_headers"`
	AllowCredentials bool     `json:"allow_credentials"`
	MaxAge           string   `json:"max_age"`
}

// HTTPSecurity is security/http: response headers and HTTPS handling.
type HTTPSecurity struct {
	FrameDeny             bool              `json:"frame_deny"`
	ContentTypeNosniff    bool              `json:"content_type_nosniff"`
	BrowserXSSFilter      bool              `json:"browser_xss_filter"`
	ReferrerPolicy        string            `json:"referrer_policy"`
	ContentSecurityPolicy string            `json:"content_security_policy"`
	SSLRedirect           bool              `json:"ssl_redirect"`
	IsDevelopment         bool              `json:"is_development"`
	STSSeconds            int               `json:"sts_seconds"`
	STSIncludeSubdomains  bool              `json:"sts_include_subdomains"`
	SSLProxyHeaders       map[string]string `json:"ssl_proxy_headers"`
}

// Router is the router namespace: gin options, client IPs behind proxies.
// ForwardedByClientIP is a pointer because leaving it out is not false:
// KrakenD's engine (gin) then reads client IPs from X-Forwarded-For and
// X-Real-IP, trusting every peer unless trusted_proxies narrows it.
type Router struct {
	DisableRedirectFixedPath     bool     `json:"disable_redirect_fixed_path"`
	DisableRedirectTrailingSlash bool     `json:"disable_redirect_trailing_slash"`
	HideVersionHeader            bool     `json:"hide_version_header"`
	ReturnErrorMsg               bool     `json:"return_error_msg"`
	LoggerSkipPaths              []string `json:"logger_skip_paths"`
	ForwardedByClientIP          *bool    `json:"forwarded_by_client_ip"`
	RemoteIPHeaders              []string `json:"remote_ip_headers"`
	TrustedProxies               []string `json:"trusted_proxies"`
	// MaxPayload is the largest request body in bytes (KrakenD Enterprise;
	// shipshape's gateway enforces it, KrakenD CE ignores it).
	MaxPayload int64 `json:"max_payload"`
}

// Logging is telemetry/logging.
type Logging struct {
	Level  string `json:"level"`
	Prefix string `json:"prefix"`
	Stdout bool   `json:"stdout"`
}
