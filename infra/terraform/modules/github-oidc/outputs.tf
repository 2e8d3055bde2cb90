output "role_arns" {
  description = "Each role's ARN by short name (the workflows' role-to-assume)."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}
