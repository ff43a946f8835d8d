import { leftAlone } from '../../schemas/notMedia';

/** A file to upload, with where it sat in a dropped folder ("trip/day 1/a.jpg"), or its name. */
export interface PickedFile {
  file: File;
  path: string;
}

/** Whether a file found in a chosen folder ("trip/day 1/a.jpg") is one a folder ingest takes: nothing below the chosen folder left alone. */
export const takenFromFolder = (path: string) => !path.split('/').slice(1).some(leftAlone);

const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** Every entry of a folder: readEntries answers in batches (100 in Chromium) until it answers none. */
async function entriesOf(folder: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = folder.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all;
    all.push(...batch);
  }
}

async function walk(entry: FileSystemEntry): Promise<PickedFile[]> {
  if (entry.isFile) return [{ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\//, '') }];
  const children = (await entriesOf(entry as FileSystemDirectoryEntry)).filter((child) => !leftAlone(child.name));
  return (await Promise.all(children.map(walk))).flat();
}

/**
 * The files of a drop, folders walked to every file in them (but those a
 * folder ingest leaves alone: leftAlone). The entries
 * must be taken while the drop event is being handled (the browser empties
 * the list after), so this is called from the handler and awaited after.
 */
export function droppedFiles(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items].filter((item) => item.kind === 'file').map((item) => item.webkitGetAsEntry());
  if (!entries.length || entries.some((entry) => !entry)) return Promise.resolve([...data.files].map((file) => ({ file, path: file.name })));
  return Promise.all(entries.map((entry) => walk(entry!))).then((lists) => lists.flat());
}
