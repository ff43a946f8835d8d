import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walkFiles } from '../../storage/walk';
import { temporaryDirectory } from '../support/fixtures';

describe('walking a folder', () => {
  it('takes a link to a file as the file; a link to a folder (here, back up the tree) and one to nothing are reported, not followed', async () => {
    const folder = temporaryDirectory('medialake-walk-links-');
    writeFileSync(join(folder.path, 'a.txt'), 'a');
    mkdirSync(join(folder.path, 'inner'));
    copyFileSync(join(folder.path, 'a.txt'), join(folder.path, 'inner', 'b.txt'));
    symlinkSync(join(folder.path, 'a.txt'), join(folder.path, 'inner', 'link.txt'));
    symlinkSync('..', join(folder.path, 'inner', 'up'));
    symlinkSync(join(folder.path, 'gone.txt'), join(folder.path, 'dangling.txt'));
    const unwalked: string[] = [];
    const files: string[] = [];
    for await (const path of walkFiles(folder.path, () => false, (path, error) => unwalked.push(`${path}: ${error.message}`))) files.push(path);
    expect(files.sort()).toEqual(['a.txt', 'inner/b.txt', 'inner/link.txt'].map((name) => join(folder.path, name)));
    expect(unwalked.sort()).toEqual([
      `${join(folder.path, 'dangling.txt')}: a link to ${join(folder.path, 'gone.txt')}, which is not there`,
      `${join(folder.path, 'inner', 'up')}: a link to a folder is not followed: name the folder itself`,
    ]);
    folder.remove();
  });

  it('reports a file whose name is not UTF-8 (an old Latin-1 archive) as one to rename, and goes on with the rest', async () => {
    const folder = temporaryDirectory('medialake-walk-latin1-');
    writeFileSync(Buffer.concat([Buffer.from(`${folder.path}/caf`), Buffer.from([0xe9]), Buffer.from('.jpg')]), 'latin-1');
    writeFileSync(join(folder.path, 'plain.jpg'), 'utf-8');
    const unwalked: string[] = [];
    const files: string[] = [];
    for await (const path of walkFiles(folder.path, () => false, (path, error) => unwalked.push(`${path}: ${error.message}`))) files.push(path);
    expect(files).toEqual([join(folder.path, 'plain.jpg')]);
    expect(unwalked).toEqual([expect.stringMatching(/caf\uFFFD\.jpg: its name is not UTF-8 text .*rename it/)]);
    folder.remove();
  });

  it('reports a folder it cannot open and goes on with the rest', async () => {
    const folder = temporaryDirectory('medialake-walk-gone-');
    for (const name of ['one', 'two']) {
      mkdirSync(join(folder.path, name));
      writeFileSync(join(folder.path, name, `${name}.txt`), name);
    }
    const unwalked: string[] = [];
    const files: string[] = [];
    // Whichever folder the walk opens first, the other is removed before it gets there (as a folder it may not read fails).
    for await (const path of walkFiles(folder.path, () => false, (path, error) => unwalked.push(`${path}: ${(error as NodeJS.ErrnoException).code}`))) {
      if (!files.length) rmSync(join(folder.path, path.includes('one') ? 'two' : 'one'), { recursive: true });
      files.push(path);
    }
    expect(files).toHaveLength(1);
    const other = files[0]!.includes('one') ? 'two' : 'one';
    expect(unwalked).toEqual([`${join(folder.path, other)}: ENOENT`]);
    folder.remove();
  });
});
