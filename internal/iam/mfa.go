package iam

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/bulwarkhq/bulwark/internal/arn"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/storage"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

// Virtual MFA devices (CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice,
// DeactivateMFADevice, DeleteVirtualMFADevice, GetMFADevice, ListMFADevices,
// ListVirtualMFADevices, TagMFADevice, UntagMFADevice, ListMFADeviceTags) and VerifyMFA, which
// STS and console sign-in use to check a code.
//
// Storage keys (also in the table in keys.go):
//
//	iam/a/<acct>/vmfa/<escaped path+lname>   virtual MFA device: seed, assignment, last step, failures
//	iam/a/<acct>/rootmfa                     serial numbers of the root user's MFA devices
//
// A device's seed is a secret: it is stored only in the device's value (which the barrier
// encrypts), returned only by CreateVirtualMFADevice and never logged. An IAM user's enabled
// devices are listed in its record (userRec.MFA), so DeleteUser's check is race-free.

// Codes and timing.
const (
	// CodeInvalidAuthenticationCode is the error code of a wrong MFA code (403).
	CodeInvalidAuthenticationCode = "InvalidAuthenticationCode"

	// MFADevicesPerUser is AWS's quota of MFA devices per user (and per root user).
	MFADevicesPerUser = 8

	seedBytes    = 20 // 160-bit seed, as AWS's
	maxMFAName   = 226
	minSerial    = 9
	maxSerial    = 256
	patSerial    = `[\w+=/:,.@-]+`
	patAuthCode  = `[\d]+`
	enableWindow = 2  // steps either side of now for EnableMFADevice's second code
	resyncWindow = 60 // steps either side (30 minutes) for ResyncMFADevice
	verifyWindow = 1  // steps either side of the device's drifted clock for VerifyMFA
	qrSize       = 256
	assignedAny  = "Any"
	assignedYes  = "Assigned"
	assignedNo   = "Unassigned"
)

// MFA code guessing. A six-digit code with a window of ±1 step leaves three valid codes out
// of a million, so without a limit a caller who holds a user's password or access key could
// find one in about a minute at the rate STS answers. VerifyMFA therefore counts consecutive
// refused codes per device, in the device's stored record (the same read-modify-write, in one
// conditional storage transaction, as LastStep, so concurrent guesses are all counted and
// every node shares the count):
//
//   - the mfaFreeFailures-th consecutive refused code locks the device for mfaLockoutBase,
//     and each further refused code doubles it, up to mfaLockoutMax;
//   - while locked every code is refused without being checked, even the right one, with the
//     same InvalidAuthenticationCode as a wrong code (no answer tells that the device is
//     locked; the error's internal Cause, ErrMFALocked, is for logs); these refusals are not
//     counted and write nothing, so they neither extend the lockout nor cost a store write;
//   - an accepted code (or a successful EnableMFADevice, ResyncMFADevice or
//     DeactivateMFADevice) clears the count, and so does mfaForgetAfter without a refused code
//     after the lockout has ended (after the last refused code when there was no lockout).
//
// AWS does not document a limit for IAM MFA codes (STS answers a wrong TokenCode with
// AccessDenied and publishes no lockout, message or numbers), so there is no IAM behaviour or
// message to copy. The one MFA lockout AWS documents is Amazon Cognito's ("After five
// unsuccessful attempts to present an MFA code, Amazon Cognito begins the exponential-timeout
// lockout process": the lockout doubles per further failure up to about 15 minutes, attempts
// during a lockout do not lengthen it, and a success after it, or 15 minutes without
// attempts, resets it; Cognito Developer Guide, "Lockout behavior for failed sign-in
// attempts"). These rules follow it, starting from 30 seconds rather than one as console
// sign-in's own throttle (internal/signin) does, and forgetting the count only after a quiet
// period that follows the end of the lockout, so that the 15-minute cap is not also a reset.
// A determined guesser then gets 10 codes in the first half hour and one per 15 minutes after
// that (about 100 a day): a code is found in years, not in a minute. The cost is that anyone
// holding the user's password or keys can keep the device locked; that is the user's signal
// to rotate them.
const (
	mfaFreeFailures = 5
	mfaLockoutBase  = 30 * time.Second
	mfaLockoutMax   = 15 * time.Minute
	mfaForgetAfter  = 15 * time.Minute
)

