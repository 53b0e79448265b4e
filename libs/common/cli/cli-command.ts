import { SetMetadata } from '@nestjs/common';

export const CLI_COMMAND_KEY = 'pathavana:cli-command';

export interface CliCommandMetadata {
  /** `users:create` */
  name: string;
  /** One line for `npm run cli -- help`. */
  description: string;
  /** e.g. `--email E --password P --role user|admin|compliance` */
  usage?: string;
}

export type CliArgs = Record<string, string | true>;

/** A provider whose class carries @CliCommand(...) is found by `npm run cli -- <name>`. */
export interface CliCommandHandler {
  run(args: CliArgs): Promise<string>;
}

export const CliCommand = (metadata: CliCommandMetadata): ClassDecorator =>
  SetMetadata(CLI_COMMAND_KEY, metadata);

/** `--email a@b --admin x` → `{ email: 'a@b', admin: true }`; positional words are refused. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {};
  for (let index = 0; index < argv.length; index += 1) {
    const token = argv[index] as string;
    if (!token.startsWith('--')) throw new Error(`Unexpected argument "${token}"`);
    const key = token.slice(2);
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) {
      args[key] = true;
    } else {
      args[key] = next;
      index += 1;
    }
  }
  return args;
}
