"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/retention/version-pruner.lambda.ts
var version_pruner_lambda_exports = {};
__export(version_pruner_lambda_exports, {
  handler: () => handler,
  onEvent: () => onEvent,
  sendResponse: () => sendResponse
});
module.exports = __toCommonJS(version_pruner_lambda_exports);
var import_client_codedeploy = require("@aws-sdk/client-codedeploy");
var import_client_lambda = require("@aws-sdk/client-lambda");

// src/retention/private/plan-pruning.ts
var NUMBERED = /^[0-9]+$/;
function planPruning(input) {
  const reasons = /* @__PURE__ */ new Map();
  const keep = (version, reason) => {
    const list = reasons.get(version) ?? [];
    if (!list.includes(reason)) list.push(reason);
    reasons.set(version, list);
  };
  const numbered = [];
  for (const v of input.versions) {
    if (v.version === "$LATEST") {
      keep(v.version, "$LATEST");
    } else if (NUMBERED.test(v.version)) {
      numbered.push(v);
    } else {
      keep(v.version, "not a version number");
    }
  }
  numbered.sort((a, b) => Number(b.version) - Number(a.version));
  const present = new Set(input.versions.map((v) => v.version));
  for (const p of input.protections) {
    if (present.has(p.version)) keep(p.version, p.reason);
  }
  const candidates = [];
  numbered.forEach((v, i) => {
    if (i < input.retain) keep(v.version, `one of the ${input.retain} newest`);
    const age = ageSeconds(v.lastModified, input.now);
    if (age === void 0) {
      keep(v.version, "age unknown");
    } else if (age < input.minAgeSeconds) {
      keep(v.version, `younger than ${input.minAgeSeconds}s`);
    }
    if (input.blockedBy) keep(v.version, input.blockedBy);
    if (!reasons.has(v.version)) candidates.push(v.version);
  });
  candidates.reverse();
  const toDelete = candidates.slice(0, input.maxDeletions);
  for (const v of candidates.slice(input.maxDeletions)) {
    keep(v, `over the cap of ${input.maxDeletions} deletions per run`);
  }
  const order = (v) => v === "$LATEST" ? Infinity : NUMBERED.test(v) ? Number(v) : -1;
  const kept = [...reasons.entries()].map(([version, why]) => ({ version, reasons: why })).sort((a, b) => order(b.version) - order(a.version));
  return { delete: toDelete, keep: kept };
}
function ageSeconds(lastModified, now) {
  if (!lastModified) return void 0;
  const iso = lastModified.replace(/([+-]\d\d)(\d\d)$/, "$1:$2");
  const t = Date.parse(iso);
  return Number.isNaN(t) ? void 0 : (now - t) / 1e3;
}
function versionQualifier(functionArn) {
  const parts = (functionArn ?? "").split(":");
  const qualifier = parts.length === 8 ? parts[7] : void 0;
  return qualifier !== void 0 && NUMBERED.test(qualifier) ? qualifier : void 0;
}

// src/retention/private/pruner-properties.ts
function parsePrunerProperties(raw) {
  const r = raw ?? {};
  const problems = [];
  const text = (key, required) => {
    const v = r[key];
    if (v === void 0 || v === null || v === "") {
      if (required) problems.push(`${key} is missing`);
      return void 0;
    }
    return String(v);
  };
  const whole = (key, min) => {
    const v = Number(text(key, true));
    if (!Number.isInteger(v) || v < min) problems.push(`${key} must be a whole number of at least ${min}, got ${JSON.stringify(r[key])}`);
    return v;
  };
  const flag = (key) => String(r[key]) === "true";
  const props = {
    functionName: text("FunctionName", true) ?? "",
    aliasName: text("AliasName", true) ?? "",
    currentVersion: text("CurrentVersion", true) ?? "",
    retainVersions: whole("RetainVersions", 1),
    minAgeSeconds: whole("MinAgeSeconds", 0),
    maxDeletions: whole("MaxDeletions", 1),
    dryRun: flag("DryRun"),
    strict: flag("Strict"),
    codeDeployApplication: text("CodeDeployApplication", false),
    codeDeployDeploymentGroup: text("CodeDeployDeploymentGroup", false)
  };
  if (props.codeDeployApplication === void 0 !== (props.codeDeployDeploymentGroup === void 0)) {
    problems.push("CodeDeployApplication and CodeDeployDeploymentGroup must be set together");
  }
  if (problems.length > 0) {
    throw new Error(`invalid pruner properties: ${problems.join("; ")}`);
  }
  return props;
}
function isStrict(raw) {
  return String(raw?.Strict) === "true";
}

