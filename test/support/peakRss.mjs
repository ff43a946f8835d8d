// Preloaded into a child process (node --import): it says its own peak
// resident set size (getrusage's maxrss, in KiB) on stderr as it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(2, `\npeak-rss-kib ${process.resourceUsage().maxRSS}\n`));
