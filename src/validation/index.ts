export * from './validation-report';
export * from './safe-lambda-validation-plugin';
export * from './safe-lambda-validation';
