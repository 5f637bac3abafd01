package policy_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/bulwarkhq/bulwark/policy"
)

func TestDocumentTree(t *testing.T) {
	text := `{
  "Version": "2012-10-17",
  "Id": "bucket-policy",
  "Statement": [
    {
      "Sid": "ReadOwnPrefix",
      "Effect": "Allow",
      "Principal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:role/reader"], "Service": "logs.amazonaws.com"},
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::reports/${aws:username}/*",
      "Condition": {
        "ForAnyValue:StringLikeIfExists": {"s3:prefix": ["home/${aws:username}/", 7, true]},
        "NumericLessThan": {"s3:max-keys": "${aws:username}"}
      }
    },
    {"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "NotAction": "s3:*", "NotResource": ["*"]}
  ]
}`
	d, err := policy.Parse(text, policy.KindResource)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if d.Version != policy.Version2012 || d.ID != "bucket-policy" || d.VersionPos.Line != 2 || d.IDPos.Line != 3 {
		t.Errorf("version %q at %v, id %q at %v", d.Version, d.VersionPos, d.ID, d.IDPos)
	}
	if len(d.Statements) != 2 {
		t.Fatalf("%d statements, want 2", len(d.Statements))
	}

	s := d.Statements[0]
	if s.Pos != posOf(text, "{\n      \"Sid\"") {
		t.Errorf("statement at %+v", s.Pos)
	}
	if s.Sid != "ReadOwnPrefix" || s.SidPos.Line != 6 || s.Effect != policy.Allow || s.EffectPos.Line != 7 {
		t.Errorf("sid %q at %v, effect %v at %v", s.Sid, s.SidPos, s.Effect, s.EffectPos)
	}
	wantPrincipal := []policy.PrincipalEntry{
		{Type: policy.PrincipalAWS, Pos: posOf(text, `"AWS": ["1`), Array: true, Values: []policy.Value{
			{Text: "111122223333", Pos: posOf(text, `"111122223333", "arn`)},
			{Text: "arn:aws:iam::111122223333:role/reader", Pos: posOf(text, `"arn:aws:iam::111122223333:role/reader"`)},
		}},
		{Type: policy.PrincipalService, Pos: posOf(text, `"Service"`), Values: []policy.Value{
			{Text: "logs.amazonaws.com", Pos: posOf(text, `"logs.amazonaws.com"`)},
		}},
	}
	if s.Principal.Not || s.Principal.Wildcard || !reflect.DeepEqual(s.Principal.Entries, wantPrincipal) {
		t.Errorf("principal %+v", s.Principal)
	}
	if s.Action.Not || !s.Action.Array || len(s.Action.Values) != 2 || s.Action.Values[1].Text != "s3:ListBucket" {
		t.Errorf("action %+v", s.Action)
	}
	if s.Resource.Array || len(s.Resource.Values) != 1 || !s.Resource.Values[0].Vars {
		t.Errorf("resource %+v, want one value with a variable", s.Resource)
	}
	if len(s.Conditions) != 2 {
		t.Fatalf("%d conditions, want 2", len(s.Conditions))
	}
	c := s.Conditions[0]
	wantOp := policy.Operator{Name: "ForAnyValue:StringLikeIfExists", Op: policy.OpStringLike, Qualifier: policy.ForAnyValue, IfExists: true}
	if c.Operator != wantOp || c.Pos.Line != 12 {
		t.Errorf("operator %+v at %v", c.Operator, c.Pos)
	}
	if len(c.Keys) != 1 || c.Keys[0].Name != "s3:prefix" || !c.Keys[0].Array {
		t.Fatalf("keys %+v", c.Keys)
	}
	vals := c.Keys[0].Values
	if len(vals) != 3 ||
		vals[0].Type != policy.StringValue || !vals[0].Vars ||
		vals[1].Type != policy.NumberValue || vals[1].Text != "7" ||
		vals[2].Type != policy.BoolValue || vals[2].Text != "true" {
		t.Errorf("values %+v", vals)
	}
	n := s.Conditions[1]
	if n.Operator.Op != policy.OpNumericLessThan || n.Keys[0].Array || n.Keys[0].Values[0].Vars {
		t.Errorf("numeric condition %+v: a variable does not work with a numeric operator", n)
	}
	at := posOf(text, `"${aws:username}"}`)
	wantWarn := []policy.Warning{{Message: "Invalid variable for operator: Policy variables can only be used with String and ARN operators.", Line: at.Line, Column: at.Column}}
	if !reflect.DeepEqual(d.Warnings, wantWarn) {
		t.Errorf("warnings %+v\nwant %+v", d.Warnings, wantWarn)
	}

	s2 := d.Statements[1]
	if !s2.Principal.Not || !s2.Action.Not || !s2.Resource.Not || !s2.Resource.Array || s2.Effect != policy.Deny || s2.ConditionPos.IsValid() || s2.SidPos.IsValid() {
		t.Errorf("second statement %+v", s2)
	}
}

