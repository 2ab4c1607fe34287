import { useEffect, useRef, useState, type ReactNode } from 'react';
import {
  changeType,
  emptyRow,
  kindOf,
  normalizeMetaKey,
  switchMode,
  validateRawMetadata,
  validateRows,
  type MetaKind,
  type MetaRow,
  type MetaType,
  type MetadataState,
} from '../lib/metadata';
import './flagDetail.css';

interface Props {
  value: MetadataState;
  onChange: (next: MetadataState) => void;
}

/** The flag's metadata as editable key/type/value rows, or one raw JSON object (§2.5.3). */
export function MetadataEditor({ value, onChange }: Props) {
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const focusRow = useRef<string | null>(null);
  const [switchError, setSwitchError] = useState<string | null>(null);

  useEffect(() => {
    const id = focusRow.current;
    if (!id) return;
    focusRow.current = null;
    document.getElementById(`${id}-key`)?.focus();
  });

  const touch = (id: string) => setTouched((t) => (t.has(id) ? t : new Set(t).add(id)));

  const toggle = (
    <button
      type="button"
      className="link-btn meta-mode"
      onClick={() => {
        const next = switchMode(value);
        if (next) {
          setSwitchError(null);
          onChange(next);
        } else {
          setSwitchError(
            value.mode === 'rows'
              ? 'Fix the highlighted entries before editing as JSON.'
              : 'This JSON cannot be shown as entries (it must be a valid object without null values).',
          );
        }
      }}
    >
      {value.mode === 'rows' ? 'Edit as JSON' : 'Edit as entries'}
    </button>
  );

  if (value.mode === 'json') {
    const error = validateRawMetadata(value.text);
    return (
      <fieldset className="field metadata">
        <legend>
          Metadata <span className="optional">Optional</span>
        </legend>
        <p className="hint" id="metadata-json-help">
          The whole metadata object as JSON. Leave empty or use {'{}'} to remove all metadata.
        </p>
        <JsonEditor
          id="metadata-json"
          name="Metadata JSON"
          label={<span className="sr-only">Metadata JSON</span>}
          value={value.text}
          error={error}
          describedBy="metadata-json-help"
          rows={8}
          onChange={(text) => onChange({ mode: 'json', text })}
        />
        <div className="meta-footer">
          {toggle}
          {switchError && <span className="field-error">{switchError}</span>}
        </div>
      </fieldset>
    );
  }

  const rows = value.rows;
  const errors = validateRows(rows);
  const setRow = (i: number, row: MetaRow) => onChange({ mode: 'rows', rows: rows.map((r, j) => (j === i ? row : r)) });

  return (
    <fieldset className="field metadata">
      <legend>
        Metadata <span className="optional">Optional</span>
      </legend>
      <p className="hint">Key/value pairs stored with the flag, for your own tooling; not used in evaluation.</p>
      {rows.length > 0 && (
        <div className="meta-rows">
          {rows.map((r, i) => {
            const n = i + 1;
            const err = errors[i];
            const seen = touched.has(r.id) || r.key !== '';
            const keyErr = r.key === '' ? (seen ? err.key : null) : err.key;
            const valueErr = err.value;
            const kind = kindOf(r.type);
            const keyId = `${r.id}-key`;
            const valueId = `${r.id}-value`;
            return (
              <div key={r.id} className={`meta-row meta-${kind}`} role="group" aria-label={`Metadata entry ${n}`}>
                <div className={`meta-cell meta-key${keyErr ? ' field-invalid' : ''}`}>
                  <label htmlFor={keyId} className="meta-label">
                    <span className="sr-only">Metadata </span>Key<span className="sr-only"> {n}</span>
                  </label>
                  <input
                    id={keyId}
                    value={r.key}
                    aria-invalid={keyErr ? true : undefined}
                    aria-describedby={keyErr ? `${keyId}-error` : undefined}
                    onBlur={() => touch(r.id)}
                    onChange={(e) => setRow(i, { ...r, key: normalizeMetaKey(e.target.value) })}
                  />
                  {keyErr && (
                    <p className="field-error" id={`${keyId}-error`}>
                      {keyErr}
                    </p>
                  )}
                </div>
                <div className="meta-cell">
                  <label htmlFor={`${r.id}-kind`} className="meta-label">
                    <span className="sr-only">Metadata </span>Type<span className="sr-only"> {n}</span>
                  </label>
                  <select
                    id={`${r.id}-kind`}
                    value={kind}
                    onChange={(e) => {
                      const k = e.target.value as MetaKind;
                      setRow(i, changeType(r, k === 'primitive' ? 'string' : k));
                    }}
                  >
                    <option value="primitive">Primitive</option>
                    <option value="object">Object</option>
                    <option value="array">Array</option>
                  </select>
                </div>
                {kind === 'primitive' && (
                  <div className="meta-cell">
                    <label htmlFor={`${r.id}-subtype`} className="meta-label">
                      <span className="sr-only">Metadata </span>Value type<span className="sr-only"> {n}</span>
                    </label>
                    <select
                      id={`${r.id}-subtype`}
                      value={r.type}
                      onChange={(e) => setRow(i, changeType(r, e.target.value as MetaType))}
                    >
                      <option value="string">String</option>
                      <option value="number">Number</option>
                      <option value="boolean">Boolean</option>
                    </select>
                  </div>
                )}
                {kind === 'primitive' ? (
                  <div className={`meta-cell meta-value${valueErr ? ' field-invalid' : ''}`}>
                    <label htmlFor={valueId} className="meta-label">
                      <span className="sr-only">Metadata </span>Value<span className="sr-only"> {n}</span>
                    </label>
                    {r.type === 'boolean' ? (
                      <select id={valueId} value={r.value} onChange={(e) => setRow(i, { ...r, value: e.target.value })}>
                        <option value="true">True</option>
                        <option value="false">False</option>
                      </select>
                    ) : (
                      <input
                        id={valueId}
                        inputMode={r.type === 'number' ? 'decimal' : undefined}
                        value={r.value}
                        aria-invalid={valueErr ? true : undefined}
                        aria-describedby={valueErr ? `${valueId}-error` : undefined}
                        onBlur={() => touch(r.id)}
                        onChange={(e) => setRow(i, { ...r, value: e.target.value })}
                      />
                    )}
                    {valueErr && (
                      <p className="field-error" id={`${valueId}-error`}>
                        {valueErr}
                      </p>
                    )}
                  </div>
                ) : (
                  <div className="meta-cell meta-json">
                    <JsonEditor
                      id={valueId}
                      name={`Metadata value ${n}`}
                      label={<><span className="sr-only">Metadata </span>Value<span className="sr-only"> {n}</span></>}
                      describedBy={`${valueId}-help`}
                      help={kind === 'object' ? 'A JSON object, for example {"team": "web"}.' : 'A JSON array, for example ["eu", "us"].'}
                      value={r.value}
                      error={valueErr}
                      rows={4}
                      onChange={(text) => setRow(i, { ...r, value: text })}
                    />
                  </div>
                )}
                <button
                  type="button"
                  className="icon-btn meta-remove"
                  aria-label="Remove metadata entry"
                  title="Remove metadata entry"
                  onClick={() => onChange({ mode: 'rows', rows: rows.filter((_, j) => j !== i) })}
                >
                  <TrashIcon />
                </button>
              </div>
            );
          })}
        </div>
      )}
      <button
        type="button"
        className="btn btn-block"
        onClick={() => {
          const row = emptyRow();
          focusRow.current = row.id;
          onChange({ mode: 'rows', rows: [...rows, row] });
        }}
      >
        <span aria-hidden="true">+</span> Add Metadata
      </button>
      <div className="meta-footer">
        {toggle}
        {switchError && <span className="field-error">{switchError}</span>}
      </div>
    </fieldset>
  );
}

/** A monospace JSON text area with a "Format" button and the parse message under it. */
export function JsonEditor({
  id,
  name,
  label,
  help,
  value,
  error,
  rows,
  describedBy,
  onChange,
}: {
  id: string;
  /** The accessible name, for the Format button. */
  name: string;
  /** The label's content (visible text plus any screen-reader-only context). */
  label: ReactNode;
  help?: string;
  value: string;
  error: string | null;
  rows: number;
  describedBy?: string;
  onChange: (text: string) => void;
}) {
  const described = [describedBy, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`json-editor${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="meta-label">
        {label}
      </label>
      {help && describedBy && (
        <p className="hint" id={describedBy}>
          {help}
        </p>
      )}
      <textarea
        id={id}
        className="code"
        spellCheck={false}
        rows={rows}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="json-editor-footer">
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : (
          <span />
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={error !== null || value.trim() === ''}
          aria-label={`Format ${name}`}
          onClick={() => onChange(JSON.stringify(JSON.parse(value), null, 2))}
        >
          Format
        </button>
      </div>
    </div>
  );
}

function TrashIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6M10 11v6M14 11v6" />
    </svg>
  );
}
