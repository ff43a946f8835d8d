// dynalite, a DynamoDB implementation on npm (in-memory LevelDB), run in this
// process on a free loopback port for tests. It has no TransactWriteItems and
// wants table names of 3 or more characters.
import dynalite from 'dynalite';
import { listenInProcess, type InProcessAwsEngine } from './inProcessAws';

export type DynamoDbEngine = InProcessAwsEngine;

export async function startDynamoDb(): Promise<DynamoDbEngine> {
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return listenInProcess(server);
}
