package iam_test

import (
	"bytes"
	"image/png"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

const invalidCode = "InvalidAuthenticationCode"

// device creates a virtual MFA device and returns it with its decoded seed.
func (f *fixture) device(path, name string) (iam.VirtualMFADevice, []byte) {
	f.t.Helper()
	d, err := f.svc.CreateVirtualMFADevice(f.ctx, acct, iam.CreateVirtualMFADeviceInput{Path: path, VirtualMFADeviceName: name})
	f.ok(err)
	seed, err := totp.DecodeBase32(string(d.Base32StringSeed))
	f.ok(err)
	return d, seed
}

// pair returns two consecutive codes: the previous time step's and the current one's.
func (f *fixture) pair(seed []byte) (string, string) {
	now := f.clock.Now()
	return totp.Generate(seed, now.Add(-totp.Period)), totp.Generate(seed, now)
}

func TestVirtualMFALifecycle(t *testing.T) {
	f := newFixture(t)
	f.user("kim")
	d, seed := f.device("/team/", "kim-phone")
	if d.SerialNumber != "arn:aws:iam::"+acct+":mfa/team/kim-phone" {
		t.Fatalf("serial = %s", d.SerialNumber)
	}
	if len(seed) != 20 || len(d.Base32StringSeed) != 32 {
		t.Fatalf("seed is %d bytes, base32 %d characters; want 20 and 32", len(seed), len(d.Base32StringSeed))
	}
	if _, err := png.Decode(bytes.NewReader(d.QRCodePNG)); err != nil {
		t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	wantErr(t, errOf(f.svc.CreateVirtualMFADevice(f.ctx, acct, iam.CreateVirtualMFADeviceInput{Path: "/team/", VirtualMFADeviceName: "KIM-PHONE"})),
		exists, 409, "MFADevice entity at the same path and name already exists.")
	_, _ = f.device("/", "kim-phone") // same name, other path

	list, err := f.svc.ListVirtualMFADevices(f.ctx, acct, "Unassigned", iam.PageInput{})
	f.ok(err)
	if len(list.Items) != 2 || list.Items[0].Base32StringSeed != nil || list.Items[0].User != nil {
		t.Fatalf("ListVirtualMFADevices(Unassigned) = %+v", list)
	}

	c1, c2 := f.pair(seed)
	wantErr(t, f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, c2, c1), invalidCode, 403, "Authentication code for device is not valid.")
	wantErr(t, f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, c1, c1), invalidCode, 403, "")
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, c1, c2))
	wantErr(t, f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, c1, c2), exists, 409, "MFA Device is already in use.")

	devs, err := f.svc.ListMFADevices(f.ctx, acct, "kim", iam.PageInput{})
	f.ok(err)
	if len(devs.Items) != 1 || devs.Items[0].SerialNumber != d.SerialNumber || devs.Items[0].UserName != "kim" ||
		!devs.Items[0].EnableDate.Equal(f.clock.Now()) {
		t.Fatalf("ListMFADevices = %+v", devs)
	}
	got, err := f.svc.GetMFADevice(f.ctx, acct, "kim", d.SerialNumber)
	f.ok(err)
	if got != devs.Items[0] {
		t.Fatalf("GetMFADevice = %+v", got)
	}
	assigned, err := f.svc.ListVirtualMFADevices(f.ctx, acct, "Assigned", iam.PageInput{})
	f.ok(err)
	if len(assigned.Items) != 1 || assigned.Items[0].User == nil || assigned.Items[0].User.UserName != "kim" || assigned.Items[0].EnableDate == nil {
		t.Fatalf("ListVirtualMFADevices(Assigned) = %+v", assigned)
	}
	all, err := f.svc.ListVirtualMFADevices(f.ctx, acct, "", iam.PageInput{})
	f.ok(err)
	if len(all.Items) != 2 {
		t.Fatalf("ListVirtualMFADevices(Any) = %d devices", len(all.Items))
	}

	sum, err := f.svc.GetAccountSummary(f.ctx, acct)
	f.ok(err)
	if sum["MFADevices"] != 2 || sum["MFADevicesInUse"] != 1 || sum["AccountMFAEnabled"] != 0 {
		t.Fatalf("summary MFA counts = %d %d %d", sum["MFADevices"], sum["MFADevicesInUse"], sum["AccountMFAEnabled"])
	}

	wantErr(t, f.svc.DeleteUser(f.ctx, acct, "kim"), conflict, 409, "Cannot delete entity, must delete MFA device first.")
	wantErr(t, f.svc.DeleteVirtualMFADevice(f.ctx, acct, d.SerialNumber), conflict, 409, "MFA VirtualDevice in use. Must deactivate first.")

	f.ok(f.svc.DeactivateMFADevice(f.ctx, acct, "kim", d.SerialNumber))
	wantErr(t, f.svc.DeactivateMFADevice(f.ctx, acct, "kim", d.SerialNumber), noSuch, 404, "")
	f.ok(f.svc.DeleteVirtualMFADevice(f.ctx, acct, d.SerialNumber))
	wantErr(t, f.svc.DeleteVirtualMFADevice(f.ctx, acct, d.SerialNumber), noSuch, 404,
		"VirtualMFADevice with serial number "+d.SerialNumber+" doesn't exist.")
	f.ok(f.svc.DeleteUser(f.ctx, acct, "kim"))
}

