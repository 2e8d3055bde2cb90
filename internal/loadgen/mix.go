// Package loadgen drives the public API with an open model: arrivals at a
// set rate whatever the system's speed, so a slow system shows as latency
// and errors instead of quietly slowing the client down. What arrives is a
// traffic mix defined as data (shop-mix.yaml); what comes out is a report
// per route (latency quantiles and outcome counts) as JSON and markdown.
package loadgen

import (
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ShopMix is the default mix: browsing, search, product pages, sign-in,
// cart changes and checkout, weighted like a shop's traffic.
//
//go:embed shop-mix.yaml
var ShopMix []byte

// Mix is a traffic mix: journeys with weights, and the words searches use.
type Mix struct {
	Journeys    []Journey `yaml:"journeys"`
	SearchTerms []string  `yaml:"searchTerms"`
}

// Journey is what one arrival does: its steps, in order.
type Journey struct {
	Name   string `yaml:"name"`
	Weight int    `yaml:"weight"`
	Steps  []Step `yaml:"steps"`
}

// Step is one request of a journey.
type Step struct {
	Route      string `yaml:"route"`
	Method     string `yaml:"method"`
	Path       string `yaml:"path"`
	Body       string `yaml:"body"`
	Auth       string `yaml:"auth"`
	Idempotent bool   `yaml:"idempotent"`
}

var placeholder = regexp.MustCompile(`\{[a-z.]+\}`)

// placeholders are the values a journey binds.
var placeholders = map[string]bool{
	"{category}": true, "{term}": true, "{product.id}": true, "{product.slug}": true,
	"{user.email}": true, "{user.password}": true,
}

var methods = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}

// ReadMix parses the mix in file, or the shop mix when file is empty.
func ReadMix(file string) (Mix, error) {
	data := ShopMix
	if file != "" {
		var err error
		if data, err = os.ReadFile(file); err != nil {
			return Mix{}, fmt.Errorf("mix: %w", err)
		}
	}
	return ParseMix(data)
}

// ParseMix reads a mix and checks it; an error names the offending field.
func ParseMix(data []byte) (Mix, error) {
	var m Mix
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return Mix{}, fmt.Errorf("mix: %w", err)
	}
	return m, m.validate()
}

func (m Mix) validate() error {
	if len(m.Journeys) == 0 {
		return fmt.Errorf("mix: journeys: at least one is required")
	}
	for i, j := range m.Journeys {
		at := fmt.Sprintf("mix: journeys[%d]", i)
		switch {
		case j.Name == "":
			return fmt.Errorf("%s.name: is required", at)
		case j.Weight <= 0:
			return fmt.Errorf("%s (%s).weight: must be positive", at, j.Name)
		case len(j.Steps) == 0:
			return fmt.Errorf("%s (%s).steps: at least one is required", at, j.Name)
		}
		for k, s := range j.Steps {
			if err := s.validate(); err != nil {
				return fmt.Errorf("%s (%s).steps[%d].%w", at, j.Name, k, err)
			}
			if strings.Contains(s.Path+s.Body, "{term}") && len(m.SearchTerms) == 0 {
				return fmt.Errorf("mix: searchTerms: a step uses {term}, so at least one is required")
			}
		}
	}
	return nil
}

func (s Step) validate() error {
	switch {
	case s.Route == "":
		return fmt.Errorf("route: is required")
	case !methods[s.Method]:
		return fmt.Errorf("method: %q is not GET, POST, PUT, PATCH or DELETE", s.Method)
	case !strings.HasPrefix(s.Path, "/"):
		return fmt.Errorf("path: %q must start with /", s.Path)
	case s.Auth != "" && s.Auth != "user":
		return fmt.Errorf("auth: %q must be empty or user", s.Auth)
	}
	for _, p := range placeholder.FindAllString(s.Path+s.Body, -1) {
		if !placeholders[p] {
			return fmt.Errorf("path/body: unknown placeholder %s", p)
		}
	}
	return nil
}

// Anonymous is the mix without the journeys that need a signed-up user:
// the browsing a visitor does (catalog's traffic), with the same weights
// among them.
func (m Mix) Anonymous() Mix {
	out := Mix{SearchTerms: m.SearchTerms}
	for _, j := range m.Journeys {
		if !j.needsUser() {
			out.Journeys = append(out.Journeys, j)
		}
	}
	return out
}

// needsUsers says whether any step needs a signed-up user.
func (m Mix) needsUsers() bool {
	for _, j := range m.Journeys {
		if j.needsUser() {
			return true
		}
	}
	return false
}

func (j Journey) needsUser() bool {
	for _, s := range j.Steps {
		if s.Auth == "user" || strings.Contains(s.Path+s.Body, "{user.") {
			return true
		}
	}
	return false
}
