package iam_test

import (
	"bytes"
	"image/png"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/ptr"
	"github.com/bulwarkhq/bulwark/internal/totp"
)

// createDevice creates a virtual MFA device and returns its serial number and decoded seed.
func (f *fixture) createDevice(name string) (string, []byte) {
	f.t.Helper()
	out, err := f.svc.CreateVirtualMFADevice(f.ctx, &api.CreateVirtualMFADeviceInput{VirtualMFADeviceName: ptr.Of(name)})
	f.ok(err)
	seed, err := totp.DecodeBase32(string(out.VirtualMFADevice.Base32StringSeed))
	f.ok(err)
	return str(out.VirtualMFADevice.SerialNumber), seed
}

// codes are two consecutive codes at the fixture's clock: the previous step's and the current.
func codes(seed []byte) (*string, *string) {
	return ptr.Of(totp.Generate(seed, epoch().Add(-totp.Period))), ptr.Of(totp.Generate(seed, epoch()))
}

func TestVirtualMFAHandlers(t *testing.T) {
	f := newFixture(t)
	u := f.createUser("kim")
	out, err := f.svc.CreateVirtualMFADevice(f.ctx, &api.CreateVirtualMFADeviceInput{
		Path: ptr.Of("/ops/"), VirtualMFADeviceName: ptr.Of("kim"), Tags: []api.Tag{{Key: ptr.Of("team"), Value: ptr.Of("ops")}},
	})
	f.ok(err)
	v := out.VirtualMFADevice
	if str(v.SerialNumber) != "arn:aws:iam::"+acct+":mfa/ops/kim" || len(v.Base32StringSeed) != 32 || len(v.Tags) != 1 {
		t.Fatalf("CreateVirtualMFADevice = %+v", v)
	}
	if _, err := png.Decode(bytes.NewReader(v.QRCodePNG)); err != nil {
		t.Fatalf("QRCodePNG: %v", err)
	}
	serial := str(v.SerialNumber)
	seed, err := totp.DecodeBase32(string(v.Base32StringSeed))
	f.ok(err)

	// As kim itself, naming no user.
	kimCtx := userContext("kim", str(u.UserId))
	c1, c2 := codes(seed)
	wantCode(t, errOf(f.svc.EnableMFADevice(kimCtx, &api.EnableMFADeviceInput{SerialNumber: ptr.Of(serial),
		AuthenticationCode1: c2, AuthenticationCode2: c1})), "InvalidAuthenticationCode")
	f.ok(errOf(f.svc.EnableMFADevice(kimCtx, &api.EnableMFADeviceInput{SerialNumber: ptr.Of(serial),
		AuthenticationCode1: c1, AuthenticationCode2: c2})))

	list, err := f.svc.ListMFADevices(kimCtx, &api.ListMFADevicesInput{})
	f.ok(err)
	if len(list.MFADevices) != 1 || str(list.MFADevices[0].UserName) != "kim" || str(list.MFADevices[0].SerialNumber) != serial ||
		list.MFADevices[0].EnableDate == nil || *list.IsTruncated {
		t.Fatalf("ListMFADevices = %+v", list)
	}
	got, err := f.svc.GetMFADevice(f.ctx, &api.GetMFADeviceInput{UserName: ptr.Of("kim"), SerialNumber: ptr.Of(serial)})
	f.ok(err)
	if str(got.UserName) != "kim" || str(got.SerialNumber) != serial || got.EnableDate == nil {
		t.Fatalf("GetMFADevice = %+v", got)
	}
	vl, err := f.svc.ListVirtualMFADevices(f.ctx, &api.ListVirtualMFADevicesInput{AssignmentStatus: ptr.Of("Assigned")})
	f.ok(err)
	if len(vl.VirtualMFADevices) != 1 || vl.VirtualMFADevices[0].User == nil || str(vl.VirtualMFADevices[0].User.UserName) != "kim" ||
		vl.VirtualMFADevices[0].Base32StringSeed != nil || vl.VirtualMFADevices[0].QRCodePNG != nil {
		t.Fatalf("ListVirtualMFADevices = %+v", vl)
	}

	wantCode(t, errOf(f.svc.DeleteUser(f.ctx, &api.DeleteUserInput{UserName: ptr.Of("kim")})), "DeleteConflict")
	wantCode(t, errOf(f.svc.DeleteVirtualMFADevice(f.ctx, &api.DeleteVirtualMFADeviceInput{SerialNumber: ptr.Of(serial)})), "DeleteConflict")
	f.ok(errOf(f.svc.DeactivateMFADevice(f.ctx, &api.DeactivateMFADeviceInput{UserName: ptr.Of("kim"), SerialNumber: ptr.Of(serial)})))
	vl, err = f.svc.ListVirtualMFADevices(f.ctx, &api.ListVirtualMFADevicesInput{AssignmentStatus: ptr.Of("Unassigned")})
	f.ok(err)
	if len(vl.VirtualMFADevices) != 1 || vl.VirtualMFADevices[0].User != nil || vl.VirtualMFADevices[0].EnableDate != nil {
		t.Fatalf("ListVirtualMFADevices(Unassigned) = %+v", vl)
	}
	f.ok(errOf(f.svc.DeleteVirtualMFADevice(f.ctx, &api.DeleteVirtualMFADeviceInput{SerialNumber: ptr.Of(serial)})))
	f.ok(errOf(f.svc.DeleteUser(f.ctx, &api.DeleteUserInput{UserName: ptr.Of("kim")})))
}

