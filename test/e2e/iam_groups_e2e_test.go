package e2e

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func iamxGroupNames(gs []types.Group) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, aws.ToString(g.GroupName))
	}
	return out
}

func TestIAMGroupCreateListUpdateDelete(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam

	g := must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("devs"), Path: aws.String("/eng/")}))(t).Group
	iamxEq(t, "Arn", aws.ToString(g.Arn), iamxARN("group", "/eng/", "devs"))
	iamxEq(t, "Path", aws.ToString(g.Path), "/eng/")
	iamxEq(t, "GroupName", aws.ToString(g.GroupName), "devs")
	iamxID(t, "group", g.GroupId, "AGPA")
	iamxRecent(t, "CreateDate", g.CreateDate)
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("DEVS")})
	wantCode(t, err, "EntityAlreadyExists")
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("x"), Path: aws.String("eng")})
	wantCode(t, err, "ValidationError")

	for _, n := range []string{"qa", "Ops", "admins"} {
		path := "/"
		if n == "qa" {
			path = "/eng/"
		}
		must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(n), Path: aws.String(path)}))(t)
	}

	t.Run("list", func(t *testing.T) {
		out := must(c.ListGroups(ctx, &iam.ListGroupsInput{}))(t)
		iamxList(t, "ListGroups", iamxGroupNames(out.Groups), []string{"admins", "devs", "Ops", "qa"})
		for _, g := range out.Groups {
			iamxEq(t, "listed Arn", aws.ToString(g.Arn), iamxARN("group", aws.ToString(g.Path), aws.ToString(g.GroupName)))
			iamxID(t, "listed group", g.GroupId, "AGPA")
		}
		eng := must(c.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/eng/")}))(t)
		iamxList(t, "ListGroups /eng/", iamxGroupNames(eng.Groups), []string{"devs", "qa"})
		names, sizes := iamxPages(t, 3, func(m *string) iamxPage {
			out := must(c.ListGroups(ctx, &iam.ListGroupsInput{MaxItems: aws.Int32(3), Marker: m}))(t)
			return iamxPage{iamxGroupNames(out.Groups), out.IsTruncated, out.Marker}
		})
		iamxList(t, "paged ListGroups", names, []string{"admins", "devs", "Ops", "qa"})
		iamxEq(t, "pages", fmt.Sprint(sizes), "[3 1]")
		_, err := c.ListGroups(ctx, &iam.ListGroupsInput{MaxItems: aws.Int32(0)})
		wantCode(t, err, "ValidationError")
	})

	// Members and attachments survive a rename and move.
	must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))(t)
	must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("alice")}))(t)
	pol := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), PolicyDocument: aws.String(iamxPolicy("s3:GetObject"))}))(t).Policy
	must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("devs"), PolicyArn: pol.Arn}))(t)

	must(c.UpdateGroup(ctx, &iam.UpdateGroupInput{GroupName: aws.String("devs"), NewGroupName: aws.String("developers"), NewPath: aws.String("/rd/")}))(t)
	_, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("devs")})
	wantCode(t, err, "NoSuchEntity")
	got := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("developers")}))(t)
	iamxEq(t, "renamed Arn", aws.ToString(got.Group.Arn), iamxARN("group", "/rd/", "developers"))
	iamxEq(t, "renamed GroupId", aws.ToString(got.Group.GroupId), aws.ToString(g.GroupId))
	if len(got.Users) != 1 || aws.ToString(got.Users[0].UserName) != "alice" {
		t.Fatalf("members after rename = %+v", got.Users)
	}
	fu := must(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("alice")}))(t)
	iamxList(t, "ListGroupsForUser after rename", iamxGroupNames(fu.Groups), []string{"developers"})
	att := must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("developers")}))(t)
	iamxList(t, "attached after rename", iamxAttachedNames(att.AttachedPolicies), []string{"p"})
	ents := must(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: pol.Arn}))(t)
	if len(ents.PolicyGroups) != 1 || aws.ToString(ents.PolicyGroups[0].GroupName) != "developers" || aws.ToString(ents.PolicyGroups[0].GroupId) != aws.ToString(g.GroupId) {
		t.Fatalf("ListEntitiesForPolicy groups after rename = %+v", ents.PolicyGroups)
	}

	tests := []struct {
		name string
		in   *iam.UpdateGroupInput
		code string
	}{
		{"rename onto an existing group", &iam.UpdateGroupInput{GroupName: aws.String("developers"), NewGroupName: aws.String("ops")}, "EntityAlreadyExists"},
		{"unknown group", &iam.UpdateGroupInput{GroupName: aws.String("devs"), NewGroupName: aws.String("x")}, "NoSuchEntity"},
		{"invalid path", &iam.UpdateGroupInput{GroupName: aws.String("developers"), NewPath: aws.String("/no-end")}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateGroup(ctx, tt.in)
			wantCode(t, err, tt.code)
		})
	}

	// Delete: blocked while the group has members or policies.
	must(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("developers"), UserName: aws.String("alice")}))(t)
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("developers")})
	wantCode(t, err, "DeleteConflict")
	must(c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("developers"), PolicyArn: pol.Arn}))(t)
	must(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("developers")}))(t)
	_, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("developers")})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("developers")})
	wantCode(t, err, "NoSuchEntity")
	out := must(c.ListGroups(ctx, &iam.ListGroupsInput{}))(t)
	iamxList(t, "ListGroups after delete", iamxGroupNames(out.Groups), []string{"admins", "Ops", "qa"})
}