// posOf returns the position of the first occurrence of needle in text.
func posOf(text, needle string) policy.Pos {
	off := strings.Index(text, needle)
	if off < 0 {
		panic("posOf: " + needle + " not in text")
	}
	line := 1 + strings.Count(text[:off], "\n")
	return policy.Pos{Offset: off, Line: line, Column: off - (strings.LastIndex(text[:off], "\n") + 1) + 1}
}

func TestVariableWarnings(t *testing.T) {
	tests := []struct {
		name     string
		version  string
		resource string
		vars     bool
		warning  string
	}{
		{name: "variable", version: "2012-10-17", resource: "arn:aws:s3:::b/${aws:username}/*", vars: true},
		{name: "default value", version: "2012-10-17", resource: "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}", vars: true},
		{name: "escapes only", version: "2012-10-17", resource: "arn:aws:s3:::b/${*}${?}${$}"},
		{name: "2008-10-17", version: "2008-10-17", resource: "arn:aws:s3:::b/${aws:username}", warning: "Variable unsupported in version: To include variables in your policy, use the policy version 2012-10-17 or later."},
		{name: "missing brace", version: "2012-10-17", resource: "arn:aws:s3:::b/${aws:username", warning: "Missing brace in variable: The policy variable is missing a closing curly brace. Add } after the variable text."},
		{name: "empty", version: "2012-10-17", resource: "arn:aws:s3:::b/${}", warning: "Empty variable: Empty policy variable. Remove the ${ } variable structure or provide a variable within the structure."},
		{name: "space", version: "2012-10-17", resource: "arn:aws:s3:::b/${aws: username}", warning: "Unsupported space in variable: A space is not supported within the policy variable text. Remove the space."},
		{name: "unquoted default", version: "2012-10-17", resource: "arn:aws:s3:::b/${aws:username, nobody}", warning: "Missing quote in variable: The policy variable default value must begin and end with a single quote. Add the missing quote."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := `{"Version": "` + tc.version + `", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "` + tc.resource + `"}}`
			d, err := policy.Parse(text, policy.KindIdentity)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := d.Statements[0].Resource.Values[0].Vars; got != tc.vars {
				t.Errorf("Vars = %v, want %v", got, tc.vars)
			}
			var got string
			if len(d.Warnings) > 0 {
				got = d.Warnings[0].Message
			}
			if got != tc.warning || len(d.Warnings) > 1 {
				t.Errorf("warnings %+v, want %q", d.Warnings, tc.warning)
			}
		})
	}
	d, err := policy.Parse(doc(`"Effect": "Allow", "Action": "s3:Get${team}", "Resource": "*"`), policy.KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	want := "Variable unsupported in element: Policy variables are supported in the Resource and Condition elements. Remove the policy variable ${team} from this element."
	if len(d.Warnings) != 1 || d.Warnings[0].Message != want {
		t.Errorf("variable in Action: warnings %+v", d.Warnings)
	}
}

func TestEffectiveVersion(t *testing.T) {
	d, err := policy.Parse(`{"Statement": {`+allow+`}}`, policy.KindIdentity)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "" || d.EffectiveVersion() != policy.Version2008 {
		t.Errorf("Version %q, EffectiveVersion %q", d.Version, d.EffectiveVersion())
	}
}

func TestNames(t *testing.T) {
	checks := map[string]string{
		policy.KindPermissionsBoundary.String():   "PermissionsBoundary",
		policy.Deny.String():                      "Deny",
		policy.PrincipalCanonicalUser.String():    "CanonicalUser",
		policy.OpNotIPAddress.String():            "NotIpAddress",
		policy.ForAllValues.String():              "ForAllValues",
		policy.NumberValue.String():               "number",
		policy.LimitRoleInline.String():           "RoleInline",
		(policy.Pos{Line: 3, Column: 9}).String(): "3:9",
		(policy.Pos{}).String():                   "-",
	}
	for got, want := range checks {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
