import { Upload, type DetailedError } from 'tus-js-client';
import type { PickedFile } from '../droppedFiles';
import { authorization, signInAgain } from './credential';

/** What the API answers when the last byte of an upload has arrived (api/routes/resumableUploads.ts). */
export interface Uploaded {
  assetId: string;
  status: 'ingested' | 'duplicate';
  name: string;
}

/** Each PATCH carries at most this much: a dropped connection loses at most one chunk in flight, and no request outlives the API's timeout. */
const CHUNK_BYTES = 16 * 1024 * 1024;

/** Tried again after a dropped connection or a server error, after these pauses; then the file reports the error. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000];

function messageOf(error: Error | DetailedError): string {
  const body = 'originalResponse' in error ? error.originalResponse?.getBody() : undefined;
  try {
    return (JSON.parse(body ?? '') as { error: { message: string } }).error.message;
  } catch {
    return 'the connection dropped and did not come back: drop the file again to resume it';
  }
}

/**
 * Sends a file with the tus protocol to /uploads: a file this browser began
 * before (the fingerprint store remembers its upload URL) resumes from what
 * the server holds, and a dropped connection is retried from there. A file
 * from a folder sends its path there (relativePath), which names the asset,
 * and is told from a file of the same name, size and date in another folder
 * (two cards' IMG_0001.JPG) by its fingerprint.
 */
export function uploadResumably({ file, path }: PickedFile, onProgress: (sent: number) => void): Promise<Uploaded> {
  // An empty file would be an asset that fails as EMPTY_FILE: said here instead (tus finishes it on its first request, which this client took for a dropped connection).
  if (file.size === 0) return Promise.reject(new Error('the file is empty: there is nothing to upload'));
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: `${location.origin}/uploads`,
      headers: authorization(),
      metadata: { filename: file.name, filetype: file.type, ...(path !== file.name && { relativePath: path }) },
      fingerprint: async () => ['medialake', path, file.type, file.size, file.lastModified, `${location.origin}/uploads`].join('|'),
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => onProgress(sent),
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        if (status === 401) signInAgain();
        return status === 0 || status === 409 || status === 423 || status >= 500;
      },
      onSuccess: ({ lastResponse }) => resolve(JSON.parse(lastResponse.getBody()) as Uploaded),
      onError: (error) => reject(new Error(messageOf(error))),
    });
    upload
      .findPreviousUploads()
      .then(([previous]) => previous && upload.resumeFromPreviousUpload(previous))
      .finally(() => upload.start());
  });
}
