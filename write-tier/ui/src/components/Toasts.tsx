import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../api/errors';

/** A button on a success toast (for example "Undo"); clicking it runs `run` and hides the toast. */
export interface ToastAction {
  label: string;
  run: () => void;
}

interface ToastApi {
  success: (message: string, action?: ToastAction) => void;
  error: (err: unknown) => void;
  clearError: () => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast outside ToastProvider');
  return ctx;
}

/** One success toast (auto-hides after 3 s) and one error toast (stays) at a time (§1.6). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [success, setSuccess] = useState<{ id: number; text: string; action?: ToastAction } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const api = useMemo<ToastApi>(
    () => ({
      success: (text, action) => {
        setError(null);
        setSuccess({ id: Date.now(), text, action });
        window.clearTimeout(timer.current);
        // A toast with an action stays longer so that there is time to use it.
        timer.current = window.setTimeout(() => setSuccess(null), action ? 8000 : 3000);
      },
      error: (err) => setError(errorMessage(err)),
      clearError: () => setError(null),
    }),
    [],
  );

  const dismissSuccess = useCallback(() => setSuccess(null), []);

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {success && (
          <div className="toast toast-success" role="status" key={success.id}>
            <span aria-hidden="true" className="toast-icon">✓</span>
            <span className="toast-text">{success.text}</span>
            {success.action && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  const run = success.action!.run;
                  setSuccess(null);
                  run();
                }}
              >
                {success.action.label}
              </button>
            )}
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={dismissSuccess}>
              ×
            </button>
          </div>
        )}
        {error && (
          <div className="toast toast-error" role="alert">
            <span aria-hidden="true" className="toast-icon">!</span>
            <div className="toast-text">
              <strong>Error</strong>
              <div>{error}</div>
            </div>
            <button type="button" className="icon-btn" aria-label="Dismiss" onClick={() => setError(null)}>
              ×
            </button>
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}
