import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The name of a resource that must be unique in its account and region, or
 * that CloudFormation cannot make up itself (a table the lake names its
 * rebuilt generations after, a MemoryDB cluster, a stream): the stack's name,
 * lower-cased as some services require, then what the resource is. A second
 * stack (a staging beside production) asks for none of the first one's
 * names; the stack MediaLake keeps the names it has always had.
 * settings.ts holds the stack name within every such service's limits.
 */
export function physicalName(scope: IConstruct, ...what: string[]): string {
  return [Stack.of(scope).stackName.toLowerCase(), ...what].join('-');
}
