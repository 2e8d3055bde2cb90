//go:build ignore

// Command controller is cert-manager's controller as shipshape runs it
// (deploy/addons/cert-manager): the release's controllers, issuers and
// ingress-shim, configured by one ControllerConfiguration file, with
// leader election, metrics and health endpoints. cert-manager's own command
// is a module of its own that the module proxy does not serve, and the
// configuration types are internal to the cert-manager module, so the
// add-on's build (addon.env, prepare) copies this file into the module's
// copy and builds it there; the "ignore" constraint keeps it out of
// shipshape's own module. The Venafi issuer is not built (addon.env).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"

	config "github.com/cert-manager/cert-manager/internal/apis/config/controller"
	defaults "github.com/cert-manager/cert-manager/internal/apis/config/controller/v1alpha1"
	"github.com/cert-manager/cert-manager/internal/apis/config/controller/validation"
	"github.com/cert-manager/cert-manager/pkg/controller"
	controllerconfigfile "github.com/cert-manager/cert-manager/pkg/controller/configfile"
	"github.com/cert-manager/cert-manager/pkg/healthz"
	dnsutil "github.com/cert-manager/cert-manager/pkg/issuer/acme/dns/util"
	logf "github.com/cert-manager/cert-manager/pkg/logs"
	"github.com/cert-manager/cert-manager/pkg/util/configfile"
	utilfeature "github.com/cert-manager/cert-manager/pkg/util/feature"

	// The controllers and issuers register themselves with pkg/controller.
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmechallenges"
	_ "github.com/cert-manager/cert-manager/pkg/controller/acmeorders"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificate-shim/ingresses"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/acme"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/vault"
)

func main() {
	path := flag.String("config", "", "path of the ControllerConfiguration (controller.config.cert-manager.io/v1alpha1) to run with")
	flag.Parse()
	logf.InitLogs()
	defer logf.FlushLogs()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, err := load(*path)
	if err == nil {
		err = run(logf.NewContext(ctx, logf.Log, "controller"), cfg)
	}
	if err != nil {
		logf.Log.Error(err, "cert-manager controller stopped")
		logf.FlushLogs()
		os.Exit(1)
	}
}

// load reads the configuration file; decoding fills in the release's
// defaults for every field it leaves out.
func load(path string) (*config.ControllerConfiguration, error) {
	if path == "" {
		return nil, errors.New("-config is required: the ControllerConfiguration file")
	}
	loader, err := configfile.NewConfigurationFSLoader(nil, path)
	if err != nil {
		return nil, err
	}
	file := controllerconfigfile.New()
	if err := loader.Load(file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg := file.Config
	if errs := validation.ValidateControllerConfiguration(cfg, nil); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %w", path, errs.ToAggregate())
	}
	if err := utilfeature.DefaultMutableFeatureGate.SetFromMap(cfg.FeatureGates); err != nil {
		return nil, err
	}
	return cfg, logf.ValidateAndApply(&cfg.Logging)
}

// enabled lists the controllers to run: the release's defaults for "*",
// names added, "-name" removed, and only those this build registered.
func enabled(cfg *config.ControllerConfiguration) []string {
	var on []string
	for _, c := range cfg.Controllers {
		switch {
		case c == "*":
			on = append(on, defaults.DefaultEnabledControllers...)
		case !strings.HasPrefix(c, "-"):
			on = append(on, c)
		}
	}
	known := controller.Known()
	return slices.DeleteFunc(on, func(c string) bool {
		_, registered := known[c]
		return !registered || slices.Contains(cfg.Controllers, "-"+c) ||
			cfg.Namespace != "" && slices.Contains(defaults.ClusterScopedControllers, c)
	})
}

func run(ctx context.Context, cfg *config.ControllerConfiguration) error {
	log := logf.FromContext(ctx)
	factory, err := contextFactory(ctx, cfg)
	if err != nil {
		return err
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)

	informers := base.SharedInformerFactory.Certmanager().V1()
	base.Metrics.SetupACMECollector(base.SharedInformerFactory.Acme().V1().Challenges().Lister())
	base.Metrics.SetupCertificateCollector(informers.Certificates().Lister())
	base.Metrics.SetupIssuerCollector(informers.Issuers().Lister())
	base.Metrics.SetupClusterIssuerCollector(informers.ClusterIssuers().Lister())
	var lc net.ListenConfig
	metricsLn, err := lc.Listen(ctx, "tcp", cfg.MetricsListenAddress)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	serve(ctx, g, base.Metrics.NewServer(metricsLn), metricsLn)
	healthLn, err := lc.Listen(ctx, "tcp", cfg.HealthzListenAddress)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	health := healthz.NewServer(cfg.LeaderElectionConfig.HealthzTimeout)
	g.Go(func() error { return health.Start(ctx, healthLn) })

	// Only the leader runs the controllers: a second replica waits.
	if cfg.LeaderElectionConfig.Enabled {
		leading := make(chan struct{})
		g.Go(func() error { return lead(ctx, factory, cfg, health, leading) })
		select {
		case <-leading:
		case <-ctx.Done():
			return g.Wait()
		}
	}
	names := enabled(cfg)
	log.Info("starting controllers", "controllers", names)
	for _, name := range names {
		c, err := controller.Known()[name](factory)
		if err != nil {
			return fmt.Errorf("controller %s: %w", name, err)
		}
		g.Go(func() error { return c.Run(cfg.NumberOfConcurrentWorkers, ctx) })
	}
	base.SharedInformerFactory.Start(ctx.Done())
	base.KubeSharedInformerFactory.Start(ctx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(ctx.Done())
	err = g.Wait()
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	return err
}

// serve runs srv on ln until ctx ends, then gives it 5 s to finish.
func serve(ctx context.Context, g *errgroup.Group, srv *http.Server, ln net.Listener) {
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown) //nolint:contextcheck // ctx has ended
	})
}