func TestIAMGetGroupPagesMembers(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("all")}))(t)
	var want []string
	for i := 0; i < 5; i++ {
		n := fmt.Sprintf("member%d", i)
		want = append(want, n)
		must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(n), Path: aws.String("/m/")}))(t)
		must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("all"), UserName: aws.String(n)}))(t)
	}
	paged, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("all"), MaxItems: aws.Int32(2), Marker: m}))(t)
		iamxEq(t, "GetGroup Arn", aws.ToString(out.Group.Arn), iamxARN("group", "/", "all"))
		var n []string
		for _, u := range out.Users {
			n = append(n, aws.ToString(u.UserName))
			iamxEq(t, "member Arn", aws.ToString(u.Arn), iamxARN("user", "/m/", aws.ToString(u.UserName)))
			iamxID(t, "member", u.UserId, "AIDA")
		}
		return iamxPage{n, out.IsTruncated, out.Marker}
	})
	// Pages are disjoint and together hold every member, also through the SDK's paginator.
	iamxList(t, "paged members", iamxSorted(paged), want)
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 2 1]")
	var got []string
	p := iam.NewGetGroupPaginator(c, &iam.GetGroupInput{GroupName: aws.String("all"), MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		out := must(p.NextPage(ctx))(t)
		for _, u := range out.Users {
			got = append(got, aws.ToString(u.UserName))
		}
	}
	iamxList(t, "members", iamxSorted(got), want)
}

