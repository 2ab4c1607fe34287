import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { copyError, copyTargets } from '../lib/usage';
import { Field, invalidProps } from './Field';
import { Modal } from './Modal';
import { useNamespaces } from './Namespaces';
import { useToast } from './Toasts';

interface Props {
  open: boolean;
  ns: string;
  flagKey: string;
  onClose: () => void;
}

/**
 * "Copy Flag" (§2.5.8): copies the flag with its variants, rules, rollouts and the segments they
 * need into another namespace (or, with a new key, into the same one) through the atomic
 * write-tier endpoint, then opens the copy.
 */
export function CopyFlagDialog({ open, ns, flagKey, onClose }: Props) {
  const id = useId();
  const { namespaces } = useNamespaces();
  const targets = copyTargets(namespaces, ns);
  const toast = useToast();
  const navigate = useNavigate();
  const [target, setTarget] = useState(targets[0]?.key ?? '');
  const [key, setKey] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const err = copyError({ ns, key: flagKey }, { ns: target, key });

  const close = () => {
    setKey('');
    setTouched(false);
    setFailure(null);
    setTarget(targets[0]?.key ?? '');
    onClose();
  };

  return (
    <Modal open={open} onClose={close} labelledBy={`${id}-title`}>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTouched(true);
          if (err || busy) return;
          setBusy(true);
          setFailure(null);
          try {
            const copied = await api.copyFlag(ns, flagKey, target, key.trim() || undefined);
            toast.success('Successfully copied flag');
            close();
            navigate(`/namespaces/${encodeURIComponent(target)}/flags/${encodeURIComponent(copied.key || key.trim() || flagKey)}`);
          } catch (error) {
            // Shown inside the dialog: toasts sit behind a modal dialog.
            setFailure(errorMessage(error));
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="dialog-body">
          <div className="dialog-icon" aria-hidden="true">⧉</div>
          <div>
            <h2 id={`${id}-title`}>Copy Flag</h2>
            <p className="dialog-text">
              Copy the flag <strong>{flagKey}</strong> with its variants, rules, rollouts and the segments they use to
              another namespace. Segments that already exist there are reused as they are.
            </p>
            <Field id={`${id}-ns`} label="Target namespace">
              <select id={`${id}-ns`} value={target} onChange={(e) => {
                  setTarget(e.target.value);
                  setFailure(null);
                }}>
                {targets.map((n) => (
                  <option key={n.key} value={n.key}>
                    {n.name}
                    {n.key === ns ? ' (this namespace)' : ''}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              id={`${id}-key`}
              label="New key"
              optional={target !== ns}
              hint={target !== ns ? `Defaults to ${flagKey}.` : 'Required to duplicate within the same namespace.'}
              error={touched || key !== '' ? err : null}
            >
              <input
                id={`${id}-key`}
                value={key}
                placeholder={flagKey}
                autoComplete="off"
                onChange={(e) => setKey(e.target.value)}
                {...invalidProps(`${id}-key`, touched || key !== '' ? err : null)}
              />
            </Field>
            {failure && (
              <p className="field-error" role="alert">
                {failure}
              </p>
            )}
          </div>
        </div>
        <div className="dialog-footer">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || err !== null}>
            {busy && <span className="spinner" aria-hidden="true" />}Copy
          </button>
        </div>
      </form>
    </Modal>
  );
}
