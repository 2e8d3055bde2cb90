# The roles this environment's workflows assume (.github/workflows):
# terraform-plan from pull requests and main (read-only: AWS, the state, a
# view of the cluster; it plans with -lock=false); terraform-apply only from
# the GitHub environment of the same name, whose protection rules gate it;
# and, where this environment holds the registry, release from version tags
# (push images, nothing else).

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.state_bucket}"]
  }

  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${var.state_bucket}/${var.environment}/*"]
  }

  statement {
    sid       = "DecryptStateThroughS3"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.region}.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "release" {
  count = length(var.registry.repositories) > 0 ? 1 : 0

  statement {
    sid       = "Login"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
      "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload",
      "ecr:PutImage", "ecr:UploadLayerPart",
    ]
    resources = values(module.registry[0].repository_arns)
  }
}

module "github" {
  source = "../github-oidc"

  name       = local.name
  repository = var.github_repository
  roles = merge(
    {
      "terraform-plan" = {
        description         = "terraform plan of ${var.environment} from pull requests and main"
        subjects            = ["pull_request", "ref:refs/heads/main"]
        managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
        policy_json         = data.aws_iam_policy_document.state.json
      }
      "terraform-apply" = {
        description         = "terraform apply of ${var.environment}, GitHub environment ${var.environment} only"
        subjects            = ["environment:${var.environment}"]
        managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
      }
    },
    {
      for name, role in {
        "release" = {
          description = "push release images from version tags"
          subjects    = ["ref:refs/tags/v*"]
          policy_json = one(data.aws_iam_policy_document.release[*].json)
        }
      } : name => role if length(var.registry.repositories) > 0
    },
  )
}
