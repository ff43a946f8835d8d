import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * `npx vite build web` writes web/dist, which `medialake serve` serves at /
 * (api/webApp.ts). The hashed bundles go under /static/: /assets is the API's.
 * `npx vite web` serves the sources with the API of a local `serve` behind it.
 */
const API = 'http://127.0.0.1:8080';
const API_PATHS = ['/assets', '/search', '/status', '/live', '/projections', '/audit', '/duplicates', '/cameras', '/pipelines', '/openapi.json', '/auth', '/media-credential', '/me', '/users', '/keys', '/uploads', '/collections', '/favourites', '/dead-letters'];

export default defineConfig({
  plugins: [react()],
  // The manifest (dist/.vite/manifest.json, not served) says which chunks each route loads: test/web/bundleBudget.test.ts reads it.
  build: { outDir: 'dist', assetsDir: 'static', emptyOutDir: true, manifest: true },
  server: { proxy: Object.fromEntries(API_PATHS.map((path) => [path, API])) },
});
