import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { createLogger, openLake } from '../../app/lake';
import { buildServer } from '../../api/server';
import { temporaryDirectory } from '../support/fixtures';
import { multipartBody } from '../api/http';
import { addTestUser, bearer } from '../support/principals';

describe('the lake’s log at trace level', () => {
  it('never writes a request’s credentials, though a library logs the headers it was given', async () => {
    const directory = temporaryDirectory('medialake-logger-');
    let written = '';
    const sink = new Writable({ write: (chunk, _encoding, done) => void ((written += chunk), done()) });
    const config = loadConfig({ data: directory.path, logLevel: 'trace', 'log.sync': 'normal' }, {});
    const lake = await openLake(config, createLogger(config, sink));
    const app = await buildServer(lake);
    try {
      const apiKey = await addTestUser(lake, 'Ada', 'admin');
      const headers = { ...bearer(apiKey), cookie: 'medialake_media=secret-cookie', 'content-type': 'multipart/form-data; boundary=xyz' };
      const response = await app.inject({ method: 'POST', url: '/assets', headers, payload: multipartBody('xyz', [['notes.txt', 'Shot list for Monday']]) });
      expect(response.statusCode).toBe(201);
      expect(written).toContain('Providing options to busboy'); // the library's line is there, its credentials not
      expect(written).not.toContain(apiKey.slice(12));
      expect(written).not.toContain('secret-cookie');
      expect(written).toContain('[Redacted]');
    } finally {
      await app.close();
      await lake.close();
      directory.remove();
    }
  });
});