// src/retention/private/pruner-report.ts
var MAX_VALUE_LENGTH = 600;
function reportData(report) {
  return {
    Deleted: cap(report.deleted.join(",")),
    DeletedCount: String(report.deleted.length),
    WouldDelete: cap(report.wouldDelete.join(",")),
    Kept: cap(report.kept.map((k) => `${k.version} (${k.reasons.join("; ")})`).join(", ")),
    KeptCount: String(report.kept.length),
    Errors: cap(report.errors.join(" | ")),
    ErrorCount: String(report.errors.length),
    DryRun: String(report.dryRun)
  };
}
function cap(value) {
  return value.length <= MAX_VALUE_LENGTH ? value : `${value.slice(0, MAX_VALUE_LENGTH - 30)}... (${value.length} chars, see the log)`;
}

// src/retention/private/retry.ts
var THROTTLING = /* @__PURE__ */ new Set([
  "TooManyRequestsException",
  // Lambda
  "ThrottlingException",
  // CodeDeploy and most JSON services
  "Throttling",
  "ThrottledException",
  "RequestLimitExceeded"
]);
function isThrottling(error) {
  const e = error;
  return THROTTLING.has(e?.name ?? "") || e?.$metadata?.httpStatusCode === 429;
}
async function withRetry(call, options) {
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= options.maxAttempts) throw error;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      if (options.deadline !== void 0 && now() + delay > options.deadline) throw error;
      await options.sleep(delay);
    }
  }
}
async function collectPages(fetchPage) {
  const all = [];
  let token;
  const seen = /* @__PURE__ */ new Set();
  do {
    const page = await fetchPage(token);
    all.push(...page.items ?? []);
    token = page.next || void 0;
    if (token !== void 0) {
      if (seen.has(token)) throw new Error(`pagination token repeated: ${token}`);
      seen.add(token);
    }
  } while (token !== void 0);
  return all;
}

