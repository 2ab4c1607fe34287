import type { ReactNode } from 'react';

interface FieldProps {
  id: string;
  label: string;
  optional?: boolean;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
}

/** A labelled form row; the error is tied to the control with aria-describedby by the caller. */
export function Field({ id, label, optional, error, hint, children }: FieldProps) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {optional && <span className="optional">Optional</span>}
      </div>
      {children}
      {hint && <p className="hint">{hint}</p>}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** aria attributes for a control with a possible error. */
export function invalidProps(id: string, error: string | null | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}
