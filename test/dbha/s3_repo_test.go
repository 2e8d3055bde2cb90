package dbha_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"go.yaml.in/yaml/v3"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/testpki"
)

// TestS3RepositoryWithTheProductionConfiguration runs pgBackRest with the
// pods' pgbackrest.conf, their PGBACKREST_* variables and Patroni's
// archive_command and restore_command, all taken from deploy/kubernetes, on
// an S3 repository: WAL is archived, a backup plus the archived WAL restores
// every committed row, the repository holds nothing in plain text, a wrong
// passphrase cannot restore, and four full backups are kept.
//
// No real S3 is reachable here, so the repository is gofakes3, an
// S3-compatible stand-in served over HTTPS from the test process. It checks
// no signatures, so the access keys need only be present.
func TestS3RepositoryWithTheProductionConfiguration(t *testing.T) {
	began := time.Now()
	prod := readS3Production(t)
	// What this test proves about the production file.
	for _, want := range []string{"repo1-type=s3", "repo1-cipher-type=aes-256-cbc", "repo1-retention-full=4"} {
		if !slices.Contains(prod.global, want) {
			t.Fatalf("%s: [global] no longer says %s", s3ProdConf, want)
		}
	}
	bucket, repoPath := envValue(prod.target, "PGBACKREST_REPO1_S3_BUCKET"), envValue(prod.target, "PGBACKREST_REPO1_PATH")

	// Started before the cluster, so its cleanup runs after PostgreSQL is
	// killed and no archive_command finds it gone.
	s3 := startFakeS3(t, bucket)
	c := newCluster(t, clusterOptions{members: 2, repo: func(t testing.TB, c *cluster) *backupRepo {
		return newS3Repo(t, c, s3, prod)
	}})
	t.Logf("cluster up %.1fs into the test; archive_command %q, restore_command %q",
		time.Since(began).Seconds(), prod.archiveCmd, prod.restoreCmd)
	leader := c.leader()
	podEnv := c.repo.env
	// The test's own pgbackrest runs beside the leader, as dbagent does.
	c.repo.env = slices.Concat(podEnv, pg1Env(leader))

	// TLS verification is on: a certificate the CA file does not vouch for
	// is refused.
	otherCA := filepath.Join(c.dir, "other-ca.pem")
	other, err := testpki.NewCA("another-ca")
	if err != nil {
		t.Fatal(err)
	}
	c.user.writeFile(t, otherCA, testpki.CertPEM(other.Cert))
	// A short io-timeout: pgBackRest retries failed requests until it ends.
	out, err := c.repo.tryRun([]string{"PGBACKREST_REPO1_STORAGE_CA_FILE=" + otherCA, "PGBACKREST_IO_TIMEOUT=1"}, "repo-ls")
	if err == nil || !strings.Contains(out, "unable to verify certificate") {
		t.Fatalf("pgbackrest with a CA file that does not vouch for the fake S3: %v, want a certificate error:\n%s", err, out)
	}

	c.repo.run(t, "stanza-create")
	out = c.repo.run(t, "check") // archive_command pushed a segment through S3
	// pgBackRest warns on the console about options it rejects in the file.
	if w := lineWith(out, "WARN:"); w != "" {
		t.Errorf("pgbackrest check warns with the production configuration: %s", w)
	}
	c.repo.run(t, "--type=full", "backup")
	sets := c.repo.backups(t)
	if len(sets) != 1 || sets[0].Type != "full" {
		t.Fatalf("after the first backup the repository lists %+v, want one full backup", sets)
	}
	first := sets[0]

	// Rows only the archived WAL carries: the table is newer than the backup.
	const rows = 5000
	leader.exec(t, "CREATE TABLE s3_rows (id bigint PRIMARY KEY)")
	leader.exec(t, "INSERT INTO s3_rows SELECT generate_series(1, $1::bigint)", rows)
	leader.exec(t, "SELECT pg_switch_wal()")
	// check waits until the segment of its own WAL switch is archived, and
	// segments are archived in order: the rows' segment is in S3.
	c.repo.run(t, "check")

	checkEncrypted(t, s3, bucket, repoPath)

	// A wrong passphrase cannot read the repository, so restores nothing.
	wrongDir := filepath.Join(c.dir, "wrong-passphrase")
	c.user.mkdir(t, wrongDir, 0o700)
	out, err = c.repo.tryRun([]string{"PGBACKREST_REPO1_CIPHER_PASS=not-the-passphrase"}, "--pg1-path="+wrongDir, "restore")
	// Decrypted with the wrong key, backup.info is garbage; the same restore
	// with the right passphrase follows below.
	unreadable := lineWith(out, "unable to load info file '"+repoPath+"/backup/"+backupStanza+"/backup.info'")
	if err == nil || unreadable == "" {
		t.Fatalf("restore with a wrong passphrase: %v, want backup.info unreadable:\n%q", err, out)
	}
	if _, err := os.Stat(filepath.Join(wrongDir, "PG_VERSION")); err == nil {
		t.Errorf("restore with a wrong passphrase failed but wrote a data directory")
	}
	t.Logf("restore with a wrong passphrase failed: %s", unreadable)

	// The restored server fetches WAL with the restore_command pgBackRest
	// writes, which names no S3 setting: like a pod, it has them in its
	// environment, which pglocal passes on from ours.
	for _, kv := range podEnv {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	dataDir := filepath.Join(c.dir, "restored")
	// No --type: recovery runs to the end of the archived WAL.
	c.repo.restore(t, dataDir)
	srv := startRestored(t, c, dataDir)
	conn, err := srv.Connect(context.Background(), "postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, sum int64
	if err := conn.QueryRow(context.Background(), "SELECT count(*), coalesce(sum(id), 0) FROM s3_rows").Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n != rows || sum != rows*(rows+1)/2 {
		t.Errorf("restored s3_rows has %d rows summing to %d, want ids 1..%d (sum %d)", n, sum, rows, rows*(rows+1)/2)
	}
	// The rows reached it as WAL that archive-get fetched from S3.
	t.Logf("restored %d rows; %s", n, recoveryStop(t, srv, "restored log file"))

	// Retention: five full backups in all, of which pgBackRest's expire
	// after each backup keeps four, and the WAL only they need.
	retainStart := time.Now()
	for range 4 {
		c.repo.run(t, "--type=full", "backup")
	}
	sets = c.repo.backups(t)
	var fulls []string
	for _, s := range sets {
		if s.Type == "full" {
			fulls = append(fulls, s.Label)
		}
	}
	if len(fulls) != 4 || slices.Contains(fulls, first.Label) {
		t.Fatalf("after five full backups the repository lists full backups %v, want 4 without the first (%s)", fulls, first.Label)
	}
	checkArchiveExpired(t, s3, bucket, sets[0].Archive.Start)
	t.Logf("4 more full backups and expiry: %.1fs; whole test %.1fs",
		time.Since(retainStart).Seconds(), time.Since(began).Seconds())
}

const (
	s3ProdConf          = "deploy/kubernetes/apps/base/postgres/pgbackrest.conf"
	s3ProdKustomization = "deploy/kubernetes/apps/base/postgres/kustomization.yaml"
	s3ProdPatroni       = "deploy/kubernetes/apps/base/postgres/patroni.yml"
)

// s3Production is what the pods get, read from deploy/kubernetes.
type s3Production struct {
	conf                   []byte   // pgbackrest.conf, as mounted
	global                 []string // its [global] lines, trimmed
	target                 []string // the postgres-backup-target ConfigMap's literals
	archiveCmd, restoreCmd string   // patroni.yml's
}

func readS3Production(t testing.TB) s3Production {
	t.Helper()
	repo, err := manifestcheck.FindRepo(".")
	if err != nil {
		t.Fatal(err)
	}
	read := func(rel string) []byte {
		b, err := os.ReadFile(repo.Path(strings.Split(rel, "/")...))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	p := s3Production{conf: read(s3ProdConf)}
	var section string
	sections := map[string]bool{}
	for line := range strings.Lines(string(p.conf)) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
			sections[section] = true
		case section == "global":
			p.global = append(p.global, line)
		}
	}
	if !sections[backupStanza] {
		t.Fatalf("%s has no stanza [%s]", s3ProdConf, backupStanza)
	}

	var k struct {
		ConfigMapGenerator []struct {
			Name     string   `yaml:"name"`
			Literals []string `yaml:"literals"`
		} `yaml:"configMapGenerator"`
	}
	if err := yaml.Unmarshal(read(s3ProdKustomization), &k); err != nil {
		t.Fatalf("%s: %v", s3ProdKustomization, err)
	}
	for _, g := range k.ConfigMapGenerator {
		if g.Name == "postgres-backup-target" {
			p.target = g.Literals
		}
	}
	for _, key := range []string{"PGBACKREST_REPO1_S3_BUCKET", "PGBACKREST_REPO1_S3_REGION", "PGBACKREST_REPO1_S3_ENDPOINT", "PGBACKREST_REPO1_PATH"} {
		if envValue(p.target, key) == "" {
			t.Fatalf("%s: the postgres-backup-target ConfigMap sets no %s (literals %v)", s3ProdKustomization, key, p.target)
		}
	}

	var pat struct {
		PostgreSQL struct {
			Parameters struct {
				ArchiveCommand string `yaml:"archive_command"`
			} `yaml:"parameters"`
			RecoveryConf struct {
				RestoreCommand string `yaml:"restore_command"`
			} `yaml:"recovery_conf"`
		} `yaml:"postgresql"`
	}
	if err := yaml.Unmarshal(read(s3ProdPatroni), &pat); err != nil {
		t.Fatalf("%s: %v", s3ProdPatroni, err)
	}
	p.archiveCmd, p.restoreCmd = pat.PostgreSQL.Parameters.ArchiveCommand, pat.PostgreSQL.RecoveryConf.RestoreCommand
	for _, cmd := range []string{p.archiveCmd, p.restoreCmd} {
		if !strings.Contains(cmd, "--stanza="+backupStanza) {
			t.Fatalf("%s: %q does not use the stanza %s", s3ProdPatroni, cmd, backupStanza)
		}
	}
	return p
}

// envValue returns the value of key in a list of KEY=VALUE, "" if absent.
func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// newS3Repo writes the production pgbackrest.conf unchanged and gives
// every pgbackrest run the pods' variables, plus the overrides this
// machine needs, as variables too: pgBackRest ranks them above the file.
func newS3Repo(t testing.TB, c *cluster, s3 *fakeS3, prod s3Production) *backupRepo {
	t.Helper()
	dir := filepath.Join(c.dir, "pgbackrest")
	r := &backupRepo{c: c, confPath: filepath.Join(dir, "pgbackrest.conf"), logDir: filepath.Join(dir, "log")}
	for _, d := range []string{dir, r.logDir, filepath.Join(dir, "lock"), filepath.Join(dir, "spool")} {
		c.user.mkdir(t, d, 0o750)
	}
	c.user.writeFile(t, r.confPath, prod.conf)
	caFile := filepath.Join(dir, "s3-ca.pem")
	c.user.writeFile(t, caFile, testpki.CertPEM(s3.ca.Cert))

	passphrase := make([]byte, 24)
	_, _ = rand.Read(passphrase)
	var env []string
	for _, kv := range prod.target {
		if !strings.HasPrefix(kv, "PGBACKREST_REPO1_S3_ENDPOINT=") {
			env = append(env, kv)
		}
	}
	r.env = append(env,
		// The pods read /etc/pgbackrest/pgbackrest.conf, archive_command
		// included; here the file is in the test's directory.
		"PGBACKREST_CONFIG="+r.confPath,
		// The postgres-backup Secret's keys.
		"PGBACKREST_REPO1_S3_KEY=dbha-access-key",
		"PGBACKREST_REPO1_S3_KEY_SECRET=dbha-secret-key",
		"PGBACKREST_REPO1_CIPHER_PASS="+hex.EncodeToString(passphrase),
		// The fake instead of AWS. Its certificate names localhost, which
		// /etc/hosts resolves: pgBackRest 2.45 matches the host only
		// against a certificate's DNS names, never its IP addresses.
		"PGBACKREST_REPO1_S3_ENDPOINT=localhost",
		"PGBACKREST_REPO1_STORAGE_PORT="+strconv.Itoa(s3.port()),
		"PGBACKREST_REPO1_STORAGE_CA_FILE="+caFile,
		// Host style connects to <bucket>.<endpoint>, a name only DNS
		// could resolve here; path style names the bucket in the URI.
		"PGBACKREST_REPO1_S3_URI_STYLE=path",
		// Machine-wide paths in the file (/tmp/pgbackrest...) are
		// shared with other runs; log files (off in the pods, whose
		// console is their log) are shown when the test fails.
		"PGBACKREST_LOCK_PATH="+filepath.Join(dir, "lock"),
		"PGBACKREST_SPOOL_PATH="+filepath.Join(dir, "spool"),
		"PGBACKREST_LOG_PATH="+r.logDir,
		"PGBACKREST_LOG_LEVEL_FILE=detail",
	)
	base := r.env
	r.memberEnv = func(m *member) []string { return slices.Concat(base, pg1Env(m)) }
	r.archiveCmd, r.restoreCmd = prod.archiveCmd, prod.restoreCmd
	return r
}

// pg1Env replaces the [shipshape] section's pg1-path and pg1-socket-path
// (and the default port) with m's.
func pg1Env(m *member) []string {
	return []string{
		"PGBACKREST_PG1_PATH=" + m.dataDir,
		"PGBACKREST_PG1_PORT=" + strconv.Itoa(m.pgPort),
		"PGBACKREST_PG1_SOCKET_PATH=" + m.sockDir,
	}
}

// fakeS3 is gofakes3's in-memory S3 over HTTPS on loopback.
type fakeS3 struct {
	backend *s3mem.Backend
	srv     *httptest.Server
	ca      *testpki.CA // what pgBackRest's CA file trusts
}

func startFakeS3(t *testing.T, bucket string) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	if err := f.backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	handler := gofakes3.New(f.backend, gofakes3.WithLogger(s3Log{t})).Server()
	f.srv = httptest.NewUnstartedServer(handler)
	// For localhost: httptest's own certificate names only example.com
	// and loopback addresses, which pgBackRest cannot match (see newS3Repo).
	ca, err := testpki.NewCA("fake-s3-ca")
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue("localhost")
	if err != nil {
		t.Fatal(err)
	}
	f.ca = ca
	f.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	f.srv.StartTLS()
	// Close waits for requests in flight; t.Logf in s3Log is safe until then.
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeS3) port() int {
	_, port, _ := strings.Cut(strings.TrimPrefix(f.srv.URL, "https://"), ":")
	n, _ := strconv.Atoi(port)
	return n
}

