output "repository_urls" {
  description = "Each repository's URL by name: REGISTRY for scripts/release-images.sh is the part before /shipshape."
  value       = { for name, r in aws_ecr_repository.this : name => r.repository_url }
}

output "repository_arns" {
  description = "Each repository's ARN by name (the release role's push permission)."
  value       = { for name, r in aws_ecr_repository.this : name => r.arn }
}
