package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/config"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ids"
	"github.com/bulwarkhq/bulwark/internal/storage"
)

// bootstrapKey records the account the first start created.
const bootstrapKey = "sys/bootstrap/account"

// RootCredentialsFile is the file in the data directory that receives the first account's
// root credentials, once, with mode 0600.
const RootCredentialsFile = "root-credentials"

// bootstrap makes sure an account exists and returns its ID. With --dev it is account
// 000000000000 with the root access key test/test and the console sign-in DevRootEmail /
// DevRootPassword (the password only while root has none). Otherwise the first start creates
// an account with a random ID, a root access key and a random root console password (stored
// as an argon2id hash), writes them and the root email (BULWARK_ROOT_EMAIL, or a placeholder)
// to RootCredentialsFile and prints the file's path, never the secret. On later starts
// BULWARK_ROOT_EMAIL, when set, replaces the root email.
func bootstrap(ctx context.Context, cfg config.Config, store storage.Backend, identities *iam.Service, out io.Writer) (string, error) {
	if cfg.Dev {
		if _, err := identities.CreateAccount(ctx, config.DevAccount, "root@example.com"); err != nil && !isCode(err, "EntityAlreadyExists") {
			return "", fmt.Errorf("create the dev account: %w", err)
		}
		if err := identities.SeedRootAccessKey(ctx, config.DevAccount, "test", "test"); err != nil {
			return "", fmt.Errorf("seed the dev root key: %w", err)
		}
		if _, err := setRootLogin(ctx, identities, config.DevAccount, rootEmail(cfg, config.DevAccount), DevRootPassword); err != nil {
			return "", fmt.Errorf("set the dev root login: %w", err)
		}
		return config.DevAccount, nil
	}
	kv, err := store.Get(ctx, bootstrapKey)
	if err == nil {
		if err := ensureRootEmail(ctx, identities, string(kv.Value)); err != nil {
			return "", err
		}
		return string(kv.Value), nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return "", fmt.Errorf("read the bootstrap record: %w", err)
	}
	account := ids.AccountID()
	akid, secret := ids.AccessKeyID(), ids.SecretAccessKey()
	email, password := rootEmail(cfg, account), newRootPassword()
	if _, err := identities.CreateAccount(ctx, account, email); err != nil {
		return "", fmt.Errorf("create the first account: %w", err)
	}
	if err := identities.SeedRootAccessKey(ctx, account, akid, secret); err != nil {
		return "", fmt.Errorf("create the root access key: %w", err)
	}
	if _, err := setRootLogin(ctx, identities, account, email, password); err != nil {
		return "", fmt.Errorf("set the root login: %w", err)
	}
	path := filepath.Join(cfg.DataDir, RootCredentialsFile)
	if err := writeCredentials(path, account, akid, secret, email, password); err != nil {
		return "", err
	}
	if _, err := storage.Create(ctx, store, bootstrapKey, []byte(account)); err != nil {
		return "", fmt.Errorf("record the bootstrap: %w", err)
	}
	fmt.Fprintf(out, "Created account %s. Its root user's access key and console password are in %s (mode 0600); "+
		"read it once, store it safely, and prefer IAM users and roles for daily work.\n", account, path)
	return account, nil
}

// writeCredentials writes the root credentials in the AWS shared-credentials format (the
// console sign-in email and password as extra keys, which AWS tools ignore), durably, readable
// only by the owner.
func writeCredentials(path, account, akid, secret, email, password string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write root credentials: %w", err)
	}
	_, werr := fmt.Fprintf(f, "# Root user credentials of Bulwark account %s.\n# Anyone with this file controls the account.\n[bulwark]\naccount_id = %s\naws_access_key_id = %s\naws_secret_access_key = %s\nroot_email = %s\nconsole_password = %s\n",
		account, account, akid, secret, email, password)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("write root credentials: %w", werr)
	}
	return nil
}

func isCode(err error, code string) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == code
}
