// Package config fills service configuration structs from environment
// variables described by struct tags.
//
//	type Config struct {
//		HTTPAddr string        `env:"HTTP_ADDR" default:":8080"`
//		DBURL    string        `env:"DATABASE_URL" required:"true"`
//		Timeout  time.Duration `env:"SHUTDOWN_TIMEOUT" default:"10s"`
//	}
//
// A variable that is set but empty counts as unset, so `FOO=` in a compose
// file falls back to the default (or fails "required") instead of silently
// producing a zero value.
package config

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
)

// Load fills the struct pointed to by dst from the process environment.
// It reports every problem at once, each naming its variable, and then runs
// the Validate methods (see LoadFrom).
func Load(dst any) error {
	return LoadFrom(os.LookupEnv, dst)
}

// validator is implemented by config structs that check what tags cannot.
type validator interface{ Validate() error }

// LoadFrom is Load with an injectable variable lookup, for tests.
//
// After filling, Validate is called on dst and on every nested struct field
// that has one, so a shared block (e.g. `Server server.Config`) validates
// itself wherever it is used. An embedded struct's Validate is skipped when
// the outer struct has a Validate: that is either the same method promoted,
// or the outer one shadows it and is responsible for calling it.
func LoadFrom(lookup func(string) (string, bool), dst any) error {
	rv := reflect.ValueOf(dst)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("config: destination must be a non-nil pointer to a struct, got %T", dst)
	}

	var errs []error
	validators := []validator{}
	if v, ok := dst.(validator); ok {
		validators = append(validators, v)
	}
	fill(lookup, rv.Elem(), &errs, &validators)

	// Validation runs even after field errors so that one run reports every
	// problem the operator has to fix.
	for _, v := range validators {
		if err := v.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Errorf returns an error naming the variable, for use in Validate methods:
// "config: VARIABLE: <formatted message>". %w in format is honoured.
func Errorf(variable, format string, args ...any) error {
	return fmt.Errorf("config: %s: %w", variable, fmt.Errorf(format, args...))
}

// fill sets the tagged fields of the addressable struct sv, recursing into
// untagged struct fields and collecting their validators.
func fill(lookup func(string) (string, bool), sv reflect.Value, errs *[]error, validators *[]validator) {
	_, parentValidates := sv.Addr().Interface().(validator)
	st := sv.Type()
	for i := range st.NumField() {
		sf := st.Field(i)
		fv := sv.Field(i)
		name, tagged := sf.Tag.Lookup("env")

		if !tagged {
			// Untagged structs (embedded or named) are grouping only: recurse
			// without a prefix. Other untagged fields are not configuration.
			if sf.Type.Kind() == reflect.Struct && sf.IsExported() {
				if v, ok := fv.Addr().Interface().(validator); ok && !(sf.Anonymous && parentValidates) {
					*validators = append(*validators, v)
				}
				fill(lookup, fv, errs, validators)
			}
			continue
		}
		if !sf.IsExported() {
			*errs = append(*errs, Errorf(name, "field %s is unexported and cannot be set", sf.Name))
			continue
		}

		raw, ok := lookup(name)
		if ok && raw == "" {
			ok = false
		}
		source := ""
		if !ok {
			if sf.Tag.Get("required") == "true" {
				*errs = append(*errs, Errorf(name, "required but not set"))
				continue
			}
			def, hasDef := sf.Tag.Lookup("default")
			if !hasDef {
				continue // keep whatever the caller pre-set
			}
			raw, source = def, " (default)"
		}
		if err := setField(fv, raw); err != nil {
			*errs = append(*errs, Errorf(name, "%v%s", err, source))
		}
	}
}

// setField parses raw into fv according to fv's type.
func setField(fv reflect.Value, raw string) error {
	p, ok := parsers[fv.Type()]
	if !ok {
		return fmt.Errorf("unsupported field type %s", fv.Type())
	}
	v, err := p(raw)
	if err != nil {
		return err
	}
	fv.Set(reflect.ValueOf(v).Convert(fv.Type()))
	return nil
}

// splitList splits a comma-separated value, trimming items and dropping
// empty ones so "a, b,," means [a b].
func splitList(raw string) []string {
	var out []string
	for item := range strings.SplitSeq(raw, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// FromMap is a LoadFrom lookup over a map, for tests and for settings that
// do not come from the process environment.
func FromMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}
