import { describe, expect, it } from 'vitest';
import { ApiError, UNEXPECTED_ERROR, errorMessage, parseErrorBody } from './errors';
import { queryString } from './client';

describe('parseErrorBody', () => {
  it('reads Flipt’s {"code","message","details"} body', () => {
    const err = parseErrorBody(404, '{"code":5,"message":"flag \\"default/foo\\" not found","details":[]}');
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBe(5);
    expect(err.message).toBe('flag "default/foo" not found');
    expect(err.details).toEqual([]);
    expect(err.isNotFound).toBe(true);
  });

  it('keeps validation messages verbatim', () => {
    const err = parseErrorBody(400, '{"code":3,"message":"invalid field key: contains invalid characters","details":[]}');
    expect(err.message).toBe('invalid field key: contains invalid characters');
    expect(err.isNotFound).toBe(false);
  });

  it('detects unauthenticated responses', () => {
    expect(parseErrorBody(401, '{"code":16,"message":"request was not authenticated","details":[]}').isUnauthenticated).toBe(true);
  });

  it.each([
    ['', 'empty body'],
    ['404 page not found\n', 'plain text'],
    ['<html>bad gateway</html>', 'html'],
    ['[1,2]', 'array'],
    ['null', 'null'],
    ['{"code":2}', 'no message'],
    ['{"message":""}', 'empty message'],
  ])('falls back to the generic message for %j (%s)', (body) => {
    const err = parseErrorBody(502, body);
    expect(err.message).toBe(UNEXPECTED_ERROR);
    expect(err.status).toBe(502);
  });

  it('ignores a non-integer code', () => {
    expect(parseErrorBody(500, '{"code":"x","message":"boom"}').code).toBeNull();
  });

  it('errorMessage handles any thrown value', () => {
    expect(errorMessage(new ApiError(400, 'bad', 3))).toBe('bad');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('string')).toBe(UNEXPECTED_ERROR);
  });
});

describe('queryString', () => {
  it('drops empty values', () => {
    expect(queryString({ limit: 20, pageToken: undefined })).toBe('?limit=20');
    expect(queryString({ limit: undefined })).toBe('');
    expect(queryString({ pageToken: 'eyJvZmZzZXQiOjIwfQ==' })).toBe('?pageToken=eyJvZmZzZXQiOjIwfQ%3D%3D');
  });
});