// ErrMFALocked is the internal Cause of the InvalidAuthenticationCode that VerifyMFA returns
// while a device is locked after repeated invalid codes. It is never sent to clients (they get
// the same answer as for a wrong code); callers may use it to log the lockout.
var ErrMFALocked = errors.New("iam: MFA device locked after repeated invalid codes")

// mfaLockout returns the lockout that the n-th consecutive refused code starts (0 for none):
// mfaLockoutBase at n = mfaFreeFailures, doubling per further failure up to mfaLockoutMax.
func mfaLockout(n int) time.Duration {
	if n < mfaFreeFailures {
		return 0
	}
	d := mfaLockoutBase
	for i := mfaFreeFailures; i < n && d < mfaLockoutMax; i++ {
		d *= 2
	}
	return min(d, mfaLockoutMax)
}

var (
	reSerial   = mustFull(patSerial)
	reAuthCode = mustFull(patAuthCode)
)

// VirtualMFADevice is a virtual MFA device (the IAM "VirtualMFADevice"). Base32StringSeed and
// QRCodePNG are set only by CreateVirtualMFADevice. User is set when the device is assigned to
// an IAM user; for a device of the root user, User is nil and Root is true.
type VirtualMFADevice struct {
	SerialNumber     string
	Base32StringSeed []byte
	QRCodePNG        []byte
	User             *User
	Root             bool
	EnableDate       *time.Time
	Tags             []Tag
}

// MFADevice is an MFA device enabled for a user (the IAM "MFADevice"). UserName is "" for
// the root user.
type MFADevice struct {
	UserName     string
	SerialNumber string
	EnableDate   time.Time
}

// mfaRec is the stored virtual MFA device.
type mfaRec struct {
	Name    string
	Path    string
	Seed    []byte // the secret; only ever in this value
	Created time.Time
	Tags    []Tag `json:",omitempty"`
	// Assignment: UserID of the IAM user, or Root; Enabled is the enable date.
	UserID  string     `json:",omitempty"`
	Root    bool       `json:",omitempty"`
	Enabled *time.Time `json:",omitempty"`
	// LastStep is the last TOTP time step accepted, so no code is accepted twice; Drift is the
	// device's clock offset in steps, learned by ResyncMFADevice.
	LastStep int64 `json:",omitempty"`
	Drift    int64 `json:",omitempty"`
	// Failures counts the consecutive codes VerifyMFA refused (wrong or reused) since the
	// last accepted one, LastFailure is when the latest was refused, and LockedUntil is the
	// end of the lockout they caused: see mfaLockout.
	Failures    int        `json:",omitempty"`
	LastFailure *time.Time `json:",omitempty"`
	LockedUntil *time.Time `json:",omitempty"`
}

// quietSince is when the device's last refused code, or the lockout it caused, ended: its
// failures are forgotten mfaForgetAfter later. Nil when there are none.
func (d *mfaRec) quietSince() *time.Time {
	if d.LockedUntil != nil {
		return d.LockedUntil
	}
	return d.LastFailure
}

// clearFailures forgets the device's refused codes and lockout.
func (d *mfaRec) clearFailures() { d.Failures, d.LastFailure, d.LockedUntil = 0, nil, nil }

// hasCode reports whether err is an *awserr.Error with this code.
func hasCode(err error, code string) bool {
	var ae *awserr.Error
	return errors.As(err, &ae) && ae.Code == code
}

func (d *mfaRec) assigned() bool { return d.UserID != "" || d.Root }

