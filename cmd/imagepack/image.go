package main

import (
	"bytes"
	"io"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// image assembles the layers and the configuration.
func (s *spec) image() (v1.Image, error) {
	img := empty.Image
	if s.base != "" {
		base, err := tarball.LayerFromFile(s.base)
		if err != nil {
			return nil, err
		}
		if img, err = mutate.AppendLayers(img, base); err != nil {
			return nil, err
		}
	}
	if len(s.entries) > 0 {
		data, err := buildLayer(s.entries)
		if err != nil {
			return nil, err
		}
		top, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		})
		if err != nil {
			return nil, err
		}
		if img, err = mutate.AppendLayers(img, top); err != nil {
			return nil, err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Config = v1.Config{
		User:       s.user,
		WorkingDir: s.workdir,
		Env:        append([]string{defaultPath}, s.env...),
		Entrypoint: s.entrypoint,
		Cmd:        s.cmd,
	}
	if len(s.exposed) > 0 {
		cf.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range s.exposed {
			cf.Config.ExposedPorts[p] = struct{}{}
		}
	}
	return mutate.ConfigFile(img, cf)
}

// write saves the image as a docker-archive tarball and returns its digest.
func (s *spec) write() (string, error) {
	img, err := s.image()
	if err != nil {
		return "", err
	}
	ref, err := name.NewTag(s.tag)
	if err != nil {
		return "", err
	}
	if err := tarball.WriteToFile(s.out, ref, img); err != nil {
		return "", err
	}
	d, err := img.Digest()
	return d.String(), err
}
