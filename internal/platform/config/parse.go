package config

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// parsers maps each supported field type to its parser. Keyed by exact type
// (not kind) so that time.Duration is not mistaken for a plain int64 and
// named types such as `type Mode string` are rejected rather than guessed.
var parsers = map[reflect.Type]func(string) (any, error){
	reflect.TypeFor[string]():        func(s string) (any, error) { return s, nil },
	reflect.TypeFor[bool]():          parseBool,
	reflect.TypeFor[int]():           parseInt,
	reflect.TypeFor[int64]():         parseInt64,
	reflect.TypeFor[float64]():       parseFloat,
	reflect.TypeFor[time.Duration](): parseDuration,
	reflect.TypeFor[[]string]():      func(s string) (any, error) { return splitList(s), nil },
}

func parseBool(s string) (any, error) {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return nil, fmt.Errorf("invalid boolean %q", s)
	}
	return v, nil
}

func parseInt(s string) (any, error) {
	v, err := strconv.ParseInt(s, 10, strconv.IntSize)
	if err != nil {
		return nil, fmt.Errorf("invalid integer %q", s)
	}
	return int(v), nil
}

func parseInt64(s string) (any, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid integer %q", s)
	}
	return v, nil
}

func parseFloat(s string) (any, error) {
	v, err := strconv.ParseFloat(s, 64)
	// NaN and Inf parse fine but are never meaningful settings.
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("invalid number %q", s)
	}
	return v, nil
}

func parseDuration(s string) (any, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return nil, fmt.Errorf("invalid duration %q", s)
	}
	return v, nil
}