// rootMFARec lists the root user's enabled MFA devices.
type rootMFARec struct {
	Serials []string
}

func vmfaPrefix(acct string) string { return acctPrefix(acct) + "vmfa/" }
func vmfaKey(acct, path, name string) string {
	return vmfaPrefix(acct) + url.PathEscape(path+lower(name))
}
func rootMFAKey(acct string) string { return acctPrefix(acct) + "rootmfa" }

func (s *Service) mfaSerial(acct, path, name string) string {
	return arn.IAM(s.partition, acct, arn.TypeMFA, path, name)
}

func errInvalidAuthCode() *awserr.Error {
	return awserr.New(CodeInvalidAuthenticationCode, http.StatusForbidden, "Authentication code for device is not valid.")
}

func errNoSuchMFA(serial string) *awserr.Error {
	return noSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
}

// errMFANotForUser answers an operation on a device that is not enabled for the user. The
// wording is that of IAM-compatible services modelled on AWS (not in the API reference).
func errMFANotForUser() *awserr.Error {
	return noSuchEntity("MFA Device invalid for user.")
}

// Messages as AWS returns them (quoted in public issue trackers and in the tests of IAM
// emulators checked against AWS).
const (
	msgMFAExists         = "MFADevice entity at the same path and name already exists."
	msgMFAInUse          = "MFA Device is already in use."
	msgMFADeviceAssigned = "MFA VirtualDevice in use. Must deactivate first."
	msgMustDeleteMFA     = "Cannot delete entity, must delete MFA device first."
)

func checkSerial(c *checks, serial string) {
	c.str("serialNumber", serial, true, minSerial, maxSerial, reSerial, patSerial)
}

func checkAuthCode(c *checks, field, code string) {
	c.str(field, code, true, 6, 6, reAuthCode, patAuthCode)
}

// loadMFA finds the virtual MFA device with this serial number in the account.
func (s *Service) loadMFA(t *tx, acct, serial string) (*mfaRec, string, error) {
	a, typ, path, name, err := arn.ParseIAM(serial)
	if err != nil || typ != arn.TypeMFA || a.AccountID != acct || a.Partition != s.partition {
		return nil, "", errNoSuchMFA(serial)
	}
	key := vmfaKey(acct, path, name)
	var d mfaRec
	ok, err := t.get(key, &d)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		return nil, "", errNoSuchMFA(serial)
	}
	return &d, key, nil
}

// mfaOwner is the user whose devices change: an IAM user or, for userName "", the root user.
type mfaOwner struct {
	user    *userRec
	serials *[]string
	save    func(t *tx) error
}

func (s *Service) loadMFAOwner(t *tx, acct, userName string) (*mfaOwner, error) {
	if userName == "" {
		var r rootMFARec
		if _, err := t.get(rootMFAKey(acct), &r); err != nil {
			return nil, err
		}
		return &mfaOwner{serials: &r.Serials, save: func(t *tx) error {
			if len(r.Serials) == 0 {
				t.del(rootMFAKey(acct))
				return nil
			}
			return t.put(rootMFAKey(acct), r)
		}}, nil
	}
	u, err := s.loadUser(t, acct, userName)
	if err != nil {
		return nil, err
	}
	return &mfaOwner{user: u, serials: &u.MFA, save: func(t *tx) error { return t.put(userKey(acct, u.Name), u) }}, nil
}

func (o *mfaOwner) owns(d *mfaRec) bool {
	if o.user == nil {
		return d.Root
	}
	return d.UserID == o.user.ID
}

func (o *mfaOwner) name() string {
	if o.user == nil {
		return ""
	}
	return o.user.Name
}

// CreateVirtualMFADeviceInput is the input of CreateVirtualMFADevice.
type CreateVirtualMFADeviceInput struct {
	// Path defaults to "/".
	Path                 string
	VirtualMFADeviceName string
	Tags                 []Tag
}

