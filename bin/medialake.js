#!/usr/bin/env -S node --initial-old-space-size=128
// --initial-old-space-size: the lake keeps a small JS heap but moves many
// large buffers (originals, decoded pixels); with V8's default the old
// generation's limit stays near the live heap and a full collection runs
// every few images. A 128 MB starting limit cuts those by four (bench/images.ts).
// The CLI runs the TypeScript sources directly: tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
await import('../cli/medialake.ts');
