import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { MatchType } from '../api/types';
import { Field } from './Field';
import { roProps, useReadOnly } from './Meta';
import { KeyNameFields } from './KeyNameFields';
import { READ_ONLY_TITLE } from '../lib/meta';
import { validateKey, validateRequired } from '../lib/validation';
import { useUnsavedChangesPrompt } from '../lib/unsaved';

export interface SegmentFormValues {
  key: string;
  name: string;
  description: string;
  matchType: MatchType;
}

interface Props {
  mode: 'create' | 'edit';
  initial: SegmentFormValues;
  onSubmit: (values: SegmentFormValues) => Promise<void>;
}

export function SegmentForm({ mode, initial, onSubmit }: Props) {
  const [v, setV] = useState(initial);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const editing = mode === 'edit';
  const readOnly = useReadOnly();
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const valid = validateRequired(v.name) === null && (editing || validateKey(v.key) === null);
  // Not while saving: a successful create navigates to the new page with the form still dirty.
  useUnsavedChangesPrompt(dirty && !busy && !readOnly);
  return (
    <form
      className="card form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!dirty || !valid || busy || readOnly) return;
        setBusy(true);
        try {
          await onSubmit(v);
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset className="plain" {...roProps(readOnly)}>
      <KeyNameFields
        idPrefix="segment"
        name={v.name}
        keyValue={v.key}
        keyDisabled={editing}
        autoFocus={!editing}
        onName={(name, key) => setV({ ...v, name, key })}
        onKey={(key) => setV({ ...v, key })}
      />
      <fieldset className="field">
        <legend>Match Type</legend>
        {(
          [
            ['ALL_MATCH_TYPE', 'All', 'All constraints must match.'],
            ['ANY_MATCH_TYPE', 'Any', 'At least one constraint must match.'],
          ] as const
        ).map(([value, label, help]) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              name="segment-match"
              id={`segment-match-${value}`}
              checked={v.matchType === value}
              aria-describedby={`segment-match-${value}-help`}
              onChange={() => setV({ ...v, matchType: value })}
            />
            <label htmlFor={`segment-match-${value}`}>{label}</label>
            <span id={`segment-match-${value}-help`} className="hint">
              {help}
            </span>
          </div>
        ))}
      </fieldset>
      <Field id="segment-description" label="Description" optional>
        <input id="segment-description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
      </Field>
      </fieldset>
      <div className="form-footer">
        {dirty && editing && <span className="dirty">Unsaved changes</span>}
        <button type="button" className="btn" onClick={() => navigate(-1)}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={!dirty || !valid || busy || readOnly} title={readOnly ? READ_ONLY_TITLE : undefined}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {editing ? 'Update' : 'Create'}
        </button>
      </div>
    </form>
  );
}
