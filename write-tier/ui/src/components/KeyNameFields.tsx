import { useEffect, useState } from 'react';
import { Field, invalidProps } from './Field';
import { useToast } from './Toasts';
import { keyFromName, normalizeKey, validateKey, validateRequired } from '../lib/validation';

interface Props {
  idPrefix: string;
  name: string;
  keyValue: string;
  onName: (name: string, key: string) => void;
  onKey: (key: string) => void;
  keyDisabled: boolean;
  autoFocus?: boolean;
}

/** "Name" (drives the key in create mode) and "Key" fields (§2.4). */
// Fields count as touched once edited, or when left with a value: leaving an untouched empty
// field shows no "Required", so the message cannot shift the form under a click on "Cancel".
export function KeyNameFields({ idPrefix, name, keyValue, onName, onKey, keyDisabled, autoFocus }: Props) {
  const [touched, setTouched] = useState({ name: false, key: false });
  const nameErr = touched.name ? validateRequired(name) : null;
  // A bad key derived from the name is shown at once, so a disabled Create has a reason.
  const keyErr = (touched.key || keyValue !== '') && !keyDisabled ? validateKey(keyValue) : null;
  const nameId = `${idPrefix}-name`;
  const keyId = `${idPrefix}-key`;
  return (
    <>
      <Field id={nameId} label="Name" error={nameErr}>
        <input
          id={nameId}
          value={name}
          autoFocus={autoFocus}
          onBlur={() => name !== '' && setTouched((t) => ({ ...t, name: true }))}
          onChange={(e) => {
            const next = e.target.value;
            setTouched((t) => ({ ...t, name: true }));
            const follows = !keyDisabled && (keyValue === '' || keyValue === keyFromName(name));
            onName(next, follows ? keyFromName(next) : keyValue);
          }}
          {...invalidProps(nameId, nameErr)}
        />
      </Field>
      <Field id={keyId} label="Key" error={keyErr}>
        {keyDisabled ? (
          <div className="multi-input">
            <input id={keyId} value={keyValue} disabled />
            <CopyButton text={keyValue} />
          </div>
        ) : (
          <input
            id={keyId}
            value={keyValue}
            onBlur={() => keyValue !== '' && setTouched((t) => ({ ...t, key: true }))}
            onChange={(e) => {
              setTouched((t) => ({ ...t, key: true }));
              onKey(normalizeKey(e.target.value));
            }}
            {...invalidProps(keyId, keyErr)}
          />
        )}
      </Field>
    </>
  );
}

/**
 * "Copy to clipboard" next to a key that can no longer be edited (§2.5.2): a check mark replaces
 * the icon for about two seconds. Stays usable in read-only mode (copying changes nothing).
 */
export function CopyButton({ text }: { text: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(t);
  }, [copied]);
  return (
    <button
      type="button"
      className="btn btn-small"
      aria-label="Copy to clipboard"
      title="Copy to clipboard"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          toast.success('Copied to clipboard');
        } catch {
          toast.error('Could not write to the clipboard.');
        }
      }}
    >
      {copied ? (
        <span aria-hidden="true">✓</span>
      ) : (
        // An inline icon: copy glyphs such as ⧉ are missing from many system fonts.
        <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <rect x="9" y="9" width="12" height="12" rx="2" />
          <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
        </svg>
      )}
    </button>
  );
}
