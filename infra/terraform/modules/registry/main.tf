# The images' repositories: tags immutable (a released tag always means the
# same digest; production pins digests anyway), every push scanned, KMS
# encryption, untagged layers cleaned up. Other accounts (staging's) may pull.

module "key" {
  source = "../kms-key"

  name        = "${var.name}-ecr"
  description = "Images of the ${var.name} ECR repositories"
}

resource "aws_ecr_repository" "this" {
  for_each = toset(var.repositories)

  name                 = each.value
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Remove untagged images after ${var.untagged_days} days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = var.untagged_days
      }
      action = { type = "expire" }
    }]
  })
}

data "aws_iam_policy_document" "pull" {
  count = length(var.pull_account_ids) > 0 ? 1 : 0

  statement {
    sid     = "PullFromOtherAccounts"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    principals {
      type        = "AWS"
      identifiers = [for id in var.pull_account_ids : "arn:aws:iam::${id}:root"]
    }
  }
}

resource "aws_ecr_repository_policy" "pull" {
  for_each = { for name, r in aws_ecr_repository.this : name => r if length(var.pull_account_ids) > 0 }

  repository = each.value.name
  policy     = data.aws_iam_policy_document.pull[0].json
}
