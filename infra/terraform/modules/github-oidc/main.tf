# GitHub Actions' OIDC provider in this account and the roles workflows of
# one repository assume with it (no long-lived keys in GitHub): each role
# names the exact token subjects it trusts (a branch, a tag pattern, a
# GitHub environment), so a fork's or another repository's workflow cannot.

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  for_each = var.roles

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = [for s in each.value.subjects : "repo:${var.repository}:${s}"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = var.roles

  name                 = "${var.name}-${each.key}"
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = merge([
    for role, r in var.roles : { for arn in r.managed_policy_arns : "${role} ${arn}" => { role = role, arn = arn } }
  ]...)

  role       = aws_iam_role.this[each.value.role].name
  policy_arn = each.value.arn
}

resource "aws_iam_role_policy" "this" {
  for_each = { for role, r in var.roles : role => r if r.policy_json != null }

  name   = each.key
  role   = aws_iam_role.this[each.key].id
  policy = each.value.policy_json
}
