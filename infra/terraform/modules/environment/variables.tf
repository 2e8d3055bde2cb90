variable "environment" {
  description = "staging or production: names every resource (shipshape-<environment>)."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "AWS region; the overlays' PGBACKREST_REPO1_S3_REGION names the same."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region such as eu-west-1."
  }
}

variable "availability_zones" {
  description = "Zones of the region to spread over, at least 3."
  type        = list(string)
}

variable "vpc_cidr" {
  description = "The VPC's /16; the overlays' egress policies to the API server and S3 name it."
  type        = string
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone (staging: cheaper; production: false, a zone's outage must not cut the others' egress)."
  type        = bool
}

variable "kubernetes_version" {
  description = "EKS Kubernetes minor version (1.33 or later)."
  type        = string
}

variable "nodes" {
  description = "The node group: count (at least 3), max_count, instance_type (exactly 4 vCPU / 8 GiB), root_volume_gib (at least 100)."
  type = object({
    count           = number
    max_count       = number
    instance_type   = string
    root_volume_gib = number
  })
}

variable "public_access_cidrs" {
  description = "CIDRs that may reach the public API endpoint (never 0.0.0.0/0); empty: private endpoint only."
  type        = list(string)
}

variable "admin_role_arns" {
  description = "IAM roles of the cluster's administrators (people's SSO roles)."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Days to keep control-plane and VPC flow logs."
  type        = number

  validation {
    condition     = contains([30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch retention of at least 30 days (30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "kubernetes" {
  description = "Names deploy/kubernetes uses: the namespace and the PostgreSQL members' service account, the storage classes (test/terraform compares them with the rendered manifests)."
  type = object({
    namespace                = string
    postgres_service_account = string
    storage_class            = string
    volume_snapshot_class    = string
  })
}

variable "backup_bucket" {
  description = "pgBackRest's bucket: the overlay's PGBACKREST_REPO1_S3_BUCKET."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.backup_bucket))
    error_message = "backup_bucket must be a valid S3 bucket name (lower case, digits, hyphens)."
  }
}

variable "deleted_backup_days" {
  description = "Days deleted or expired backup files stay recoverable as noncurrent versions."
  type        = number
}

variable "zone_name" {
  description = "The environment's public DNS zone; its Ingress host is this name or below it."
  type        = string
}

variable "registry" {
  description = "ECR repositories this environment's account holds (empty: none, images come from another account) and the accounts that may pull them."
  type = object({
    repositories     = list(string)
    pull_account_ids = optional(list(string), [])
  })
}

variable "github_repository" {
  description = "The GitHub repository (owner/name) whose workflows assume this environment's roles and that Flux reads."
  type        = string
}

variable "state_bucket" {
  description = "The S3 bucket holding this environment's Terraform state (the plan role reads it)."
  type        = string
}

variable "gitops" {
  description = "Flux bootstrap: whether to run it (false on the very first apply, before the cluster exists) and the repository path it reconciles."
  type = object({
    bootstrap = bool
    path      = string
  })
}
