package manifestcheck

import (
	"fmt"
	"reflect"
)

// SecretPlaceholder stands in for a value a container takes from a Secret:
// the manifests name the Secret, its value is not in the repository.
const SecretPlaceholder = "<from secret>"

// ContainerEnv is the environment a container starts with: every key of
// its envFrom ConfigMaps, then its env entries (later wins, as in
// Kubernetes). Values from Secrets are SecretPlaceholder; other valueFrom
// sources are an error (the manifests use none).
func ContainerEnv(objs []Object, namespace string, c Object) (map[string]string, error) {
	env := map[string]string{}
	for _, raw := range c.List("envFrom") {
		ref := Object(raw.(map[string]any))
		name := ref.Str("configMapRef", "name")
		if name == "" {
			return nil, fmt.Errorf("container %s: envFrom other than configMapRef", c.Str("name"))
		}
		cm := FindIn(objs, "ConfigMap", namespace, name)
		if cm == nil {
			return nil, fmt.Errorf("container %s: ConfigMap %s not in the manifests", c.Str("name"), name)
		}
		for k, v := range cm.Map("data") {
			env[k] = fmt.Sprint(v)
		}
	}
	for _, raw := range c.List("env") {
		e := Object(raw.(map[string]any))
		switch {
		case e.Get("value") != nil:
			env[e.Str("name")] = fmt.Sprint(e.Get("value"))
		case e.Get("valueFrom", "secretKeyRef") != nil:
			env[e.Str("name")] = SecretPlaceholder
		case e.Get("valueFrom") == nil:
			env[e.Str("name")] = ""
		default:
			return nil, fmt.Errorf("container %s: env %s: unsupported valueFrom", c.Str("name"), e.Str("name"))
		}
	}
	return env, nil
}

func FindIn(objs []Object, kind, namespace, name string) Object {
	for _, o := range objs {
		if o.Kind() == kind && o.Name() == name && o.Namespace() == namespace {
			return o
		}
	}
	return nil
}

// EnvNames lists the variables a configuration struct reads: the env tags
// of its fields, through untagged nested structs (how
// internal/platform/config walks it).
func EnvNames(cfg any) map[string]bool {
	names := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if name, ok := f.Tag.Lookup("env"); ok {
				names[name] = true
			} else if f.Type.Kind() == reflect.Struct && f.IsExported() {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(cfg))
	return names
}