// CreateVirtualMFADevice creates an unassigned virtual MFA device with a fresh 160-bit seed
// and returns, this once, the seed in base32 and a QR code PNG of
// otpauth://totp/<name>@<account alias or ID>?secret=<seed> for an authenticator app.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, acct string, in CreateVirtualMFADeviceInput) (VirtualMFADevice, error) {
	var c checks
	c.name("virtualMFADeviceName", in.VirtualMFADeviceName, maxMFAName)
	path, err := checkPath(&c, "path", in.Path)
	if err != nil {
		return VirtualMFADevice{}, err
	}
	if err := c.err(); err != nil {
		return VirtualMFADevice{}, err
	}
	if err := checkTags(in.Tags, true); err != nil {
		return VirtualMFADevice{}, err
	}
	if len(in.Tags) > s.quotas.TagsPerResource {
		return VirtualMFADevice{}, errTagLimit()
	}
	seed := make([]byte, seedBytes)
	if _, err := rand.Read(seed); err != nil {
		return VirtualMFADevice{}, internal(err)
	}
	label := acct
	if err := s.view(ctx, func(t *tx) error {
		var alias string
		ok, err := t.get(aliasKey(acct), &alias)
		if ok && alias != "" {
			label = alias
		}
		return err
	}); err != nil {
		return VirtualMFADevice{}, err
	}
	png, err := qrcode.Encode(totp.KeyURI(in.VirtualMFADeviceName+"@"+label, seed, ""), qrcode.Medium, qrSize)
	if err != nil {
		return VirtualMFADevice{}, internal(err)
	}
	d := mfaRec{Name: in.VirtualMFADeviceName, Path: path, Seed: seed, Created: s.clock(), Tags: in.Tags}
	key := vmfaKey(acct, path, d.Name)
	err = s.update(ctx, func(t *tx) error {
		exists, err := t.exists(key)
		if err != nil {
			return err
		}
		if exists {
			return alreadyExists("%s", msgMFAExists)
		}
		return t.put(key, d)
	})
	if err != nil {
		return VirtualMFADevice{}, err
	}
	return VirtualMFADevice{
		SerialNumber:     s.mfaSerial(acct, path, d.Name),
		Base32StringSeed: []byte(totp.EncodeBase32(seed)),
		QRCodePNG:        png,
		Tags:             d.Tags,
	}, nil
}

// matchPair finds a step m within window of center where code1 is the code of step m-1 and
// code2 that of step m (two consecutive codes), with m-1 after last (never reuse a step).
func matchPair(seed []byte, code1, code2 string, center int64, window int, last int64) (int64, bool) {
	for m := center - int64(window); m <= center+int64(window); m++ {
		if m-1 <= last || m < 1 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(totp.GenerateStep(seed, m)), []byte(code2)) == 1 &&
			subtle.ConstantTimeCompare([]byte(totp.GenerateStep(seed, m-1)), []byte(code1)) == 1 {
			return m, true
		}
	}
	return 0, false
}

func checkCodes(c *checks, userName, serial, code1, code2 string) {
	c.optName("userName", userName, maxUserName)
	checkSerial(c, serial)
	checkAuthCode(c, "authenticationCode1", code1)
	checkAuthCode(c, "authenticationCode2", code2)
}

// EnableMFADevice assigns a virtual MFA device to a user (userName "" means the root user)
// once the user proves possession with two consecutive codes: code1 for one time step and
// code2 for the next, the later one at most enableWindow steps from now.
func (s *Service) EnableMFADevice(ctx context.Context, acct, userName, serial, code1, code2 string) error {
	var c checks
	checkCodes(&c, userName, serial, code1, code2)
	if err := c.err(); err != nil {
		return err
	}
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		o, err := s.loadMFAOwner(t, acct, userName)
		if err != nil {
			return err
		}
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		if d.assigned() {
			return alreadyExists("%s", msgMFAInUse)
		}
		if len(*o.serials) >= MFADevicesPerUser {
			return errQuota("MFADevicesPerUser", MFADevicesPerUser)
		}
		m, ok := matchPair(d.Seed, code1, code2, totp.Step(now), enableWindow, d.LastStep)
		if !ok {
			return errInvalidAuthCode()
		}
		d.LastStep, d.Drift = m, 0
		d.clearFailures()
		d.Enabled = &now
		if o.user != nil {
			d.UserID = o.user.ID
		} else {
			d.Root = true
		}
		*o.serials = append(*o.serials, serial)
		if err := t.put(key, d); err != nil {
			return err
		}
		return o.save(t)
	})
}

