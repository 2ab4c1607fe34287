import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ComparisonType, Constraint, ConstraintInput } from '../api/types';
import { Field, invalidProps } from './Field';
import { Panel } from './Panel';
import {
  COMPARISON_TYPES,
  MAX_LIST_ITEMS,
  OPERATORS,
  defaultOperator,
  isListOperator,
  operatorTakesValue,
  parseListValue,
  serializeListValue,
  validateConstraintValue,
} from '../lib/constraints';
import { fromPickerParts, toPickerParts } from '../lib/time';
import { useUtcPref } from '../lib/timePref';

interface Props {
  constraint: Constraint | null;
  onClose: () => void;
  onSave: (input: ConstraintInput) => Promise<void>;
}

/**
 * The DateTime value (§2.8.1): a date and a time picker in local time or UTC, following the
 * preference (which can change in another tab); the value is stored as RFC 3339 UTC.
 */
function DateTimeValue({ value, onChange, onBlur, error }: { value: string; onChange: (v: string) => void; onBlur: () => void; error: string | null }) {
  const [utc] = useUtcPref();
  const [parts, setParts] = useState(() => toPickerParts(value, utc));
  useEffect(() => setParts(toPickerParts(value, utc)), [utc]);
  const zone = utc ? 'UTC' : 'Local';
  const update = (next: typeof parts) => {
    setParts(next);
    onChange(fromPickerParts(next.date, next.time, utc) ?? '');
  };
  const invalid = invalidProps('constraint-value', error);
  return (
    <fieldset className={`field${error ? ' field-invalid' : ''}`}>
      <legend>
        Value (
        <Link to="/settings" target="_blank" rel="noopener" title={`Dates and times are entered in ${utc ? 'UTC' : 'your local time zone'}; change this in Preferences (opens a new tab)`}>
          {zone}
        </Link>
        )
      </legend>
      <div className="datetime-inputs">
        <label>
          <span>Date</span>
          <input id="constraint-value" type="date" value={parts.date} onBlur={onBlur} onChange={(e) => update({ ...parts, date: e.target.value })} {...invalid} />
        </label>
        <label>
          <span>Time</span>
          <input id="constraint-value-time" type="time" value={parts.time} onBlur={onBlur} onChange={(e) => update({ ...parts, time: e.target.value })} />
        </label>
      </div>
      <p className="hint">{utc ? 'In UTC.' : 'In your local time zone.'} Without a time, midnight is used.</p>
      {error && (
        <p className="field-error" id="constraint-value-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

export function ConstraintPanel({ constraint, onClose, onSave }: Props) {
  const initial: ConstraintInput = {
    type: constraint?.type ?? 'STRING_COMPARISON_TYPE',
    property: constraint?.property ?? '',
    operator: constraint?.operator ?? 'eq',
    value: constraint?.value ?? '',
    description: constraint?.description ?? '',
  };
  const [v, setV] = useState(initial);
  const [touched, setTouched] = useState({ property: false, value: false });
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);

  const isEntity = v.type === 'ENTITY_ID_COMPARISON_TYPE';
  const takesValue = operatorTakesValue(v.operator);
  const list = isListOperator(v.operator);
  const values = list ? parseListValue(v.value) : [];
  const propErr = !isEntity && v.property.trim() === '' ? 'Required' : null;
  const valueErr = validateConstraintValue(v.type, v.operator, v.value);
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const [draftErr, setDraftErr] = useState<string | null>(null);

  const setType = (type: ComparisonType) =>
    setV({
      ...v,
      type,
      operator: defaultOperator(type),
      value: '',
      property: type === 'ENTITY_ID_COMPARISON_TYPE' ? 'entityId' : isEntity ? '' : v.property,
    });

  const addValues = (raw: string) => {
    const items = raw
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) return;
    if (v.type === 'NUMBER_COMPARISON_TYPE' && items.some((i) => !Number.isFinite(Number(i)))) {
      setDraftErr('Must be a number');
      return;
    }
    const next = [...values];
    for (const i of items) if (!next.includes(i)) next.push(i);
    if (next.length > MAX_LIST_ITEMS) {
      setDraftErr(`Too many items (maximum ${MAX_LIST_ITEMS})`);
      return;
    }
    setDraftErr(null);
    setDraft('');
    setV({ ...v, value: serializeListValue(v.type, next) });
  };

  const shownValueErr = touched.value ? valueErr : null;

  return (
    <Panel
      open
      title={constraint ? 'Edit Constraint' : 'New Constraint'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={constraint ? 'Update' : 'Create'}
      submitDisabled={!dirty || propErr !== null || valueErr !== null}
      onSubmit={async () => {
        setBusy(true);
        try {
          await onSave({ ...v, value: takesValue ? v.value : '' });
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field id="constraint-type" label="Type">
        <select id="constraint-type" value={v.type} data-autofocus="" onChange={(e) => setType(e.target.value as ComparisonType)}>
          {COMPARISON_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </Field>
      {!isEntity && (
        <Field id="constraint-property" label="Property" error={touched.property ? propErr : null}>
          <input
            id="constraint-property"
            value={v.property}
            onBlur={() => setTouched((t) => ({ ...t, property: true }))}
            onChange={(e) => setV({ ...v, property: e.target.value })}
            {...invalidProps('constraint-property', touched.property ? propErr : null)}
          />
        </Field>
      )}
      <Field id="constraint-operator" label="Operator">
        <select
          id="constraint-operator"
          value={v.operator}
          onChange={(e) => {
            const operator = e.target.value;
            const switchesKind = isListOperator(operator) !== list;
            setV({ ...v, operator, value: switchesKind || !operatorTakesValue(operator) ? '' : v.value });
          }}
        >
          {OPERATORS[v.type].map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      {takesValue && list && (
        <Field id="constraint-values" label="Values" error={draftErr ?? shownValueErr} hint="Press Enter or Add; paste a comma- or newline-separated list to add several.">
          <div className="multi-input">
            <input
              id="constraint-values"
              type={v.type === 'NUMBER_COMPARISON_TYPE' ? 'number' : 'text'}
              value={draft}
              onBlur={() => setTouched((t) => ({ ...t, value: true }))}
              onChange={(e) => setDraft(e.target.value)}
              onPaste={(e) => {
                const text = e.clipboardData.getData('text');
                if (/[,\n]/.test(text)) {
                  e.preventDefault();
                  addValues(text);
                }
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  addValues(draft);
                }
              }}
              {...invalidProps('constraint-values', draftErr ?? shownValueErr)}
            />
            <button type="button" className="btn btn-small" onClick={() => addValues(draft)}>
              Add
            </button>
          </div>
          <ul className="chips" aria-label="Added values">
            {values.map((val) => (
              <li key={val} className="chip">
                {val}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${val}`}
                  onClick={() => setV({ ...v, value: serializeListValue(v.type, values.filter((x) => x !== val)) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </Field>
      )}
      {takesValue && !list && v.type === 'DATETIME_COMPARISON_TYPE' && (
        <DateTimeValue
          value={v.value}
          error={shownValueErr}
          onBlur={() => setTouched((t) => ({ ...t, value: true }))}
          onChange={(value) => setV({ ...v, value })}
        />
      )}
      {takesValue && !list && v.type !== 'DATETIME_COMPARISON_TYPE' && (
        <Field id="constraint-value" label="Value" error={shownValueErr}>
          <input
            id="constraint-value"
            type={v.type === 'NUMBER_COMPARISON_TYPE' ? 'number' : 'text'}
            placeholder={v.type === 'NUMBER_COMPARISON_TYPE' ? 'Eg: 200' : 'Eg: Any text'}
            value={v.value}
            onBlur={() => setTouched((t) => ({ ...t, value: true }))}
            onChange={(e) => setV({ ...v, value: e.target.value })}
            {...invalidProps('constraint-value', shownValueErr)}
          />
        </Field>
      )}
      <Field id="constraint-description" label="Description" optional>
        <input id="constraint-description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
      </Field>
    </Panel>
  );
}
