import { useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { authorization, signInAgain } from '../api/credential';
import type { paths } from '../api/schema';

type UploadAnswer = paths['/assets']['post']['responses']['201']['content']['application/json'];

interface FileUpload {
  key: string;
  name: string;
  size: number;
  sent: number;
  outcome?: { assetId: string; status: 'ingested' | 'duplicate' } | { error: string };
}

/** Files sent at once: enough to keep the connection busy, few enough that each shows progress. */
const CONCURRENT = 3;

/**
 * One file, one POST /assets, by XMLHttpRequest: fetch cannot tell how much
 * of a body has gone out, which is the progress a person waits on.
 */
function send(file: File, onProgress: (sent: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/assets');
    for (const [name, value] of Object.entries(authorization())) request.setRequestHeader(name, value);
    request.responseType = 'json';
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onload = () => {
      if (request.status === 401) signInAgain();
      if (request.status === 201) resolve(request.response as UploadAnswer);
      else reject(new Error(request.response?.error?.message ?? `the upload was refused (${request.status})`));
    };
    request.onerror = () => reject(new Error('the connection dropped: try this file again'));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** Drop or choose many files: each gets its own progress bar, and is reported as a new asset or as a duplicate of one. */
export function Upload() {
  const [uploads, setUploads] = useState<FileUpload[]>([]);
  const [over, setOver] = useState(false);

  const update = (key: string, change: Partial<FileUpload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const start = async (files: File[]) => {
    const batch = files.map((file, index) => ({ file, upload: { key: `${Date.now()}-${index}-${file.name}`, name: file.name, size: file.size, sent: 0 } }));
    setUploads((current) => [...batch.map(({ upload }) => upload), ...current]);
    const queue = [...batch];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { file, upload } = next;
        try {
          const answer = await send(file, (sent) => update(upload.key, { sent }));
          update(upload.key, { sent: file.size, outcome: { assetId: answer.assetId, status: answer.status } });
        } catch (error) {
          update(upload.key, { outcome: { error: (error as Error).message } });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT }, worker));
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void start([...event.dataTransfer.files]);
  };

  return (
    <section className="view upload" aria-label="Upload">
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(event) => (event.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>Drop files here, or</p>
        <label className="button">
          choose files
          <input type="file" multiple className="visually-hidden" onChange={(event) => void start([...(event.target.files ?? [])])} />
        </label>
      </div>
      <ul className="uploads" data-testid="uploads">
        {uploads.map((upload) => (
          <li key={upload.key} data-name={upload.name}>
            <span className="name">{upload.name}</span>
            <progress max={upload.size || 1} value={upload.sent} aria-label={`${upload.name} sent`} />
            {upload.outcome && 'error' in upload.outcome && <span role="alert">{upload.outcome.error}</span>}
            {upload.outcome && 'assetId' in upload.outcome && (
              <Link to={`/asset/${upload.outcome.assetId}`} className={`outcome ${upload.outcome.status}`} data-outcome={upload.outcome.status}>
                {upload.outcome.status === 'duplicate' ? 'duplicate of an asset already in the lake' : 'ingested'}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
