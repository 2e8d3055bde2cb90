package manifestcheck

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// quantitySuffixes are the Kubernetes quantity suffixes the manifests use.
var quantitySuffixes = []struct {
	suffix string
	factor float64
}{
	{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"Ti", 1 << 40},
	{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"m", 1e-3},
}

// ParseQuantity reads a Kubernetes quantity ("150m", "2Gi", "1", 0.5) as a
// number of base units (cores, bytes).
func ParseQuantity(v any) (float64, error) {
	switch v := v.(type) {
	case int:
		return float64(v), nil
	case float64:
		return v, nil
	case string:
		for _, s := range quantitySuffixes {
			if num, ok := strings.CutSuffix(v, s.suffix); ok {
				f, err := strconv.ParseFloat(num, 64)
				if err != nil {
					return 0, fmt.Errorf("quantity %q: %w", v, err)
				}
				return f * s.factor, nil
			}
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("quantity %q: %w", v, err)
		}
		return f, nil
	}
	return 0, fmt.Errorf("quantity %v: unexpected type %T", v, v)
}

// Resources are CPU in millicores and memory in bytes.
type Resources struct {
	MilliCPU int64
	Memory   int64
}

func (r Resources) Add(o Resources) Resources {
	return Resources{r.MilliCPU + o.MilliCPU, r.Memory + o.Memory}
}

func (r Resources) Sub(o Resources) Resources {
	return Resources{r.MilliCPU - o.MilliCPU, r.Memory - o.Memory}
}

func (r Resources) Times(n int) Resources {
	return Resources{r.MilliCPU * int64(n), r.Memory * int64(n)}
}

func (r Resources) Max(o Resources) Resources {
	return Resources{max(r.MilliCPU, o.MilliCPU), max(r.Memory, o.Memory)}
}

// Fits reports whether r fits in capacity c.
func (r Resources) Fits(c Resources) bool { return r.MilliCPU <= c.MilliCPU && r.Memory <= c.Memory }

// CPU and Mem format for people: "8.35 CPU", "7.9 GiB".
func (r Resources) CPU() string { return strconv.FormatFloat(float64(r.MilliCPU)/1000, 'f', 2, 64) }
func (r Resources) Mem() string {
	return strconv.FormatFloat(float64(r.Memory)/(1<<30), 'f', 2, 64)
}

// containerResources reads resources.<kind> (requests or limits) of a container.
func containerResources(c Object, kind string) (Resources, error) {
	var r Resources
	if v := c.Get("resources", kind, "cpu"); v != nil {
		f, err := ParseQuantity(v)
		if err != nil {
			return r, err
		}
		r.MilliCPU = int64(math.Round(f * 1000))
	}
	if v := c.Get("resources", kind, "memory"); v != nil {
		f, err := ParseQuantity(v)
		if err != nil {
			return r, err
		}
		r.Memory = int64(math.Round(f))
	}
	return r, nil
}

// PodResources is what the scheduler and quotas count for one pod of a
// workload: the sum over its containers, or the largest init container if
// that is more (init containers run one at a time, before the others).
func PodResources(workload Object, kind string) (Resources, error) {
	tpl := workload.PodTemplate()
	var sum, initMax Resources
	for _, key := range []string{"containers", "initContainers"} {
		for _, raw := range tpl.List("spec", key) {
			m, _ := raw.(map[string]any)
			r, err := containerResources(Object(m), kind)
			if err != nil {
				return Resources{}, fmt.Errorf("%s: %w", workload.ID(), err)
			}
			if key == "containers" {
				sum = sum.Add(r)
			} else {
				initMax = initMax.Max(r)
			}
		}
	}
	return sum.Max(initMax), nil
}
