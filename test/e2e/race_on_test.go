//go:build race

package e2e_test

// raceSlowdown scales the gateway's backend timeouts when the race detector
// runs (make test): every service of the stack is instrumented in this one
// process, and identity's argon2id hashes take about three times as long,
// so four sign-ups at once on two cores outlast the development
// configuration's 3 s (seen on a slower CPU: HTTP 500 from the gateway).
const raceSlowdown = 4
