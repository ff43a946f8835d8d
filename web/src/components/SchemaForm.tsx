import { useState } from 'react';

/** The part of JSON Schema (as zod's z.toJSONSchema writes it) that the form reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
}

type Values = Record<string, unknown>;

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange(value: unknown): void;
  /** The control's id, unique on the page, so its label and problems point at it. */
  id: string;
  problems: string[];
}

const hint = (schema: JsonSchema) =>
  [
    schema.default !== undefined ? `default ${typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default)}` : '',
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '',
    // zod writes the largest safe integer as the bound of an unbounded integer: no bound to show.
    schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${schema.maximum}` : '',
    schema.format ?? '',
  ]
    .filter(Boolean)
    .join(', ');

const isScalarArray = (schema: JsonSchema) => schema.type === 'array' && ['string', 'number', 'integer'].includes(String(schema.items?.type));

/** A value the user typed as a list, "a, b": the array, or nothing when empty. */
function listOf(text: string, items: JsonSchema | undefined): unknown[] | undefined {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  if (!parts.length) return undefined;
  return items?.type === 'string' ? parts : parts.map(Number);
}

/** Objects with no fixed fields and arrays of objects: typed as JSON, kept as typed until it parses. */
function JsonField({ value, onChange, id, describedBy }: { value: unknown; onChange(value: unknown): void; id: string; describedBy: string }) {
  const [error, setError] = useState<string>();
  const change = (text: string) => {
    if (!text.trim()) return (setError(undefined), onChange(undefined));
    try {
      onChange(JSON.parse(text));
      setError(undefined);
    } catch {
      setError('not JSON yet');
    }
  };
  return (
    <>
      <textarea id={id} rows={3} defaultValue={value === undefined ? '' : JSON.stringify(value)} onChange={(event) => change(event.target.value)} aria-describedby={describedBy} />
      {error && <span className="field-problem">{error}</span>}
    </>
  );
}

/** One field's control, chosen by its schema: a select for an enum or a boolean, checkboxes for a list of choices, a number input with its bounds, text, nested fields or JSON. */
function Control({ name, schema, required, value, onChange, id, describedBy }: FieldProps & { describedBy: string }) {
  if (schema.enum || schema.type === 'boolean') {
    const options = schema.enum ?? [true, false];
    return (
      <select id={id} value={value === undefined ? '' : JSON.stringify(value)} onChange={(event) => onChange(event.target.value ? JSON.parse(event.target.value) : undefined)} aria-describedby={describedBy}>
        <option value="">{schema.default !== undefined ? `(default: ${String(schema.default)})` : required ? 'choose…' : '—'}</option>
        {options.map((option) => (
          <option key={String(option)} value={JSON.stringify(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  }
  if (schema.type === 'array' && schema.items?.enum) {
    const chosen = new Set((value as unknown[] | undefined) ?? []);
    const toggle = (option: unknown, on: boolean) => {
      const next = schema.items!.enum!.filter((candidate) => (candidate === option ? on : chosen.has(candidate)));
      onChange(next.length ? next : undefined);
    };
    return (
      <span className="choices" id={id} role="group" aria-describedby={describedBy}>
        {schema.items.enum.map((option) => (
          <label key={String(option)}>
            <input type="checkbox" checked={chosen.has(option)} onChange={(event) => toggle(option, event.target.checked)} />
            {String(option)}
          </label>
        ))}
      </span>
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <input
        id={id}
        type="number"
        min={schema.minimum}
        max={schema.maximum}
        step={schema.type === 'integer' ? 1 : 'any'}
        defaultValue={value === undefined ? '' : String(value)}
        placeholder={schema.default === undefined ? undefined : String(schema.default)}
        onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        aria-describedby={describedBy}
      />
    );
  }
  if (schema.type === 'string') {
    return (
      <input
        id={id}
        defaultValue={value === undefined ? '' : String(value)}
        placeholder={schema.default === undefined ? undefined : String(schema.default)}
        maxLength={schema.maxLength}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        aria-describedby={describedBy}
      />
    );
  }
  if (isScalarArray(schema)) {
    return (
      <input
        id={id}
        defaultValue={Array.isArray(value) ? value.join(', ') : ''}
        placeholder="a, b"
        onChange={(event) => onChange(listOf(event.target.value, schema.items))}
        aria-describedby={describedBy}
      />
    );
  }
  if (schema.type === 'object' && schema.properties && Object.keys(schema.properties).length) {
    return <SchemaForm schema={schema} value={(value as Values | undefined) ?? {}} onChange={(next) => onChange(Object.keys(next).length ? next : undefined)} idPrefix={id} legend={name} />;
  }
  return <JsonField value={value} onChange={onChange} id={id} describedBy={describedBy} />;
}

function Field(props: FieldProps) {
  const { name, schema, required, id, problems } = props;
  const describedBy = `${id}-hint`;
  const nested = schema.type === 'object' && schema.properties && Object.keys(schema.properties).length > 0;
  if (nested) return <Control {...props} describedBy={describedBy} />;
  return (
    <div className={`field${problems.length ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        {name}
        {required && (
          <abbr className="required" title="required">
            *
          </abbr>
        )}
      </label>
      <Control {...props} describedBy={describedBy} />
      <span id={describedBy} className="field-hint">
        {problems.map((problem) => (
          <span key={problem} className="field-problem">
            {problem}
          </span>
        ))}
        {hint(schema)}
      </span>
    </div>
  );
}

/**
 * A form generated from a JSON Schema object: one labelled control per
 * property, required ones marked, each property's problems beside it (by
 * name, as `problems[name]`). Only what the user sets is in the value, so a
 * default stays the catalogue's.
 */
export function SchemaForm({
  schema,
  value,
  onChange,
  idPrefix,
  legend,
  problems = {},
}: {
  schema: JsonSchema;
  value: Values;
  onChange(value: Values): void;
  idPrefix: string;
  legend?: string;
  problems?: Record<string, string[]>;
}) {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {});
  const set = (name: string, next: unknown) => {
    const { [name]: _previous, ...rest } = value;
    onChange(next === undefined ? rest : { ...rest, [name]: next });
  };
  return (
    <fieldset className="schema-form">
      {legend && <legend>{legend}</legend>}
      {fields.length === 0 && <p className="field-hint">No parameters.</p>}
      {fields.map(([name, property]) => (
        <Field key={name} name={name} schema={property} required={required.has(name)} value={value[name]} onChange={(next) => set(name, next)} id={`${idPrefix}-${name}`} problems={problems[name] ?? []} />
      ))}
    </fieldset>
  );
}