func TestVerifyMFANoReplayAndResync(t *testing.T) {
	f := newFixture(t)
	f.user("ann")
	d, seed := f.device("", "ann")
	c1, c2 := f.pair(seed)
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, "ann", d.SerialNumber, c1, c2))

	now := f.clock.Now()
	// The codes used to enable the device are spent.
	wantErr(t, f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, c2, now), invalidCode, 403, "")
	next := now.Add(totp.Period)
	code := totp.Generate(seed, next)
	f.ok(f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, code, next))
	wantErr(t, f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, code, next), invalidCode, 403, "") // replay
	wantErr(t, f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, "12345x", next), invalidCode, 403, "")
	wantErr(t, f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, totp.Generate(seed, next.Add(5*totp.Period)), next), invalidCode, 403, "")

	// A device whose clock runs ten minutes fast: resync with its codes, then verify.
	f.clock.Advance(time.Hour)
	fast := f.clock.Now().Add(10 * time.Minute)
	r1, r2 := totp.Generate(seed, fast.Add(-totp.Period)), totp.Generate(seed, fast)
	f.ok(f.svc.ResyncMFADevice(f.ctx, acct, "ann", d.SerialNumber, r1, r2))
	later := f.clock.Now().Add(totp.Period)
	f.ok(f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, totp.Generate(seed, later.Add(10*time.Minute)), later))

	other, _ := f.device("", "spare")
	wantErr(t, f.svc.VerifyMFA(f.ctx, acct, other.SerialNumber, "123456", later), noSuch, 404, "")
	wantErr(t, f.svc.VerifyMFA(f.ctx, "210987654321", d.SerialNumber, "123456", later), noSuch, 404, "")
}

func TestRootMFA(t *testing.T) {
	f := newFixture(t)
	d, seed := f.device("", "root-account-mfa-device")
	c1, c2 := f.pair(seed)
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, "", d.SerialNumber, c1, c2))
	devs, err := f.svc.ListMFADevices(f.ctx, acct, "", iam.PageInput{})
	f.ok(err)
	if len(devs.Items) != 1 || devs.Items[0].UserName != "" {
		t.Fatalf("root ListMFADevices = %+v", devs)
	}
	sum, err := f.svc.GetAccountSummary(f.ctx, acct)
	f.ok(err)
	if sum["AccountMFAEnabled"] != 1 || sum["MFADevicesInUse"] != 1 {
		t.Fatalf("summary = %v", sum)
	}
	f.user("bob")
	wantErr(t, f.svc.DeactivateMFADevice(f.ctx, acct, "bob", d.SerialNumber), noSuch, 404, "")
	f.ok(f.svc.DeactivateMFADevice(f.ctx, acct, "", d.SerialNumber))
	sum, _ = f.svc.GetAccountSummary(f.ctx, acct)
	if sum["AccountMFAEnabled"] != 0 {
		t.Fatal("root MFA still enabled after deactivation")
	}
}

