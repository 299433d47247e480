"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/retention/version-pruner.lambda.ts
var version_pruner_lambda_exports = {};
__export(version_pruner_lambda_exports, {
  CALL_TIMEOUT_MS: () => CALL_TIMEOUT_MS,
  CLIENT_CONFIG: () => CLIENT_CONFIG,
  answerInTime: () => answerInTime,
  createClients: () => createClients,
  fallbackResponse: () => fallbackResponse,
  handler: () => handler,
  onEvent: () => onEvent,
  sendResponse: () => sendResponse
});
module.exports = __toCommonJS(version_pruner_lambda_exports);
var import_client_codedeploy = require("@aws-sdk/client-codedeploy");
var import_client_lambda = require("@aws-sdk/client-lambda");
var lambdaSdk = __toESM(require("@aws-sdk/client-lambda"));

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
  const byCount = `one of the ${input.retain} newest`;
  numbered.forEach((v, i) => {
    if (i < input.retain) keep(v.version, byCount);
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
  const keptOnlyByCount = numbered.map((v) => v.version).filter((v) => {
    const why = reasons.get(v);
    return why?.length === 1 && why[0] === byCount;
  });
  return { delete: toDelete, keep: kept, keptOnlyByCount };
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

// src/retention/private/capacity-provider-cap.ts
var CAPACITY_PROVIDER_VERSION_CAP = 100;
function planProviderCap(input) {
  const cap2 = input.cap ?? CAPACITY_PROVIDER_VERSION_CAP;
  const planned = new Set(input.plannedDeletions);
  const names = /* @__PURE__ */ new Set([input.functionName]);
  let held = 0;
  for (const arn of input.providerVersionArns) {
    const version = versionQualifier(arn);
    if (version === void 0) continue;
    const name = arn.split(":")[6];
    names.add(name);
    if (!(name === input.functionName && planned.has(version))) held++;
  }
  const target = cap2 - names.size;
  const over = Math.max(0, held - target);
  const extra = [...input.keptOnlyByCount].reverse().slice(0, Math.min(over, Math.max(0, input.deletionsLeft)));
  const remaining = held - extra.length;
  let warning;
  if (remaining > target) {
    const limited = extra.length < over && extra.length < input.keptOnlyByCount.length;
    warning = `capacity provider ${input.providerArn} holds ${remaining} versions of its ${names.size} function(s), over the ${target} that leave each room to publish one (Lambda's cap: ${cap2}, not raisable)` + (remaining >= cap2 ? "; at the cap, the next publish on it fails" : "") + (limited ? `. ${input.functionName} reached pruneMaxDeletions; the next deployment continues` : `. ${input.functionName} keeps only protected versions beyond its planned deletions`) + "; lower retainVersions, or prune the other functions on the provider";
  }
  return { extra, remaining, target, functions: names.size, warning };
}

// src/retention/private/pruner-properties.ts
function parsePrunerProperties(raw) {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(`invalid pruner properties: ResourceProperties is ${raw === void 0 ? "missing" : `not an object (${JSON.stringify(raw)})`}`);
  }
  const r = raw;
  const problems = [];
  const text = (key, required) => {
    const v = r[key];
    if (v === void 0 || v === null || v === "") {
      if (required) problems.push(`${key} is missing`);
      return void 0;
    }
    if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
      problems.push(`${key} must be a string, got ${JSON.stringify(v)}`);
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
    liveVersion: text("LiveVersion", true) ?? "",
    retainVersions: whole("RetainVersions", 1),
    minAgeSeconds: whole("MinAgeSeconds", 0),
    maxDeletions: whole("MaxDeletions", 1),
    dryRun: flag("DryRun"),
    strict: flag("Strict"),
    codeDeployApplication: text("CodeDeployApplication", false),
    codeDeployDeploymentGroup: text("CodeDeployDeploymentGroup", false),
    aliases: aliasTargets(r.Aliases, problems)
  };
  if (props.codeDeployApplication === void 0 !== (props.codeDeployDeploymentGroup === void 0)) {
    problems.push("CodeDeployApplication and CodeDeployDeploymentGroup must be set together");
  }
  if (problems.length > 0) {
    throw new Error(`invalid pruner properties: ${problems.join("; ")}`);
  }
  return props;
}
function aliasTargets(raw, problems) {
  if (raw === void 0 || raw === null) {
    return void 0;
  }
  if (!Array.isArray(raw)) {
    problems.push(`Aliases must be a list, got ${JSON.stringify(raw)}`);
    return void 0;
  }
  const targets = [];
  for (const entry of raw) {
    const a = entry && typeof entry === "object" ? entry : {};
    const version = typeof a.Version === "number" ? String(a.Version) : a.Version;
    const routed = a.Routed === void 0 ? [] : a.Routed;
    if (typeof a.Name !== "string" || typeof version !== "string" || version === "" || !Array.isArray(routed) || routed.some((v) => typeof v !== "string" && typeof v !== "number")) {
      problems.push(`Aliases holds a malformed entry ${JSON.stringify(entry)} (want { Name, Version, Routed: [...] })`);
      continue;
    }
    targets.push({ name: a.Name, version, routed: routed.map(String) });
  }
  return targets;
}
function rollbackTargets(old) {
  if (!old || typeof old !== "object") return { versions: [], complete: false };
  const found = /* @__PURE__ */ new Set();
  const add = (v) => {
    if (typeof v === "string" && v !== "") found.add(v);
    else if (typeof v === "number") found.add(String(v));
  };
  add(old.CurrentVersion);
  add(old.LiveVersion);
  let complete = Array.isArray(old.Aliases);
  for (const a of Array.isArray(old.Aliases) ? old.Aliases : []) {
    if (!a || typeof a !== "object") {
      complete = false;
      continue;
    }
    const alias = a;
    if (typeof alias.Version !== "string" && typeof alias.Version !== "number") complete = false;
    add(alias.Version);
    if (alias.Routed !== void 0 && !Array.isArray(alias.Routed)) complete = false;
    for (const r of Array.isArray(alias.Routed) ? alias.Routed : []) add(r);
  }
  if (old.CurrentVersion === void 0 || old.LiveVersion === void 0) complete = false;
  return { versions: [...found], complete };
}
function isStrict(raw) {
  return !!raw && typeof raw === "object" && String(raw.Strict) === "true";
}

// src/retention/private/pruner-report.ts
var MAX_VALUE_LENGTH = 450;
var MAX_ALREADY_DELETED_LENGTH = 150;
var MAX_WARNINGS_LENGTH = 350;
function reportData(report) {
  return {
    Deleted: cap(report.deleted.join(",")),
    DeletedCount: String(report.deleted.length),
    WouldDelete: cap(report.wouldDelete.join(",")),
    Kept: cap(report.kept.map((k) => `${k.version} (${k.reasons.join("; ")})`).join(", ")),
    KeptCount: String(report.kept.length),
    Errors: cap(report.errors.join(" | ")),
    ErrorCount: String(report.errors.length),
    DryRun: String(report.dryRun),
    AlreadyDeleted: cap((report.alreadyDeleted ?? []).join(","), MAX_ALREADY_DELETED_LENGTH),
    Warnings: cap((report.warnings ?? []).join(" | "), MAX_WARNINGS_LENGTH)
  };
}
function cap(value, max = MAX_VALUE_LENGTH) {
  return value.length <= max ? value : `${value.slice(0, max - 30)}... (${value.length} chars, see the log)`;
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
var DEFAULT_MAX_PAGES = 1e3;
async function collectPages(fetchPage, limits = { maxPages: DEFAULT_MAX_PAGES }) {
  const now = limits.now ?? Date.now;
  const all = [];
  let token;
  const seen = /* @__PURE__ */ new Set();
  let pages = 0;
  do {
    if (pages >= limits.maxPages) throw new Error(`listing stopped after ${limits.maxPages} pages (endless pagination?)`);
    if (pages > 0 && limits.deadline !== void 0 && now() >= limits.deadline) {
      throw new Error(`listing stopped after ${pages} pages: out of time`);
    }
    const page = await fetchPage(token);
    pages++;
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
var ListDurableExecutions = lambdaSdk.ListDurableExecutionsByFunctionCommand;
var ListProviderVersions = lambdaSdk.ListFunctionVersionsByCapacityProviderCommand;
var UNFINISHED = ["Created", "Queued", "InProgress", "Baking", "Ready"];
var CLIENT_CONFIG = {
  maxAttempts: 3,
  requestHandler: { requestTimeout: 1e4, connectionTimeout: 3e3 }
};
var CALL_TIMEOUT_MS = 15e3;
var RESPONSE_MARGIN_MS = 2e4;
var WORK_MARGIN_MS = 1e3;
var FALLBACK_REMAINING_MS = 6e4;
function createClients() {
  return { lambda: new import_client_lambda.LambdaClient(CLIENT_CONFIG), codeDeploy: new import_client_codedeploy.CodeDeployClient(CLIENT_CONFIG) };
}
async function handler(event, context) {
  const started = Date.now();
  const remaining = remainingMillis(context);
  const respondAt = started + remaining - Math.min(RESPONSE_MARGIN_MS, remaining / 4);
  const cancelled = { aborted: false };
  let env;
  let response;
  try {
    env = {
      ...createClients(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      // A call started just before this still ends (or times out) before the answer is due.
      deadline: respondAt - Math.min(CALL_TIMEOUT_MS + WORK_MARGIN_MS, remaining / 8),
      callTimeoutMs: CALL_TIMEOUT_MS,
      cancelled
    };
    response = await answerInTime(event, env, respondAt);
  } catch (error) {
    response = fallbackResponse(event, error);
  }
  cancelled.aborted = true;
  await sendResponse(event, response, started + remaining - Math.min(2e3, remaining / 20));
}
async function answerInTime(event, env, respondAt) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => {
      if (env.cancelled) env.cancelled.aborted = true;
      resolve(fallbackResponse(event, new Error("version pruning ran out of time; the next deployment continues")));
    }, Math.max(0, respondAt - env.now()));
  });
  try {
    return await Promise.race([onEvent(event, env), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
function remainingMillis(context) {
  try {
    const ms = context?.getRemainingTimeInMillis?.();
    return typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? ms : FALLBACK_REMAINING_MS;
  } catch {
    return FALLBACK_REMAINING_MS;
  }
}
async function onEvent(event, env) {
  try {
    return await decide(event, env);
  } catch (error) {
    return fallbackResponse(event, error);
  }
}
async function decide(raw, env) {
  if (!raw || typeof raw !== "object") throw new Error(`malformed event: ${JSON.stringify(raw)}`);
  const event = raw;
  const physicalId = physicalIdOf(event);
  if (event.RequestType === "Delete") {
    return { Status: "SUCCESS", PhysicalResourceId: physicalId, Data: {} };
  }
  if (event.RequestType !== "Create" && event.RequestType !== "Update") {
    throw new Error(`malformed event: RequestType ${JSON.stringify(event.RequestType)}`);
  }
  const strict = isStrict(event.ResourceProperties);
  let report;
  try {
    const props = parsePrunerProperties(event.ResourceProperties);
    const rollback = event.RequestType === "Update" ? rollbackTargets(event.OldResourceProperties) : { versions: [], complete: false };
    report = await prune(props, rollback, env);
  } catch (error) {
    report = { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false };
  }
  console.log(JSON.stringify({ event: event.RequestType, resource: event.LogicalResourceId, ...report }));
  return respond(physicalId, strict, report);
}
function respond(physicalId, strict, report) {
  const failed = strict && report.errors.length > 0;
  return {
    Status: failed ? "FAILED" : "SUCCESS",
    Reason: failed ? `Version pruning failed (strict): ${report.errors.join(" | ")}`.slice(0, 800) : void 0,
    PhysicalResourceId: physicalId,
    Data: reportData(report)
  };
}
function fallbackResponse(event, error) {
  const e = event && typeof event === "object" ? event : {};
  let physicalId = "cdk-safe-lambda-version-pruner";
  try {
    physicalId = physicalIdOf(e);
  } catch {
  }
  const strict = e.RequestType !== "Delete" && isStrict(e.ResourceProperties);
  console.error(JSON.stringify({ event: e.RequestType, resource: e.LogicalResourceId, error: describe(error) }));
  return respond(physicalId, strict, { deleted: [], wouldDelete: [], kept: [], errors: [describe(error)], dryRun: false });
}
function physicalIdOf(event) {
  const existing = event.PhysicalResourceId;
  if (event.RequestType !== "Create" && typeof existing === "string" && existing !== "") return existing;
  const props = event.ResourceProperties && typeof event.ResourceProperties === "object" ? event.ResourceProperties : {};
  const name = typeof props.FunctionName === "string" ? props.FunctionName : "unknown";
  const logical = typeof event.LogicalResourceId === "string" ? event.LogicalResourceId : "VersionPruner";
  return `${logical}-${name}`.slice(0, 200);
}
async function prune(props, rollback, env) {
  const call = (send) => withRetry(() => {
    if (env.cancelled?.aborted) return Promise.reject(new Error("cancelled: the handler has already answered"));
    if (env.now() >= env.deadline) return Promise.reject(new Error("out of time before the call started"));
    return withTimeout(send(), env.callTimeoutMs ?? CALL_TIMEOUT_MS);
  }, { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 8e3, sleep: env.sleep, now: env.now, deadline: env.deadline });
  const limits = { maxPages: DEFAULT_MAX_PAGES, deadline: env.deadline, now: env.now };
  const fn = props.functionName;
  const versions = await collectPages(async (Marker) => {
    const r = await call(() => env.lambda.send(new import_client_lambda.ListVersionsByFunctionCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Versions, next: r.NextMarker };
  }, limits);
  const aliases = await collectPages(async (Marker) => {
    const r = await call(() => env.lambda.send(new import_client_lambda.ListAliasesCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.Aliases, next: r.NextMarker };
  }, limits);
  const provisioned = await collectPages(async (Marker) => {
    const r = await call(() => env.lambda.send(new import_client_lambda.ListProvisionedConcurrencyConfigsCommand({ FunctionName: fn, Marker, MaxItems: 50 })));
    return { items: r.ProvisionedConcurrencyConfigs, next: r.NextMarker };
  }, limits);
  const listMappings = (functionName) => collectPages(async (Marker) => {
    const r = await call(() => env.lambda.send(new import_client_lambda.ListEventSourceMappingsCommand({ FunctionName: functionName, Marker, MaxItems: 100 })));
    return { items: r.EventSourceMappings, next: r.NextMarker };
  }, limits);
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
  protections.push({ version: props.liveVersion, reason: `alias ${props.aliasName} after this deployment` });
  for (const a of props.aliases ?? []) {
    for (const v of [a.version, ...a.routed ?? []]) protections.push({ version: v, reason: `alias ${a.name} after this deployment` });
  }
  for (const v of rollback.versions) protections.push({ version: v, reason: "rollback target" });
  const blockers = [];
  if (!rollback.complete) {
    blockers.push("first run: the previous targets of the aliases are not recorded yet, so nothing is deleted until the next deployment");
  }
  if (props.codeDeployApplication && props.codeDeployDeploymentGroup) {
    const running = await collectPages(async (nextToken) => {
      const r = await call(() => env.codeDeploy.send(new import_client_codedeploy.ListDeploymentsCommand({
        applicationName: props.codeDeployApplication,
        deploymentGroupName: props.codeDeployDeploymentGroup,
        includeOnlyStatuses: UNFINISHED,
        nextToken
      })));
      return { items: r.deployments, next: r.nextToken };
    }, limits);
    if (running.length > 0) blockers.push(`CodeDeploy deployment ${running.join(", ")} in progress`);
  }
  const plan = planPruning({
    versions: versions.map((v) => ({ version: v.Version ?? "", lastModified: v.LastModified })),
    retain: props.retainVersions,
    minAgeSeconds: props.minAgeSeconds,
    maxDeletions: props.maxDeletions,
    now: env.now(),
    protections,
    blockedBy: blockers.length > 0 ? blockers.join("; ") : void 0
  });
  const durable = versions.some((v) => v.DurableConfig !== void 0 && v.DurableConfig !== null);
  const runningExecution = async (version) => {
    let found;
    await collectPages(async (Marker) => {
      const r = await call(() => env.lambda.send(new ListDurableExecutions({ FunctionName: fn, Qualifier: version, Statuses: ["RUNNING"], Marker, MaxItems: 50 })));
      found = (r.DurableExecutions ?? []).find((x) => !ENDED.has(String(x.Status)))?.DurableExecutionArn ?? found;
      return { items: [], next: found ? void 0 : r.NextMarker };
    }, limits);
    return found;
  };
  const errors = [];
  const warnings = [];
  const extra = await providerCapDeletions(versions, plan, props, (command) => call(() => env.lambda.send(command)), limits, { errors, warnings });
  const kept = plan.keep.filter((k) => !extra.includes(k.version));
  const deleted = [];
  const wouldDelete = [];
  const alreadyDeleted = [];
  for (const version of [...plan.delete, ...extra]) {
    if (env.now() >= env.deadline || env.cancelled?.aborted) {
      kept.push({ version, reasons: ["out of time; the next deployment continues"] });
      continue;
    }
    try {
      if (!ListDurableExecutions) {
        kept.push({ version, reasons: ["this runtime's AWS SDK cannot list durable executions (nor tell a durable function)"] });
        continue;
      }
      const execution = durable ? await runningExecution(version) : void 0;
      if (execution) {
        kept.push({ version, reasons: [`durable execution ${execution} still running`] });
        continue;
      }
      const bound = await listMappings(`${fn}:${version}`);
      if (bound.length > 0) {
        kept.push({ version, reasons: bound.map((m) => `event source mapping ${m.UUID}`) });
      } else if (props.dryRun) {
        wouldDelete.push(version);
      } else {
        await call(() => env.lambda.send(new import_client_lambda.DeleteFunctionCommand({ FunctionName: fn, Qualifier: version })));
        deleted.push(version);
      }
    } catch (error) {
      if (isNotFound(error)) {
        alreadyDeleted.push(version);
      } else if (isEdgeReplica(error)) {
        kept.push({ version, reasons: ["Lambda@Edge replica still exists"] });
      } else {
        kept.push({ version, reasons: ["not deleted: a check or the deletion failed"] });
        errors.push(`version ${version}: ${describe(error)}`);
      }
    }
  }
  if (!ListDurableExecutions && plan.delete.length > 0) {
    console.log("cdk-safe-lambda: ListDurableExecutionsByFunctionCommand is missing from the @aws-sdk/client-lambda of this runtime, which therefore predates durable functions and cannot tell whether executions still run on a version; nothing is deleted rather than guessed. A newer Lambda runtime SDK lifts this.");
  }
  return { deleted, wouldDelete, kept, errors, dryRun: props.dryRun, alreadyDeleted, warnings };
}
async function providerCapDeletions(versions, plan, props, send, limits, report) {
  const providerArn = versions.map((v) => v.CapacityProviderConfig?.LambdaManagedInstancesCapacityProviderConfig?.CapacityProviderArn).find((arn) => typeof arn === "string" && arn !== "");
  if (!providerArn) return [];
  if (!ListProviderVersions) {
    report.warnings.push(`capacity provider ${providerArn}: this runtime's AWS SDK cannot list the provider's versions, so only this function's own count was kept`);
    return [];
  }
  try {
    const name = providerArn.split(/[:/]/).pop();
    const listed = await collectPages(async (Marker) => {
      const r = await send(new ListProviderVersions({ CapacityProviderName: name, Marker, MaxItems: 50 }));
      return { items: (r.FunctionVersions ?? []).map((v) => v.FunctionArn ?? ""), next: r.NextMarker };
    }, limits);
    const cap2 = planProviderCap({
      providerArn,
      providerVersionArns: listed,
      functionName: functionNameOf(props.functionName),
      plannedDeletions: plan.delete,
      keptOnlyByCount: plan.keptOnlyByCount,
      deletionsLeft: props.maxDeletions - plan.delete.length
    });
    if (cap2.warning) report.warnings.push(cap2.warning);
    return cap2.extra;
  } catch (error) {
    report.errors.push(`capacity provider ${providerArn}: ${describe(error)}`);
    return [];
  }
}
function functionNameOf(nameOrArn) {
  return nameOrArn.startsWith("arn:") ? nameOrArn.split(":")[6] ?? nameOrArn : nameOrArn;
}
var ENDED = /* @__PURE__ */ new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED"]);
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: "TimeoutError" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
function isNotFound(error) {
  return error?.name === "ResourceNotFoundException";
}
function isEdgeReplica(error) {
  const e = error;
  return e?.name === "InvalidParameterValueException" && /replicated function/i.test(e.message ?? "");
}
function describe(error) {
  const e = error;
  return e && typeof e === "object" ? `${e.name ?? "Error"}: ${e.message ?? String(error)}` : String(error);
}
async function sendResponse(event, response, deadline) {
  const e = event && typeof event === "object" ? event : {};
  if (typeof e.ResponseURL !== "string" || e.ResponseURL === "") {
    console.error(`cannot answer CloudFormation: the event has no ResponseURL (${JSON.stringify(response)})`);
    return;
  }
  const body = JSON.stringify({
    ...response,
    StackId: e.StackId,
    RequestId: e.RequestId,
    LogicalResourceId: e.LogicalResourceId
  });
  const end = deadline ?? Date.now() + 3e4;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const left = end - Date.now();
    if (left <= 0) break;
    try {
      const r = await fetch(e.ResponseURL, {
        method: "PUT",
        body,
        headers: { "content-type": "" },
        signal: AbortSignal.timeout(Math.min(5e3, left))
      });
      if (r.ok) return;
      console.error(`CloudFormation response rejected: HTTP ${r.status}`);
    } catch (error) {
      console.error(`CloudFormation response failed: ${describe(error)}`);
    }
    if (attempt < 3) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(1e3 * attempt, end - Date.now() - 1e3))));
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  CALL_TIMEOUT_MS,
  CLIENT_CONFIG,
  answerInTime,
  createClients,
  fallbackResponse,
  handler,
  onEvent,
  sendResponse
});
