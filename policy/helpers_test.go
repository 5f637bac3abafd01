package policy_test

import "strings"

// doc builds a 2012-10-17 document around one statement's members.
func doc(statement string) string {
	return `{"Version": "2012-10-17", "Statement": {` + statement + `}}`
}

// docs builds a 2012-10-17 document around an array of statements' members.
func docs(statements ...string) string {
	return `{"Version": "2012-10-17", "Statement": [{` + strings.Join(statements, `}, {`) + `}]}`
}

// allow is a minimal valid identity statement body, to which a case adds members.
const allow = `"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"`

// trust is a minimal valid role trust statement body.
const trust = `"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"}`
