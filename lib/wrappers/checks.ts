/** Argument checks shared by the wrappers. */
import { ArgumentError } from '../errors.ts';

export function checkPositiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ArgumentError('INVALID_ARGUMENT', `${field} must be a positive integer, got ${String(value)}`, { field });
  }
  return value;
}

export function checkNonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ArgumentError('INVALID_ARGUMENT', `${field} must be a non-negative integer, got ${String(value)}`, { field });
  }
  return value;
}

export function checkProbability(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ArgumentError('INVALID_ARGUMENT', `${field} must be a number in [0, 1], got ${String(value)}`, { field });
  }
  return value;
}