// objects returns every object of bucket by key.
func (f *fakeS3) objects(t testing.TB, bucket string) map[string][]byte {
	t.Helper()
	list, err := f.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte, len(list.Contents))
	for _, c := range list.Contents {
		obj, err := f.backend.GetObject(bucket, c.Key, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(obj.Contents)
		obj.Contents.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[c.Key] = b
	}
	return out
}

// s3Log reports what gofakes3 counts as its own failures (500s), not the
// 404s pgBackRest provokes on purpose.
type s3Log struct{ t testing.TB }

func (l s3Log) Print(level gofakes3.LogLevel, v ...any) {
	if level == gofakes3.LogErr {
		l.t.Logf("fake S3: %s", fmt.Sprint(v...))
	}
}

// walObject matches an archived WAL segment's key: <segment>-<sha1>.zst.
var walObject = regexp.MustCompile(`/([0-9A-F]{24})-[0-9a-f]{40}\.zst$`)

// checkEncrypted checks that everything pgBackRest wrote is under the
// repository path and encrypted. Unencrypted, backup.info and archive.info
// are ini files that begin "[backrest]" and a segment is a zstd frame;
// aes-256-cbc output begins "Salted__" (OpenSSL's salt header).
func checkEncrypted(t *testing.T, s3 *fakeS3, bucket, repoPath string) {
	t.Helper()
	objs := s3.objects(t, bucket)
	prefix := strings.TrimPrefix(repoPath, "/") + "/"
	want := map[string]bool{
		prefix + "backup/" + backupStanza + "/backup.info":   false,
		prefix + "archive/" + backupStanza + "/archive.info": false,
	}
	var segments int
	for key, b := range objs {
		if _, ok := want[key]; ok {
			want[key] = true
		}
		if walObject.MatchString(key) {
			segments++
		}
		if !strings.HasPrefix(key, prefix) {
			t.Errorf("object %s is outside the repository path %s", key, repoPath)
		}
		if !bytes.HasPrefix(b, []byte("Salted__")) || bytes.Contains(b, []byte("[backrest]")) {
			t.Errorf("object %s (%d bytes) is not encrypted: begins %q", key, len(b), b[:min(len(b), 16)])
		}
	}
	for key, found := range want {
		if !found {
			t.Errorf("no object %s in the bucket", key)
		}
	}
	if segments == 0 {
		t.Errorf("no archived WAL segment in the bucket")
	}
	t.Logf("bucket %s: %d objects, %d of them WAL segments, all encrypted", bucket, len(objs), segments)
}

// checkArchiveExpired checks that no WAL segment older than oldest (the
// oldest kept backup's first segment) is left in the bucket.
func checkArchiveExpired(t *testing.T, s3 *fakeS3, bucket, oldest string) {
	t.Helper()
	if len(oldest) != 24 {
		t.Fatalf("oldest backup's archive start %q is no WAL segment name", oldest)
	}
	var kept int
	for key := range s3.objects(t, bucket) {
		m := walObject.FindStringSubmatch(key)
		if m == nil {
			continue
		}
		// Same timeline here, so names compare in WAL order.
		if m[1] < oldest {
			t.Errorf("WAL segment %s is older than the oldest kept backup (from %s) yet still archived", m[1], oldest)
		}
		kept++
	}
	t.Logf("%d WAL segments kept, from %s on", kept, oldest)
}

// lineWith returns the first line of out containing s, "" if none does.
func lineWith(out, s string) string {
	for line := range strings.Lines(out) {
		if strings.Contains(line, s) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}
