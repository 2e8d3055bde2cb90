//go:build !race

package e2e_test

// raceSlowdown is 1 without the race detector: the configuration's own
// timeouts (race_on_test.go says why they change under it).
const raceSlowdown = 1
