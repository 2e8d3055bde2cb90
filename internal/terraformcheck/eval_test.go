package terraformcheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A root calling a child: inputs from locals, outputs through a resource's
// configured argument, computed attributes unknown.
func TestScopeFollowsModulesToResources(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "root", "main.tf"), `
locals {
  full = "${local.prefix}-bucket"
  prefix = "shipshape-${var.environment}"
}
variable "environment" {
  default = "staging"
}
module "store" {
  source = "../child"
  name   = local.full
  tags   = merge({ a = "1" }, { b = "2" })
}
output "bucket" {
  value = module.store.bucket
}
output "arn" {
  value = module.store.arn
}
`)
	write(t, filepath.Join(dir, "child", "main.tf"), `
variable "name" {}
variable "tags" {}
variable "unused" {
  default = 3
}
resource "aws_s3_bucket" "this" {
  bucket = lower(var.name)
}
output "bucket" {
  value = aws_s3_bucket.this.bucket
}
output "arn" {
  value = aws_s3_bucket.this.arn
}
`)
	m, err := LoadModule(filepath.Join(dir, "root"))
	if err != nil {
		t.Fatal(err)
	}
	root, err := m.Evaluate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := root.Locals["full"]; !got.RawEquals(cty.StringVal("shipshape-staging-bucket")) {
		t.Errorf("local.full = %#v", got)
	}
	bucket, err := root.Output("bucket")
	if err != nil || !bucket.RawEquals(cty.StringVal("shipshape-staging-bucket")) {
		t.Errorf("output bucket = %#v, %v", bucket, err)
	}
	arn, err := root.Output("arn")
	if err == nil && arn.IsKnown() {
		t.Errorf("output arn = %#v: a computed attribute must not be known", arn)
	}
	child, err := root.Call("store")
	if err != nil {
		t.Fatal(err)
	}
	if got := child.Vars["unused"]; !got.RawEquals(cty.NumberIntVal(3)) {
		t.Errorf("a variable without input takes its default, got %#v", got)
	}
	if got := child.Vars["tags"]; got.LengthInt() != 2 {
		t.Errorf("merge() of the inputs = %#v", got)
	}
}

func TestEvaluateRefusesAMissingInput(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), "variable \"name\" {}\n")
	m, err := LoadModule(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Evaluate(nil); err == nil {
		t.Fatal("a variable without default or input was accepted")
	}
	if _, err := m.Evaluate(map[string]cty.Value{"name": cty.StringVal("x"), "other": cty.True}); err == nil {
		t.Fatal("an input that is no variable was accepted")
	}
}

func TestProviderFree(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "free", "main.tf"), "terraform {\n  required_version = \">= 1.11\"\n}\nlocals {\n  a = 1\n}\n")
	write(t, filepath.Join(dir, "aws", "main.tf"), "terraform {\n  required_providers {\n    aws = { source = \"hashicorp/aws\" }\n  }\n}\n")
	write(t, filepath.Join(dir, "data", "main.tf"), "data \"aws_region\" \"current\" {}\n")
	for name, want := range map[string]bool{"free": true, "aws": false, "data": false} {
		m, err := LoadModule(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.ProviderFree(); got != want {
			t.Errorf("%s: ProviderFree() = %v, want %v", name, got, want)
		}
	}
}
