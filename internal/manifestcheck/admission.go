package manifestcheck

import (
	"slices"
	"strings"
)

// RegoMessagesAnnotation, on a ValidatingAdmissionPolicy, lists (one per
// line) parts of the manifest-time policies' messages for the rules the
// admission policy enforces: the link that keeps the two from drifting
// apart (deploy/kubernetes/infrastructure/base/admission).
const RegoMessagesAnnotation = "shipshape.dev/rego-messages"

// AdmissionPolicy is a ValidatingAdmissionPolicy as the checks see it.
type AdmissionPolicy struct {
	Name      string
	Fragments []string // from RegoMessagesAnnotation
}

// AdmissionPolicies reads the ValidatingAdmissionPolicies among objs.
func AdmissionPolicies(objs []Object) []AdmissionPolicy {
	var out []AdmissionPolicy
	for _, o := range OfKind(objs, "ValidatingAdmissionPolicy") {
		p := AdmissionPolicy{Name: o.Name()}
		raw, _ := o.Map("metadata", "annotations")[RegoMessagesAnnotation].(string)
		for line := range strings.Lines(raw) {
			if f := strings.TrimSpace(line); f != "" {
				p.Fragments = append(p.Fragments, f)
			}
		}
		out = append(out, p)
	}
	return out
}

// PredictAdmission says which admission policies refuse each object of a
// policy fixture, from the fixture's expected manifest-time failures
// ("Kind/namespace/name: message"): a policy refuses an object when one of
// the object's messages contains one of the policy's fragments. Objects
// with no such message are missing from the map (admitted).
func PredictAdmission(policies []AdmissionPolicy, expectations []string) map[string][]string {
	out := map[string][]string{}
	for _, e := range expectations {
		id, msg, ok := strings.Cut(e, ": ")
		if !ok {
			continue
		}
		for _, p := range policies {
			if slices.ContainsFunc(p.Fragments, func(f string) bool { return strings.Contains(msg, f) }) &&
				!slices.Contains(out[id], p.Name) {
				out[id] = append(out[id], p.Name)
			}
		}
	}
	for _, names := range out {
		slices.Sort(names)
	}
	return out
}