func TestMFAErrors(t *testing.T) {
	f := newFixture(t)
	f.user("kim")
	d, _ := f.device("", "kim")
	missing := "arn:aws:iam::" + acct + ":mfa/nobody"
	runErrCases(t, []errCase{
		{"create bad name", func() error {
			return errOf(f.svc.CreateVirtualMFADevice(f.ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "a b"}))
		}, badInput, 400, ""},
		{"create bad path", func() error {
			return errOf(f.svc.CreateVirtualMFADevice(f.ctx, acct, iam.CreateVirtualMFADeviceInput{Path: "x", VirtualMFADeviceName: "a"}))
		}, badInput, 400, ""},
		{"enable short code", func() error { return f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, "123", "123456") }, badInput, 400, ""},
		{"enable unknown user", func() error { return f.svc.EnableMFADevice(f.ctx, acct, "nope", d.SerialNumber, "123456", "123456") }, noSuch, 404, ""},
		{"enable unknown device", func() error { return f.svc.EnableMFADevice(f.ctx, acct, "kim", missing, "123456", "123456") }, noSuch, 404, ""},
		{"enable other account's device", func() error {
			return f.svc.EnableMFADevice(f.ctx, acct, "kim", "arn:aws:iam::210987654321:mfa/kim", "123456", "123456")
		}, noSuch, 404, ""},
		{"enable wrong codes", func() error { return f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, "000000", "000000") }, invalidCode, 403, ""},
		{"resync unassigned", func() error { return f.svc.ResyncMFADevice(f.ctx, acct, "kim", d.SerialNumber, "123456", "123456") }, noSuch, 404, ""},
		{"get unassigned", func() error { return errOf(f.svc.GetMFADevice(f.ctx, acct, "kim", d.SerialNumber)) }, noSuch, 404, ""},
		{"list bad status", func() error { return errOf(f.svc.ListVirtualMFADevices(f.ctx, acct, "Some", iam.PageInput{})) }, badInput, 400, ""},
		{"delete hardware serial", func() error { return f.svc.DeleteVirtualMFADevice(f.ctx, acct, "GAHT12345678") }, noSuch, 404, ""},
	})
}

func TestMFAQuotaPerUser(t *testing.T) {
	f := newFixture(t)
	f.user("kim")
	for i := range iam.MFADevicesPerUser + 1 {
		d, seed := f.device("", "d"+string(rune('a'+i)))
		c1, c2 := f.pair(seed)
		err := f.svc.EnableMFADevice(f.ctx, acct, "kim", d.SerialNumber, c1, c2)
		if i < iam.MFADevicesPerUser {
			f.ok(err)
		} else {
			wantErr(t, err, limit, 409, "Cannot exceed quota for MFADevicesPerUser: 8")
		}
	}
}

func TestMFADeviceTags(t *testing.T) {
	f := newFixture(t)
	d, err := f.svc.CreateVirtualMFADevice(f.ctx, acct, iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: "t",
		Tags: []iam.Tag{{Key: "Env", Value: "dev"}}})
	f.ok(err)
	if len(d.Tags) != 1 {
		t.Fatalf("created tags = %+v", d.Tags)
	}
	f.ok(f.svc.TagMFADevice(f.ctx, acct, d.SerialNumber, []iam.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "ops"}}))
	p, err := f.svc.ListMFADeviceTags(f.ctx, acct, d.SerialNumber, iam.PageInput{})
	f.ok(err)
	if len(p.Items) != 2 || p.Items[0] != (iam.Tag{Key: "env", Value: "prod"}) || p.Items[1].Key != "team" {
		t.Fatalf("ListMFADeviceTags = %+v", p.Items)
	}
	f.ok(f.svc.UntagMFADevice(f.ctx, acct, d.SerialNumber, []string{"ENV"}))
	p, _ = f.svc.ListMFADeviceTags(f.ctx, acct, d.SerialNumber, iam.PageInput{})
	if len(p.Items) != 1 || p.Items[0].Key != "team" {
		t.Fatalf("after UntagMFADevice = %+v", p.Items)
	}
	missing := "arn:aws:iam::" + acct + ":mfa/none"
	wantErr(t, f.svc.TagMFADevice(f.ctx, acct, missing, []iam.Tag{{Key: "a", Value: "b"}}), noSuch, 404, "")
	wantErr(t, errOf(f.svc.ListMFADeviceTags(f.ctx, acct, missing, iam.PageInput{})), noSuch, 404, "")
	wantErr(t, f.svc.TagMFADevice(f.ctx, acct, d.SerialNumber, []iam.Tag{{Key: "aws:x", Value: "b"}}), invalid, 400, "")
}

// TestVerifyMFAConcurrentReplay races many verifications of one code: exactly one succeeds.
func TestVerifyMFAConcurrentReplay(t *testing.T) {
	f := newFixture(t)
	f.user("ann")
	d, seed := f.device("", "ann")
	c1, c2 := f.pair(seed)
	f.ok(f.svc.EnableMFADevice(f.ctx, acct, "ann", d.SerialNumber, c1, c2))
	at := f.clock.Now().Add(totp.Period)
	code := totp.Generate(seed, at)
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if f.svc.VerifyMFA(f.ctx, acct, d.SerialNumber, code, at) == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d verifications of one code succeeded, want 1", ok)
	}
}
