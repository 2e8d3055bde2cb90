variable "name" {
  description = "Alias of the key (without alias/)."
  type        = string
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "service_principals" {
  description = "AWS service principals that may encrypt and decrypt with the key, e.g. logs.eu-west-1.amazonaws.com."
  type        = list(string)
  default     = []
}
