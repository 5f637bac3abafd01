package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/bulwarkhq/bulwark/internal/totp"
)

// mfaCodes returns two consecutive codes of seed: the previous time step's and the current
// one's, as a person types them from an authenticator app.
func mfaCodes(seed []byte) (*string, *string) {
	now := time.Now()
	return aws.String(totp.Generate(seed, now.Add(-totp.Period))), aws.String(totp.Generate(seed, now))
}

func TestIAMVirtualMFALifecycle(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mfa-user")}))(t)

	dev := must(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		Path: aws.String("/staff/"), VirtualMFADeviceName: aws.String("mfa-user-phone"), Tags: iamxTags("team", "ops"),
	}))(t).VirtualMFADevice
	serial := aws.ToString(dev.SerialNumber)
	iamxEq(t, "SerialNumber", serial, iamxARN("mfa", "/staff/", "mfa-user-phone"))
	iamxEq(t, "Base32StringSeed length", len(dev.Base32StringSeed), 32)
	if _, err := png.Decode(bytes.NewReader(dev.QRCodePNG)); err != nil {
		t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	seed, err := totp.DecodeBase32(string(dev.Base32StringSeed))
	iamxOK(t, err)

	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{Path: aws.String("/staff/"), VirtualMFADeviceName: aws.String("mfa-user-phone")})
	wantCode(t, err, "EntityAlreadyExists")

	unassigned := must(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned}))(t)
	iamxEq(t, "unassigned devices", len(unassigned.VirtualMFADevices), 1)
	iamxEq(t, "no seed in list", len(unassigned.VirtualMFADevices[0].Base32StringSeed), 0)

	// Codes in the wrong order, or wrong codes, are refused.
	c1, c2 := mfaCodes(seed)
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: c2, AuthenticationCode2: c1})
	wantCode(t, err, "InvalidAuthenticationCode")
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: aws.String("00000a"), AuthenticationCode2: c2})
	wantCode(t, err, "ValidationError")

	c1, c2 = mfaCodes(seed)
	must(c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: dev.SerialNumber,
		AuthenticationCode1: c1, AuthenticationCode2: c2}))(t)

	devs := must(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("mfa-user")}))(t).MFADevices
	iamxEq(t, "MFA devices", len(devs), 1)
	iamxEq(t, "MFADevice.SerialNumber", aws.ToString(devs[0].SerialNumber), serial)
	iamxEq(t, "MFADevice.UserName", aws.ToString(devs[0].UserName), "mfa-user")
	iamxRecent(t, "EnableDate", devs[0].EnableDate)

	got := must(c.GetMFADevice(ctx, &iam.GetMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: dev.SerialNumber}))(t)
	iamxEq(t, "GetMFADevice.SerialNumber", aws.ToString(got.SerialNumber), serial)

	assigned := must(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAssigned}))(t).VirtualMFADevices
	iamxEq(t, "assigned devices", len(assigned), 1)
	if assigned[0].User == nil || aws.ToString(assigned[0].User.UserName) != "mfa-user" {
		t.Fatalf("assigned device user = %+v", assigned[0].User)
	}

	must(c.TagMFADevice(ctx, &iam.TagMFADeviceInput{SerialNumber: dev.SerialNumber, Tags: iamxTags("env", "prod")}))(t)
	tags := must(c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: dev.SerialNumber}))(t).Tags
	iamxList(t, "MFA device tags", iamxSorted(iamxTagPairs(tags)), []string{"env=prod", "team=ops"})
	must(c.UntagMFADevice(ctx, &iam.UntagMFADeviceInput{SerialNumber: dev.SerialNumber, TagKeys: []string{"env"}}))(t)
	tags = must(c.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: dev.SerialNumber}))(t).Tags
	iamxList(t, "MFA device tags after untag", iamxTagPairs(tags), []string{"team=ops"})

	sum := must(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))(t).SummaryMap
	iamxEq(t, "MFADevices", sum["MFADevices"], int32(1))
	iamxEq(t, "MFADevicesInUse", sum["MFADevicesInUse"], int32(1))

	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("mfa-user")})
	wantCode(t, err, "DeleteConflict")
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: dev.SerialNumber})
	wantCode(t, err, "DeleteConflict")

	must(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("mfa-user"), SerialNumber: dev.SerialNumber}))(t)
	devs = must(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("mfa-user")}))(t).MFADevices
	iamxEq(t, "MFA devices after deactivation", len(devs), 0)
	must(c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: dev.SerialNumber}))(t)
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: dev.SerialNumber})
	wantCode(t, err, "NoSuchEntity")
	all := must(c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{}))(t).VirtualMFADevices
	iamxEq(t, "devices after delete", len(all), 0)
	must(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("mfa-user")}))(t)
}

