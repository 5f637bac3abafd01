package policy

// AWS error codes a policy error carries in ValidationError.Code and SizeError.Code. The
// service handler turns the code into its protocol's error shape; the HTTP status is
// noted with each code.
const (
	// CodeMalformedPolicyDocument is IAM's and STS's code for a policy they reject (400).
	CodeMalformedPolicyDocument = "MalformedPolicyDocument"
	// CodeOrgsMalformedPolicyDocument is AWS Organizations' code for an SCP or RCP it
	// rejects (400).
	CodeOrgsMalformedPolicyDocument = "MalformedPolicyDocumentException"
	// CodeLimitExceeded is IAM's code for a policy over a size quota (409).
	CodeLimitExceeded = "LimitExceeded"
	// CodeConstraintViolation is AWS Organizations' code for a policy over its size limit
	// (400, with Reason POLICY_CONTENT_LIMIT_EXCEEDED).
	CodeConstraintViolation = "ConstraintViolationException"
	// CodeValidationError is the awsQuery code for a parameter that breaks its model
	// constraint, such as an STS session policy longer than 2,048 characters (400).
	CodeValidationError = "ValidationError"
)

// The messages below are AWS's own wording. IAM returns one message per request; the
// sources are public reports of the message as AWS returned it (GitHub issue threads that
// quote the API response, CloudTrail records) and the IAM behaviour recorded by moto's
// test suite, which was written against real AWS (getmoto/moto,
// tests/test_iam/test_iam_policies.py). Where a message is inferred rather than observed,
// its comment says so.
const (
	// msgSyntax is IAM's answer to a document that is not valid JSON or breaks the grammar:
	// unknown elements, wrong value types, an unknown Version, an invalid Effect, both
	// Action and NotAction, an unknown condition operator with a non-empty block.
	// Sources: moto test_iam_policies.py; 99designs/iamy#74 ("--policy-document null");
	// aws-samples/amazon-ecs-firelens-examples#50 (trailing comma); checkr/s3-sync#1
	// (CloudTrail: "Resource": null); aws-cloudformation/cfn-lint#2021.
	msgSyntax = "Syntax errors in policy."

	// msgTrustInvalidJSON is CreateRole's answer to an AssumeRolePolicyDocument that is not
	// JSON. Sources: AWSCookbook/Security#2, aws-samples/aws-microservices-deploy-options#118,
	// Graylog2/graylog-plugin-aws#22.
	msgTrustInvalidJSON = "This policy contains invalid Json"

	// msgVersion2012 is CreatePolicy's answer to a managed policy without
	// "Version": "2012-10-17". Sources: moto test_iam_policies.py (no Version, and
	// 2008-10-17); Meteor-Community-Packages/Meteor-CollectionFS#630.
	msgVersion2012 = "Policy document must be version 2012-10-17 or greater."

	// msgLegacy is IAM's answer when the older policy parser rejects the document: an
	// Effect in the wrong case, a Date condition value that is not a date, a resource
	// with "::" and fewer than five colons, an empty service in an ARN.
	// Sources: moto test_iam_policies.py; aws-samples/torchserve-eks#3;
	// amancevice/terraform-aws-custom-ecr-domain#2.
	msgLegacy = "The policy failed legacy parsing"

	// msgSidUnique: two statements with the same non-empty Sid.
	// Sources: moto test_iam_policies.py; IAM User Guide, "IAM JSON policy elements: Sid"
	// ("In IAM, the Sid value must be unique within a JSON policy").
	msgSidUnique = "Statement IDs (SID) in a single policy must be unique."

	// msgSidAlphanumeric: a Sid with a character outside [0-9A-Za-z] in an IAM policy.
	// Source: CloudTrail record of CreatePolicy with "Sid": "Atomic_Red_Team"
	// (errorCode MalformedPolicyDocumentException), in Splunk attack_data
	// T1580/aws_iam_assume_role_policy_brute_force.
	msgSidAlphanumeric = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"

	// msgNoActions: a statement without Action or NotAction, or with an empty array.
	// Source: moto test_iam_policies.py.
	msgNoActions = "Policy statement must contain actions."

	// msgNoResources: a statement without Resource or NotResource, or with an empty array.
	// Sources: moto test_iam_policies.py; hashicorp/terraform#17987;
	// terraform-aws-modules/terraform-aws-iam#364; aws-samples/aws-health-aware#1.
	msgNoResources = "Policy statement must contain resources."

	// msgActionVendor: an action without a service prefix (no colon), including "".
	// Source: moto test_iam_policies.py.
	msgActionVendor = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."

	// msgActionColons: an action with more than one colon.
	// Sources: garnaat/kappa#111 (CreatePolicy); moto test_iam_policies.py.
	msgActionColons = "Actions/Condition can contain only one colon."

	// fmtActionVendorInvalid: a service prefix with a character other than letters,
	// digits, '-', '.' and the wildcards. Source: moto test_iam_policies.py
	// ("Vendor a a is not valid"). Wildcards are accepted because Access Analyzer only
	// suggests against them ("Wildcard in service name").
	fmtActionVendorInvalid = "Vendor %s is not valid"

	// fmtResourceNotARN: a resource that is neither "*" nor colon-separated.
	// Sources: moto test_iam_policies.py; CloudTrail record of CreatePolicy (Splunk
	// attack_data, "Resource 174313347505.dkr.ecr.us-west-2.amazonaws.com/... must be in
	// ARN format or "*"."); ministryofjustice/modernisation-platform-environments#590.
	fmtResourceNotARN = "Resource %s must be in ARN format or \"*\"."

	// fmtPartition: an ARN whose partition is not the partition of the service. The ARN in
	// the message is rebuilt with six fields, "*" standing for missing ones.
	// Sources: moto test_iam_policies.py; terraform-aws-modules/terraform-aws-iam#39
	// ("Partition "aws" is not valid for resource ..." in AWS China).
	fmtPartition = "Partition \"%s\" is not valid for resource \"%s\"."

	// msgResourceVendor: an ARN with no service field ("arn:aws"), or a wildcard in it.
	// Source: moto test_iam_policies.py ("arn:aws"); the wildcard case is inferred from the
	// wording "cannot contain regexes".
	msgResourceVendor = "Resource vendor must be fully qualified and cannot contain regexes."

	// fmtIAMRegion, fmtS3Region: an IAM or S3 ARN with a region. Source: moto
	// test_iam_policies.py.
	fmtIAMRegion = "IAM resource %s cannot contain region information."
	fmtS3Region  = "Resource %s can not contain region information."

	// msgIAMResourcePath: an IAM ARN whose resource is not "*" and does not start with a
	// known resource type. Source: moto test_iam_policies.py.
	msgIAMResourcePath = "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."

	// msgPrincipalNotAllowed: Principal or NotPrincipal in an identity-side policy
	// (PutUserPolicy, PutRolePolicy, CreatePolicy). Sources:
	// hashicorp/terraform-provider-aws#10419, hashicorp/terraform#13449, lyft/metadataproxy#53.
	// The IAM console words the same rule "Has prohibited field Principal"
	// (arithmetric/aws-lambda-ses-forwarder#31, hashicorp/terraform#4730).
	msgPrincipalNotAllowed = "Policy document should not specify a principal."

	// fmtProhibitedField: an element a role trust policy may not have. Sources for
	// Resource: kubernetes-sigs/external-dns#3085 and devopsacademyau/academy#1368
	// (CreateRole). NotResource and NotPrincipal are inferred to use the same wording.
	fmtProhibitedField = "Has prohibited field %s"

	// msgMissingPrincipal: a resource-based policy statement without Principal.
	// Sources: humanmade/S3-Uploads#191, aws-amplify/docs#2586, jschneier/django-storages#876
	// (S3 bucket policies and the IAM console).
	msgMissingPrincipal = "Missing required field Principal"

	// msgTrustNoPrincipals: a role trust policy statement without a principal.
	// Source: terraform-aws-modules/terraform-aws-iam#47 (CreateRole, 2020).
	msgTrustNoPrincipals = "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!"

	// fmtTrustInvalidPrincipal: a role trust policy principal IAM cannot resolve; the type
	// is upper case ("AWS", "SERVICE"). Sources: hashicorp/terraform-provider-aws#8905,
	// opstrace/opstrace#88, databrickslabs/ucx#2269 ("AWS"); aws-samples/aws-cdk-examples#801
	// ("SERVICE":"amazonaws.com"). "FEDERATED" and "CANONICAL_USER" are inferred.
	fmtTrustInvalidPrincipal = "Invalid principal in policy: \"%s\":\"%s\""

	// msgTrustStar: "Principal": "*" in a role trust policy ({"AWS": "*"} is accepted).
	// Source: aws/aws-cdk#5732 (CreateRole via CloudFormation, 2020).
	msgTrustStar = "AssumeRolepolicy contained an invalid principal: \"STAR\":\"*\"."

	// msgInvalidPrincipal: a principal a resource-based policy cannot use.
	// Sources: cloud-custodian/cloud-custodian#4948, ministryofjustice/analytical-platform#4932
	// (S3 PutBucketPolicy).
	msgInvalidPrincipal = "Invalid principal in policy"

	// msgOrgs is AWS Organizations' one answer to an SCP or RCP it rejects.
	// Sources: org-formation/org-formation-cli#225 (Condition in an Allow SCP, 2021);
	// hashicorp/terraform-provider-aws#15335.
	msgOrgs = "The provided policy document does not meet the requirements of the specified policy type."

	// fmtQuota: a policy over an account quota. PolicySize is the managed-policy quota
	// (CreatePolicy, CreatePolicyVersion), ACLSizePerRole the trust-policy quota
	// (CreateRole, UpdateAssumeRolePolicy). Sources: ministryofjustice/cloud-platform-environments#14473,
	// docker/docs#6218, disney/terraform-aws-kinesis-firehose-splunk#58 (PolicySize: 6144);
	// kubeflow/kubeflow#6687, apache/airflow#27331 (ACLSizePerRole: 2048). One 2025 report
	// (LBHackney-IT/Data-Platform#2116) quotes "Cannot exceed the quota for PolicySize: 6144.".
	fmtQuota = "Cannot exceed quota for %s: %d"

	// fmtInlineSize: the inline policies of a user, group or role over their aggregate
	// size. Sources: ministryofjustice/cloud-platform-environments#5303 (user 2048),
	// HumanCellAtlas/data-store#1963 (group 5120), aws/aws-cdk#12403 and
	// serverless/serverless#7643 (role 10240).
	fmtInlineSize = "Maximum policy size of %d bytes exceeded for %s %s"

	// msgOrgsSize: an SCP or RCP over 5,120 characters. Sources:
	// org-formation/org-formation-cli#332, hashicorp/terraform-provider-aws#12597.
	msgOrgsSize = "You have exceeded the maximum policy size."

	// fmtSessionLength: a session policy over its 2,048-character model constraint.
	// Source: the sessionPolicyDocumentType constraint in the STS API model, as AWS words
	// such failures (moto's STS responses, getmoto/moto#2075 and PR #2326).
	fmtSessionLength = "1 validation error detected: Value '%s' at 'policy' failed to satisfy constraint: Member must have length less than or equal to %d"

	// msgCharacters: text outside the characters IAM accepts in a policy document. Source:
	// IAM User Guide, "IAM and AWS STS quotas" ("Policy documents can contain only the
	// following Unicode characters: horizontal tab (U+0009), linefeed (U+000A), carriage
	// return (U+000D), and characters in the range U+0020 to U+00FF"); the wording is the
	// model constraint message for the policyDocumentType pattern.
	msgCharacters = "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"

	// msgTooLong: a document longer than the parameter's model allows (IAM API
	// Reference, policyDocumentType: "Maximum length of 131072"), worded as the model
	// constraint messages are.
	msgTooLong = "Member must have length less than or equal to 131072"

	// msgEmpty: an empty document, below the model's minimum length of 1.
	msgEmpty = "Member must have length greater than or equal to 1"
)

// Warning messages: IAM Access Analyzer's findings for policy variables (IAM User Guide,
// "IAM Access Analyzer policy check reference"). IAM itself accepts these documents and
// treats the text literally.
const (
	warnMissingBrace = "Missing brace in variable: The policy variable is missing a closing curly brace. Add } after the variable text."
	warnMissingQuote = "Missing quote in variable: The policy variable default value must begin and end with a single quote. Add the missing quote."
	warnSpace        = "Unsupported space in variable: A space is not supported within the policy variable text. Remove the space."
	warnEmpty        = "Empty variable: Empty policy variable. Remove the ${ } variable structure or provide a variable within the structure."
	fmtWarnElement   = "Variable unsupported in element: Policy variables are supported in the Resource and Condition elements. Remove the policy variable %s from this element."
	warnVersion      = "Variable unsupported in version: To include variables in your policy, use the policy version 2012-10-17 or later."
	warnOperator     = "Invalid variable for operator: Policy variables can only be used with String and ARN operators."
)
