output "bucket" {
  description = "The repository's bucket."
  value       = module.bucket.name
}

output "role_arn" {
  description = "The PostgreSQL service account's role."
  value       = module.role.arn
}
