// The embedding worker's entry: worker threads start without the parent's
// TypeScript loader, so register tsx here (as bin/medialake.js does) first.
import { register } from 'tsx/esm/api';

register();
await import('./clipWorker.ts');
