output "state_bucket" {
  description = "The backend's bucket."
  value       = module.state_bucket.name
}
