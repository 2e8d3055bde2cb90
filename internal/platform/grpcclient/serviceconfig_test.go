package grpcclient

import (
	"encoding/json"
	"testing"
)

func TestServiceConfig(t *testing.T) {
	var plain map[string]any
	if err := json.Unmarshal([]byte(buildServiceConfig(Config{Target: "x:1"})), &plain); err != nil {
		t.Fatal(err)
	}
	if _, ok := plain["methodConfig"]; ok {
		t.Fatal("no Retry must mean no retry policy")
	}
	if _, ok := plain["retryThrottling"]; ok {
		t.Fatal("no Retry must mean no throttling")
	}

	var sc serviceConfig
	raw := buildServiceConfig(Config{Target: "x:1", Retry: []string{"/a.v1.S/Get", "/a.v1.S/List"}})
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		t.Fatal(err)
	}
	if len(sc.MethodConfig) != 1 || len(sc.MethodConfig[0].Name) != 2 ||
		sc.MethodConfig[0].Name[1] != (methodName{Service: "a.v1.S", Method: "List"}) ||
		sc.MethodConfig[0].RetryPolicy.MaxAttempts != 3 {
		t.Fatalf("method config %s", raw)
	}
}
