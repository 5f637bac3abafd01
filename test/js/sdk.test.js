// The AWS SDK for JavaScript v3 against a running Bulwark in --dev mode. scripts/js-e2e
// starts the server and sets BULWARK_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import {
  IAMClient, CreateUserCommand, GetUserCommand, ListUsersCommand, CreateAccessKeyCommand,
  CreatePolicyCommand, GetPolicyVersionCommand, DeleteUserCommand, PutUserPolicyCommand,
  CreateRoleCommand, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand,
} from "@aws-sdk/client-iam";
import { KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";

const endpoint = process.env.BULWARK_URL;
assert.ok(endpoint, "BULWARK_URL must name a running bulwark serve --dev");
const config = (accessKeyId = "test", secretAccessKey = "test") => ({
  endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey },
});
const iam = new IAMClient(config());

test("GetCallerIdentity names the dev root user", async () => {
  const out = await new STSClient(config()).send(new GetCallerIdentityCommand({}));
  assert.equal(out.Arn, "arn:aws:iam::000000000000:root");
  assert.equal(out.Account, "000000000000");
});

test("users: create, get, page, conflict, delete", async () => {
  const created = await iam.send(new CreateUserCommand({ UserName: "js-user", Path: "/js/" }));
  assert.equal(created.User.Arn, "arn:aws:iam::000000000000:user/js/js-user");
  assert.ok(created.User.CreateDate instanceof Date);
  const got = await iam.send(new GetUserCommand({ UserName: "js-user" }));
  assert.equal(got.User.UserId, created.User.UserId);
  await assert.rejects(iam.send(new CreateUserCommand({ UserName: "js-user" })),
    (err) => err.name.startsWith("EntityAlreadyExists") && err.$metadata.httpStatusCode === 409);
  for (let i = 0; i < 3; i++) await iam.send(new CreateUserCommand({ UserName: `js-page-${i}` }));
  const page = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
  assert.equal(page.Users.length, 2);
  assert.equal(page.IsTruncated, true);
  const rest = await iam.send(new ListUsersCommand({ Marker: page.Marker }));
  assert.equal(page.Users.length + rest.Users.length, 4);
  await iam.send(new DeleteUserCommand({ UserName: "js-page-0" }));
  await assert.rejects(iam.send(new GetUserCommand({ UserName: "js-page-0" })),
    (err) => err.name.startsWith("NoSuchEntity") && err.$metadata.httpStatusCode === 404);
});

test("an IAM user's own key authenticates and is denied IAM actions", async () => {
  await iam.send(new CreateUserCommand({ UserName: "js-key-user" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "js-key-user" }));
  assert.match(AccessKey.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
  const cfg = config(AccessKey.AccessKeyId, AccessKey.SecretAccessKey);
  const id = await new STSClient(cfg).send(new GetCallerIdentityCommand({}));
  assert.equal(id.Arn, "arn:aws:iam::000000000000:user/js-key-user");
  await assert.rejects(new IAMClient(cfg).send(new ListUsersCommand({})),
    (err) => err.name === "AccessDenied" && /is not authorized to perform: iam:ListUsers/.test(err.message));
});

test("policy documents come back URL-encoded", async () => {
  const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/a key+x" }] });
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "js-policy", PolicyDocument: doc }));
  const v = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy.Arn, VersionId: "v1" }));
  assert.equal(decodeURIComponent(v.PolicyVersion.Document), doc);
});

test("a JSON-protocol operation not built yet answers NotImplemented", async () => {
  await assert.rejects(new KMSClient(config()).send(new ListKeysCommand({})),
    (err) => err.name === "NotImplemented" && err.$metadata.httpStatusCode === 501);
});

test("LookupEvents returns the calls above", async () => {
  const out = await new CloudTrailClient(config()).send(new LookupEventsCommand({
    LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateUser" }],
  }));
  assert.ok(out.Events.length >= 5, `CreateUser events: ${out.Events.length}`);
  const record = JSON.parse(out.Events[0].CloudTrailEvent);
  assert.equal(record.eventSource, "iam.amazonaws.com");
});

test("policies are enforced: allow, boundary, explicit deny, a policy change on the next call", async () => {
  await iam.send(new CreateUserCommand({ UserName: "js-enforced" }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "js-enforced" }));
  const user = new IAMClient(config(AccessKey.AccessKeyId, AccessKey.SecretAccessKey));
  const put = (name, statement) => iam.send(new PutUserPolicyCommand({
    UserName: "js-enforced", PolicyName: name,
    PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
  }));
  await assert.rejects(user.send(new ListUsersCommand({})), (err) => err.name === "AccessDenied" &&
    err.message === "User: arn:aws:iam::000000000000:user/js-enforced is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action");
  await put("admin", { Effect: "Allow", Action: "*", Resource: "*" });
  await user.send(new ListUsersCommand({}));
  await user.send(new CreateUserCommand({ UserName: "js-made-by-user" }));

  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: "js-read-only-iam",
    PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" }] }) }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "js-enforced", PermissionsBoundary: Policy.Arn }));
  await assert.rejects(user.send(new CreateUserCommand({ UserName: "js-capped" })), (err) => err.name === "AccessDenied" &&
    err.message.endsWith("because no permissions boundary allows the iam:CreateUser action"));

  await put("no-list", { Effect: "Deny", Action: "iam:ListUsers", Resource: "*" });
  await assert.rejects(user.send(new ListUsersCommand({})), (err) => err.name === "AccessDenied" &&
    err.message.endsWith("with an explicit deny in an identity-based policy"));
});

test("STS: a role assumed with a session policy, and temporary credentials", async () => {
  await iam.send(new CreateUserCommand({ UserName: "js-assumer" }));
  await iam.send(new PutUserPolicyCommand({ UserName: "js-assumer", PolicyName: "assume",
    PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "js-assumer" }));
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "js-role", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "js-role", PolicyName: "iam",
    PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] }) }));
  const sts = new STSClient(config(AccessKey.AccessKeyId, AccessKey.SecretAccessKey));
  const { Credentials, AssumedRoleUser } = await sts.send(new AssumeRoleCommand({
    RoleArn: "arn:aws:iam::000000000000:role/js-role", RoleSessionName: "js-session",
    Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:List*", Resource: "*" }] }),
  }));
  assert.match(Credentials.AccessKeyId, /^ASIA/);
  assert.equal(AssumedRoleUser.Arn, "arn:aws:sts::000000000000:assumed-role/js-role/js-session");
  const session = {
    endpoint, region: "us-east-1",
    credentials: { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken },
  };
  const id = await new STSClient(session).send(new GetCallerIdentityCommand({}));
  assert.equal(id.Arn, AssumedRoleUser.Arn);
  await new IAMClient(session).send(new ListUsersCommand({}));
  await assert.rejects(new IAMClient(session).send(new CreateUserCommand({ UserName: "js-nope" })),
    (err) => err.name === "AccessDenied" && err.message.endsWith("because no session policy allows the iam:CreateUser action"));
  const forged = { ...session, credentials: { ...session.credentials, sessionToken: Credentials.SessionToken.slice(0, -4) + "AAAA" } };
  await assert.rejects(new IAMClient(forged).send(new ListUsersCommand({})), (err) => err.name === "InvalidClientTokenId");

  const token = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
  assert.match(token.Credentials.AccessKeyId, /^ASIA/);
  assert.ok(token.Credentials.Expiration instanceof Date);
});
