package iam

import (
	"context"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	awsarn "github.com/bulwarkhq/bulwark/internal/arn"
	domain "github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

var (
	_ api.CreateVirtualMFADeviceHandler = (*Service)(nil)
	_ api.EnableMFADeviceHandler        = (*Service)(nil)
	_ api.ResyncMFADeviceHandler        = (*Service)(nil)
	_ api.DeactivateMFADeviceHandler    = (*Service)(nil)
	_ api.DeleteVirtualMFADeviceHandler = (*Service)(nil)
	_ api.GetMFADeviceHandler           = (*Service)(nil)
	_ api.ListMFADevicesHandler         = (*Service)(nil)
	_ api.ListVirtualMFADevicesHandler  = (*Service)(nil)
	_ api.TagMFADeviceHandler           = (*Service)(nil)
	_ api.UntagMFADeviceHandler         = (*Service)(nil)
	_ api.ListMFADeviceTagsHandler      = (*Service)(nil)
)

// The MFA operations with an optional UserName act on the named user, else on the caller: an
// IAM user means itself and the root user means the root user's devices (the domain's "").

// CreateVirtualMFADevice creates a virtual MFA device and returns its seed and QR code, the
// only time they are shown.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, in *api.CreateVirtualMFADeviceInput) (*api.CreateVirtualMFADeviceOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.d.CreateVirtualMFADevice(ctx, acct, domain.CreateVirtualMFADeviceInput{
		Path: ptr.Value(in.Path), VirtualMFADeviceName: ptr.Value(in.VirtualMFADeviceName), Tags: tagsIn(in.Tags),
	})
	if err != nil {
		return nil, err
	}
	return &api.CreateVirtualMFADeviceOutput{VirtualMFADevice: &api.VirtualMFADevice{
		SerialNumber:     ptr.Of(d.SerialNumber),
		Base32StringSeed: d.Base32StringSeed,
		QRCodePNG:        d.QRCodePNG,
		Tags:             tagsOut(d.Tags),
	}}, nil
}

// EnableMFADevice assigns a virtual MFA device to a user after two consecutive codes.
func (s *Service) EnableMFADevice(ctx context.Context, in *api.EnableMFADeviceInput) (*api.EnableMFADeviceOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.EnableMFADevice(ctx, t.acct, t.user, ptr.Value(in.SerialNumber),
		ptr.Value(in.AuthenticationCode1), ptr.Value(in.AuthenticationCode2)); err != nil {
		return nil, err
	}
	return &api.EnableMFADeviceOutput{}, nil
}

// ResyncMFADevice re-synchronises a device whose clock drifted.
func (s *Service) ResyncMFADevice(ctx context.Context, in *api.ResyncMFADeviceInput) (*api.ResyncMFADeviceOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.ResyncMFADevice(ctx, t.acct, t.user, ptr.Value(in.SerialNumber),
		ptr.Value(in.AuthenticationCode1), ptr.Value(in.AuthenticationCode2)); err != nil {
		return nil, err
	}
	return &api.ResyncMFADeviceOutput{}, nil
}

// DeactivateMFADevice unassigns an MFA device from a user.
func (s *Service) DeactivateMFADevice(ctx context.Context, in *api.DeactivateMFADeviceInput) (*api.DeactivateMFADeviceOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	if err := s.d.DeactivateMFADevice(ctx, t.acct, t.user, ptr.Value(in.SerialNumber)); err != nil {
		return nil, err
	}
	return &api.DeactivateMFADeviceOutput{}, nil
}

// DeleteVirtualMFADevice deletes an unassigned virtual MFA device.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, in *api.DeleteVirtualMFADeviceInput) (*api.DeleteVirtualMFADeviceOutput, error) {
	return run[api.DeleteVirtualMFADeviceOutput](ctx, func(acct string) error {
		return s.d.DeleteVirtualMFADevice(ctx, acct, ptr.Value(in.SerialNumber))
	})
}

