// Kept in step with package.json by a test, so the CLI, SARIF and the server report the shipped version.
export const VERSION = '0.1.0';
