output "deploy_key_private" {
  description = "The deploy key Flux reads the repository with (the flux provider's git.ssh.private_key)."
  value       = tls_private_key.deploy.private_key_pem
  sensitive   = true
}

output "path" {
  description = "The path Flux reconciles."
  value       = flux_bootstrap_git.this.path
}
