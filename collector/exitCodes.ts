// The collector process's exit codes: the contract between the process and whoever starts it
// (the extension's supervisor, scripts). No imports, so the extension can read it cheaply.
export const EXIT_OK = 0;
/** Anything unexpected: the supervisor restarts (with backoff). */
export const EXIT_FAILED = 1;
/** A setting is wrong (named in the message): restarting cannot help. */
export const EXIT_CONFIG = 2;
/** The HTTP port is held by something that is not our collector for this storage. */
export const EXIT_PORT_CONFLICT = 3;
/** The storage folder cannot be created, written or read: restarting will not help. */
export const EXIT_STORAGE = 4;
