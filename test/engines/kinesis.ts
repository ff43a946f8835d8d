// kinesalite, a Kinesis implementation on npm (in-memory LevelDB), run in this
// process on a free loopback port for tests. It speaks HTTP/1.1 only (clients
// need NodeHttpHandler) and has no SubscribeToShard: consumers poll GetRecords.
import kinesalite from 'kinesalite';
import { enginesInContainers, startContainer } from './containers';
import { borrowed, externalEndpoint } from './external';
import { listenInProcess, type InProcessAwsEngine } from './inProcessAws';

export type KinesisEngine = InProcessAwsEngine;

export async function startKinesis(): Promise<KinesisEngine> {
  const external = externalEndpoint('Kinesis');
  // kinesalite (docker-compose.yml's too) takes any credentials.
  if (external) return { client: { endpoint: external, region: 'us-east-1', credentials: { accessKeyId: 'medialake', secretAccessKey: 'medialake' } }, ...borrowed('Kinesis') };
  if (enginesInContainers()) {
    const { address, stop } = await startContainer('Kinesis');
    return { client: { endpoint: `http://${address}`, region: 'us-east-1', credentials: { accessKeyId: 'medialake', secretAccessKey: 'medialake' } }, stop };
  }
  // Streams leave CREATING and UPDATING (after a reshard) quickly, as in a test one wants.
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 50, shardLimit: 1000 });
  return listenInProcess(server);
}
