output "name" {
  description = "The bucket's name."
  value       = aws_s3_bucket.this.bucket
}

output "arn" {
  description = "The bucket's ARN."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "The key that encrypts the bucket's objects; readers and writers need kms:Decrypt / GenerateDataKey on it."
  value       = module.key.arn
}
