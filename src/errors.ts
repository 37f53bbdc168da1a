/**
 * Every error tunelab throws on purpose is a TunelabError with a stable `code`, so callers can
 * branch on `err.code` and users read a message that names the field, the value and the fix.
 */
export class TunelabError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option or argument was given a value tunelab cannot use. */
export class InvalidOptionError extends TunelabError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/** A parameter's distribution is malformed (low > high, log with low <= 0, ...). */
export class InvalidDistributionError extends TunelabError {
  readonly param: string;
  constructor(param: string, message: string) {
    super('INVALID_DISTRIBUTION', `parameter '${param}': ${message}`);
    this.param = param;
  }
}

/** The same parameter name was suggested again with a different distribution. */
export class DistributionConflictError extends TunelabError {
  readonly param: string;
  constructor(param: string, message: string) {
    super('DISTRIBUTION_CONFLICT', `parameter '${param}': ${message}`);
    this.param = param;
  }
}

export class StudyNotFoundError extends TunelabError {
  readonly study: string;
  constructor(study: string, where: string) {
    super('STUDY_NOT_FOUND', `no study named '${study}' in ${where}; create it with createStudy({ name: '${study}' }) or pass loadIfExists: true`);
    this.study = study;
  }
}

export class StudyExistsError extends TunelabError {
  readonly study: string;
  constructor(study: string, where: string) {
    super('STUDY_EXISTS', `a study named '${study}' already exists in ${where}; pass loadIfExists: true to resume it, or choose another name`);
    this.study = study;
  }
}

export class TrialNotFoundError extends TunelabError {
  constructor(what: string) {
    super('TRIAL_NOT_FOUND', `no trial ${what}`);
  }
}

/** A finished trial (COMPLETE, PRUNED or FAIL) cannot change state or values again. */
export class TrialFinishedError extends TunelabError {
  readonly trialNumber: number;
  constructor(trialNumber: number, state: string, attempted: string) {
    super('TRIAL_FINISHED', `trial ${trialNumber} is already ${state}; it cannot ${attempted}`);
    this.trialNumber = trialNumber;
  }
}

/**
 * Thrown by an objective (usually after `trial.shouldPrune()` said yes) to stop the trial early.
 * The trial is stored as PRUNED with its last reported intermediate value.
 */
export class TrialPruned extends TunelabError {
  constructor(message = 'trial was pruned') {
    super('TRIAL_PRUNED', message);
  }
}

/** A query such as `bestTrial` has nothing to answer from. */
export class NoCompletedTrialsError extends TunelabError {
  /** `allInfeasible`: there are COMPLETE trials, but each breaks a constraint of the sampler's constraintsFunc. */
  constructor(study: string, what: string, allInfeasible = false) {
    super(
      'NO_COMPLETED_TRIALS',
      allInfeasible
        ? `study '${study}' has COMPLETE trials but none satisfies its constraints (every one has a constraint value > 0), so it has no ${what}; run more trials or loosen constraintsFunc`
        : `study '${study}' has no COMPLETE trial yet, so it has no ${what}; run study.optimize(...) first`,
    );
  }
}

/** A single-objective query was used on a study with several directions (or the reverse). */
export class DirectionsError extends TunelabError {
  constructor(message: string) {
    super('DIRECTIONS', message);
  }
}

/** Stored data could not be read or written as expected. */
export class StorageError extends TunelabError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE', message, options);
  }
}

/** A LevelDB directory is open in another process (LevelDB allows one process at a time). */
export class StorageLockedError extends TunelabError {
  readonly directory: string;
  constructor(directory: string, options?: { cause?: unknown }) {
    super(
      'STORAGE_LOCKED',
      `the LevelDB storage at '${directory}' is held by another process (LevelDB opens in one process at a time); close the other notebook kernel or process, use another directory (storage: 'level:<dir>'), or use PostgreSQL to share a study between processes`,
      options,
    );
    this.directory = directory;
  }
}

/**
 * A journal file (an Optuna JournalStorage log or a tunelab backup) has a line that cannot be
 * read. Everything before that line was already applied; `imported` names the studies written.
 */
export class JournalFormatError extends TunelabError {
  readonly file: string;
  readonly line: number;
  readonly imported: readonly string[];
  constructor(file: string, line: number, problem: string, imported: readonly string[], options?: { cause?: unknown }) {
    super(
      'JOURNAL_FORMAT',
      `${file}, line ${line}: ${problem}; the ${line - 1} line(s) before it were loaded${imported.length > 0 ? ` (studies: ${imported.join(', ')})` : ''}. Restore from an older backup, or cut the file before line ${line} to keep what precedes it`,
      options,
    );
    this.file = file;
    this.line = line;
    this.imported = imported;
  }
}

