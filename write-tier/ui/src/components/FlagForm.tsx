import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { FlagType } from '../api/types';
import { Field } from './Field';
import { roProps, useReadOnly } from './Meta';
import { KeyNameFields } from './KeyNameFields';
import { READ_ONLY_TITLE } from '../lib/meta';
import { validateKey, validateRequired } from '../lib/validation';
import { useUnsavedChangesPrompt } from '../lib/unsaved';
import { initialMetadataState, metadataOf, sameMetadata, type Metadata, type MetadataState } from '../lib/metadata';
import { MetadataEditor } from './MetadataEditor';

export interface FlagFormValues {
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: FlagType;
  /** The flag's metadata object (`{}` when none); sent in full on update, so `{}` clears it. */
  metadata: Metadata;
}

type BasicValues = Omit<FlagFormValues, 'metadata'>;

interface Props {
  mode: 'create' | 'edit';
  initial: FlagFormValues;
  onSubmit: (values: FlagFormValues) => Promise<void>;
}

const same = (a: BasicValues, b: BasicValues) =>
  a.key === b.key && a.name === b.name && a.description === b.description && a.enabled === b.enabled && a.type === b.type;

export function FlagForm({ mode, initial, onSubmit }: Props) {
  const [v, setV] = useState<BasicValues>(initial);
  const [meta, setMeta] = useState<MetadataState>(() => initialMetadataState(initial.metadata));
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const editing = mode === 'edit';
  const readOnly = useReadOnly();
  const metadata = metadataOf(meta);
  // Invalid metadata means the user changed something (stored metadata always parses).
  const metaDirty = metadata === null || !sameMetadata(metadata, initial.metadata);
  const dirty = !same(v, initial) || metaDirty;
  const valid = validateRequired(v.name) === null && (editing || validateKey(v.key) === null) && metadata !== null;
  const isBoolean = v.type === 'BOOLEAN_FLAG_TYPE';
  // Not while saving: a successful create navigates to the new page with the form still dirty.
  useUnsavedChangesPrompt(dirty && !busy && !readOnly);

  return (
    <form
      className="card form"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        if (!dirty || !valid || busy || readOnly || metadata === null) return;
        setBusy(true);
        try {
          await onSubmit({ ...v, metadata });
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset className="plain" {...roProps(readOnly)}>
      <div className="switch-row">
        <input
          type="checkbox"
          role="switch"
          id="flag-enabled"
          className="switch"
          checked={v.enabled}
          onChange={(e) => setV({ ...v, enabled: e.target.checked })}
          aria-describedby="flag-enabled-help"
        />
        <label htmlFor="flag-enabled">{isBoolean ? 'Default Value' : 'Enabled'}</label>
        <p id="flag-enabled-help" className="hint">
          {isBoolean
            ? 'The value returned when no rollout matches.'
            : 'Whether the flag is evaluated; a disabled flag never returns a variant.'}
        </p>
      </div>
      <KeyNameFields
        idPrefix="flag"
        name={v.name}
        keyValue={v.key}
        keyDisabled={editing}
        autoFocus={!editing}
        onName={(name, key) => setV({ ...v, name, key })}
        onKey={(key) => setV({ ...v, key })}
      />
      <fieldset className="field" disabled={editing}>
        <legend>Type</legend>
        {(
          [
            ['VARIANT_FLAG_TYPE', 'Variant', 'Can have multiple string values; rules decide which one is returned.'],
            ['BOOLEAN_FLAG_TYPE', 'Boolean', 'True or false; the default value is returned when no rollout matches.'],
          ] as const
        ).map(([value, label, help]) => (
          <div className="radio" key={value}>
            <input
              type="radio"
              name="flag-type"
              id={`flag-type-${value}`}
              value={value}
              checked={v.type === value}
              aria-describedby={`flag-type-${value}-help`}
              onChange={() => setV({ ...v, type: value, enabled: false })}
            />
            <label htmlFor={`flag-type-${value}`}>{label}</label>
            <span id={`flag-type-${value}-help`} className="hint">
              {help}
            </span>
          </div>
        ))}
      </fieldset>
      <Field id="flag-description" label="Description" optional>
        <input id="flag-description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
      </Field>
      <MetadataEditor value={meta} onChange={setMeta} />
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
