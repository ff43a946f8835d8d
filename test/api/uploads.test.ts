import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../api/server';
import { adminApi } from '../support/principals';
import { loadConfig } from '../../app/config';
import { openLake } from '../../app/lake';
import { fixture, temporaryDirectory } from '../support/fixtures';
import { openTestLake } from '../support/lake';
import { waitFor } from '../support/waitFor';
import { expectApiError, multipartBody, rawExchange } from './http';

const FILE_PART = 'Content-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n';

describe('POST /assets', () => {
  let lake: Awaited<ReturnType<typeof openTestLake>>;
  let app: Awaited<ReturnType<typeof buildServer>>;
  /** The events on the log before a test: the admin the tests sign in as. */
  let eventsBefore: number;

  beforeAll(async () => {
    lake = await openTestLake({ 'api.maxUploadFiles': 3 });
    ({ app } = await adminApi(lake));
    eventsBefore = await lake.log.lag({});
  });
  afterAll(async () => {
    await app.close();
    await lake.close();
  });

  const post = (contentType: string, payload: string | Buffer) =>
    app.inject({ method: 'POST', url: '/assets', headers: { 'content-type': contentType }, payload });

  it.each([
    ['no boundary', 'multipart/form-data', `--b\r\n${FILE_PART}hello\r\n--b--\r\n`],
    ['an empty boundary', 'multipart/form-data; boundary=', `--\r\n${FILE_PART}hello\r\n----\r\n`],
    ['a boundary the body does not use', 'multipart/form-data; boundary=xyz', `--abc\r\n${FILE_PART}hello\r\n--abc--\r\n`],
    ['a truncated body', 'multipart/form-data; boundary=xyz', `--xyz\r\n${FILE_PART}hello, and then noth`],
  ])('refuses a multipart body with %s: 400 INVALID_MULTIPART, nothing kept', async (_, contentType, payload) => {
    const response = await post(contentType, payload);
    expect(response.statusCode).toBe(400);
    expectApiError(response.json(), 'INVALID_MULTIPART');
    expect(await lake.log.lag({})).toBe(eventsBefore);
  });

  it('ingests every file of an upload and answers with each asset, the first one also at the top as before', async () => {
    const boundary = 'several';
    const response = await post(
      `multipart/form-data; boundary=${boundary}`,
      multipartBody(boundary, [
        ['one.txt', 'the first file'],
        ['two.txt', 'the second file'],
        ['again.txt', 'the first file'],
      ]),
    );
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.assets.map((a: { name: string; status: string }) => [a.name, a.status])).toEqual([
      ['one.txt', 'ingested'],
      ['two.txt', 'ingested'],
      ['again.txt', 'duplicate'],
    ]);
    expect(body.assets[2].assetId).toBe(body.assets[0].assetId);
    expect(body).toMatchObject({ assetId: body.assets[0].assetId, status: 'ingested' });
    for (const { assetId } of body.assets) expect((await lake.log.readAsset(assetId))[0]?.type).toBe('AssetIngested');
  });

  it('refuses more files than api.maxUploadFiles with 413 TOO_MANY_FILES, ingesting none of them', async () => {
    const before = await lake.log.lag({});
    const files = ['a', 'b', 'c', 'd'].map((n): [string, string] => [`${n}.txt`, `file ${n} of four`]);
    const response = await post('multipart/form-data; boundary=many', multipartBody('many', files));
    expect(response.statusCode).toBe(413);
    expectApiError(response.json(), 'TOO_MANY_FILES');
    expect(await lake.log.lag({})).toBe(before);
  });

  it('describes the multi-file answer in the OpenAPI document', async () => {
    const document = (await app.inject('/openapi.json')).json();
    const created = document.paths['/assets'].post.responses['201'];
    expect(JSON.stringify(created)).toContain('assets');
    expect(document.paths['/assets'].post.summary).toMatch(/every file/i);
  });
});

describe('temporary files of uploads', () => {
  it('an upload in progress is written under the data directory, not the system temporary one, and removed when it fails', async () => {
    const lake = await openTestLake({ 'api.bodyTimeoutMs': 1000 });
    const { app, apiKey } = await adminApi(lake);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const systemTemporary = () => readdirSync(tmpdir()).filter((name) => name.startsWith('medialake-upload-'));
    const before = systemTemporary();
    try {
      const head = `--b\r\n${FILE_PART}${readFileSync(fixture('jpg/Canon_40D.jpg')).subarray(0, 4000).toString('latin1')}`;
      const stalled = rawExchange(
        base,
        `POST /assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n${head}`,
      );
      const uploads = join(lake.dataDir, 'tmp');
      await waitFor('the upload to be written to the data directory', () => readdirSync(uploads).length === 1);
      expect(systemTemporary()).toEqual(before);
      expect((await stalled).status).toBe(408);
      await waitFor('the failed upload to be removed', () => readdirSync(uploads).length === 0);
    } finally {
      await app.close();
      await lake.close();
    }
  });

  it('opening the lake sweeps what killed processes left half written, and keeps what live ones are writing', async () => {
    const data = temporaryDirectory('medialake-sweep-');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const livePid = process.ppid;
    const uploads = join(data.path, 'tmp');
    const partial = join(data.path, 'objects', '.partial');
    for (const directory of [uploads, partial]) {
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `${deadPid}.0dead0ff.upload`), 'half an upload');
      writeFileSync(join(directory, `${process.pid}.0dead0ff.upload`), 'an earlier process with this pid (a restarted container)');
      writeFileSync(join(directory, `${livePid}.1ive0ff.upload`), 'another live process is writing this');
    }
    const lake = await openLake(loadConfig({ data: data.path, logLevel: 'silent' }, {}));
    try {
      expect(readdirSync(uploads)).toEqual([`${livePid}.1ive0ff.upload`]);
      expect(readdirSync(partial)).toEqual([`${livePid}.1ive0ff.upload`]);
    } finally {
      await lake.close();
      data.remove();
    }
  });
});
