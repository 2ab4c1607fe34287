import { useId, useState, type ReactNode } from 'react';
import { Modal } from './Modal';
import { useToast } from './Toasts';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** When set, the user must type this text to enable "Delete" (GitHub-style). */
  confirmText?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Delete confirmation (§1.7): closes after the call returns; failures show the error toast. */
export function ConfirmDialog({ open, title, children, confirmText, onConfirm, onClose }: ConfirmDialogProps) {
  const id = useId();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState('');
  const blocked = confirmText !== undefined && typed !== confirmText;

  const close = () => {
    setTyped('');
    onClose();
  };

  return (
    <Modal open={open} onClose={close} labelledBy={`${id}-title`}>
      <div className="dialog-body">
        <div className="dialog-icon" aria-hidden="true">⚠</div>
        <div>
          <h2 id={`${id}-title`}>{title}</h2>
          <div className="dialog-text">{children}</div>
          {confirmText !== undefined && (
            <div className="field">
              <label htmlFor={`${id}-confirm`}>
                Type <code>{confirmText}</code> to confirm
              </label>
              <input id={`${id}-confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
            </div>
          )}
        </div>
      </div>
      <div className="dialog-footer">
        <button type="button" className="btn" onClick={close} data-autofocus={confirmText === undefined ? '' : undefined}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy || blocked}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
              close();
            } catch (err) {
              toast.error(err);
              close();
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy && <span className="spinner" aria-hidden="true" />}Delete
        </button>
      </div>
    </Modal>
  );
}