// lead takes part in the election by Lease in the configured namespace and
// closes leading once elected; losing the lease later is an error (the pod
// restarts and stands again), so two leaders never act at once.
func lead(ctx context.Context, factory *controller.ContextFactory, cfg *config.ControllerConfiguration, health *healthz.Server, leading chan struct{}) error {
	c, err := factory.Build("leader-election")
	if err != nil {
		return err
	}
	id, err := os.Hostname()
	if err != nil {
		return err
	}
	lock, err := resourcelock.New(resourcelock.LeasesResourceLock, cfg.LeaderElectionConfig.Namespace, "cert-manager-controller",
		c.Client.CoreV1(), c.Client.CoordinationV1(), resourcelock.ResourceLockConfig{Identity: id, EventRecorder: c.Recorder})
	if err != nil {
		return err
	}
	lost := make(chan struct{})
	elector, err := leaderelection.NewLeaderElector(leaderelection.LeaderElectionConfig{
		Lock:            lock,
		LeaseDuration:   cfg.LeaderElectionConfig.LeaseDuration,
		RenewDeadline:   cfg.LeaderElectionConfig.RenewDeadline,
		RetryPeriod:     cfg.LeaderElectionConfig.RetryPeriod,
		ReleaseOnCancel: true,
		WatchDog:        health.LeaderHealthzAdaptor,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(context.Context) { close(leading) },
			OnStoppedLeading: func() { close(lost) },
		},
	})
	if err != nil {
		return err
	}
	elector.Run(ctx)
	<-lost
	if ctx.Err() != nil {
		return nil
	}
	return errors.New("lost the leader election")
}

// contextFactory turns the configuration into the options every
// controller is built with.
func contextFactory(ctx context.Context, cfg *config.ControllerConfiguration) (*controller.ContextFactory, error) {
	http01 := cfg.ACMEHTTP01Config
	nameservers := cfg.ACMEDNS01Config.RecursiveNameservers
	if len(nameservers) == 0 {
		nameservers = dnsutil.RecursiveNameservers
	}
	acme := controller.ACMEOptions{
		HTTP01SolverImage:            http01.SolverImage,
		ACMEHTTP01SolverRunAsNonRoot: http01.SolverRunAsNonRoot,
		HTTP01SolverRuntimeClassName: http01.SolverRuntimeClassName,
		HTTP01SolverNameservers:      http01.SolverNameservers,
		HTTP01SolverExtraLabels:      http01.SolverExtraLabels,
		DNS01Nameservers:             nameservers,
		DNS01CheckRetryPeriod:        cfg.ACMEDNS01Config.CheckRetryPeriod,
		DNS01CheckAuthoritative:      !cfg.ACMEDNS01Config.RecursiveNameserversOnly,
	}
	// the HTTP-01 solver pods' resources, named as in the configuration file
	for _, q := range []struct {
		field, value string
		into         *resource.Quantity
	}{
		{"solverResourceRequestCPU", http01.SolverResourceRequestCPU, &acme.HTTP01SolverResourceRequestCPU},
		{"solverResourceRequestMemory", http01.SolverResourceRequestMemory, &acme.HTTP01SolverResourceRequestMemory},
		{"solverResourceLimitsCPU", http01.SolverResourceLimitsCPU, &acme.HTTP01SolverResourceLimitsCPU},
		{"solverResourceLimitsMemory", http01.SolverResourceLimitsMemory, &acme.HTTP01SolverResourceLimitsMemory},
	} {
		v, err := resource.ParseQuantity(q.value)
		if err != nil {
			return nil, fmt.Errorf("acmeHTTP01Config.%s: %w", q.field, err)
		}
		*q.into = v
	}
	return controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         cfg.KubeConfig,
		KubernetesAPIQPS:   cfg.KubernetesAPIQPS,
		KubernetesAPIBurst: cfg.KubernetesAPIBurst,
		APIServerHost:      cfg.APIServerHost,
		Namespace:          cfg.Namespace,
		ACMEOptions:        acme,
		SchedulerOptions:   controller.SchedulerOptions{MaxConcurrentChallenges: cfg.MaxConcurrentChallenges},
		IssuerOptions: controller.IssuerOptions{
			ClusterIssuerAmbientCredentials: cfg.ClusterIssuerAmbientCredentials,
			IssuerAmbientCredentials:        cfg.IssuerAmbientCredentials,
			ClusterResourceNamespace:        cfg.ClusterResourceNamespace,
		},
		IngressShimOptions: controller.IngressShimOptions{
			DefaultIssuerName:                 cfg.IngressShimConfig.DefaultIssuerName,
			DefaultIssuerKind:                 cfg.IngressShimConfig.DefaultIssuerKind,
			DefaultIssuerGroup:                cfg.IngressShimConfig.DefaultIssuerGroup,
			DefaultAutoCertificateAnnotations: cfg.IngressShimConfig.DefaultAutoCertificateAnnotations,
			ExtraCertificateAnnotations:       cfg.IngressShimConfig.ExtraCertificateAnnotations,
		},
		CertificateOptions: controller.CertificateOptions{
			EnableOwnerRef:                           cfg.EnableCertificateOwnerRef,
			CopiedAnnotationPrefixes:                 cfg.CopiedAnnotationPrefixes,
			CertificateRequestMinimumBackoffDuration: cfg.CertificateRequestMinimumBackoffDuration,
			CertificateRequestMaximumBackoffDuration: cfg.CertificateRequestMaximumBackoffDuration,
		},
	})
}
