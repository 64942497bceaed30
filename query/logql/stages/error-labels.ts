/** The labels Loki's parsers and stages set on errors, named once for the pipeline's modules. */

/** Loki's `__error__` label name. */
export const ERROR_LABEL = '__error__';
/** Loki's `__error_details__` label name. */
export const ERROR_DETAILS_LABEL = '__error_details__';
