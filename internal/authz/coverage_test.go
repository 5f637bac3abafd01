package authz

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/internal/actions"
	apiiam "github.com/bulwarkhq/bulwark/internal/api/iam"
	apists "github.com/bulwarkhq/bulwark/internal/api/sts"
	"github.com/bulwarkhq/bulwark/internal/protocol"
)

// sampleValue is a plausible value for an input member, by its name: ARNs of the right
// type for *Arn members, a URL for Url, a name otherwise.
func sampleValue(member string) string {
	switch member {
	case "PolicyArn", "PermissionsBoundary":
		return "arn:aws:iam::111122223333:policy/sample"
	case "RoleArn":
		return "arn:aws:iam::111122223333:role/sample"
	case "PolicySourceArn", "Arn":
		return "arn:aws:iam::111122223333:user/sample"
	case "OpenIDConnectProviderArn":
		return "arn:aws:iam::111122223333:oidc-provider/idp.example.com"
	case "SAMLProviderArn", "PrincipalArn":
		return "arn:aws:iam::111122223333:saml-provider/sample"
	case "SerialNumber":
		return "arn:aws:iam::111122223333:mfa/sample"
	case "Url":
		return "https://idp.example.com"
	case "Path", "PathPrefix":
		return "/"
	case "AccessKeyId":
		return "AKIASAMPLEOWNEDBYBOB"
	}
	if strings.HasSuffix(member, "Arn") {
		return "arn:aws:iam::111122223333:sample/sample"
	}
	return "sample"
}

// TestOperationsBindTheirResources fails when an IAM or STS operation (built or not) whose
// action has a required resource type authorizes against "*" given a complete input: a
// policy scoped to the resource would then never apply to it. The exceptions are listed
// with the reason.
func TestOperationsBindTheirResources(t *testing.T) {
	exceptions := []string{
		// The role's name comes from the service (AWSServiceRoleFor...), or from a
		// deletion task ID: both need the handler's knowledge (neither is built).
		"iam:CreateServiceLinkedRole", "iam:GetServiceLinkedRoleDeletionStatus",
	}
	dir := newFakeDirectory()
	dir.setUser("alice", "/", nil, "")
	e := New(dir, nil)
	var unbound []string
	for _, svc := range servicesUnderTest() {
		for _, op := range svc.Operations {
			act, ok := actions.ForOperation(svc.SigningName, op.Name)
			if !ok || actions.PermissionFree(svc.SigningName, op.Name) || !slices.ContainsFunc(act.Resources, func(r actions.ResourceRef) bool { return r.Required }) {
				continue
			}
			in := op.NewInput()
			v := reflect.ValueOf(in).Elem()
			for i := 0; i < v.NumField(); i++ {
				f := v.Field(i)
				if f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String {
					s := sampleValue(v.Type().Field(i).Name)
					f.Set(reflect.ValueOf(&s))
				}
			}
			b := binder{ctx: context.Background(), e: e, req: request(user("alice")), op: op.Name, f: gatherFields(in, nil)}
			res, err := b.resources(act)
			if err != nil {
				t.Fatalf("%s: %v", op.Name, err)
			}
			if slices.Contains(res, "*") {
				unbound = append(unbound, act.String())
			}
		}
	}
	for _, a := range unbound {
		if !slices.Contains(exceptions, a) {
			t.Errorf("%s binds no resource from a complete input", a)
		}
	}
	t.Logf("bound every required resource type but %v", unbound)
}

// allOperations stands for a service that implements nothing: the operation tables list
// every operation anyway.
type allOperations struct{}

// servicesUnderTest are the services whose operations must bind their resources: those
// Bulwark builds. Add each service as it is built; today KMS (aliases, ReEncrypt),
// Organizations (IDs that need the organization's ID) and WAFV2 (scope) leave 49
// operations at "*", and need the service's own knowledge to bind.
func servicesUnderTest() []*protocol.Service {
	return []*protocol.Service{apiiam.Service(allOperations{}), apists.Service(allOperations{})}
}
