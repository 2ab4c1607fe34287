import { useState } from 'react';
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

interface Props {
  constraint: Constraint | null;
  onClose: () => void;
  onSave: (input: ConstraintInput) => Promise<void>;
}

/** RFC 3339 → value of a datetime-local input (local time, minutes). */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
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
        <Field id="constraint-value" label="Value (Local)" error={shownValueErr}>
          <input
            id="constraint-value"
            type="datetime-local"
            value={toLocalInput(v.value)}
            onBlur={() => setTouched((t) => ({ ...t, value: true }))}
            onChange={(e) => {
              const d = new Date(e.target.value);
              setV({ ...v, value: Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z') });
            }}
            {...invalidProps('constraint-value', shownValueErr)}
          />
        </Field>
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
