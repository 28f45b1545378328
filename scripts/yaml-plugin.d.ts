import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Plugin as VitePlugin } from 'vite';

export function yamlTemplates(): VitePlugin;
export const yamlEsbuild: EsbuildPlugin;
