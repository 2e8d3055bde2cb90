# A public bucket: one public-access setting off, a public ACL, versioning
# suspended; and a bucket with neither a public access block nor versioning.
# expect: deploy/policies/terraform-fixtures/buckets.tf: aws_s3_bucket.bare: no aws_s3_bucket_public_access_block attached to it
# expect: deploy/policies/terraform-fixtures/buckets.tf: aws_s3_bucket.bare: no aws_s3_bucket_versioning attached to it
# expect: deploy/policies/terraform-fixtures/buckets.tf: aws_s3_bucket_acl.open: acl "public-read" makes the bucket public
# expect: deploy/policies/terraform-fixtures/buckets.tf: aws_s3_bucket_public_access_block.open: block_public_policy must be true
# expect: deploy/policies/terraform-fixtures/buckets.tf: aws_s3_bucket_versioning.open: versioning_configuration.status must be Enabled
resource "aws_s3_bucket" "open" {
  bucket = "fixture-open"
}

resource "aws_s3_bucket_public_access_block" "open" {
  bucket                  = aws_s3_bucket.open.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_acl" "open" {
  bucket = aws_s3_bucket.open.id
  acl    = "public-read"
}

resource "aws_s3_bucket_versioning" "open" {
  bucket = aws_s3_bucket.open.id
  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "open" {
  bucket = aws_s3_bucket.open.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket" "bare" {
  bucket = "fixture-bare"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "bare" {
  bucket = aws_s3_bucket.bare.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
