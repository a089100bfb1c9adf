import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The embeddable widget: one self-contained, minified IIFE at dist/widget/widget.js (no runtime
// dependencies; the contracts it imports are types only). bench/widget-size.ts keeps it under 30 KB gzip.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../../dist/widget', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('./main.ts', import.meta.url)),
      name: 'MiranteWebchat',
      formats: ['iife'],
      fileName: () => 'widget.js',
    },
  },
});