func TestRootMFAHandlers(t *testing.T) {
	f := newFixture(t)
	serial, seed := f.createDevice("root-account-mfa-device")
	c1, c2 := codes(seed)
	f.ok(errOf(f.svc.EnableMFADevice(f.ctx, &api.EnableMFADeviceInput{SerialNumber: ptr.Of(serial), AuthenticationCode1: c1, AuthenticationCode2: c2})))
	list, err := f.svc.ListMFADevices(f.ctx, &api.ListMFADevicesInput{})
	f.ok(err)
	if len(list.MFADevices) != 1 || str(list.MFADevices[0].UserName) != acct {
		t.Fatalf("root ListMFADevices = %+v", list)
	}
	vl, err := f.svc.ListVirtualMFADevices(f.ctx, &api.ListVirtualMFADevicesInput{})
	f.ok(err)
	if len(vl.VirtualMFADevices) != 1 || vl.VirtualMFADevices[0].User == nil || str(vl.VirtualMFADevices[0].User.Arn) != rootARN {
		t.Fatalf("ListVirtualMFADevices root = %+v", vl)
	}
	sum, err := f.svc.GetAccountSummary(f.ctx, &api.GetAccountSummaryInput{})
	f.ok(err)
	if sum.SummaryMap["AccountMFAEnabled"] != 1 || sum.SummaryMap["MFADevices"] != 1 || sum.SummaryMap["MFADevicesInUse"] != 1 {
		t.Fatalf("summary = %v", sum.SummaryMap)
	}
}

func TestMFAHandlerErrors(t *testing.T) {
	f := newFixture(t)
	f.createUser("kim")
	serial, _ := f.createDevice("kim")
	runErrCases(t, []errCase{
		{"duplicate device", func() error {
			return errOf(f.svc.CreateVirtualMFADevice(f.ctx, &api.CreateVirtualMFADeviceInput{VirtualMFADeviceName: ptr.Of("kim")}))
		}, "EntityAlreadyExists"},
		{"enable wrong codes", func() error {
			return errOf(f.svc.EnableMFADevice(f.ctx, &api.EnableMFADeviceInput{UserName: ptr.Of("kim"), SerialNumber: ptr.Of(serial),
				AuthenticationCode1: ptr.Of("111111"), AuthenticationCode2: ptr.Of("222222")}))
		}, "InvalidAuthenticationCode"},
		{"resync unassigned", func() error {
			return errOf(f.svc.ResyncMFADevice(f.ctx, &api.ResyncMFADeviceInput{UserName: ptr.Of("kim"), SerialNumber: ptr.Of(serial),
				AuthenticationCode1: ptr.Of("111111"), AuthenticationCode2: ptr.Of("222222")}))
		}, "NoSuchEntity"},
		{"role must name the user", func() error {
			return errOf(f.svc.ListMFADevices(roleContext(), &api.ListMFADevicesInput{}))
		}, "ValidationError"},
		{"bad assignment status", func() error {
			return errOf(f.svc.ListVirtualMFADevices(f.ctx, &api.ListVirtualMFADevicesInput{AssignmentStatus: ptr.Of("Both")}))
		}, "ValidationError"},
		{"get unknown device", func() error {
			return errOf(f.svc.GetMFADevice(f.ctx, &api.GetMFADeviceInput{UserName: ptr.Of("kim"), SerialNumber: ptr.Of("arn:aws:iam::" + acct + ":mfa/none")}))
		}, "NoSuchEntity"},
	})
}

// TestMFASeedOnTheWire encodes CreateVirtualMFADevice's output with the generated awsQuery
// encoder: the seed and the PNG are base64 blobs, as AWS sends them.
func TestMFASeedOnTheWire(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateVirtualMFADevice(f.ctx, &api.CreateVirtualMFADeviceInput{VirtualMFADeviceName: ptr.Of("d")})
	f.ok(err)
	w := awsquery.NewXMLWriter(nil)
	out.EncodeXML(w)
	xml := string(w.Bytes())
	for _, want := range []string{"<Base32StringSeed>", "<QRCodePNG>iVBORw0KGgo", "<SerialNumber>arn:aws:iam::" + acct + ":mfa/d</SerialNumber>"} {
		if !bytes.Contains([]byte(xml), []byte(want)) {
			t.Errorf("wire output lacks %s:\n%.300s", want, xml)
		}
	}
}

func TestMFADeviceTagHandlers(t *testing.T) {
	f := newFixture(t)
	serial, _ := f.createDevice("tagged")
	f.ok(errOf(f.svc.TagMFADevice(f.ctx, &api.TagMFADeviceInput{SerialNumber: ptr.Of(serial),
		Tags: []api.Tag{{Key: ptr.Of("team"), Value: ptr.Of("ops")}}})))
	out, err := f.svc.ListMFADeviceTags(f.ctx, &api.ListMFADeviceTagsInput{SerialNumber: ptr.Of(serial)})
	f.ok(err)
	if len(out.Tags) != 1 || str(out.Tags[0].Key) != "team" || *out.IsTruncated {
		t.Fatalf("ListMFADeviceTags = %+v", out)
	}
	f.ok(errOf(f.svc.UntagMFADevice(f.ctx, &api.UntagMFADeviceInput{SerialNumber: ptr.Of(serial), TagKeys: []string{"team"}})))
	out, err = f.svc.ListMFADeviceTags(f.ctx, &api.ListMFADeviceTagsInput{SerialNumber: ptr.Of(serial)})
	f.ok(err)
	if out.Tags == nil || len(out.Tags) != 0 {
		t.Fatalf("ListMFADeviceTags after untag = %+v", out)
	}
}
