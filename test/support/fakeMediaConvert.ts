// AWS Elemental MediaConvert cannot run here: a local HTTP endpoint answers
// the calls the lake makes (CreateJob, GetJob, CancelJob) as the REST API
// reference describes them, and keeps every request for the test to check.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/** A CreateJob body as the SDK puts it on the wire (the API's camelCase names). */
export interface CreateJobBody {
  role: string;
  queue?: string;
  clientRequestToken: string;
  userMetadata: Record<string, string>;
  settings: {
    inputs: { fileInput: string; videoSelector: { rotate: string }; audioSelectors?: Record<string, unknown> }[];
    outputGroups: {
      outputGroupSettings: { type: string; fileGroupSettings: { destination: string } };
      outputs: {
        extension: string;
        containerSettings: { container: string; mp4Settings: { moovPlacement: string } };
        videoDescription: { width: number; height: number; codecSettings: { codec: string; h264Settings: Record<string, unknown> }; videoPreprocessors?: Record<string, unknown> };
        audioDescriptions?: { codecSettings: { codec: string; aacSettings: Record<string, unknown> } }[];
      }[];
    }[];
  };
}

export interface FakeMediaConvert {
  endpoint: string;
  /** Every job CreateJob made, with the request that made it. */
  created: { jobId: string; body: CreateJobBody }[];
  /** CreateJob calls received, repeats with a known token included. */
  createCalls: number;
  /** Ids of the jobs CancelJob was called for. */
  cancelled: string[];
  /** What GetJob answers for a job: SUBMITTED unless set. */
  status: Map<string, string>;
  /** The job's destination as MediaConvert writes it: the destination and the output's extension. */
  outputOf(jobId: string): { bucket: string; key: string; url: string };
  close(): Promise<void>;
}

const JOBS = '/2017-08-29/jobs';

export async function startFakeMediaConvert(): Promise<FakeMediaConvert> {
  const created: FakeMediaConvert['created'] = [];
  const cancelled: string[] = [];
  const status = new Map<string, string>();
  const jobOf = (jobId: string) => created.find((job) => job.jobId === jobId);
  const describe = (jobId: string) => {
    const job = jobOf(jobId)!;
    return { id: jobId, status: status.get(jobId) ?? 'SUBMITTED', role: job.body.role, userMetadata: job.body.userMetadata, createdAt: Date.now() / 1000 };
  };

  async function answer(request: IncomingMessage): Promise<[number, unknown]> {
    const path = new URL(request.url!, 'http://x').pathname;
    if (request.method === 'POST' && path === JOBS) {
      const body = JSON.parse((await buffer(request)).toString('utf8')) as CreateJobBody;
      fake.createCalls++;
      if (!body.role || !body.settings) return [400, { message: 'role and settings are required' }];
      // MediaConvert's idempotency: the same token gives the job it gave before.
      const earlier = created.find((job) => job.body.clientRequestToken === body.clientRequestToken);
      const jobId = earlier?.jobId ?? `${Date.now()}-${created.length.toString(36).padStart(6, '0')}`;
      if (!earlier) created.push({ jobId, body });
      return [201, { job: describe(jobId) }];
    }
    const id = path.startsWith(`${JOBS}/`) ? decodeURIComponent(path.slice(JOBS.length + 1)) : undefined;
    if (!id || !jobOf(id)) return [404, { message: `no job ${id}` }];
    if (request.method === 'GET') return [200, { job: describe(id) }];
    if (request.method === 'DELETE') {
      cancelled.push(id);
      status.set(id, 'CANCELED');
      return [202, {}];
    }
    return [405, { message: `${request.method} ${path} is not a call the lake makes` }];
  }

  const server = createServer((request, response) => {
    answer(request).then(
      ([code, body]) => {
        const error = code >= 400 ? { 'x-amzn-errortype': code === 404 ? 'NotFoundException' : 'BadRequestException' } : {};
        response.writeHead(code, { 'content-type': 'application/json', ...error }).end(JSON.stringify(body));
      },
      (error: Error) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: error.message })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeMediaConvert = {
    endpoint: `http://127.0.0.1:${port}`,
    createCalls: 0,
    created,
    cancelled,
    status,
    outputOf(jobId) {
      const output = jobOf(jobId)!.body.settings.outputGroups[0]!;
      const url = `${output.outputGroupSettings.fileGroupSettings.destination}.${output.outputs[0]!.extension}`;
      const [, bucket, key] = url.match(/^s3:\/\/([^/]+)\/(.+)$/)!;
      return { bucket: bucket!, key: key!, url };
    },
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  return fake;
}