/** A CSV line that does not fit the file's columns or types (wrong field count, text in a numeric column). */
export class CsvParseError extends TunelabError {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** The column whose value is bad (absent when the line as a whole is: a wrong field count). */
  readonly column: string | undefined;
  /** That column's field number in the line, from 1. */
  readonly field: number | undefined;
  constructor(file: string, line: number, text: string, reason: string, at?: { readonly column: string; readonly field: number }) {
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    super('CSV_PARSE', `${file}:${line}: ${reason}\n  line ${line}: ${JSON.stringify(shown)}\n  pass onBadRow: 'skip' to count and skip such lines, or fix the file`);
    this.file = file;
    this.line = line;
    this.text = text;
    this.column = at?.column;
    this.field = at?.field;
  }
}

/** A data file that does not exist (or cannot be read). */
export class DataFileNotFoundError extends TunelabError {
  readonly file: string;
  constructor(file: string, nearby: readonly string[]) {
    const hint = nearby.length > 0 ? `; files there: ${nearby.join(', ')}` : '';
    super('DATA_FILE_NOT_FOUND', `no such data file: '${file}'${hint}`);
    this.file = file;
  }
}

/** A data file that exists but cannot be read as what its name says (a truncated or corrupt .gz). */
export class DataFileCorruptError extends TunelabError {
  readonly file: string;
  constructor(file: string, detail: string) {
    super('DATA_FILE_CORRUPT', `data file '${file}' ${detail}; re-download or re-compress it`);
    this.file = file;
  }
}

/** A column named in options that the data does not have. */
export class ColumnNotFoundError extends TunelabError {
  readonly column: string;
  readonly available: readonly string[];
  constructor(column: string, available: readonly string[], where: string) {
    super('COLUMN_NOT_FOUND', `no column '${column}' in ${where}; columns are: ${available.map((c) => `'${c}'`).join(', ')}`);
    this.column = column;
    this.available = available;
  }
}

/** Data that is well-formed but cannot be processed as asked (e.g. timestamps out of order for resample). */
export class DataOrderError extends TunelabError {
  constructor(message: string) {
    super('DATA_ORDER', message);
  }
}

/** A PostgreSQL statement failed; `sqlState` is the server's error code (e.g. '23505' for a unique violation). */
export class PostgresQueryError extends StorageError {
  readonly sqlState: string | undefined;
  constructor(message: string, sqlState: string | undefined) {
    super(message);
    this.sqlState = sqlState;
  }
}

/**
 * An objective shipped to a worker uses a variable defined outside itself: only the function's
 * source travels, so the value would not exist there.
 */
export class ObjectiveScopeError extends TunelabError {
  readonly variables: readonly string[];
  constructor(variables: readonly string[], detail = '') {
    const names = variables.map((v) => `'${v}'`).join(', ');
    const first = variables[0] ?? 'value';
    super(
      'OBJECTIVE_SCOPE',
      `the objective uses ${names}, defined outside the function${detail}; in a worker only the function's own source exists. ` +
        `Pass values through optimize(objective, { context: { ${variables.join(', ')} } }) and read ctx.context.${first}, ` +
        `or put the objective in a module (its default export) and pass the module's path`,
    );
    this.variables = variables;
  }
}

/**
 * `maxConsecutiveFailures` trials in a row failed: an objective with a bug would otherwise fail
 * every trial for ever (totalTrials counts no FAIL trial). Carries the last reason and the first
 * failure's stack, the one to read first.
 */
export class ConsecutiveFailuresError extends TunelabError {
  readonly count: number;
  readonly lastReason: string;
  readonly firstStack: string | undefined;
  constructor(count: number, lastReason: string, firstStack: string | undefined) {
    super(
      'CONSECUTIVE_FAILURES',
      `optimize(): ${count} trials failed in a row (maxConsecutiveFailures = ${count}), so the run stopped; the last failed with: ${lastReason}. ` +
        'Fix the objective, or raise maxConsecutiveFailures (Infinity turns the check off)' +
        (firstStack ? `.\nThe first of them failed at:\n${firstStack}` : ''),
    );
    this.count = count;
    this.lastReason = lastReason;
    this.firstStack = firstStack;
  }
}
