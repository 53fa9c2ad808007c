// The result console's host: the VS Code class and the data-source contract it needs.
export { ResultConsole, RESULT_CONSOLE_VIEW_TYPE, type ResultConsoleOptions } from './result-console.js';
export type { ConsoleDataSource, ConsoleHistoryQuery } from './data-source.js';
