import { describe, expect, it } from 'vitest';
import type { ComparisonType } from '../api/types';
import {
  OPERATORS,
  defaultOperator,
  isListOperator,
  isValidOperator,
  operatorLabel,
  operatorTakesValue,
  parseListValue,
  serializeListValue,
  validateConstraintValue,
} from './constraints';

const ops = (t: ComparisonType) => OPERATORS[t].map((o) => `${o.label}=${o.value}`);

describe('operator tables (dashboard.md §2.8.1)', () => {
  it('String', () => {
    expect(ops('STRING_COMPARISON_TYPE')).toEqual([
      '===eq', '!==neq', 'IS EMPTY=empty', 'IS NOT EMPTY=notempty', 'HAS PREFIX=prefix', 'HAS SUFFIX=suffix',
      'IS ONE OF=isoneof', 'IS NOT ONE OF=isnotoneof', 'CONTAINS=contains', 'DOES NOT CONTAIN=notcontains',
    ]);
  });
  it('Number', () => {
    expect(ops('NUMBER_COMPARISON_TYPE')).toEqual([
      '===eq', '!==neq', '>=gt', '>==gte', '<=lt', '<==lte', 'IS PRESENT=present', 'IS NOT PRESENT=notpresent',
      'IS ONE OF=isoneof', 'IS NOT ONE OF=isnotoneof',
    ]);
  });
  it('Boolean', () => {
    expect(ops('BOOLEAN_COMPARISON_TYPE')).toEqual(['TRUE=true', 'FALSE=false', 'IS PRESENT=present', 'IS NOT PRESENT=notpresent']);
  });
  it('DateTime', () => {
    expect(ops('DATETIME_COMPARISON_TYPE')).toEqual([
      '===eq', '!==neq', 'IS AFTER=gt', 'IS AFTER OR AT=gte', 'IS BEFORE=lt', 'IS BEFORE OR AT=lte',
      'IS PRESENT=present', 'IS NOT PRESENT=notpresent',
    ]);
  });
  it('Entity', () => {
    expect(ops('ENTITY_ID_COMPARISON_TYPE')).toEqual([
      '===eq', '!==neq', 'IS ONE OF=isoneof', 'IS NOT ONE OF=isnotoneof', 'CONTAINS=contains', 'DOES NOT CONTAIN=notcontains',
    ]);
  });
  it('defaults and lookups', () => {
    expect(defaultOperator('BOOLEAN_COMPARISON_TYPE')).toBe('true');
    expect(defaultOperator('NUMBER_COMPARISON_TYPE')).toBe('eq');
    expect(isValidOperator('BOOLEAN_COMPARISON_TYPE', 'eq')).toBe(false);
    expect(operatorLabel('DATETIME_COMPARISON_TYPE', 'GT')).toBe('IS AFTER');
    expect(operatorLabel('STRING_COMPARISON_TYPE', 'weird')).toBe('weird');
  });
  it('value-less and list operators', () => {
    for (const o of ['true', 'false', 'empty', 'notempty', 'present', 'notpresent']) expect(operatorTakesValue(o)).toBe(false);
    for (const o of ['eq', 'isoneof', 'prefix', 'gt']) expect(operatorTakesValue(o)).toBe(true);
    expect(isListOperator('isnotoneof')).toBe(true);
    expect(isListOperator('eq')).toBe(false);
  });
});

describe('constraint values', () => {
  it('serialises list values by type', () => {
    expect(serializeListValue('STRING_COMPARISON_TYPE', ['a', 'b'])).toBe('["a","b"]');
    expect(serializeListValue('NUMBER_COMPARISON_TYPE', ['1', '2.5'])).toBe('[1,2.5]');
    expect(parseListValue('[1,2]')).toEqual(['1', '2']);
    expect(parseListValue('nope')).toEqual([]);
  });
  it('validates', () => {
    expect(validateConstraintValue('STRING_COMPARISON_TYPE', 'empty', '')).toBeNull();
    expect(validateConstraintValue('STRING_COMPARISON_TYPE', 'eq', '')).toBe('Value is required');
    expect(validateConstraintValue('NUMBER_COMPARISON_TYPE', 'gt', 'abc')).toBe('Must be a number');
    expect(validateConstraintValue('NUMBER_COMPARISON_TYPE', 'gt', '42')).toBeNull();
    expect(validateConstraintValue('DATETIME_COMPARISON_TYPE', 'lt', 'yesterday')).toBe('Value is not a valid datetime');
    expect(validateConstraintValue('DATETIME_COMPARISON_TYPE', 'lt', '2024-01-01T00:00:00Z')).toBeNull();
    expect(validateConstraintValue('STRING_COMPARISON_TYPE', 'isoneof', '[1]')).toBe('Must be valid JSON string array');
    expect(validateConstraintValue('NUMBER_COMPARISON_TYPE', 'isoneof', '["a"]')).toBe('Must be valid JSON number array');
    expect(validateConstraintValue('STRING_COMPARISON_TYPE', 'isoneof', '["a"]')).toBeNull();
    const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => String(i)));
    expect(validateConstraintValue('STRING_COMPARISON_TYPE', 'isoneof', many)).toBe('Too many items (maximum 100)');
  });
});
