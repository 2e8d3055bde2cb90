# Flux, once: installs its controllers into the cluster and commits their
# manifests plus a GitRepository/Kustomization pair under path, reading the
# repository with a read-only deploy key. From then on Flux applies
# path (the environment's deploy/gitops/clusters/<env>: the Kustomizations
# infrastructure, database and apps) and Terraform no longer touches what
# runs in the cluster.

resource "tls_private_key" "deploy" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "github_repository_deploy_key" "flux" {
  repository = var.repository_name
  title      = "flux-${var.environment}"
  key        = tls_private_key.deploy.public_key_openssh
  read_only  = true
}

resource "flux_bootstrap_git" "this" {
  path               = var.path
  embedded_manifests = true
  interval           = "1m0s"

  depends_on = [github_repository_deploy_key.flux]
}
