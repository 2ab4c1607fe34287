import { useState } from 'react';
import type { Variant, VariantInput } from '../api/types';
import { Field, invalidProps } from './Field';
import { Panel } from './Panel';
import { formatAttachment, normalizeKey, validateAttachment, validateVariantKey } from '../lib/validation';

interface Props {
  variant: Variant | null;
  onClose: () => void;
  onSave: (input: VariantInput) => Promise<void>;
}

export function VariantPanel({ variant, onClose, onSave }: Props) {
  const initial: VariantInput = {
    key: variant?.key ?? '',
    name: variant?.name ?? '',
    description: variant?.description ?? '',
    attachment: formatAttachment(variant?.attachment ?? ''),
  };
  const [v, setV] = useState(initial);
  const [touched, setTouched] = useState({ key: false, attachment: false });
  const [busy, setBusy] = useState(false);
  const keyErr = validateVariantKey(v.key);
  const attErr = validateAttachment(v.attachment);
  const dirty = JSON.stringify(v) !== JSON.stringify(initial);
  const size = new TextEncoder().encode(v.attachment).length;

  return (
    <Panel
      open
      title={variant ? 'Edit Variant' : 'New Variant'}
      onClose={onClose}
      dirty={dirty}
      busy={busy}
      submitLabel={variant ? 'Update' : 'Create'}
      submitDisabled={!dirty || keyErr !== null || attErr !== null}
      onSubmit={async () => {
        setBusy(true);
        try {
          await onSave(v);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Field id="variant-key" label="Key" error={touched.key ? keyErr : null}>
        <input
          id="variant-key"
          value={v.key}
          data-autofocus=""
          onBlur={() => setTouched((t) => ({ ...t, key: true }))}
          onChange={(e) => setV({ ...v, key: normalizeKey(e.target.value) })}
          {...invalidProps('variant-key', touched.key ? keyErr : null)}
        />
      </Field>
      <Field id="variant-name" label="Name" optional>
        <input id="variant-name" value={v.name} onChange={(e) => setV({ ...v, name: e.target.value })} />
      </Field>
      <Field id="variant-description" label="Description" optional>
        <input id="variant-description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} />
      </Field>
      <Field
        id="variant-attachment"
        label="Attachment"
        optional
        error={touched.attachment ? attErr : null}
        hint={
          <>
            Any JSON value, returned with the variant on evaluation. <span>{size.toLocaleString()} bytes</span>
          </>
        }
      >
        <textarea
          id="variant-attachment"
          className="code"
          rows={8}
          spellCheck={false}
          value={v.attachment}
          onBlur={() => setTouched((t) => ({ ...t, attachment: true }))}
          onChange={(e) => setV({ ...v, attachment: e.target.value })}
          {...invalidProps('variant-attachment', touched.attachment ? attErr : null)}
        />
        <button
          type="button"
          className="btn btn-small"
          disabled={attErr !== null || v.attachment.trim() === ''}
          onClick={() => setV({ ...v, attachment: formatAttachment(v.attachment) })}
        >
          Format
        </button>
      </Field>
    </Panel>
  );
}