// ResyncMFADevice re-synchronises an enabled device whose clock drifted: two consecutive codes
// anywhere within resyncWindow steps of now teach the service the device's offset.
func (s *Service) ResyncMFADevice(ctx context.Context, acct, userName, serial, code1, code2 string) error {
	var c checks
	checkCodes(&c, userName, serial, code1, code2)
	if err := c.err(); err != nil {
		return err
	}
	now := s.clock()
	return s.update(ctx, func(t *tx) error {
		o, err := s.loadMFAOwner(t, acct, userName)
		if err != nil {
			return err
		}
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			if hasCode(err, CodeNoSuchEntity) {
				return errMFANotForUser()
			}
			return err
		}
		if !d.assigned() || !o.owns(d) {
			return errMFANotForUser()
		}
		cur := totp.Step(now)
		m, ok := matchPair(d.Seed, code1, code2, cur, resyncWindow, d.LastStep)
		if !ok {
			return errInvalidAuthCode()
		}
		d.LastStep, d.Drift = m, m-cur
		d.clearFailures() // two consecutive codes prove possession
		return t.put(key, d)
	})
}

// DeactivateMFADevice unassigns a device from a user (userName "" means root). The virtual
// device itself remains, unassigned, until DeleteVirtualMFADevice.
func (s *Service) DeactivateMFADevice(ctx context.Context, acct, userName, serial string) error {
	var c checks
	c.optName("userName", userName, maxUserName)
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		o, err := s.loadMFAOwner(t, acct, userName)
		if err != nil {
			return err
		}
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			if hasCode(err, CodeNoSuchEntity) {
				return errMFANotForUser()
			}
			return err
		}
		if !d.assigned() || !o.owns(d) || !slices.Contains(*o.serials, serial) {
			return errMFANotForUser()
		}
		d.UserID, d.Root, d.Enabled, d.Drift = "", false, nil, 0
		d.clearFailures()
		*o.serials = slices.DeleteFunc(*o.serials, func(x string) bool { return x == serial })
		if err := t.put(key, d); err != nil {
			return err
		}
		return o.save(t)
	})
}

// DeleteVirtualMFADevice deletes an unassigned virtual MFA device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, acct, serial string) error {
	var c checks
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		if d.assigned() {
			return deleteConflict(msgMFADeviceAssigned)
		}
		t.del(key)
		return nil
	})
}

// GetMFADevice returns an MFA device enabled for a user (userName "" means root).
func (s *Service) GetMFADevice(ctx context.Context, acct, userName, serial string) (MFADevice, error) {
	var c checks
	c.optName("userName", userName, maxUserName)
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return MFADevice{}, err
	}
	var out MFADevice
	err := s.view(ctx, func(t *tx) error {
		o, err := s.loadMFAOwner(t, acct, userName)
		if err != nil {
			return err
		}
		d, _, err := s.loadMFA(t, acct, serial)
		if err != nil {
			if hasCode(err, CodeNoSuchEntity) {
				return errMFANotForUser()
			}
			return err
		}
		if !d.assigned() || !o.owns(d) || d.Enabled == nil {
			return errMFANotForUser()
		}
		out = MFADevice{UserName: o.name(), SerialNumber: serial, EnableDate: *d.Enabled}
		return nil
	})
	return out, err
}

