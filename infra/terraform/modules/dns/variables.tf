variable "name" {
  description = "Name prefix of the roles, e.g. shipshape-production."
  type        = string
}

variable "environment" {
  description = "staging or production."
  type        = string
}

variable "zone_name" {
  description = "The hosted zone; the environment's Ingress host is this name or below it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.zone_name))
    error_message = "zone_name must be a lower-case DNS name without a trailing dot."
  }
}

variable "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider."
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without https://."
  type        = string
}

variable "external_dns_service_account" {
  description = "ExternalDNS's service account."
  type        = object({ namespace = string, name = string })
}

variable "cert_manager_service_account" {
  description = "cert-manager's service account (the controller solves DNS-01)."
  type        = object({ namespace = string, name = string })
}
