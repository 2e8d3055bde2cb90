// Command seed draws from a weak random source: gosec G404.
package main

import (
	"fmt"
	"math/rand"
)

func main() { fmt.Println(rand.Int()) }
