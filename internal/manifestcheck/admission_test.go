package manifestcheck

import (
	"reflect"
	"testing"
)

func TestPredictAdmission(t *testing.T) {
	objs, err := Decode([]byte(`apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: pods
  annotations:
    shipshape.dev/rego-messages: |
      must not be privileged

      runs as uid 0
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: images
  annotations:
    shipshape.dev/rego-messages: |
      uses the latest tag
`))
	if err != nil {
		t.Fatal(err)
	}
	policies := AdmissionPolicies(objs)
	if len(policies) != 2 || len(policies[0].Fragments) != 2 {
		t.Fatalf("policies: %+v", policies)
	}
	got := PredictAdmission(policies, []string{
		`Deployment/fixtures/a: container "x": must not be privileged`,
		`Deployment/fixtures/a: container "x": image "y:latest" uses the latest tag`,
		`Deployment/fixtures/a: container "y": runs as uid 0`,
		`PodDisruptionBudget/fixtures/b: is missing`,
		`no object named here`,
	})
	want := map[string][]string{"Deployment/fixtures/a": {"images", "pods"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
