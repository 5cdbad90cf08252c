/** The one shape every group of command-line options is read with. */

/** One option as the command line gave it: `--name value`, `--name=value` (inline), or a switch. */
export interface OptionArg {
  readonly name: string;
  /** The value given with `=`, else null. */
  readonly inline: string | null;
  /** Takes the option's value (the inline one, else the next argument); null when there is none. */
  value(): string | null;
}

export type OptionParse<T> =
  | { readonly kind: "ok"; readonly value: T }
  | { readonly kind: "error"; readonly message: string }
  /** Not one of this group's options. */
  | { readonly kind: "unknown" };

/** A group of options: the option read into the group's current settings. */
export type OptionParser<T> = (option: OptionArg, current: T) => OptionParse<T>;

/** A switch takes no value: `--name=x` is an error. */
export function switchOn<T>(option: OptionArg, value: T): OptionParse<T> {
  return option.inline !== null
    ? { kind: "error", message: `option '${option.name}' takes no value` }
    : { kind: "ok", value };
}
