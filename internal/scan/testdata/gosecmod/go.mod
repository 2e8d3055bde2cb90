// A fixture for the gosec test; `make scan` excludes this directory.
module example.com/gosecmod

go 1.27