// mfaUserName is the UserName of an MFA device: the user's name, or for the root user (the
// domain's "") the account ID.
func mfaUserName(acct, name string) *string {
	if name == "" {
		return ptr.Of(acct)
	}
	return ptr.Of(name)
}

// GetMFADevice returns an MFA device enabled for a user.
func (s *Service) GetMFADevice(ctx context.Context, in *api.GetMFADeviceInput) (*api.GetMFADeviceOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	d, err := s.d.GetMFADevice(ctx, t.acct, t.user, ptr.Value(in.SerialNumber))
	if err != nil {
		return nil, err
	}
	return &api.GetMFADeviceOutput{
		UserName:     mfaUserName(t.acct, d.UserName),
		SerialNumber: ptr.Of(d.SerialNumber),
		EnableDate:   optTime(d.EnableDate),
	}, nil
}

// ListMFADevices lists the MFA devices enabled for a user.
func (s *Service) ListMFADevices(ctx context.Context, in *api.ListMFADevicesInput) (*api.ListMFADevicesOutput, error) {
	t, err := resolveUser(ctx, in.UserName)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListMFADevices(ctx, t.acct, t.user, pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListMFADevicesOutput{MFADevices: make([]api.MFADevice, 0, len(p.Items))}
	for _, d := range p.Items {
		out.MFADevices = append(out.MFADevices, api.MFADevice{
			UserName:     mfaUserName(t.acct, d.UserName),
			SerialNumber: ptr.Of(d.SerialNumber),
			EnableDate:   optTime(d.EnableDate),
		})
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// ListVirtualMFADevices lists the account's virtual MFA devices (never their seeds), with the
// user each assigned device belongs to.
func (s *Service) ListVirtualMFADevices(ctx context.Context, in *api.ListVirtualMFADevicesInput) (*api.ListVirtualMFADevicesOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListVirtualMFADevices(ctx, acct, ptr.Value(in.AssignmentStatus), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListVirtualMFADevicesOutput{VirtualMFADevices: make([]api.VirtualMFADevice, 0, len(p.Items))}
	for _, d := range p.Items {
		v := api.VirtualMFADevice{SerialNumber: ptr.Of(d.SerialNumber), EnableDate: optTimePtr(d.EnableDate)}
		switch {
		case d.User != nil:
			u := userListOut(*d.User)
			v.User = &u
		case d.Root:
			v.User = &api.User{UserId: ptr.Of(acct), Arn: ptr.Of(awsarn.Root(s.d.Partition(), acct))}
		}
		out.VirtualMFADevices = append(out.VirtualMFADevices, v)
	}
	out.IsTruncated, out.Marker = pageOut(p.IsTruncated, p.Marker)
	return out, nil
}

// TagMFADevice adds tags to a virtual MFA device.
func (s *Service) TagMFADevice(ctx context.Context, in *api.TagMFADeviceInput) (*api.TagMFADeviceOutput, error) {
	return run[api.TagMFADeviceOutput](ctx, func(acct string) error {
		return s.d.TagMFADevice(ctx, acct, ptr.Value(in.SerialNumber), tagsIn(in.Tags))
	})
}

// UntagMFADevice removes tags from a virtual MFA device.
func (s *Service) UntagMFADevice(ctx context.Context, in *api.UntagMFADeviceInput) (*api.UntagMFADeviceOutput, error) {
	return run[api.UntagMFADeviceOutput](ctx, func(acct string) error {
		return s.d.UntagMFADevice(ctx, acct, ptr.Value(in.SerialNumber), in.TagKeys)
	})
}

// ListMFADeviceTags lists a virtual MFA device's tags.
func (s *Service) ListMFADeviceTags(ctx context.Context, in *api.ListMFADeviceTagsInput) (*api.ListMFADeviceTagsOutput, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.d.ListMFADeviceTags(ctx, acct, ptr.Value(in.SerialNumber), pageIn(in.Marker, in.MaxItems))
	if err != nil {
		return nil, err
	}
	out := &api.ListMFADeviceTagsOutput{}
	out.Tags, out.IsTruncated, out.Marker = tagPage(p)
	return out, nil
}
