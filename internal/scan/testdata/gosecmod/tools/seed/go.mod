// A module below the fixture's, as tools/* are below the project's: the
// scan must load it too.
module example.com/gosecmod/tools/seed

go 1.27
