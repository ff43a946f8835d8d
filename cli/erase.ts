import { Command } from 'commander';
import { eraseSubjects } from '../log/sealedLog';
import { subjectOf } from '../schemas/personal';
import { FlagError } from './flags';
import type { RebuildProgress } from '../projections/lifecycle/catalog';
import type { CliContext } from './context';
import { rebuildWithProgress } from './projections';
import { oneLine } from './table';

interface Erasure {
  /** Per subject: whether a key was destroyed (false: nothing on the log was sealed under that name, or an earlier erase destroyed it). */
  subjects: { subject: string; erased: boolean }[];
  /** Rebuilt from the log after the keys went: they hold "[erased]" where the subjects were. */
  rebuilt: string[];
  /** Kept where the lake cannot rebuild beside the live one: rebuild them with their own tools. */
  notRebuilt: string[];
}

/** A word as a shell takes it back: quoted where it holds anything but plain characters. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The keys are gone but the projections were not rebuilt after: they may still
 * hold the subjects' values in the clear. Running erase again finishes it.
 */
export class ErasureUnfinishedError extends Error {
  readonly code = 'ERASURE_UNFINISHED';
  constructor(
    readonly subjects: string[],
    readonly reason: Error,
  ) {
    const whose = subjects.map((subject) => JSON.stringify(subject)).join(', ');
    super(
      `the ${subjects.length > 1 ? 'keys' : 'key'} of ${whose} ${subjects.length > 1 ? 'are' : 'is'} destroyed, but the erasure is not finished ` +
        `(the projections may still hold ${subjects.length > 1 ? 'their' : 'the'} data): ${oneLine(reason.message)}; ` +
        `run \`medialake erase ${subjects.map(shellWord).join(' ')}\` again`,
    );
  }
}

/** Rebuilds an erase makes at most while values naming the subjects keep being written. */
const ERASE_ROUNDS = 3;

/** One line on stderr per rebuild erase waits for (stdout may be JSON). */
function waitingFor(rebuild: RebuildProgress, keysDestroyed: boolean): void {
  const then = keysDestroyed ? 'the keys are destroyed; erase rebuilds when it ends (stopped, run it again)' : 'no key is destroyed until it ends';
  process.stderr.write(
    `erase: waiting for the rebuild of ${rebuild.projection} running now (generation ${rebuild.generation}, ` +
      `${rebuild.state} ${rebuild.applied}/${rebuild.total} events) to end: ${then}\n`,
  );
}

/** `medialake erase SUBJECT...`: crypto-shredding, then every projection rebuilt without the subjects. */
export function eraseCommand(cli: CliContext): Command {
  return new Command('erase')
    .description(
      "erase people's personal data (actor names, creators, people shown) without rewriting the log: destroy each subject's key, " +
        'then rebuild every projection from the log, where their data now reads "[erased]"; audit verify still passes. ' +
        'Waits for rebuilds already running to end first',
    )
    .argument('<subjects...>', 'names as they appear (case and spacing do not matter: every spelling of the name on the log is erased)')
    .option('--json', 'print the outcome as JSON')
    .action(async (subjects: string[], options: { json?: boolean }) => {
      const blank = subjects.find((subject) => !subjectOf(subject));
      if (blank !== undefined) throw new FlagError('erase', 'the names of people, as they appear', blank);
      const erasure = await cli.existingLake(async (lake): Promise<Erasure> => {
        const projections = await lake.projections.list();
        const rebuildable = projections.filter((p) => p.rebuildable).map((p) => p.name);
        // A rebuild running now read the subjects' values while their keys were there, and would swap them in after
        // ours, or keep ours from starting: wait for it. Before the keys go, so that a long wait can be stopped with nothing done.
        await lake.projections.waitForRebuilds(rebuildable, (rebuild) => waitingFor(rebuild, false));
        if (process.stderr.isTTY) process.stderr.write('erase: reading the log for every spelling of the names\n');
        const erased = await eraseSubjects(lake.log, lake.subjectKeys, subjects);
        const outcome = subjects.map((subject, i) => ({ subject, erased: erased[i]! }));
        try {
          const rebuildAll = async () => {
            // One that started in between read the values before the keys went, just the same.
            await lake.projections.waitForRebuilds(rebuildable, (rebuild) => waitingFor(rebuild, true));
            return rebuildWithProgress(lake, rebuildable);
          };
          // Even where no key is left to destroy: an erase stopped after destroying it (killed, out of memory) left
          // projections that still name the subject, and running it again must finish the job.
          let rebuilt = await rebuildAll();
          // Values written meanwhile (an upload by the person, whose account the rebuilt projections disable; an edit
          // naming them) were sealed under new keys and would read in the clear: destroy those, and rebuild again.
          for (let rounds = 1; (await eraseSubjects(lake.log, lake.subjectKeys, subjects)).some(Boolean); rounds++) {
            if (rounds === ERASE_ROUNDS) throw new Error(`values naming ${subjects.length > 1 ? 'them' : 'the subject'} were still being written after ${ERASE_ROUNDS} rebuilds`);
            rebuilt = await rebuildAll();
          }
          return {
            subjects: outcome,
            rebuilt: rebuilt.map((r) => r.projection),
            notRebuilt: projections.filter((p) => !p.rebuildable).map((p) => p.name),
          };
        } catch (error) {
          throw new ErasureUnfinishedError(subjects, error as Error);
        }
      });
      if (options.json) return cli.print(erasure);
      for (const { subject, erased } of erasure.subjects) {
        process.stdout.write(erased ? `${subject}: key destroyed\n` : `${subject}: no key (nothing on the log names them, or an earlier erase destroyed it)\n`);
      }
      if (erasure.rebuilt.length) process.stdout.write(`rebuilt without them: ${erasure.rebuilt.join(', ')}\n`);
      if (erasure.notRebuilt.length) process.stdout.write(`not rebuilt here (rebuild with their own tools): ${erasure.notRebuilt.join(', ')}\n`);
    });
}
