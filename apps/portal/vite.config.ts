import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
      },
    }),
  ],
  server: { port: 3000 },
  // Workspace packages are TypeScript source: let Vite compile them for the server build. pg stays an
  // ordinary runtime dependency (bundled, its optional pg-native import breaks the build).
  ssr: { noExternal: [/^@settle\//], external: ['pg'] },
});
