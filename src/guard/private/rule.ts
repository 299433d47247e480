/*
 * The rule contract lives in the judge (src/judge/input.ts, issue #18): rules read a template-level view
 * of a reference, never a construct. These names stay for code written against the guard's own.
 */
export type { JudgeInput as RuleInput, JudgeRule as EngineRule, RuleOutcome, RuleVerdict } from '../../judge/input';
