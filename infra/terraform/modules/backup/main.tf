# pgBackRest's repository for one environment: a private, versioned,
# encrypted bucket, and the role the PostgreSQL members' service account
# assumes to use it (nothing else can). pgBackRest expires backups itself
# (repo1-retention-full in pgbackrest.conf); the bucket keeps what it deletes
# as noncurrent versions for deleted_backup_days, the window to undo a
# mistaken or malicious deletion, and then expires them.

module "bucket" {
  source = "../private-bucket"

  name                    = var.bucket_name
  noncurrent_version_days = var.deleted_backup_days
}

data "aws_iam_policy_document" "pgbackrest" {
  statement {
    sid       = "ListRepository"
    actions   = ["s3:ListBucket"]
    resources = [module.bucket.arn]
  }

  statement {
    sid       = "ReadWriteRepository"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.bucket.arn}/*"]
  }

  statement {
    sid       = "UseRepositoryKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.bucket.kms_key_arn]
  }
}

module "role" {
  source = "../irsa-role"

  name              = var.role_name
  description       = "pgBackRest in the PostgreSQL members: the backup repository ${var.bucket_name}"
  oidc_provider_arn = var.oidc_provider_arn
  oidc_issuer       = var.oidc_issuer
  service_accounts  = [{ namespace = var.namespace, name = var.service_account }]
  policy_json       = data.aws_iam_policy_document.pgbackrest.json
}
