/**
 * Every error the library throws on purpose is a `RetroError` with a stable `code`, so callers can branch on
 * `err.code` instead of parsing messages. Subclasses group the codes by where the problem lies.
 */

/** Stable error codes. Add new ones here; never reuse or rename an existing one. */
export type RetroErrorCode =
  // cores and emulator
  | 'CORE_NOT_FOUND'
  | 'CORE_LOAD_FAILED'
  | 'CORE_DESCRIPTOR_INVALID'
  | 'CORE_INVALID'
  | 'CORE_DOWNLOAD_FAILED'
  | 'ROM_NOT_FOUND'
  | 'ROM_INVALID'
  | 'ROM_LOAD_FAILED'
  | 'STATE_INVALID'
  | 'EMULATOR_CLOSED'
  | 'INVALID_ARGUMENT'
  | 'ADDRESS_UNMAPPED'
  // integrations
  | 'GAME_NOT_FOUND'
  | 'ROM_NOT_IMPORTED'
  | 'ROM_SHA_MISMATCH'
  | 'JSON_INVALID'
  | 'SCHEMA_INVALID'
  | 'STATE_NOT_FOUND'
  | 'SCENARIO_INVALID'
  | 'SCRIPT_ERROR'
  | 'SCRIPT_TIMEOUT'
  | 'SCRIPT_MEMORY'
  | 'SCRIPT_UNTRUSTED'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'SYSTEM_UNKNOWN'
  | 'METADATA_INVALID'
  // env
  | 'ENV_CLOSED'
  | 'ENV_NOT_RESET'
  | 'ENV_OWNED'
  | 'INVALID_ACTION'
  | 'WORKER_DIED'
  | 'ENV_CRASHED'
  // tools
  | 'DEPENDENCY_MISSING'
  | 'CHECKPOINT_INVALID'
  | 'ARCHIVE_INVALID'
  | 'ARCHIVE_TOO_LARGE'
  | 'DATA_DIR_INVALID'
  // movies
  | 'MOVIE_INVALID'
  // demonstration data sets
  | 'DATASET_INVALID';

export interface RetroErrorDetails {
  /** File involved, when there is one. */
  file?: string;
  /** JSON pointer or field name involved. */
  field?: string;
  /** Line number in a script. */
  line?: number;
  /** Anything else that helps the user act on the error. */
  [key: string]: unknown;
}

export class RetroError extends Error {
  readonly code: RetroErrorCode;
  readonly details: RetroErrorDetails;

  constructor(code: RetroErrorCode, message: string, details: RetroErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A libretro core could not be found or opened. */
export class CoreError extends RetroError {}
/** A ROM file is missing, unreadable, of the wrong system or truncated. */
export class RomError extends RetroError {}
/** A save state could not be written or restored. */
export class StateError extends RetroError {}
/** A method was called on an emulator or env that was closed, or not reset yet. */
export class LifecycleError extends RetroError {}
/** An argument was out of range or of the wrong shape. */
export class ArgumentError extends RetroError {}
/** An integration folder is missing, malformed or incomplete. */
export class IntegrationError extends RetroError {}
/** A Lua or TypeScript scenario script failed. */
export class ScriptError extends RetroError {}
/** A `.bk2` movie is damaged, or records what this library cannot replay (an unknown system or button). */
export class MovieError extends RetroError {}
/** A demonstration data set (`retro dataset`) is missing a file, damaged, or of an unknown version. */
export class DatasetError extends RetroError {}
