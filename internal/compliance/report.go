package compliance

import (
	"cmp"
	"regexp"
	"slices"
)

// ExceptionAnnotation on an object or its namespace accepts its
// violations, with the reason as the value: they are still reported, as
// accepted, but do not alert (a node-level DaemonSet that must read host
// paths, the cluster's own kube-system).
const ExceptionAnnotation = "shipshape.dev/compliance-exception"

// NetworkPolicyRule is the report's own rule, which no admission policy
// can decide for one object: a namespace with workloads has a default-deny
// NetworkPolicy (deploy/policies/kubernetes/network.rego, the same
// definition).
const NetworkPolicyRule = "network-policy"

// Violation is one rule an existing object breaks.
type Violation struct {
	Namespace string `json:"namespace"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	// Policy is the admission policy's name, or NetworkPolicyRule.
	Policy  string `json:"policy"`
	Message string `json:"message"`
	// Accepted is the exception's reason, empty when there is none.
	Accepted string `json:"accepted,omitempty"`
}

// Report is one pass's result.
type Report struct {
	Checked    int         // objects checked
	Violations []Violation // sorted
}

// warningOfAPolicy is how the API server words a policy's failed
// validation bound with the Warn action.
var warningOfAPolicy = regexp.MustCompile(`^Validation failed for ValidatingAdmissionPolicy '([^']+)' with binding '[^']*': (.*)$`)

// violationsIn turns a dry run's warnings into violations of o; other
// warnings (deprecations) are not the report's.
func violationsIn(k kind, o object, warnings []string) []Violation {
	var out []Violation
	for _, w := range warnings {
		m := warningOfAPolicy.FindStringSubmatch(w)
		if m == nil {
			continue
		}
		out = append(out, Violation{Namespace: o.Metadata.Namespace, Kind: k.Kind, Name: o.Metadata.Name, Policy: m[1], Message: m[2]})
	}
	return out
}

// networkPolicy is what the report reads of a NetworkPolicy.
type networkPolicy struct {
	Metadata metadata `json:"metadata"`
	Spec     struct {
		PodSelector struct {
			MatchLabels      map[string]string `json:"matchLabels"`
			MatchExpressions []any             `json:"matchExpressions"`
		} `json:"podSelector"`
		PolicyTypes []string `json:"policyTypes"`
		Ingress     []any    `json:"ingress"`
		Egress      []any    `json:"egress"`
	} `json:"spec"`
}

// defaultDeny: it selects every pod of its namespace and allows nothing in
// either direction.
func (p networkPolicy) defaultDeny() bool {
	s := p.Spec
	return len(s.PodSelector.MatchLabels) == 0 && len(s.PodSelector.MatchExpressions) == 0 &&
		slices.Contains(s.PolicyTypes, "Ingress") && slices.Contains(s.PolicyTypes, "Egress") &&
		len(s.Ingress) == 0 && len(s.Egress) == 0
}

// undefendedNamespaces are the namespaces with workloads but no
// default-deny policy, as violations of NetworkPolicyRule.
func undefendedNamespaces(withWorkloads map[string]bool, policies []networkPolicy) []Violation {
	denied := map[string]bool{}
	for _, p := range policies {
		if p.defaultDeny() {
			denied[p.Metadata.Namespace] = true
		}
	}
	var out []Violation
	for ns := range withWorkloads {
		if !denied[ns] {
			out = append(out, Violation{Namespace: ns, Kind: "Namespace", Name: ns, Policy: NetworkPolicyRule,
				Message: "namespace " + ns + " has no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)"})
		}
	}
	return out
}

// accept marks the violations whose object or namespace carries an
// exception; objectExceptions is keyed by namespace/kind/name.
func accept(vs []Violation, namespaceExceptions, objectExceptions map[string]string) {
	for i := range vs {
		v := &vs[i]
		if r := objectExceptions[v.Namespace+"/"+v.Kind+"/"+v.Name]; r != "" {
			v.Accepted = r
		} else if r := namespaceExceptions[v.Namespace]; r != "" {
			v.Accepted = r
		}
	}
}

func sortViolations(vs []Violation) {
	slices.SortFunc(vs, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.Policy, b.Policy), cmp.Compare(a.Message, b.Message))
	})
}