// ListMFADevices lists the MFA devices enabled for a user (userName "" means root), in the
// order they were enabled.
func (s *Service) ListMFADevices(ctx context.Context, acct, userName string, page PageInput) (Page[MFADevice], error) {
	var c checks
	c.optName("userName", userName, maxUserName)
	if err := c.err(); err != nil {
		return Page[MFADevice]{}, err
	}
	var out []MFADevice
	err := s.view(ctx, func(t *tx) error {
		o, err := s.loadMFAOwner(t, acct, userName)
		if err != nil {
			return err
		}
		for _, serial := range *o.serials {
			d, _, err := s.loadMFA(t, acct, serial)
			if hasCode(err, CodeNoSuchEntity) {
				continue
			}
			if err != nil {
				return err
			}
			if d.Enabled != nil && o.owns(d) {
				out = append(out, MFADevice{UserName: o.name(), SerialNumber: serial, EnableDate: *d.Enabled})
			}
		}
		return nil
	})
	if err != nil {
		return Page[MFADevice]{}, err
	}
	return pageOrdered(out, page)
}

// ListVirtualMFADevices lists the account's virtual MFA devices, without seeds, filtered by
// assignment status: "Assigned", "Unassigned", or "Any" ("" means Any, AWS's default).
func (s *Service) ListVirtualMFADevices(ctx context.Context, acct, status string, page PageInput) (Page[VirtualMFADevice], error) {
	switch status {
	case "":
		status = assignedAny
	case assignedAny, assignedYes, assignedNo:
	default:
		var c checks
		c.fail("assignmentStatus", "Member must satisfy enum value set: [Unassigned, Any, Assigned]")
		return Page[VirtualMFADevice]{}, c.err()
	}
	p, err := scan(ctx, s.b, []string{vmfaPrefix(acct)}, page, func(_ int, kv storage.KV) (VirtualMFADevice, bool, error) {
		var d mfaRec
		if err := json.Unmarshal(kv.Value, &d); err != nil {
			return VirtualMFADevice{}, false, err
		}
		if (status == assignedYes && !d.assigned()) || (status == assignedNo && d.assigned()) {
			return VirtualMFADevice{}, false, nil
		}
		out := VirtualMFADevice{SerialNumber: s.mfaSerial(acct, d.Path, d.Name), Root: d.Root}
		if d.Enabled != nil {
			at := *d.Enabled
			out.EnableDate = &at
		}
		if d.UserID != "" {
			u, err := s.userByID(ctx, acct, d.UserID)
			if err != nil {
				return VirtualMFADevice{}, false, err
			}
			out.User = u
		}
		return out, true, nil
	})
	return p, internal(err)
}

// userByID returns the user with a unique ID, or nil if it no longer exists.
func (s *Service) userByID(ctx context.Context, acct, id string) (*User, error) {
	var out *User
	err := s.view(ctx, func(t *tx) error {
		var r idRec
		ok, err := t.get(uniqueIDKey(id), &r)
		if err != nil || !ok || r.Account != acct || r.Kind != ekUser {
			return err
		}
		var u userRec
		ok, err = t.get(userKey(acct, r.Name), &u)
		if err != nil || !ok {
			return err
		}
		uo := s.userOut(acct, &u)
		uo.Tags, uo.PermissionsBoundary = nil, nil
		out = &uo
		return nil
	})
	return out, err
}