func TestIAMGroupInlinePolicies(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("eng")}))(t)

	docs := map[string]string{"b-read": iamxPolicy("s3:GetObject"), "a-write": iamxPolicy("s3:PutObject"), "c-list": iamxPolicy("s3:ListBucket")}
	for n, d := range docs {
		must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String(n), PolicyDocument: aws.String(d)}))(t)
	}
	for n, d := range docs {
		out := must(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String(n)}))(t)
		iamxEq(t, "GroupName", aws.ToString(out.GroupName), "eng")
		iamxEq(t, "PolicyName", aws.ToString(out.PolicyName), n)
		iamxWantDoc(t, "GetGroupPolicy "+n, out.PolicyDocument, d)
	}
	names, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("eng"), MaxItems: aws.Int32(2), Marker: m}))(t)
		return iamxPage{out.PolicyNames, out.IsTruncated, out.Marker}
	})
	iamxList(t, "ListGroupPolicies", names, []string{"a-write", "b-read", "c-list"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")

	must(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("b-read"), PolicyDocument: aws.String(bucketPolicy)}))(t)
	out := must(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("b-read")}))(t)
	iamxWantDoc(t, "replaced", out.PolicyDocument, bucketPolicy)

	// A group with inline policies cannot be deleted.
	_, err := c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("eng")})
	wantCode(t, err, "DeleteConflict")

	must(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("a-write")}))(t)
	list := must(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("eng")}))(t)
	iamxList(t, "after delete", list.PolicyNames, []string{"b-read", "c-list"})
	if list.IsTruncated {
		t.Fatal("ListGroupPolicies truncated")
	}

	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"get deleted policy", func() error {
			_, err := c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("a-write")})
			return err
		}, "NoSuchEntity"},
		{"delete deleted policy", func() error {
			_, err := c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("a-write")})
			return err
		}, "NoSuchEntity"},
		{"put on unknown group", func() error {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("nope"), PolicyName: aws.String("p"), PolicyDocument: aws.String(bucketPolicy)})
			return err
		}, "NoSuchEntity"},
		{"list on unknown group", func() error {
			_, err := c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("nope")})
			return err
		}, "NoSuchEntity"},
		{"malformed document", func() error {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Statement":`)})
			return err
		}, "MalformedPolicyDocument"},
		{"inline size quota (5120 for a group)", func() error {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("big"), PolicyDocument: aws.String(iamxBigPolicy(5200))})
			return err
		}, "LimitExceeded"},
		{"invalid policy name", func() error {
			_, err := c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("eng"), PolicyName: aws.String("no spaces"), PolicyDocument: aws.String(bucketPolicy)})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
}

func TestIAMGroupManagedPolicyAttachments(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	c := rootClients(s).iam
	must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("eng")}))(t)
	var arns []string
	for _, n := range []string{"read", "admin", "write"} {
		p := must(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String(n), Path: aws.String("/" + n + "/"), PolicyDocument: aws.String(iamxPolicy("s3:GetObject"))}))(t).Policy
		arns = append(arns, aws.ToString(p.Arn))
		must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("eng"), PolicyArn: p.Arn}))(t)
	}
	out := must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("eng")}))(t)
	iamxList(t, "attached", iamxAttachedNames(out.AttachedPolicies), []string{"admin", "read", "write"})
	iamxList(t, "attached ARNs", iamxAttachedARNs(out.AttachedPolicies),
		[]string{iamxARN("policy", "/admin/", "admin"), iamxARN("policy", "/read/", "read"), iamxARN("policy", "/write/", "write")})
	w := must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("eng"), PathPrefix: aws.String("/w")}))(t)
	iamxList(t, "attached under /w", iamxAttachedNames(w.AttachedPolicies), []string{"write"})
	names, sizes := iamxPages(t, 2, func(m *string) iamxPage {
		out := must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("eng"), MaxItems: aws.Int32(2), Marker: m}))(t)
		return iamxPage{iamxAttachedNames(out.AttachedPolicies), out.IsTruncated, out.Marker}
	})
	iamxList(t, "paged", names, []string{"admin", "read", "write"})
	iamxEq(t, "pages", fmt.Sprint(sizes), "[2 1]")

	must(c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("eng"), PolicyArn: aws.String(arns[0])}))(t)
	out = must(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("eng")}))(t)
	iamxList(t, "after detach", iamxAttachedNames(out.AttachedPolicies), []string{"admin", "write"})
	p := must(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(arns[0])}))(t).Policy
	iamxEq(t, "AttachmentCount after detach", aws.ToInt32(p.AttachmentCount), 0)

	_, err := c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("eng"), PolicyArn: aws.String(arns[0])})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("nope"), PolicyArn: aws.String(arns[1])})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("eng"), PolicyArn: aws.String(iamxARN("policy", "/", "nope"))})
	wantCode(t, err, "NoSuchEntity")
	_, err = c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("nope")})
	wantCode(t, err, "NoSuchEntity")
}
