import { useId, type FormEvent, type ReactNode } from 'react';
import { Modal } from './Modal';

interface PanelProps {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  submitDisabled: boolean;
  busy: boolean;
  dirty?: boolean;
  children: ReactNode;
}

/** Slide-over form panel (§1.8) for child objects. */
export function Panel({ open, title, onClose, onSubmit, submitLabel, submitDisabled, busy, dirty, children }: PanelProps) {
  const id = useId();
  const close = () => {
    if (dirty && !window.confirm('Discard unsaved changes?')) return;
    onClose();
  };
  return (
    <Modal open={open} onClose={close} labelledBy={`${id}-title`} className="panel">
      <form
        className="panel-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!submitDisabled && !busy) onSubmit();
        }}
        noValidate
      >
        <header className="panel-header">
          <h2 id={`${id}-title`}>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close panel" onClick={close}>
            ×
          </button>
        </header>
        <div className="panel-body">{children}</div>
        <footer className="panel-footer">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={submitDisabled || busy}>
            {busy && <span className="spinner" aria-hidden="true" />}
            {submitLabel}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
