package awsquery_test

import (
	"encoding/json"
	"encoding/xml"
	"net/url"
	"testing"
	"time"

	iamapi "github.com/bulwarkhq/bulwark/internal/api/iam"
	"github.com/bulwarkhq/bulwark/internal/protocol"
	"github.com/bulwarkhq/bulwark/internal/protocol/awsquery"
	"github.com/bulwarkhq/bulwark/internal/protocol/jsonv"
)

func TestDecodeListsMapsAndScalars(t *testing.T) {
	form, err := url.ParseQuery("UserName=alice&Path=%2Feng%2F&Tags.member.1.Key=team&Tags.member.1.Value=core&Tags.member.2.Key=env&Tags.member.2.Value=")
	if err != nil {
		t.Fatal(err)
	}
	var in iamapi.CreateUserInput
	if err := in.DecodeQuery(awsquery.NewDecoder(form), ""); err != nil {
		t.Fatal(err)
	}
	if *in.UserName != "alice" || *in.Path != "/eng/" || len(in.Tags) != 2 || *in.Tags[1].Key != "env" || *in.Tags[1].Value != "" {
		t.Fatalf("decoded %+v", in)
	}
	var list iamapi.ListUsersInput
	form = url.Values{"MaxItems": {"x"}}
	if err := list.DecodeQuery(awsquery.NewDecoder(form), ""); err == nil {
		t.Fatal("MaxItems=x accepted")
	}
}

func TestXMLOutputIsWellFormedAndEscaped(t *testing.T) {
	name := `a<b>&"c'` + "\x01"
	created := time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	out := &iamapi.GetUserOutput{User: &iamapi.User{UserName: &name, CreateDate: &created,
		Tags: []iamapi.Tag{{Key: &name, Value: &name}}}}
	w := awsquery.NewXMLWriter(nil)
	w.Start("R")
	out.EncodeXML(w)
	w.End("R")
	var got struct {
		User struct {
			UserName   string
			CreateDate string
			Tags       struct {
				Member []struct{ Key, Value string } `xml:"member"`
			}
		}
	}
	if err := xml.Unmarshal(w.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, w.Bytes())
	}
	if got.User.UserName != `a<b>&"c'`+"\uFFFD" || got.User.CreateDate != "2026-11-28T06:00:00Z" || len(got.User.Tags.Member) != 1 {
		t.Fatalf("round trip = %+v", got)
	}
}

// FuzzQueryDecode feeds arbitrary form bodies to generated awsQuery decoders: they must never
// panic, and whatever they accept must encode as valid JSON for the audit trail.
func FuzzQueryDecode(f *testing.F) {
	f.Add("Action=CreateUser&UserName=alice&Tags.member.1.Key=k&Tags.member.1.Value=v")
	f.Add("PolicyDocument=%7B%7D&PolicyName=p&UserName=u")
	f.Add("Filter.member.1=User&Filter.member.2=Role&MaxItems=10&Marker=abc")
	f.Add("ContextEntries.member.1.ContextKeyValues.member.1=x&ContextEntries.member.1.ContextKeyType=string")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		d := awsquery.NewDecoder(form)
		inputs := []interface {
			protocol.Input
			awsquery.Decodable
		}{new(iamapi.CreateUserInput), new(iamapi.PutUserPolicyInput), new(iamapi.GetAccountAuthorizationDetailsInput), new(iamapi.SimulateCustomPolicyInput)}
		for _, in := range inputs {
			if err := in.DecodeQuery(d, ""); err != nil {
				continue
			}
			_ = in.Validate()
			e := jsonv.NewEncoder(nil)
			e.Audit = true
			in.EncodeJSON(e)
			if !json.Valid(e.Bytes()) {
				t.Fatalf("invalid audit JSON %s", e.Bytes())
			}
		}
	})
}
