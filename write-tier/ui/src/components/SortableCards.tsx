import { useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';
import { moveItem } from '../lib/rules';
import { useToast } from './Toasts';
import { roProps, useReadOnly } from './Meta';

interface Props<T extends { id: string }> {
  items: T[];
  /** Singular noun for names and messages: "rule", "rollout". */
  noun: string;
  /** Accessible name of the list. */
  label: string;
  /** Persists the full new order; throwing rolls the list back. */
  persist: (ids: string[]) => Promise<void>;
  onReordered: () => void;
  title: (item: T, index: number) => ReactNode;
  body: (item: T, index: number) => ReactNode;
  onEdit: (item: T) => void;
  onDelete: (item: T, index: number) => void;
}

/**
 * Ranked cards that can be reordered by dragging the header, by the "Move up"/"Move down"
 * buttons, or with Alt+ArrowUp/Alt+ArrowDown while focus is inside a card. Optimistic: the new
 * order shows at once and is restored when the server refuses it.
 */
export function SortableCards<T extends { id: string }>(props: Props<T>) {
  const { items, noun, label, persist, onReordered, title, body, onEdit, onDelete } = props;
  const toast = useToast();
  const readOnly = useReadOnly();
  const ro = roProps(readOnly);
  const hintId = useId();
  const [order, setOrder] = useState(items);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const focusAfter = useRef<string | null>(null);
  const Noun = noun[0].toUpperCase() + noun.slice(1);

  useEffect(() => setOrder(items), [items]);

  useEffect(() => {
    const id = focusAfter.current;
    if (!id) return;
    focusAfter.current = null;
    document.querySelector<HTMLElement>(`[data-handle="${CSS.escape(id)}"]`)?.focus();
  }, [order]);

  const move = async (from: number, to: number, keepFocus?: string) => {
    if (readOnly || busy || from === to || to < 0 || to >= order.length || order.length < 2) return;
    const previous = order;
    const next = moveItem(order, from, to);
    if (keepFocus) focusAfter.current = keepFocus;
    setOrder(next);
    setBusy(true);
    try {
      await persist(next.map((x) => x.id));
      toast.success(`Successfully reordered ${noun}s`);
      onReordered();
    } catch (err) {
      if (keepFocus) focusAfter.current = keepFocus;
      setOrder(previous);
      toast.error(err);
    } finally {
      setBusy(false);
    }
  };

  const onKey = (e: KeyboardEvent, item: T, index: number) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    // Alt+Arrow belongs to form controls inside the card's quick edit (it opens a select's list).
    const target = e.target as HTMLElement;
    if (target.closest('input, select, textarea')) return;
    e.preventDefault();
    void move(index, index + (e.key === 'ArrowUp' ? -1 : 1), item.id);
  };

  const onDrop = (e: DragEvent, index: number) => {
    e.preventDefault();
    const id = dragging ?? e.dataTransfer.getData('text/plain');
    setDragging(null);
    setOver(null);
    const from = order.findIndex((x) => x.id === id);
    if (from >= 0) void move(from, index);
  };

  return (
    <>
      <p id={hintId} className="sr-only">
        {readOnly
          ? `${Noun}s cannot be reordered in Read-Only mode.`
          : `Drag a ${noun} by its header, or press Alt+Up or Alt+Down inside a ${noun} to move it.`}
      </p>
      <ol className="cards" aria-label={label} aria-busy={busy}>
        {order.map((item, i) => (
          <li
            key={item.id}
            className={`card sortable${readOnly ? ' readonly' : ''}${dragging === item.id ? ' dragging' : ''}${over === item.id && dragging !== item.id ? ' drop-target' : ''}`}
            data-id={item.id}
            data-testid={`${noun}-card`}
            onKeyDown={(e) => onKey(e, item, i)}
            onDragOver={(e) => {
              if (!dragging) return;
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
              if (over !== item.id) setOver(item.id);
            }}
            onDrop={(e) => onDrop(e, i)}
          >
            <div
              className="card-head"
              draggable={!readOnly && order.length > 1}
              title={readOnly ? ro.title : undefined}
              onDragStart={(e) => {
                e.dataTransfer.setData('text/plain', item.id);
                e.dataTransfer.effectAllowed = 'move';
                setDragging(item.id);
              }}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
            >
              <button
                type="button"
                className="drag-handle"
                data-handle={item.id}
                aria-label={`${Noun} ${i + 1}, reorder`}
                aria-describedby={hintId}
                {...ro}
              >
                <span aria-hidden="true">⠿</span>
                <span className="position">{i + 1}</span>
              </button>
              <h3 className="card-title">{title(item, i)}</h3>
              <div className="card-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={readOnly || busy || i === 0}
                  title={ro.title}
                  aria-label={`Move up, ${noun} ${i + 1}`}
                  onClick={() => void move(i, i - 1, item.id)}
                >
                  <span aria-hidden="true">↑ </span>Move up
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={readOnly || busy || i === order.length - 1}
                  title={ro.title}
                  aria-label={`Move down, ${noun} ${i + 1}`}
                  onClick={() => void move(i, i + 1, item.id)}
                >
                  <span aria-hidden="true">↓ </span>Move down
                </button>
                <button type="button" className="btn btn-small" {...ro} onClick={() => onEdit(item)} aria-label={`Edit ${noun} ${i + 1}`}>
                  Edit
                </button>
                <button
                  type="button"
                  className="btn btn-small btn-danger-outline"
                  {...ro}
                  onClick={() => onDelete(item, i)}
                  aria-label={`Delete ${noun} ${i + 1}`}
                >
                  Delete
                </button>
              </div>
            </div>
            <div className="card-body">{body(item, i)}</div>
          </li>
        ))}
      </ol>
    </>
  );
}
