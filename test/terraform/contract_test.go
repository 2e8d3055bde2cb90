package terraform_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/manifestcheck"
	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
	"github.com/zclconf/go-cty/cty"
)

// environmentScope evaluates infra/terraform/environments/<env> and its
// call of the environment module.
func environmentScope(t *testing.T, env string) (root, environment *terraformcheck.Scope) {
	t.Helper()
	m, err := terraformcheck.LoadModule(filepath.Join(tfRoot(t), "environments", env))
	if err != nil {
		t.Fatal(err)
	}
	if root, err = m.Evaluate(nil); err != nil {
		t.Fatal(err)
	}
	if environment, err = root.Call("environment"); err != nil {
		t.Fatal(err)
	}
	return root, environment
}

// call follows module calls from s (call(t, s, "backup", "bucket") is
// module.backup's module.bucket).
func call(t *testing.T, s *terraformcheck.Scope, names ...string) *terraformcheck.Scope {
	t.Helper()
	for _, n := range names {
		next, err := s.Call(n)
		if err != nil {
			t.Fatal(err)
		}
		s = next
	}
	return s
}

// known fails unless v is a known string.
func known(t *testing.T, what string, v cty.Value, err error) string {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !v.IsWhollyKnown() || v.IsNull() || v.Type() != cty.String {
		t.Fatalf("%s is not a known string in the Terraform: %#v", what, v)
	}
	return v.AsString()
}

func knownStrings(t *testing.T, what string, v cty.Value) []string {
	t.Helper()
	if !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsListType() || v.Type().IsSetType() || v.Type().IsTupleType()) {
		t.Fatalf("%s is not a known list in the Terraform: %#v", what, v)
	}
	var out []string
	for _, e := range v.AsValueSlice() {
		out = append(out, e.AsString())
	}
	slices.Sort(out)
	return out
}

