package manifestcheck

import "testing"

func TestAnalysisJobIsTheOneJobMetricsSpec(t *testing.T) {
	job := func(name string) map[string]any {
		return map[string]any{"name": name, "provider": map[string]any{"job": map[string]any{"spec": map[string]any{
			"backoffLimit": 0, "template": map[string]any{"spec": map[string]any{"restartPolicy": "Never"}}}}}}
	}
	query := map[string]any{"name": "errors", "provider": map[string]any{"prometheus": map[string]any{"query": "vector(0)"}}}
	template := func(metrics ...any) Object {
		return Object{"kind": "AnalysisTemplate", "spec": map[string]any{"metrics": metrics}}
	}
	one := template(query, job("smoke"))
	if spec := one.AnalysisJob(); spec == nil || spec["backoffLimit"] != 0 {
		t.Errorf("one Job metric: %v", spec)
	}
	if tpl := one.PodTemplate(); tpl.Str("spec", "restartPolicy") != "Never" {
		t.Errorf("its pod template: %v", tpl)
	}
	for name, o := range map[string]Object{
		"no Job metric": template(query),
		"two":           template(job("a"), job("b")),
		"another kind":  {"kind": "Job", "spec": map[string]any{"metrics": []any{job("a")}}},
	} {
		if spec := o.AnalysisJob(); spec != nil {
			t.Errorf("%s: %v, want none", name, spec)
		}
	}
}
