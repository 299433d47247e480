export * from './safe-function-options';
export * from './safe-function-base';
export * from './safe-function';
export * from './safe-function-warnings';
export * from './safe-alias';
export * from './safe-nodejs-function';
export * from './safe-docker-image-function';
