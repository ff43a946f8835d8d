import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE = '6f1b1c2e-8a4d-4b7e-9a51-3d1f0c6e2b90';

/**
 * Deterministic event ids (law 4): the same cause, processor and step always
 * give the same id, so a redelivered event appends nothing new.
 */
export function derivedEventId(...parts: (string | number)[]): string {
  return uuidv5(parts.join('\u0000'), NAMESPACE);
}

/** Content-addressed asset id: the same bytes are the same asset. */
export function assetIdForContent(sha256: string): string {
  return `a${sha256.slice(0, 32)}`;
}

/**
 * The asset id of an S3 object: its bucket and key name it, whatever bytes it
 * holds, so a delete notification names the asset it ends and an overwrite
 * is a new version of the same asset.
 */
export function assetIdForS3Object(bucket: string, key: string): string {
  return `s${sha256Hex(`${bucket}/${key}`).slice(0, 32)}`;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
