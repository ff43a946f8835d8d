// dynalite, a DynamoDB implementation on npm (in-memory LevelDB), run in this
// process on a free loopback port for tests. It has no TransactWriteItems and
// wants table names of 3 or more characters.
import dynalite from 'dynalite';
import { enginesInContainers, startContainer } from './containers';
import { listenInProcess, type InProcessAwsEngine } from './inProcessAws';

export type DynamoDbEngine = InProcessAwsEngine;

export async function startDynamoDb(): Promise<DynamoDbEngine> {
  if (enginesInContainers()) {
    // DynamoDB local, as docker-compose.yml runs it; it takes any credentials.
    const { address, stop } = await startContainer('DynamoDB');
    return { client: { endpoint: `http://${address}`, region: 'us-east-1', credentials: { accessKeyId: 'medialake', secretAccessKey: 'medialake' } }, stop };
  }
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return listenInProcess(server);
}