// VerifyMFA checks a code from an enabled virtual MFA device of the account at time now, for
// STS (SerialNumber/TokenCode) and console sign-in. A code is accepted once: its time step
// must be later than the last step the device accepted, which this call records. Refused codes
// are counted and lock the device for a while (see mfaFreeFailures): while it is locked every
// code is refused. It returns InvalidAuthenticationCode (403) for a wrong, reused or malformed
// code and for any code while the device is locked (then with Cause ErrMFALocked), and
// NoSuchEntity when the device does not exist or is not enabled.
func (s *Service) VerifyMFA(ctx context.Context, acct, serial, code string, now time.Time) error {
	var c checks
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return err
	}
	now = now.UTC()
	// A malformed code is refused like a wrong one, and counted like one.
	c = nil
	checkAuthCode(&c, "tokenCode", code)
	wellFormed := c.err() == nil
	// The verdict is decided inside the transaction, which must commit even when the code is
	// refused (to record the failure): update's fn returns nil and leaves the verdict here.
	var verdict error
	err := s.update(ctx, func(t *tx) error {
		verdict = nil
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		if !d.assigned() {
			return errNoSuchMFA(serial)
		}
		if d.LockedUntil != nil && now.Before(*d.LockedUntil) {
			e := errInvalidAuthCode()
			e.Cause = ErrMFALocked
			verdict = e
			return nil // not checked, not counted, nothing written
		}
		if quiet := d.quietSince(); quiet != nil && now.Sub(*quiet) >= mfaForgetAfter {
			d.clearFailures()
		}
		if wellFormed {
			step, ok := totp.VerifyStep(d.Seed, code, totp.Step(now)+d.Drift, verifyWindow)
			if ok && step > d.LastStep {
				d.LastStep = step
				d.clearFailures()
				return t.put(key, d)
			}
		}
		d.Failures++
		d.LastFailure = &now
		d.LockedUntil = nil
		if lock := mfaLockout(d.Failures); lock > 0 {
			until := now.Add(lock)
			d.LockedUntil = &until
		}
		verdict = errInvalidAuthCode()
		return t.put(key, d)
	})
	if hasCode(err, CodeConcurrentModification) {
		// The attempt could not be recorded: refuse it like a wrong code.
		e := errInvalidAuthCode()
		e.Cause = err
		return e
	}
	if err != nil {
		return err
	}
	return verdict
}

// mfaCounts returns the number of virtual MFA devices, how many are assigned, and whether the
// root user has one, for GetAccountSummary and the credential report.
func (s *Service) mfaCounts(ctx context.Context, acct string) (devices, inUse int, root bool, err error) {
	kvs, err := s.rangeAll(ctx, vmfaPrefix(acct))
	if err != nil {
		return 0, 0, false, err
	}
	for _, kv := range kvs {
		var d mfaRec
		if err := decode(kv, &d); err != nil {
			return 0, 0, false, err
		}
		devices++
		if d.assigned() {
			inUse++
		}
		if d.Root {
			root = true
		}
	}
	return devices, inUse, root, nil
}

// TagMFADevice adds tags to a virtual MFA device, replacing the values of keys it already has.
func (s *Service) TagMFADevice(ctx context.Context, acct, serial string, tags []Tag) error {
	var c checks
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return err
	}
	if err := checkTags(tags, true); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		if d.Tags, err = mergeTags(d.Tags, tags, true, s.quotas.TagsPerResource); err != nil {
			return err
		}
		return t.put(key, d)
	})
}

// UntagMFADevice removes the tags with the keys from a virtual MFA device.
func (s *Service) UntagMFADevice(ctx context.Context, acct, serial string, keys []string) error {
	var c checks
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return err
	}
	if err := checkTagKeys(keys); err != nil {
		return err
	}
	return s.update(ctx, func(t *tx) error {
		d, key, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		d.Tags = removeTags(d.Tags, keys, true)
		return t.put(key, d)
	})
}

// ListMFADeviceTags lists a virtual MFA device's tags.
func (s *Service) ListMFADeviceTags(ctx context.Context, acct, serial string, page PageInput) (Page[Tag], error) {
	var c checks
	checkSerial(&c, serial)
	if err := c.err(); err != nil {
		return Page[Tag]{}, err
	}
	var tags []Tag
	err := s.view(ctx, func(t *tx) error {
		d, _, err := s.loadMFA(t, acct, serial)
		if err != nil {
			return err
		}
		tags = d.Tags
		return nil
	})
	if err != nil {
		return Page[Tag]{}, err
	}
	return pageTags(tags, page)
}
