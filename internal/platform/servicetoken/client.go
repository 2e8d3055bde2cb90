package servicetoken

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	identityv1 "github.com/shipshape-dev/shipshape/api/identity/v1"
	"github.com/shipshape-dev/shipshape/internal/platform/config"
	"github.com/shipshape-dev/shipshape/internal/platform/grpcclient"
)

// MinSecretLength keeps client secrets out of guessing range even for
// someone who has identity's stored hashes.
const MinSecretLength = 32

// ClientConfig is how a service obtains its own token: all three set, or
// none (the service then sends no service token).
type ClientConfig struct {
	// IdentityTarget is identity's gRPC address ("dns:///identity-grpc:9090").
	IdentityTarget string `env:"IDENTITY_GRPC_TARGET"`
	// ClientID is the service's name at identity, e.g. "orders".
	ClientID string `env:"SERVICE_CLIENT_ID"`
	// SecretFile holds the client secret (mounted from a Secret).
	SecretFile string `env:"SERVICE_CLIENT_SECRET_FILE"`
}

// Enabled reports whether the service identifies itself.
func (c ClientConfig) Enabled() bool {
	return c.IdentityTarget != "" || c.ClientID != "" || c.SecretFile != ""
}

// Validate checks the settings come together and name a valid client.
func (c ClientConfig) Validate() error {
	if !c.Enabled() {
		return nil
	}
	var errs []error
	for _, v := range []struct{ name, value string }{
		{"IDENTITY_GRPC_TARGET", c.IdentityTarget}, {"SERVICE_CLIENT_ID", c.ClientID}, {"SERVICE_CLIENT_SECRET_FILE", c.SecretFile},
	} {
		if v.value == "" {
			errs = append(errs, config.Errorf(v.name, "required with the other service client settings"))
		}
	}
	if c.ClientID != "" && !ValidName(c.ClientID) {
		errs = append(errs, config.Errorf("SERVICE_CLIENT_ID", "%q is not a service name (lowercase letters, digits, hyphens)", c.ClientID))
	}
	return errors.Join(errs...)
}

// Required is Validate for a service that cannot work without its token.
func (c ClientConfig) Required() error {
	if !c.Enabled() {
		return config.Errorf("SERVICE_CLIENT_ID", "required (with IDENTITY_GRPC_TARGET and SERVICE_CLIENT_SECRET_FILE)")
	}
	return nil
}

// Client is a service's connection to identity and the source of its
// tokens.
type Client struct {
	*Source
	close func() error
}

// Close closes the connection to identity.
func (c *Client) Close() error { return c.close() }

// NewClient reads the secret and dials identity (lazily: identity may
// still be starting). Call it only when c is Enabled.
func NewClient(c ClientConfig) (*Client, error) {
	raw, err := os.ReadFile(c.SecretFile)
	if err != nil {
		return nil, config.Errorf("SERVICE_CLIENT_SECRET_FILE", "%v", err)
	}
	// Trimmed: a secret file written by hand or by a tool ends in a newline.
	secret := strings.TrimSpace(string(raw))
	if len(secret) < MinSecretLength {
		return nil, config.Errorf("SERVICE_CLIENT_SECRET_FILE", "%s: the secret must be at least %d characters", c.SecretFile, MinSecretLength)
	}
	conn, err := grpcclient.Dial(grpcclient.Config{Target: c.IdentityTarget,
		Retry: []string{identityv1.ServiceTokenService_IssueServiceToken_FullMethodName}})
	if err != nil {
		return nil, err
	}
	fetch := Exchange(identityv1.NewServiceTokenServiceClient(conn), c.ClientID, secret)
	return &Client{Source: NewSource(fetch), close: conn.Close}, nil
}

// Exchange fetches tokens from identity with client credentials.
func Exchange(identity identityv1.ServiceTokenServiceClient, clientID, secret string) Fetch {
	return func(ctx context.Context) (Token, error) {
		resp, err := identity.IssueServiceToken(ctx, &identityv1.IssueServiceTokenRequest{ClientId: clientID, ClientSecret: secret})
		if err != nil {
			return Token{}, fmt.Errorf("identity IssueServiceToken for %s: %w", clientID, err)
		}
		if resp.GetAccessToken() == "" || resp.GetExpiresIn() <= 0 {
			return Token{}, fmt.Errorf("identity IssueServiceToken for %s: empty token or lifetime", clientID)
		}
		return Token{Value: resp.GetAccessToken(), ExpiresIn: time.Duration(resp.GetExpiresIn()) * time.Second}, nil
	}
}
