import { useState } from 'react';
import { Field, invalidProps } from './Field';
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
export function KeyNameFields({ idPrefix, name, keyValue, onName, onKey, keyDisabled, autoFocus }: Props) {
  const [touched, setTouched] = useState({ name: false, key: false });
  const nameErr = touched.name ? validateRequired(name) : null;
  const keyErr = touched.key && !keyDisabled ? validateKey(keyValue) : null;
  const nameId = `${idPrefix}-name`;
  const keyId = `${idPrefix}-key`;
  return (
    <>
      <Field id={nameId} label="Name" error={nameErr}>
        <input
          id={nameId}
          value={name}
          autoFocus={autoFocus}
          onBlur={() => setTouched((t) => ({ ...t, name: true }))}
          onChange={(e) => {
            const next = e.target.value;
            const follows = !keyDisabled && (keyValue === '' || keyValue === keyFromName(name));
            onName(next, follows ? keyFromName(next) : keyValue);
          }}
          {...invalidProps(nameId, nameErr)}
        />
      </Field>
      <Field id={keyId} label="Key" error={keyErr}>
        <input
          id={keyId}
          value={keyValue}
          disabled={keyDisabled}
          onBlur={() => setTouched((t) => ({ ...t, key: true }))}
          onChange={(e) => onKey(normalizeKey(e.target.value))}
          {...invalidProps(keyId, keyErr)}
        />
      </Field>
    </>
  );
}
