package terraform_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipshape-dev/shipshape/internal/terraformcheck"
	"github.com/zclconf/go-cty/cty"
	"go.yaml.in/yaml/v3"
)

type nodeSize struct {
	VCPU      int64 `yaml:"vcpu"`
	MemoryGiB int64 `yaml:"memory_gib"`
}

// TestInstanceTypeTablesAgree: the policies' table of 4 vCPU / 8 GiB
// instance types is module cluster-sizing's, entry for entry.
func TestInstanceTypeTablesAgree(t *testing.T) {
	t.Parallel()
	m, err := terraformcheck.LoadModule(filepath.Join(tfRoot(t), "modules", "cluster-sizing"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := m.Evaluate(map[string]cty.Value{
		"node_count": cty.NumberIntVal(3), "max_node_count": cty.NumberIntVal(3),
		"availability_zones": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b"), cty.StringVal("c")}),
		"instance_type":      cty.StringVal("c6i.xlarge"), "root_volume_gib": cty.NumberIntVal(100),
	})
	if err != nil {
		t.Fatal(err)
	}
	terraform := map[string]nodeSize{}
	for name, spec := range s.Locals["instance_types"].AsValueMap() {
		vcpu, _ := spec.GetAttr("vcpu").AsBigFloat().Int64()
		mem, _ := spec.GetAttr("memory_gib").AsBigFloat().Int64()
		terraform[name] = nodeSize{vcpu, mem}
	}

	data, err := os.ReadFile(repo(t).Path(filepath.FromSlash(terraformcheck.PolicyData)))
	if err != nil {
		t.Fatal(err)
	}
	var policy struct {
		Types map[string]nodeSize `yaml:"shipshape_instance_types"`
	}
	if err := yaml.Unmarshal(data, &policy); err != nil {
		t.Fatal(err)
	}
	if len(terraform) == 0 || !maps.Equal(terraform, policy.Types) {
		t.Errorf("module cluster-sizing lists %v\n%s lists %v", sorted(terraform), terraformcheck.PolicyData, sorted(policy.Types))
	}
	for name, size := range policy.Types {
		if size != (nodeSize{4, 8}) {
			t.Errorf("%s: %s is listed as %d vCPU / %d GiB", terraformcheck.PolicyData, name, size.VCPU, size.MemoryGiB)
		}
	}
}

func sorted(m map[string]nodeSize) []string {
	return slices.Sorted(maps.Keys(m))
}
