import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  open: boolean;
  onClose: () => void;
  labelledBy: string;
  className?: string;
  children: ReactNode;
}

/**
 * A native `<dialog>` shown modally: the browser traps focus, Escape cancels, and focus returns
 * to the opener when it closes. Clicking the backdrop also closes it.
 */
export function Modal({ open, onClose, labelledBy, className, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d || !open) return;
    if (!d.open) {
      opener.current = document.activeElement;
      d.showModal();
      const first = d.querySelector<HTMLElement>('[data-autofocus], input:not([disabled]), textarea, select');
      first?.focus();
    }
    // Runs when `open` turns false and also when the owner unmounts the dialog while it is open
    // (panels are usually removed rather than closed): either way focus goes back to the opener.
    return () => {
      if (d.open) d.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={className ?? 'modal'}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
    >
      {open && children}
    </dialog>
  );
}
