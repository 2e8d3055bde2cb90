// Package alertcheck checks the project's alerting as code, without a
// cluster: every PrometheusRule manifest passes `promtool check rules` and
// its promtool unit tests (each alert fires on a faulty series and stays
// silent on a healthy one), carries a severity, a summary and a runbook_url
// that resolves to a file in docs/runbooks, and Alertmanager's
// configuration passes `amtool check-config` and its routing cases
// (`amtool config routes test`). test/alerts runs it over the repository.
package alertcheck