// src/retention/version-pruner.lambda.ts
var UNFINISHED = ["Created", "Queued", "InProgress", "Baking", "Ready"];
var RESPONSE_MARGIN_MS = 2e4;
async function handler(event, context) {
  const response = await onEvent(event, {
    lambda: new import_client_lambda.LambdaClient({}),
    codeDeploy: new import_client_codedeploy.CodeDeployClient({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    deadline: Date.now() + context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS
  });
  await sendResponse(event, response);
}
async function onEvent(event, env) {
  const physicalId = event.RequestType === "Create" ? `${event.LogicalResourceId}-${String(event.ResourceProperties.FunctionName ?? "unknown")}`.slice(0, 200) : event.PhysicalResourceId;
  if (event.RequestType === "Delete") {
    return { Status: "SUCCESS", PhysicalResourceId: physicalId, Data: {} };
  }
  const strict = isStrict(event.ResourceProperties);
  let report;
  try {
    const props = parsePrunerProperties(event.ResourceProperties);
    const rollbackTarget = event.RequestType === "Update" ? String(event.OldResourceProperties?.CurrentVersion ?? "") : "";
    report = await prune(props, rollbackTarget, env);
  } catch (error) {
    report = { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false };
  }
  console.log(JSON.stringify({ event: event.RequestType, resource: event.LogicalResourceId, ...report }));
  const failed = strict && report.errors.length > 0;
  return {
    Status: failed ? "FAILED" : "SUCCESS",
    Reason: failed ? `Version pruning failed (strict): ${report.errors.join(" | ")}`.slice(0, 1e3) : void 0,
    PhysicalResourceId: physicalId,
    Data: reportData(report)
  };
}
async function prune(props, rollbackTarget, env) {
  const retry = (call) => withRetry(call, {
    maxAttempts: 8,
    baseDelayMs: 250,
    maxDelayMs: 8e3,
    sleep: env.sleep,
    now: env.now,
    deadline: env.deadline
  });
  const fn = props.functionName;
  const versions = await collectPages(async (Marker) => {
    const r = await retry(() => env.lambda.send(new import_client_lambda.ListVersionsByFunctionCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Versions, next: r.NextMarker };
  });
  const aliases = await collectPages(async (Marker) => {
    const r = await retry(() => env.lambda.send(new import_client_lambda.ListAliasesCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Aliases, next: r.NextMarker };
  });
  const provisioned = await collectPages(async (Marker) => {
    const r = await retry(() => env.lambda.send(new import_client_lambda.ListProvisionedConcurrencyConfigsCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.ProvisionedConcurrencyConfigs, next: r.NextMarker };
  });
  const listMappings = (functionName) => collectPages(async (Marker) => {
    const r = await retry(() => env.lambda.send(new import_client_lambda.ListEventSourceMappingsCommand({ FunctionName: functionName, Marker, MaxItems: 100 })));
    return { items: r.EventSourceMappings, next: r.NextMarker };
  });
  const mappings = await listMappings(fn);
  const protections = [];
  for (const a of aliases) {
    if (a.FunctionVersion) protections.push({ version: a.FunctionVersion, reason: `alias ${a.Name}` });
    for (const routed of Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})) {
      protections.push({ version: routed, reason: `weighted routing of alias ${a.Name}` });
    }
  }
  for (const pc of provisioned) {
    const v = versionQualifier(pc.FunctionArn);
    if (v) protections.push({ version: v, reason: "provisioned concurrency" });
  }
  for (const m of mappings) {
    const v = versionQualifier(m.FunctionArn);
    if (v) protections.push({ version: v, reason: `event source mapping ${m.UUID}` });
  }
  protections.push({ version: props.currentVersion, reason: "published by this deployment" });
  if (rollbackTarget) protections.push({ version: rollbackTarget, reason: "rollback target" });
  let blockedBy;
  if (props.codeDeployApplication && props.codeDeployDeploymentGroup) {
    const running = await collectPages(async (nextToken) => {
      const r = await retry(() => env.codeDeploy.send(new import_client_codedeploy.ListDeploymentsCommand({
        applicationName: props.codeDeployApplication,
        deploymentGroupName: props.codeDeployDeploymentGroup,
        includeOnlyStatuses: UNFINISHED,
        nextToken
      })));
      return { items: r.deployments, next: r.nextToken };
    });
    if (running.length > 0) blockedBy = `CodeDeploy deployment ${running.join(", ")} in progress`;
  }
  const plan = planPruning({
    versions: versions.map((v) => ({ version: v.Version ?? "", lastModified: v.LastModified })),
    retain: props.retainVersions,
    minAgeSeconds: props.minAgeSeconds,
    maxDeletions: props.maxDeletions,
    now: env.now(),
    protections,
    blockedBy
  });
  const kept = [...plan.keep];
  const deleted = [];
  const wouldDelete = [];
  const errors = [];
  for (const version of plan.delete) {
    if (env.now() >= env.deadline) {
      kept.push({ version, reasons: ["out of time; the next deployment continues"] });
      continue;
    }
    try {
      const bound = await listMappings(`${fn}:${version}`);
      if (bound.length > 0) {
        kept.push({ version, reasons: bound.map((m) => `event source mapping ${m.UUID}`) });
      } else if (props.dryRun) {
        wouldDelete.push(version);
      } else {
        await retry(() => env.lambda.send(new import_client_lambda.DeleteFunctionCommand({ FunctionName: fn, Qualifier: version })));
        deleted.push(version);
      }
    } catch (error) {
      if (isEdgeReplica(error)) {
        kept.push({ version, reasons: ["Lambda@Edge replica still exists"] });
      } else {
        kept.push({ version, reasons: ["delete failed"] });
        errors.push(`version ${version}: ${describe(error)}`);
      }
    }
  }
  return { deleted, wouldDelete, kept, errors, dryRun: props.dryRun };
}
function isEdgeReplica(error) {
  const e = error;
  return e?.name === "InvalidParameterValueException" && /replicated function/i.test(e.message ?? "");
}
function describe(error) {
  const e = error;
  return e && typeof e === "object" ? `${e.name ?? "Error"}: ${e.message ?? String(error)}` : String(error);
}
async function sendResponse(event, response) {
  const body = JSON.stringify({
    ...response,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId
  });
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const r = await fetch(event.ResponseURL, { method: "PUT", body, headers: { "content-type": "" } });
      if (r.ok) return;
      console.error(`CloudFormation response rejected: HTTP ${r.status}`);
    } catch (error) {
      console.error(`CloudFormation response failed: ${describe(error)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1e3 * attempt));
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handler,
  onEvent,
  sendResponse
});
