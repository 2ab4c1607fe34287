import { useEffect, useId, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { copyError, copyTargets } from '../lib/usage';
import { CopyFlagPreviewBox, useCopyFlagPreview } from './CopyFlagPreview';
import { Field, invalidProps } from './Field';
import { Modal } from './Modal';
import { useNamespaces } from './Namespaces';
import { useToast } from './Toasts';

interface Props {
  open: boolean;
  ns: string;
  onClose: () => void;
  /** The namespace chosen when the dialog opens (the current one for "Duplicate"). */
  initialTarget?: string;
}

/**
 * "Copy Flag" (§2.5.8): copies the flag with its variants, rules, rollouts and the segments they
 * need into another namespace (or, with a new key, into the same one) through the atomic
 * write-tier endpoint, then opens the copy.
 */
export function CopyFlagDialog({ flagKey, ...props }: Props & { flagKey: string }) {
  return (
    <CopyDialog
      {...props}
      noun="flag"
      sourceKey={flagKey}
      copy={(target, key) => api.copyFlag(props.ns, flagKey, target, key)}
      text={
        <>
          Copy the flag <strong>{flagKey}</strong> with its variants, rules, rollouts and the segments they use to
          another namespace. Segments that already exist there are reused as they are.
        </>
      }
    />
  );
}

/**
 * "Copy Segment" (§2.5.8): copies the segment with its constraints into another namespace (or,
 * with a new key, into the same one) in one server transaction, then opens the copy.
 */
export function CopySegmentDialog({ segmentKey, ...props }: Props & { segmentKey: string }) {
  return (
    <CopyDialog
      {...props}
      noun="segment"
      sourceKey={segmentKey}
      copy={(target, key) => api.copySegment(props.ns, segmentKey, target, key)}
      text={
        <>
          Copy the segment <strong>{segmentKey}</strong> with its constraints to another namespace.
        </>
      }
    />
  );
}

function CopyDialog({
  open,
  ns,
  onClose,
  initialTarget,
  noun,
  sourceKey,
  copy,
  text,
}: Props & {
  noun: 'flag' | 'segment';
  sourceKey: string;
  copy: (target: string, key: string | undefined) => Promise<{ key: string }>;
  text: ReactNode;
}) {
  const id = useId();
  const { namespaces } = useNamespaces();
  const targets = copyTargets(namespaces, ns);
  const toast = useToast();
  const navigate = useNavigate();
  const firstTarget = initialTarget ?? targets[0]?.key ?? '';
  const [target, setTarget] = useState(firstTarget);
  // Each opening starts from its own target ("Copy" and "Duplicate" share one dialog).
  useEffect(() => {
    if (open) setTarget(firstTarget);
  }, [open, firstTarget]);
  const [key, setKey] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const err = copyError({ ns, key: sourceKey }, { ns: target, key }, noun);
  // Flags: which segments the copy reuses or creates, and whether the target key is taken.
  const withPreview = noun === 'flag';
  const preview = useCopyFlagPreview(open && withPreview, ns, sourceKey, target, key.trim() || sourceKey, err === null);
  const blocked = withPreview && err === null && (preview.preview?.conflict ?? null) !== null;
  const title = noun === 'flag' ? 'Copy Flag' : 'Copy Segment';

  const close = () => {
    setKey('');
    setTouched(false);
    setFailure(null);
    setTarget(firstTarget);
    onClose();
  };

  return (
    <Modal open={open} onClose={close} labelledBy={`${id}-title`}>
      <form
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTouched(true);
          if (err || busy || blocked) return;
          setBusy(true);
          setFailure(null);
          try {
            const copied = await copy(target, key.trim() || undefined);
            toast.success(noun === 'flag' ? 'Successfully copied flag' : 'Successfully copied segment');
            close();
            const newKey = copied.key || key.trim() || sourceKey;
            navigate(`/namespaces/${encodeURIComponent(target)}/${noun}s/${encodeURIComponent(newKey)}`);
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
            <h2 id={`${id}-title`}>{title}</h2>
            <p className="dialog-text">{text}</p>
            <Field id={`${id}-ns`} label="Target namespace">
              <select
                id={`${id}-ns`}
                value={target}
                onChange={(e) => {
                  setTarget(e.target.value);
                  setFailure(null);
                }}
              >
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
              hint={target !== ns ? `Defaults to ${sourceKey}.` : 'Required to duplicate within the same namespace.'}
              error={touched || key !== '' ? err : null}
            >
              <input
                id={`${id}-key`}
                value={key}
                placeholder={sourceKey}
                autoComplete="off"
                onChange={(e) => setKey(e.target.value)}
                {...invalidProps(`${id}-key`, touched || key !== '' ? err : null)}
              />
            </Field>
            {withPreview && err === null && <CopyFlagPreviewBox state={preview} target={target} id={id} />}
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
          <button type="submit" className="btn btn-primary" disabled={busy || err !== null || blocked}>
            {busy && <span className="spinner" aria-hidden="true" />}Copy
          </button>
        </div>
      </form>
    </Modal>
  );
}
