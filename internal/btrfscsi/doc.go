// Package btrfscsi is the test cluster's storage: a CSI driver whose
// volumes are btrfs subvolumes of one pool (a file system on the node) and
// whose snapshots are read-only btrfs snapshots of them. A snapshot is
// atomic, so it holds what a power cut at that instant would have left on
// the volume, as a cloud disk's snapshot does (the AWS EBS CSI driver in
// staging and production); that is what lets the snapshot restore runbook
// be drilled for real. Volumes are local to the pool's node (the driver
// says so with a topology segment) and their capacity is a btrfs quota.
//
// One process serves the CSI identity, controller and node services on one
// socket and registers itself with the kubelet (the plugin registration
// API), so no node-driver-registrar is needed. The upstream
// external-provisioner, csi-snapshotter and snapshot-controller drive it.
// Test infrastructure (test/cluster), never deployed.
package btrfscsi
