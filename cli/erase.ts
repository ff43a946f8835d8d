import { Command } from 'commander';
import { eraseSubject } from '../log/sealedLog';
import type { CliContext } from './context';
import { rebuildWithProgress } from './projections';

interface Erasure {
  /** Per subject: whether a key was destroyed (false: nothing on the log was sealed under that name, or an earlier erase destroyed it). */
  subjects: { subject: string; erased: boolean }[];
  /** Rebuilt from the log after the keys went: they hold "[erased]" where the subjects were. */
  rebuilt: string[];
  /** Kept where the lake cannot rebuild beside the live one: rebuild them with their own tools. */
  notRebuilt: string[];
}

/** `medialake erase SUBJECT...`: crypto-shredding, then every projection rebuilt without the subjects. */
export function eraseCommand(cli: CliContext): Command {
  return new Command('erase')
    .description(
      "erase people's personal data (actor names, creators, people shown) without rewriting the log: destroy each subject's key, " +
        'then rebuild every projection from the log, where their data now reads "[erased]"; audit verify still passes',
    )
    .argument('<subjects...>', 'names as they appear (case and spacing do not matter)')
    .option('--json', 'print the outcome as JSON')
    .action(async (subjects: string[], options: { json?: boolean }) => {
      const erasure = await cli.existingLake(async (lake): Promise<Erasure> => {
        const outcome = [];
        for (const subject of subjects) outcome.push({ subject, erased: await eraseSubject(lake.subjectKeys, subject) });
        const projections = await lake.projections.list();
        const rebuildable = projections.filter((p) => p.rebuildable).map((p) => p.name);
        // Even where no key is left to destroy: an erase stopped after destroying it (killed, out of memory) left projections that still name the subject, and running it again must finish the job.
        const rebuilt = await rebuildWithProgress(lake, rebuildable);
        return {
          subjects: outcome,
          rebuilt: rebuilt.map((r) => r.projection),
          notRebuilt: projections.filter((p) => !p.rebuildable).map((p) => p.name),
        };
      });
      if (options.json) return cli.print(erasure);
      for (const { subject, erased } of erasure.subjects) {
        process.stdout.write(erased ? `${subject}: key destroyed\n` : `${subject}: no key (nothing on the log names them, or an earlier erase destroyed it)\n`);
      }
      if (erasure.rebuilt.length) process.stdout.write(`rebuilt without them: ${erasure.rebuilt.join(', ')}\n`);
      if (erasure.notRebuilt.length) process.stdout.write(`not rebuilt here (rebuild with their own tools): ${erasure.notRebuilt.join(', ')}\n`);
    });
}
