import type { ComparisonType } from '../api/types';

export interface OperatorOption {
  /** Wire value (lower case). */
  value: string;
  /** Label shown in the UI. */
  label: string;
}

export const COMPARISON_TYPES: { value: ComparisonType; label: string }[] = [
  { value: 'STRING_COMPARISON_TYPE', label: 'String' },
  { value: 'NUMBER_COMPARISON_TYPE', label: 'Number' },
  { value: 'BOOLEAN_COMPARISON_TYPE', label: 'Boolean' },
  { value: 'DATETIME_COMPARISON_TYPE', label: 'DateTime' },
  { value: 'ENTITY_ID_COMPARISON_TYPE', label: 'Entity' },
];

const op = (value: string, label: string): OperatorOption => ({ value, label });

/** Operators per comparison type, in display order (dashboard.md §2.8.1). */
export const OPERATORS: Record<ComparisonType, OperatorOption[]> = {
  STRING_COMPARISON_TYPE: [
    op('eq', '=='),
    op('neq', '!='),
    op('empty', 'IS EMPTY'),
    op('notempty', 'IS NOT EMPTY'),
    op('prefix', 'HAS PREFIX'),
    op('suffix', 'HAS SUFFIX'),
    op('isoneof', 'IS ONE OF'),
    op('isnotoneof', 'IS NOT ONE OF'),
    op('contains', 'CONTAINS'),
    op('notcontains', 'DOES NOT CONTAIN'),
  ],
  NUMBER_COMPARISON_TYPE: [
    op('eq', '=='),
    op('neq', '!='),
    op('gt', '>'),
    op('gte', '>='),
    op('lt', '<'),
    op('lte', '<='),
    op('present', 'IS PRESENT'),
    op('notpresent', 'IS NOT PRESENT'),
    op('isoneof', 'IS ONE OF'),
    op('isnotoneof', 'IS NOT ONE OF'),
  ],
  BOOLEAN_COMPARISON_TYPE: [
    op('true', 'TRUE'),
    op('false', 'FALSE'),
    op('present', 'IS PRESENT'),
    op('notpresent', 'IS NOT PRESENT'),
  ],
  DATETIME_COMPARISON_TYPE: [
    op('eq', '=='),
    op('neq', '!='),
    op('gt', 'IS AFTER'),
    op('gte', 'IS AFTER OR AT'),
    op('lt', 'IS BEFORE'),
    op('lte', 'IS BEFORE OR AT'),
    op('present', 'IS PRESENT'),
    op('notpresent', 'IS NOT PRESENT'),
  ],
  ENTITY_ID_COMPARISON_TYPE: [
    op('eq', '=='),
    op('neq', '!='),
    op('isoneof', 'IS ONE OF'),
    op('isnotoneof', 'IS NOT ONE OF'),
    op('contains', 'CONTAINS'),
    op('notcontains', 'DOES NOT CONTAIN'),
  ],
};

const NO_VALUE = new Set(['true', 'false', 'empty', 'notempty', 'present', 'notpresent']);
const LIST_OPS = new Set(['isoneof', 'isnotoneof']);
export const MAX_LIST_ITEMS = 100;

export function typeLabel(t: ComparisonType | string): string {
  return COMPARISON_TYPES.find((c) => c.value === t)?.label ?? t;
}

export function operatorLabel(t: ComparisonType | string, operator: string): string {
  const ops = OPERATORS[t as ComparisonType] ?? [];
  return ops.find((o) => o.value === operator.toLowerCase())?.label ?? operator;
}

/** The operator a form resets to when the type changes. */
export function defaultOperator(t: ComparisonType): string {
  return t === 'BOOLEAN_COMPARISON_TYPE' ? 'true' : 'eq';
}

export function operatorTakesValue(operator: string): boolean {
  return !NO_VALUE.has(operator.toLowerCase());
}

export function isListOperator(operator: string): boolean {
  return LIST_OPS.has(operator.toLowerCase());
}

export function isValidOperator(t: ComparisonType, operator: string): boolean {
  return OPERATORS[t].some((o) => o.value === operator);
}

/** Parses a stored list value (JSON array string); returns [] for anything else. */
export function parseListValue(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map((v) => String(v)) : [];
  } catch {
    return [];
  }
}

/** Serialises list values as the server expects: JSON string array, or number array for Number. */
export function serializeListValue(t: ComparisonType, values: string[]): string {
  if (t === 'NUMBER_COMPARISON_TYPE') return JSON.stringify(values.map((v) => Number(v)));
  return JSON.stringify(values);
}

/** Validates the value of a constraint form; returns the message or null. */
export function validateConstraintValue(t: ComparisonType, operator: string, value: string): string | null {
  if (!operatorTakesValue(operator)) return null;
  if (isListOperator(operator)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = null;
    }
    const isNumber = t === 'NUMBER_COMPARISON_TYPE';
    const ok =
      Array.isArray(parsed) &&
      parsed.every((v) => (isNumber ? typeof v === 'number' && Number.isFinite(v) : typeof v === 'string'));
    if (!ok) return isNumber ? 'Must be valid JSON number array' : 'Must be valid JSON string array';
    if ((parsed as unknown[]).length === 0) return 'Value is required';
    if ((parsed as unknown[]).length > MAX_LIST_ITEMS) return `Too many items (maximum ${MAX_LIST_ITEMS})`;
    return null;
  }
  if (value.trim() === '') return 'Value is required';
  if (t === 'NUMBER_COMPARISON_TYPE' && !Number.isFinite(Number(value))) return 'Must be a number';
  if (t === 'DATETIME_COMPARISON_TYPE' && Number.isNaN(Date.parse(value))) return 'Value is not a valid datetime';
  return null;
}
