package iam_test

import (
	"errors"
	"testing"

	api "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/awserr"
	"github.com/bulwarkhq/bulwark/internal/ptr"
)

func TestAccessKeys(t *testing.T) {
	f := newFixture(t)
	u := f.createUser("kim")

	out, err := f.svc.CreateAccessKey(f.ctx, &api.CreateAccessKeyInput{UserName: ptr.Of("kim")})
	f.ok(err)
	k := out.AccessKey
	if str(k.UserName) != "kim" || str(k.AccessKeyId) == "" || str(k.SecretAccessKey) == "" || str(k.Status) != "Active" || k.CreateDate == nil {
		t.Fatalf("CreateAccessKey = %+v", k)
	}

	// The user itself, naming no user, acts on its own keys.
	kimCtx := userContext("kim", str(u.UserId))
	own, err := f.svc.CreateAccessKey(kimCtx, &api.CreateAccessKeyInput{})
	f.ok(err)
	if str(own.AccessKey.UserName) != "kim" {
		t.Fatalf("CreateAccessKey as kim = %+v", own.AccessKey)
	}
	list, err := f.svc.ListAccessKeys(kimCtx, &api.ListAccessKeysInput{MaxItems: ptr.Of(int32(1))})
	f.ok(err)
	if len(list.AccessKeyMetadata) != 1 || !*list.IsTruncated || list.Marker == nil {
		t.Fatalf("ListAccessKeys page 1 = %+v", list)
	}
	list2, err := f.svc.ListAccessKeys(kimCtx, &api.ListAccessKeysInput{Marker: list.Marker})
	f.ok(err)
	if len(list2.AccessKeyMetadata) != 1 || *list2.IsTruncated {
		t.Fatalf("ListAccessKeys page 2 = %+v", list2)
	}
	m := list.AccessKeyMetadata[0]
	if str(m.UserName) != "kim" || str(m.Status) != "Active" || m.CreateDate == nil {
		t.Fatalf("AccessKeyMetadata = %+v", m)
	}

	f.ok(errOf(f.svc.UpdateAccessKey(f.ctx, &api.UpdateAccessKeyInput{UserName: ptr.Of("kim"), AccessKeyId: k.AccessKeyId, Status: ptr.Of("Inactive")})))
	list, err = f.svc.ListAccessKeys(f.ctx, &api.ListAccessKeysInput{UserName: ptr.Of("kim")})
	f.ok(err)
	for _, m := range list.AccessKeyMetadata {
		if str(m.AccessKeyId) == str(k.AccessKeyId) && str(m.Status) != "Inactive" {
			t.Fatalf("status after UpdateAccessKey = %s", str(m.Status))
		}
	}

	lu, err := f.svc.GetAccessKeyLastUsed(f.ctx, &api.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	f.ok(err)
	if str(lu.UserName) != "kim" || lu.AccessKeyLastUsed == nil || str(lu.AccessKeyLastUsed.ServiceName) != "N/A" ||
		str(lu.AccessKeyLastUsed.Region) != "N/A" || lu.AccessKeyLastUsed.LastUsedDate != nil {
		t.Fatalf("GetAccessKeyLastUsed unused = %+v %+v", lu, lu.AccessKeyLastUsed)
	}
	f.ok(f.dom.RecordAccessKeyUse(f.ctx, str(k.AccessKeyId), "s3", "eu-west-1", epoch()))
	lu, err = f.svc.GetAccessKeyLastUsed(f.ctx, &api.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
	f.ok(err)
	if str(lu.AccessKeyLastUsed.ServiceName) != "s3" || str(lu.AccessKeyLastUsed.Region) != "eu-west-1" ||
		lu.AccessKeyLastUsed.LastUsedDate == nil || !lu.AccessKeyLastUsed.LastUsedDate.Equal(epoch()) {
		t.Fatalf("GetAccessKeyLastUsed used = %+v", lu.AccessKeyLastUsed)
	}

	f.ok(errOf(f.svc.DeleteAccessKey(f.ctx, &api.DeleteAccessKeyInput{UserName: ptr.Of("kim"), AccessKeyId: k.AccessKeyId})))
	f.ok(errOf(f.svc.DeleteAccessKey(kimCtx, &api.DeleteAccessKeyInput{AccessKeyId: own.AccessKey.AccessKeyId})))
	list, err = f.svc.ListAccessKeys(f.ctx, &api.ListAccessKeysInput{UserName: ptr.Of("kim")})
	f.ok(err)
	if list.AccessKeyMetadata == nil || len(list.AccessKeyMetadata) != 0 {
		t.Fatalf("ListAccessKeys after delete = %#v", list.AccessKeyMetadata)
	}
}

func TestRootAccessKeys(t *testing.T) {
	f := newFixture(t)
	out, err := f.svc.CreateAccessKey(f.ctx, &api.CreateAccessKeyInput{})
	f.ok(err)
	if out.AccessKey.UserName != nil || str(out.AccessKey.SecretAccessKey) == "" {
		t.Fatalf("root CreateAccessKey = %+v", out.AccessKey)
	}
	list, err := f.svc.ListAccessKeys(f.ctx, &api.ListAccessKeysInput{})
	f.ok(err)
	if len(list.AccessKeyMetadata) != 1 || str(list.AccessKeyMetadata[0].AccessKeyId) != str(out.AccessKey.AccessKeyId) {
		t.Fatalf("root ListAccessKeys = %+v", list.AccessKeyMetadata)
	}
	f.ok(errOf(f.svc.UpdateAccessKey(f.ctx, &api.UpdateAccessKeyInput{AccessKeyId: out.AccessKey.AccessKeyId, Status: ptr.Of("Inactive")})))
	f.ok(errOf(f.svc.DeleteAccessKey(f.ctx, &api.DeleteAccessKeyInput{AccessKeyId: out.AccessKey.AccessKeyId})))
}

func TestAccessKeyErrors(t *testing.T) {
	f := newFixture(t)
	f.createUser("u")
	for range 2 {
		f.ok(errOf(f.svc.CreateAccessKey(f.ctx, &api.CreateAccessKeyInput{UserName: ptr.Of("u")})))
	}
	unknown := ptr.Of("AKIAIOSFODNN7EXAMPLE")
	runErrCases(t, []errCase{
		{"CreateAccessKey quota", func() error {
			return errOf(f.svc.CreateAccessKey(f.ctx, &api.CreateAccessKeyInput{UserName: ptr.Of("u")}))
		}, "LimitExceeded"},
		{"CreateAccessKey as role without user", func() error {
			return errOf(f.svc.CreateAccessKey(roleContext(), &api.CreateAccessKeyInput{}))
		}, "ValidationError"},
		{"UpdateAccessKey unknown", func() error {
			return errOf(f.svc.UpdateAccessKey(f.ctx, &api.UpdateAccessKeyInput{UserName: ptr.Of("u"), AccessKeyId: unknown, Status: ptr.Of("Active")}))
		}, "NoSuchEntity"},
		{"DeleteAccessKey no user", func() error {
			return errOf(f.svc.DeleteAccessKey(f.ctx, &api.DeleteAccessKeyInput{UserName: ptr.Of("missing"), AccessKeyId: unknown}))
		}, "NoSuchEntity"},
		{"ListAccessKeys no user", func() error {
			return errOf(f.svc.ListAccessKeys(f.ctx, &api.ListAccessKeysInput{UserName: ptr.Of("missing")}))
		}, "NoSuchEntity"},
		{"GetAccessKeyLastUsed unknown", func() error {
			return errOf(f.svc.GetAccessKeyLastUsed(f.ctx, &api.GetAccessKeyLastUsedInput{AccessKeyId: unknown}))
		}, "AccessDenied"},
		{"GetAccessKeyLastUsed bad ID", func() error {
			return errOf(f.svc.GetAccessKeyLastUsed(f.ctx, &api.GetAccessKeyLastUsedInput{AccessKeyId: ptr.Of("x")}))
		}, "ValidationError"},
	})
	_, err := f.svc.GetAccessKeyLastUsed(f.ctx, &api.GetAccessKeyLastUsedInput{AccessKeyId: unknown})
	want := "User: " + rootARN + " is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key " + *unknown
	var ae *awserr.Error
	if !errors.As(err, &ae) || ae.Message != want {
		t.Fatalf("GetAccessKeyLastUsed message = %v, want %q", err, want)
	}
}