// rendered builds deploy/kubernetes/<tree>/<env> with the pinned kustomize.
func rendered(t *testing.T, tree, env string) []manifestcheck.Object {
	t.Helper()
	kustomize := tool(t, manifestcheck.Kustomize)
	out, err := manifestcheck.RunCommand(exec.Command(kustomize, "build", repo(t).Path("deploy", "kubernetes", tree, env)))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifestcheck.Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func find(t *testing.T, objs []manifestcheck.Object, kind, name string) manifestcheck.Object {
	t.Helper()
	o := manifestcheck.Find(objs, kind, name)
	if o == nil {
		t.Fatalf("no %s %s in the rendered manifests", kind, name)
	}
	return o
}

// generated finds the one object a kustomize generator made from name
// (name plus a content hash).
func generated(t *testing.T, objs []manifestcheck.Object, kind, name string) manifestcheck.Object {
	t.Helper()
	var found []manifestcheck.Object
	for _, o := range manifestcheck.OfKind(objs, kind) {
		if o.Name() == name || strings.HasPrefix(o.Name(), name+"-") && !strings.Contains(strings.TrimPrefix(o.Name(), name+"-"), "-") {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d generated %s named %s in the rendered manifests, want 1", len(found), kind, name)
	}
	return found[0]
}

// TestTerraformMatchesManifests: what each environment's Terraform creates,
// read from its HCL through the module calls down to the resources'
// arguments, is what the environment's rendered manifests name. Neither
// side is trusted: a rename on one side fails here.
func TestTerraformMatchesManifests(t *testing.T) {
	t.Parallel()
	for _, env := range Environments {
		t.Run(env, func(t *testing.T) {
			t.Parallel()
			root, es := environmentScope(t, env)
			infra := rendered(t, "infrastructure", env)
			apps := rendered(t, "apps", env)

			t.Run("storage", func(t *testing.T) { checkStorage(t, es, infra, apps) })
			t.Run("backup", func(t *testing.T) { checkBackup(t, root, es, apps) })
			t.Run("dns", func(t *testing.T) { checkDNS(t, es, apps) })
			t.Run("network", func(t *testing.T) { checkNetwork(t, es, apps) })
			t.Run("nodes", func(t *testing.T) { checkNodes(t, es) })
			t.Run("gitops", func(t *testing.T) { checkGitOps(t, es, env) })
			t.Run("environment", func(t *testing.T) {
				if got := known(t, "environment", es.Vars["environment"], nil); got != env {
					t.Errorf("environments/%s calls the environment module with environment %q", env, got)
				}
			})
		})
	}
}

// Flux's bootstrap path: the environment's GitOps configuration in this
// repository (docs/gitops.md), which must exist.
func checkGitOps(t *testing.T, es *terraformcheck.Scope, env string) {
	g := es.Vars["gitops"]
	if !g.IsWhollyKnown() || g.IsNull() || !g.Type().IsObjectType() || !g.Type().HasAttribute("path") {
		t.Fatalf("var.gitops is not a known object with a path: %#v", g)
	}
	path := known(t, "gitops.path", g.GetAttr("path"), nil)
	if want := "deploy/gitops/clusters/" + env; path != want {
		t.Errorf("Flux is bootstrapped at %s, want %s", path, want)
	}
	if _, err := os.Stat(repo(t).Path(filepath.FromSlash(path), "kustomization.yaml")); err != nil {
		t.Errorf("Flux's bootstrap path: %v", err)
	}
}

// The StorageClass and VolumeSnapshotClass: names as the environment
// module's outputs give them, driver as the EKS module's, and the EKS
// add-ons that serve them.
func checkStorage(t *testing.T, es *terraformcheck.Scope, infra, apps []manifestcheck.Object) {
	v, err := es.Output("storage_class_name")
	class := known(t, "output storage_class_name", v, err)
	v, err = es.Output("volume_snapshot_class_name")
	snapshotClass := known(t, "output volume_snapshot_class_name", v, err)
	eks := call(t, es, "eks")
	v, err = eks.Output("csi_driver")
	driver := known(t, "module eks output csi_driver", v, err)

	sc := find(t, infra, "StorageClass", class)
	if got := sc.Str("provisioner"); got != driver {
		t.Errorf("StorageClass %s: provisioner %s, the Terraform installs %s", class, got, driver)
	}
	vsc := find(t, infra, "VolumeSnapshotClass", snapshotClass)
	if got := vsc.Str("driver"); got != driver {
		t.Errorf("VolumeSnapshotClass %s: driver %s, the Terraform installs %s", snapshotClass, got, driver)
	}
	pg := find(t, apps, "StatefulSet", "postgres")
	for _, raw := range pg.List("spec", "volumeClaimTemplates") {
		claim := manifestcheck.Object(raw.(map[string]any))
		if got := claim.Str("spec", "storageClassName"); got != class {
			t.Errorf("postgres claim %s: storageClassName %q, the Terraform's class is %s", claim.Name(), got, class)
		}
	}
	addons, ok := eks.Locals["addons"]
	if !ok || !addons.CanIterateElements() {
		t.Fatalf("module eks: local.addons is not a known map: %#v", addons)
	}
	for _, want := range []string{"aws-ebs-csi-driver", "snapshot-controller"} {
		if !addons.Type().HasAttribute(want) {
			t.Errorf("module eks installs no %s add-on, which %s / %s need", want, class, snapshotClass)
		}
	}
}

// pgBackRest's bucket and region, and the PostgreSQL service account's
// role: its ARN in the annotation, and the role trusting exactly that
// service account.
func checkBackup(t *testing.T, root, es *terraformcheck.Scope, apps []manifestcheck.Object) {
	backup := call(t, es, "backup")
	v, err := call(t, backup, "bucket").Resource("aws_s3_bucket", "this", "bucket")
	bucket := known(t, "aws_s3_bucket.this bucket", v, err)
	region := known(t, "region", es.Vars["region"], nil)

	target := generated(t, apps, "ConfigMap", "postgres-backup-target")
	for key, want := range map[string]string{
		"PGBACKREST_REPO1_S3_BUCKET":   bucket,
		"PGBACKREST_REPO1_S3_REGION":   region,
		"PGBACKREST_REPO1_S3_ENDPOINT": "s3." + region + ".amazonaws.com",
	} {
		if got := target.Str("data", key); got != want {
			t.Errorf("ConfigMap postgres-backup-target: %s=%q, the Terraform says %q", key, got, want)
		}
	}

	role := call(t, backup, "role")
	v, err = role.Resource("aws_iam_role", "this", "name")
	roleName := known(t, "aws_iam_role.this name", v, err)
	account := known(t, "local.account_id", root.Locals["account_id"], nil)
	wantARN := fmt.Sprintf("arn:aws:iam::%s:role/%s", account, roleName)

	pg := find(t, apps, "StatefulSet", "postgres")
	saName, ns := pg.Str("spec", "template", "spec", "serviceAccountName"), pg.Namespace()
	sa := manifestcheck.FindIn(apps, "ServiceAccount", ns, saName)
	if sa == nil {
		t.Fatalf("no ServiceAccount %s/%s for the postgres StatefulSet", ns, saName)
	}
	if got := sa.Str("metadata", "annotations", "eks.amazonaws.com/role-arn"); got != wantARN {
		t.Errorf("ServiceAccount %s/%s: eks.amazonaws.com/role-arn %q, the Terraform creates %q", ns, saName, got, wantARN)
	}
	if got, want := trustedSubjects(t, role), []string{"system:serviceaccount:" + ns + ":" + saName}; !slices.Equal(got, want) {
		t.Errorf("role %s trusts %v, the members run as %v", roleName, got, want)
	}
}

// trustedSubjects are the service accounts an IRSA role's trust policy
// names (its condition on <issuer>:sub).
func trustedSubjects(t *testing.T, role *terraformcheck.Scope) []string {
	t.Helper()
	trust, err := role.Block("data", "aws_iam_policy_document", "trust")
	if err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, st := range terraformcheck.Nested(trust, "statement") {
		for _, c := range terraformcheck.Nested(st, "condition") {
			values, err := role.Attr(c, "values")
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range knownStrings(t, "trust condition values", values) {
				if strings.HasPrefix(s, "system:serviceaccount:") {
					subjects = append(subjects, s)
				}
			}
		}
	}
	return subjects
}

// The hosted zone holds the Ingress host, which TLS and ExternalDNS name.
func checkDNS(t *testing.T, es *terraformcheck.Scope, apps []manifestcheck.Object) {
	v, err := call(t, es, "dns").Resource("aws_route53_zone", "this", "name")
	zone := known(t, "aws_route53_zone.this name", v, err)
	ing := find(t, apps, "Ingress", "shipshape")
	hosts := []string{
		ing.Str("metadata", "annotations", "external-dns.kubernetes.io/hostname"),
	}
	for _, r := range ing.List("spec", "rules") {
		hosts = append(hosts, manifestcheck.Object(r.(map[string]any)).Str("host"))
	}
	for _, tls := range ing.List("spec", "tls") {
		for _, h := range manifestcheck.Object(tls.(map[string]any)).List("hosts") {
			hosts = append(hosts, h.(string))
		}
	}
	for _, h := range hosts {
		if h != zone && !strings.HasSuffix(h, "."+zone) {
			t.Errorf("Ingress host %q is not in the Terraform's zone %s", h, zone)
		}
	}
}

// The egress policies to the API server and to S3 name the VPC's CIDR
// (docs/kubernetes.md "Egress outside the cluster").
func checkNetwork(t *testing.T, es *terraformcheck.Scope, apps []manifestcheck.Object) {
	v, err := call(t, es, "network").Resource("aws_vpc", "this", "cidr_block")
	cidr := known(t, "aws_vpc.this cidr_block", v, err)
	var checked int
	for _, np := range manifestcheck.OfKind(apps, "NetworkPolicy") {
		label := np.Str("metadata", "labels", "shipshape.dev/egress")
		if label != "kube-apiserver" && label != "backup-repository" {
			continue
		}
		for _, rule := range np.List("spec", "egress") {
			for _, to := range manifestcheck.Object(rule.(map[string]any)).List("to") {
				block := manifestcheck.Object(to.(map[string]any)).Str("ipBlock", "cidr")
				if block == "" {
					continue
				}
				checked++
				if block != cidr {
					t.Errorf("NetworkPolicy %s (egress %s): ipBlock %s, the Terraform's VPC is %s", np.Name(), label, block, cidr)
				}
			}
		}
	}
	if checked == 0 {
		t.Errorf("no egress ipBlock to the API server or the backup repository in the manifests")
	}
}

// The nodes are the cluster the capacity test sizes production for:
// at least its node count, each node exactly its CPU and memory.
func checkNodes(t *testing.T, es *terraformcheck.Scope) {
	sizing := call(t, es, "sizing")
	cluster := manifestcheck.MinimumProductionCluster
	count := sizing.Vars["node_count"]
	if !count.IsKnown() || count.Type() != cty.Number {
		t.Fatalf("node_count is not a known number: %#v", count)
	}
	if n, _ := count.AsBigFloat().Int64(); n < int64(cluster.Nodes) {
		t.Errorf("%d nodes, the capacity test counts on %d", n, cluster.Nodes)
	}
	typ := known(t, "instance_type", sizing.Vars["instance_type"], nil)
	table := sizing.Locals["instance_types"]
	if !table.Type().IsObjectType() || !table.Type().HasAttribute(typ) {
		t.Fatalf("instance type %s is not in module cluster-sizing's table", typ)
	}
	spec := table.GetAttr(typ)
	vcpu, _ := spec.GetAttr("vcpu").AsBigFloat().Int64()
	gib, _ := spec.GetAttr("memory_gib").AsBigFloat().Int64()
	if vcpu*1000 != cluster.Node.MilliCPU || gib<<30 != cluster.Node.Memory {
		t.Errorf("%s has %d vCPU / %d GiB, the capacity test counts on %dm CPU / %d bytes per node", typ, vcpu, gib, cluster.Node.MilliCPU, cluster.Node.Memory)
	}
}
