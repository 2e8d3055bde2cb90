package alertcheck

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// RouteCase is one routing expectation: an alert's labels and the
// receivers Alertmanager must send it to.
type RouteCase struct {
	Labels    map[string]string `yaml:"labels"`
	Receivers []string          `yaml:"receivers"`
}

// ReadRouteCases reads a routes test file (a YAML list of RouteCase).
func ReadRouteCases(path string) ([]RouteCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cases []RouteCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%s: no routing cases", path)
	}
	return cases, nil
}

// CheckConfig runs `amtool check-config` on an Alertmanager configuration.
func CheckConfig(amtool, config string) error {
	if out, err := run("", amtool, "check-config", config); err != nil {
		return fmt.Errorf("amtool check-config %s: %v\n%s", config, err, out)
	}
	return nil
}

// TestRoute runs `amtool config routes test` for one case: it fails unless
// the configuration routes the labels to exactly c.Receivers.
func TestRoute(amtool, config string, c RouteCase) error {
	args := []string{"config", "routes", "test", "--config.file=" + config,
		"--verify.receivers=" + strings.Join(c.Receivers, ",")}
	keys := make([]string, 0, len(c.Labels))
	for k := range c.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, k+"="+c.Labels[k])
	}
	if out, err := run("", amtool, args...); err != nil {
		return fmt.Errorf("labels %v: want receivers %v: %v\n%s", c.Labels, c.Receivers, err, out)
	}
	return nil
}
