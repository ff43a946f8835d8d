#!/usr/bin/env node
// The CLI runs the TypeScript sources directly: tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
await import('../cli/medialake.ts');
