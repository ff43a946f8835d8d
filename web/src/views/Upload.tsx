import { useState, type ChangeEvent, type DragEvent } from 'react';
import { Link } from 'react-router';
import { uploadResumably } from '../api/resumableUpload';
import { droppedFiles, takenFromFolder, type PickedFile } from '../droppedFiles';
import { useMay } from '../api/me';
import { MayNot } from '../components/MayNot';
import { ViewHeading } from '../components/ViewHeading';

interface FileUpload {
  key: string;
  /** Where it sat in a dropped folder, or its name. */
  path: string;
  size: number;
  sent: number;
  outcome?: { assetId: string; status: 'ingested' | 'duplicate' } | { error: string };
}

/** Chosen files, with their path in a chosen folder where there is one (and then only those a folder ingest takes). */
const picked = (files: FileList | null): PickedFile[] =>
  [...(files ?? [])].map((file) => ({ file, path: file.webkitRelativePath || file.name })).filter(({ path }) => takenFromFolder(path));

/** What the uploads came to, once all are over: said by the view's live region (each bar's progress would be too much to hear). */
export function uploadsOutcome(uploads: Pick<FileUpload, 'outcome'>[]): string {
  if (!uploads.length || uploads.some((upload) => !upload.outcome)) return '';
  const count = (test: (outcome: NonNullable<FileUpload['outcome']>) => boolean) => uploads.filter((upload) => test(upload.outcome!)).length;
  const files = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;
  const parts = [
    `${count((outcome) => 'status' in outcome && outcome.status === 'ingested')} ingested`,
    `${count((outcome) => 'status' in outcome && outcome.status === 'duplicate')} already in the lake`,
    `${count((outcome) => 'error' in outcome)} failed`,
  ];
  return `${files(uploads.length)}: ${parts.join(', ')}.`;
}

/** Files sent at once: enough to keep the connection busy, few enough that each shows progress. */
const CONCURRENT = 3;

/**
 * Drop or choose many files, or folders: each file gets its own progress
 * bar, resumes after a dropped connection (tus, web/src/api/resumableUpload.ts),
 * and is reported as a new asset or as a duplicate of one.
 */
export function Upload() {
  const [uploads, setUploads] = useState<FileUpload[]>([]);
  const [over, setOver] = useState(false);

  const update = (key: string, change: Partial<FileUpload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const start = async (files: PickedFile[]) => {
    const batch = files.map(({ file, path }, index) => ({ file, upload: { key: `${Date.now()}-${index}-${path}`, path, size: file.size, sent: 0 } }));
    setUploads((current) => [...batch.map(({ upload }) => upload), ...current]);
    const queue = [...batch];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { file, upload } = next;
        try {
          const answer = await uploadResumably({ file, path: upload.path }, (sent) => update(upload.key, { sent }));
          update(upload.key, { sent: file.size, outcome: { assetId: answer.assetId, status: answer.status } });
        } catch (error) {
          update(upload.key, { outcome: { error: (error as Error).message } });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT }, worker));
  };

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    void start(picked(event.target.files));
    // Else choosing the same files again (after a failed upload) changes nothing, and the browser says nothing.
    event.target.value = '';
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void droppedFiles(event.dataTransfer).then(start);
  };

  const mayNot = useMay('upload') === false;
  if (mayNot) return <MayNot title="Upload">Your role does not upload to this library: ask an admin for an editor&apos;s role.</MayNot>;
  return (
    <section className="view upload" aria-label="Upload">
      <ViewHeading title="Upload" />
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(event) => (event.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>Drop files or folders here, or</p>
        <label className="button">
          choose files
          <input type="file" multiple className="visually-hidden" onChange={choose} />
        </label>{' '}
        <label className="button">
          choose a folder
          {/* webkitdirectory: every file under the chosen folder, each with its path in it (React has no type for the attribute). */}
          <input type="file" multiple className="visually-hidden" {...{ webkitdirectory: '' }} onChange={choose} />
        </label>
      </div>
      <p role="status" data-testid="uploads-outcome">
        {uploadsOutcome(uploads)}
      </p>
      <ul className="uploads" data-testid="uploads">
        {uploads.map((upload) => (
          <li key={upload.key} data-name={upload.path}>
            <span className="name">{upload.path}</span>
            <progress max={upload.size || 1} value={upload.sent} aria-label={`${upload.path} sent`} />
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
