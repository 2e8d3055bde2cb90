// Package terraformcheck reads the Terraform under infra/terraform without
// Terraform or its providers: it parses a module's HCL, evaluates what the
// configuration states (variable defaults, locals, module arguments,
// resource arguments) and leaves everything only a provider knows
// (resource attributes, data sources) unknown. test/terraform uses it to
// compare the names Terraform creates with what deploy/kubernetes expects,
// and runs the pinned tools (tflint, trivy) it describes.
package terraformcheck
