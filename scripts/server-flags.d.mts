/** The flags for a Node.js process that runs the server with `env` (server-flags.mjs). */
export function serverNodeFlags(env?: NodeJS.ProcessEnv | Record<string, string | undefined>, execArgv?: string[]): string[];
