import { chooseEngineHost, ENGINE_HOST_VARIABLE } from './containers';

/** Once per test run: where the engines run, printed as one line and handed to the workers. */
export default async function decideEngineHost(): Promise<void> {
  const { host, line } = await chooseEngineHost();
  process.env[ENGINE_HOST_VARIABLE] = host;
  console.log(line);
}
