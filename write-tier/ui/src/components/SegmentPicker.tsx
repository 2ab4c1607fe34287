import { Link } from 'react-router';
import type { Segment, SegmentOperator } from '../api/types';

interface Props {
  id: string;
  ns: string;
  segments: Segment[];
  value: string[];
  onChange: (keys: string[]) => void;
  disabled?: boolean;
  /** The segment list is still loading: show a placeholder rather than "No segments yet". */
  loading?: boolean;
}

/** One dropdown per chosen segment; chosen segments are not offered again (§2.5.6). */
export function SegmentPicker({ id, ns, segments, value, onChange, disabled, loading }: Props) {
  const rows = value.length === 0 ? [''] : value;
  if (segments.length === 0 && loading) {
    return (
      <select id={id} disabled aria-busy="true">
        <option>Loading segments…</option>
      </select>
    );
  }
  if (segments.length === 0) {
    return (
      <p className="hint">
        No segments yet — <Link to={`/namespaces/${encodeURIComponent(ns)}/segments/new`}>create one</Link>.
      </p>
    );
  }
  const set = (i: number, key: string) => onChange(rows.map((k, j) => (j === i ? key : k)));
  return (
    <div className="picker-rows">
      {rows.map((key, i) => {
        const taken = new Set(rows.filter((_, j) => j !== i));
        return (
          <div className="picker-row" key={i}>
            <select
              id={i === 0 ? id : `${id}-${i}`}
              aria-label={i === 0 ? undefined : `Segment ${i + 1}`}
              value={key}
              disabled={disabled}
              onChange={(e) => set(i, e.target.value)}
            >
              <option value="">Select a segment</option>
              {segments
                .filter((s) => !taken.has(s.key))
                .map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.name} ({s.key})
                  </option>
                ))}
              {key !== '' && !segments.some((s) => s.key === key) && <option value={key}>{key} (missing)</option>}
            </select>
            {rows.length > 1 && (
              <button
                type="button"
                className="icon-btn"
                aria-label={`Remove segment ${i + 1}`}
                disabled={disabled}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                −
              </button>
            )}
            {i === rows.length - 1 && (
              <button
                type="button"
                className="icon-btn"
                aria-label="Add segment"
                disabled={disabled || key === '' || rows.length >= segments.length}
                onClick={() => onChange([...rows, ''])}
              >
                +
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}

export function OperatorRadios({
  name,
  value,
  onChange,
  disabled,
}: {
  name: string;
  value: SegmentOperator;
  onChange: (v: SegmentOperator) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="field">
      <legend>Operator</legend>
      <div className="inline-radios">
        <label>
          <input
            type="radio"
            name={name}
            checked={value === 'OR_SEGMENT_OPERATOR'}
            disabled={disabled}
            onChange={() => onChange('OR_SEGMENT_OPERATOR')}
          />{' '}
          OR (ANY Segment)
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={value === 'AND_SEGMENT_OPERATOR'}
            disabled={disabled}
            onChange={() => onChange('AND_SEGMENT_OPERATOR')}
          />{' '}
          AND (ALL Segments)
        </label>
      </div>
    </fieldset>
  );
}

/** The segments of a rule or rollout as links joined by the operator word; flags missing ones. */
export function SegmentList({
  ns,
  keys,
  operator,
  known,
  markMissing = true,
}: {
  ns: string;
  keys: string[];
  operator: SegmentOperator | undefined;
  known: Map<string, Segment> | null;
  /** Append "(Segment is missing)" to keys not in `known`; off where the caller reports it itself. */
  markMissing?: boolean;
}) {
  const word = operator === 'AND_SEGMENT_OPERATOR' ? 'AND' : 'OR';
  return (
    <span className="segment-list">
      {keys.map((k, i) => {
        const seg = known?.get(k);
        return (
          <span key={k}>
            {i > 0 && <span className="op-badge">{word}</span>}
            <Link to={`/namespaces/${encodeURIComponent(ns)}/segments/${encodeURIComponent(k)}`}>{seg ? seg.name : k}</Link>
            {markMissing && known && !seg && <span className="danger"> (Segment is missing)</span>}
          </span>
        );
      })}
    </span>
  );
}
