package password

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost settings plus the salt and key sizes. They are
// written into every stored hash, so raising them later only affects new
// hashes while old ones still verify (and get re-hashed at the next sign-in).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams is OWASP's first argon2id recommendation (19 MiB, 2 passes,
// 1 lane); ADR 0008 records why and what it costs on our hardware.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on what a stored hash may ask for: a corrupted or hostile row must
// not make one verification allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 128
)

// ErrMalformed says a stored hash is not an argon2id PHC string we accept.
var ErrMalformed = errors.New("password: malformed argon2id hash")

// phc is one parsed hash: `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>`
// with salt and key in unpadded standard base64, as the PHC format defines.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

var b64 = base64.RawStdEncoding

func (h phc) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Time, h.params.Threads, b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// parsePHC accepts exactly the form String writes; anything else (another
// algorithm, version, parameter order, padding) is ErrMalformed.
func parsePHC(s string) (phc, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return phc{}, ErrMalformed
	}
	var h phc
	var err error
	if h.params, err = parseParams(parts[3]); err != nil {
		return phc{}, err
	}
	if h.salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(h.salt) < minSaltLen || len(h.salt) > maxSaltLen {
		return phc{}, fmt.Errorf("%w: salt", ErrMalformed)
	}
	if h.key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(h.key) < minKeyLen || len(h.key) > maxKeyLen {
		return phc{}, fmt.Errorf("%w: key", ErrMalformed)
	}
	h.params.SaltLen, h.params.KeyLen = uint32(len(h.salt)), uint32(len(h.key))
	return h, nil
}

func parseParams(s string) (Params, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return Params{}, fmt.Errorf("%w: parameters", ErrMalformed)
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(fields[i], name+"=")
		n, err := strconv.ParseUint(v, 10, 32)
		// Leading zeros or signs would give one hash two spellings.
		if !ok || err != nil || v != strconv.FormatUint(n, 10) {
			return Params{}, fmt.Errorf("%w: parameter %s", ErrMalformed, name)
		}
		vals[i] = n
	}
	p := Params{Memory: uint32(vals[0]), Time: uint32(vals[1])}
	if vals[2] < 1 || vals[2] > 255 || p.Time < 1 || p.Time > maxTime ||
		p.Memory < 8*uint32(vals[2]) || p.Memory > maxMemoryKiB {
		return Params{}, fmt.Errorf("%w: parameters out of range", ErrMalformed)
	}
	p.Threads = uint8(vals[2])
	return p, nil
}
