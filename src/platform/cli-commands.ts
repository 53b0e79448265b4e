import type { DiscoveryService } from '@nestjs/core';
import {
  CLI_COMMAND_KEY,
  type CliCommandHandler,
  type CliCommandMetadata,
} from '#libs/common/cli/cli-command.js';

export interface FoundCommand {
  metadata: CliCommandMetadata;
  handler: CliCommandHandler;
}

/** Every provider decorated with @CliCommand, from every module. */
export function findCliCommands(discovery: DiscoveryService): FoundCommand[] {
  return discovery
    .getProviders()
    .filter((wrapper) => wrapper.metatype && wrapper.instance)
    .map((wrapper) => ({
      metadata: Reflect.getMetadata(CLI_COMMAND_KEY, wrapper.metatype as object) as
        CliCommandMetadata | undefined,
      handler: wrapper.instance as CliCommandHandler,
    }))
    .filter((found): found is FoundCommand => found.metadata !== undefined);
}

export function cliUsage(commands: FoundCommand[]): string {
  const lines = commands
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .flatMap(({ metadata }) => [
      `  ${metadata.name} ${metadata.usage ?? ''}`.trimEnd(),
      `      ${metadata.description}`,
    ]);
  return ['Usage: npm run cli -- <command> [--option value …]', '', 'Commands:', ...lines].join(
    '\n',
  );
}
