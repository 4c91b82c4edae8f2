import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The pages: two single-page apps built into dist/web and served by the service beside /api
 * (src/http/web-pages.ts, history fallback):
 * - `index.html`: the staff workbench (Vue 3, Element Plus, ECharts), every path but /m;
 * - `m/index.html`: the enterprise's phone pages (Vant 4) under /m.
 * `npm run dev:web` serves them with hot reload and sends /api to a service on port 3000.
 */
/**
 * The pages load nothing from outside the service (a bureau's network may reach no CDN, and the
 * Content-Security-Policy allows only the service's own fonts): Vant's icon font names a CDN copy
 * after its embedded one; that reference is taken out of the CSS.
 */
function noExternalFonts(): Plugin {
  const cdnFont = /,\s*url\(["']?(https?:)?\/\/at\.alicdn\.com[^)]*\)\s*format\(["']?woff["']?\)/g;
  return {
    name: 'no-external-fonts',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === 'asset' && file.fileName.endsWith('.css') && typeof file.source === 'string')
          file.source = file.source.replace(cdnFont, '');
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), noExternalFonts()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { workbench: `${root}index.html`, mobile: `${root}m/index.html` },
    },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' },
  },
});
