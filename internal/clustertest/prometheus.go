package clustertest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// Sample is one series of an instant query's result.
type Sample struct {
	Labels map[string]string
	Value  float64
}

// Query runs an instant PromQL query against the Prometheus at prom (a
// base URL) and returns its vector (a scalar result is one sample without
// labels).
func Query(prom, expr string) ([]Sample, error) {
	var resp struct {
		Data struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := GetJSON(prom+"/api/v1/query?query="+url.QueryEscape(expr), &resp); err != nil {
		return nil, err
	}
	type point struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"` // [time, "value"]
	}
	var series []point
	switch resp.Data.ResultType {
	case "vector":
		if err := json.Unmarshal(resp.Data.Result, &series); err != nil {
			return nil, fmt.Errorf("query %q: %w", expr, err)
		}
	case "scalar":
		series = make([]point, 1)
		if err := json.Unmarshal(resp.Data.Result, &series[0].Value); err != nil {
			return nil, fmt.Errorf("query %q: %w", expr, err)
		}
	default:
		return nil, fmt.Errorf("query %q: a %s result, want a vector or scalar", expr, resp.Data.ResultType)
	}
	out := make([]Sample, 0, len(series))
	for _, r := range series {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %q: value %v: %w", expr, r.Value[1], err)
		}
		out = append(out, Sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}
