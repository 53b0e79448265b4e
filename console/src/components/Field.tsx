import { useId } from 'react';
import { fieldError } from '../api/problem';
import { ErrorMessage } from './States';

interface FieldProps extends Omit<React.InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** The problem-details field this control concerns (its error is shown under it). */
  field?: string;
  error?: unknown;
  hint?: string;
}

/** A labelled input with its hint and its own error from the API, tied by aria-describedby. */
export function Field({ label, field, error, hint, ...input }: FieldProps) {
  const id = useId();
  const message = field ? fieldError(error, field) : undefined;
  const described = [hint ? `${id}-hint` : null, message ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      <input
        id={id}
        aria-invalid={message ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {message && (
        <span id={`${id}-error`} className="error">
          {message}
        </span>
      )}
    </div>
  );
}

interface SelectFieldProps extends Omit<React.SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string;
  field?: string;
  error?: unknown;
  options: readonly { value: string; label: string }[];
}

export function SelectField({ label, field, error, options, ...select }: SelectFieldProps) {
  const id = useId();
  const message = field ? fieldError(error, field) : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {message && (
        <span id={`${id}-error`} className="error">
          {message}
        </span>
      )}
    </div>
  );
}

interface TextAreaFieldProps extends Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  field?: string;
  error?: unknown;
}

export function TextAreaField({ label, field, error, ...area }: TextAreaFieldProps) {
  const id = useId();
  const message = field ? fieldError(error, field) : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        aria-invalid={message ? true : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        {...area}
      />
      {message && (
        <span id={`${id}-error`} className="error">
          {message}
        </span>
      )}
    </div>
  );
}

/**
 * The reason an audited action asks for (it goes into the audit trail), with its problems; it
 * takes the focus when its form opens.
 */
export function ReasonField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: unknown;
}) {
  return (
    <>
      <Field
        label="Reason"
        autoFocus
        value={value}
        onChange={(event) => onChange(event.target.value)}
        field="reason"
        error={error}
        required
      />
      <ErrorMessage error={error} fields={['reason']} />
    </>
  );
}
