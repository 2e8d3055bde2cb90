// A fixture for the govulncheck test: it requires golang.org/x/text at
// v0.3.5 and calls language.Parse, vulnerable there (GO-2021-0113).
// Never imported by the project; `make scan` excludes this directory.
module example.com/vulnmod

go 1.27

require golang.org/x/text v0.3.5