func TestIAMCredentialReport(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	_, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantCode(t, err, "ReportNotPresent")

	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("report-user")}))(t)
	must(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("report-user")}))(t)
	must(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("report-user"), Password: aws.String("Report-Passw0rd!")}))(t)

	g := must(c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))(t)
	iamxEq(t, "State", g.State, types.ReportStateTypeStarted)
	g = must(c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))(t)
	iamxEq(t, "State again", g.State, types.ReportStateTypeComplete)

	r := must(c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))(t)
	iamxEq(t, "ReportFormat", r.ReportFormat, types.ReportFormatTypeTextCsv)
	iamxRecent(t, "GeneratedTime", r.GeneratedTime)
	rows, err := csv.NewReader(bytes.NewReader(r.Content)).ReadAll()
	iamxOK(t, err)
	header := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed," +
		"password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date," +
		"access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated," +
		"access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active," +
		"cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
	if len(rows) != 3 {
		t.Fatalf("report has %d rows:\n%s", len(rows), r.Content)
	}
	iamxEq(t, "header", strings.Join(rows[0], ","), header)
	root, user := rows[1], rows[2]
	iamxEq(t, "root user", root[0], "<root_account>")
	iamxEq(t, "root arn", root[1], "arn:aws:iam::"+iamxAccount+":root")
	iamxEq(t, "root password_enabled", root[3], "not_supported")
	iamxEq(t, "user", user[0], "report-user")
	iamxEq(t, "user arn", user[1], iamxARN("user", "/", "report-user"))
	iamxEq(t, "password_enabled", user[3], "TRUE")
	iamxEq(t, "password_last_used", user[4], "no_information")
	iamxEq(t, "password_next_rotation", user[6], "N/A")
	iamxEq(t, "mfa_active", user[7], "FALSE")
	iamxEq(t, "access_key_1_active", user[8], "TRUE")
	iamxEq(t, "access_key_1_last_used_date", user[10], "N/A")
	iamxEq(t, "access_key_2_active", user[13], "FALSE")
	iamxEq(t, "cert_1_active", user[18], "FALSE")
	for _, col := range []string{user[2], user[5], user[9]} {
		if _, err := time.Parse(time.RFC3339, col); err != nil {
			t.Errorf("%q is not an ISO 8601 time: %v", col, err)
		}
	}
}

// TestIAMVirtualMFASecretsStayOutOfTheAuditTrail checks that neither the seed, the QR code nor
// the authentication codes appear in the audit events of the MFA calls.
func TestIAMVirtualMFASecretsStayOutOfTheAuditTrail(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	cl := rootClients(s)
	must(cl.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("audited")}))(t)
	dev := must(cl.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("audited")}))(t).VirtualMFADevice
	seed, err := totp.DecodeBase32(string(dev.Base32StringSeed))
	iamxOK(t, err)
	c1, c2 := mfaCodes(seed)
	must(cl.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("audited"), SerialNumber: dev.SerialNumber, AuthenticationCode1: c1, AuthenticationCode2: c2}))(t)

	secrets := []string{string(dev.Base32StringSeed), base64.StdEncoding.EncodeToString(dev.Base32StringSeed),
		base64.StdEncoding.EncodeToString(dev.QRCodePNG)[:32], aws.ToString(c1), aws.ToString(c2)}
	for _, name := range []string{"CreateVirtualMFADevice", "EnableMFADevice"} {
		out := must(cl.trail.LookupEvents(ctx, &cloudtrail.LookupEventsInput{LookupAttributes: []cttypes.LookupAttribute{
			{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(name)}}}))(t)
		if len(out.Events) != 1 {
			t.Fatalf("%s events = %d, want 1", name, len(out.Events))
		}
		js := aws.ToString(out.Events[0].CloudTrailEvent)
		for _, secret := range secrets {
			if strings.Contains(js, secret) {
				t.Errorf("%s event shows a secret (%s): %s", name, secret, js)
			}
		}
	}
}
