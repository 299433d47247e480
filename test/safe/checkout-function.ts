import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SafeNodejsFunction } from '../../src';

/** A team's own subclass of SafeNodejsFunction: its default entry is next to this file. */
export class CheckoutFunction extends SafeNodejsFunction {
  constructor(scope: Construct, id: string) {
    super(scope, id, { runtime: lambda.Runtime.NODEJS_22_X, memorySize: 256 });
  }
}
