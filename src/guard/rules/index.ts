export * from './latest-binding';
export * from './latest-grant';
export * from './latest-permission';
export * from './latest-sdk-target';
export * from './state-machine-alias';
export * from './durable-latest';
export * from './snap-start-latest';
export * from './latest-published';
export { WebFunctionAllAtOnceRule } from './web-function-all-at-once';
