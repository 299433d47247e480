// The default entry of the NodejsFunction 'Orders' that kinds.ts builds without `entry`.
export const handler = async (): Promise<string> => 'kinds-default-entry';
